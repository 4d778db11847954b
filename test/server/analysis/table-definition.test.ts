import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultFromSql,
  describeDefault,
  sameDefault,
} from '../../../server/analysis/table-definition.ts';

describe('a column default as the database reports it', () => {
  it('reads literals through casts, parentheses and doubled quotes', () => {
    assert.deepEqual(defaultFromSql("'active'::character varying"),
      { kind: 'literal', value: 'active' });
    assert.deepEqual(defaultFromSql("('it''s')"), { kind: 'literal', value: "it's" });
    assert.deepEqual(defaultFromSql('(-1.5)'), { kind: 'literal', value: '-1.5' });
    assert.deepEqual(defaultFromSql('TRUE'), { kind: 'literal', value: 'true' });
    assert.deepEqual(defaultFromSql("'{}'::jsonb"), { kind: 'literal', value: '{}' });
    assert.equal(defaultFromSql('NULL::character varying'), null);
    assert.equal(defaultFromSql(null), null);
  });

  it('keeps an expression an expression, parentheses that do not enclose it included', () => {
    assert.deepEqual(defaultFromSql('CURRENT_TIMESTAMP'),
      { kind: 'expression', sql: 'CURRENT_TIMESTAMP' });
    assert.deepEqual(defaultFromSql('(a) + (b)'), { kind: 'expression', sql: '(a) + (b)' });
    assert.deepEqual(defaultFromSql('now()'), { kind: 'expression', sql: 'now()' });
  });

  it('compares defaults by what they mean for the column', () => {
    const literal = (value: string) => ({ kind: 'literal', value }) as const;
    const expression = (sql: string) => ({ kind: 'expression', sql }) as const;
    assert.ok(sameDefault(literal('true'), literal('1'), 'boolean'));
    assert.ok(!sameDefault(literal('true'), literal('0'), 'boolean'));
    assert.ok(sameDefault(literal('0'), literal('0.0'), 'number'));
    assert.ok(!sameDefault(literal('0'), literal('0.0'), 'other'));
    assert.ok(sameDefault(expression('now()'), expression('NOW()'), 'other'));
    assert.ok(!sameDefault(expression('now()'), literal('now()'), 'other'));
    assert.ok(!sameDefault(literal('x'), null, 'other'));
    assert.ok(sameDefault(null, null, 'other'));
    assert.equal(describeDefault(literal("it's")), "'it''s'");
    assert.equal(describeDefault(null), 'none');
  });
});
