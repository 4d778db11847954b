import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseType } from '../../../server/analysis/database-type.ts';
import type { DatabaseDialect } from '../../../server/analysis/schemas.ts';
import {
  modelRulesMax,
  validationOf,
  type ValidationInput,
} from '../../../server/analysis/validation.ts';

function rules(
  written: string,
  dialect: DatabaseDialect = 'postgres',
  overrides: Partial<ValidationInput> = {},
) {
  return validationOf({ type: parseDatabaseType(written, dialect), nullable: false,
    hasDefault: false, autoIncrement: false, virtual: false, validators: null, ...overrides });
}

describe('the validation rules of a column', () => {
  it('requires a value only where nothing else supplies one', () => {
    assert.equal(rules('integer').required, true);
    assert.equal(rules('integer', 'postgres', { nullable: true }).required, false);
    assert.equal(rules('integer', 'postgres', { hasDefault: true }).required, false);
    assert.equal(rules('integer', 'postgres', { autoIncrement: true }).required, false);
  });

  it('bounds whole numbers by the declared SQL type, the same on SQLite and PostgreSQL', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      assert.deepEqual([rules('INTEGER', dialect).min, rules('INTEGER', dialect).max],
        ['-2147483648', '2147483647']);
    }
    assert.equal(rules('bigint').max, '9223372036854775807');
    assert.equal(rules('smallint').min, '-32768');
    assert.equal(rules('serial').min, '1');
    assert.equal(rules('int(10) unsigned', 'mysql').max, '4294967295');
  });

  it('bounds a decimal by its precision and scale, and gives a pattern for its digits', () => {
    const money = rules('numeric(12,2)');
    assert.deepEqual([money.min, money.max, money.precision, money.scale],
      ['-9999999999.99', '9999999999.99', 12, 2]);
    assert.equal(money.pattern, '-?[0-9]{1,10}(\\.[0-9]{1,2})?');
    assert.ok(new RegExp(`^${money.pattern}$`).test('-12.5'));
    assert.ok(!new RegExp(`^${money.pattern}$`).test('1.234'));
    assert.equal(rules('numeric').max, null);
    assert.equal(rules('money').scale, 2);
  });

  it('limits text by its declared length, and describes UUIDs, dates and JSON', () => {
    assert.equal(rules('character varying(64)').maxLength, 64);
    assert.equal(rules('text').maxLength, null);
    assert.equal(rules('uuid').format, 'uuid');
    const uuid = new RegExp(`^${rules('uuid').pattern}$`);
    assert.ok(uuid.test('0b6f8c9e-1d2a-4f3b-9c8d-7e6f5a4b3c2d'));
    assert.ok(!uuid.test('0b6f8c9e-1d2a-4f3b-9c8d'));
    assert.equal(rules('timestamp with time zone').format, 'date-time');
    assert.equal(rules('jsonb').format, 'json');
    assert.equal(rules('macaddr').format, 'mac');
    assert.equal(rules('inet').format, 'ip');
  });

  it("reads the model's own validators and tightens the rules with them", () => {
    const custom = () => undefined;
    const validation = rules('character varying(64)', 'postgres', { validators: {
      len: [2, 10], isEmail: { msg: 'Not an email' }, is: /^[a-z@.]+$/, notEmpty: true,
      isIn: { args: [['a@b.c', 'd@e.f']], msg: 'Pick one' }, ownerMatches: custom } });
    assert.deepEqual([validation.minLength, validation.maxLength], [2, 10]);
    assert.equal(validation.format, 'email');
    assert.equal(validation.pattern, '^[a-z@.]+$');
    assert.deepEqual(validation.enumValues, ['a@b.c', 'd@e.f']);
    assert.deepEqual(validation.rules.map((rule) => [rule.name, rule.enforcedBy]), [
      ['len', 'client-and-server'], ['isEmail', 'client-and-server'],
      ['is', 'client-and-server'], ['notEmpty', 'client-and-server'],
      ['isIn', 'client-and-server'], ['ownerMatches', 'server']]);
    assert.deepEqual(validation.rules[2]?.args, '/^[a-z@.]+$/');
    const numbers = rules('integer', 'postgres', { validators: { min: 1, max: 9, isInt: true } });
    assert.deepEqual([numbers.min, numbers.max, numbers.format], ['1', '9', 'integer']);
  });

  it('keeps a flagged pattern out of `pattern` (HTML cannot say /i), but in the rules', () => {
    const validation = rules('text', 'postgres', { validators: { is: ['^[a-z]+$', 'i'] } });
    assert.equal(validation.pattern, null);
    assert.deepEqual(validation.rules[0]?.args, ['^[a-z]+$', 'i']);
    assert.equal(rules('text', 'postgres', { validators: { matches: /^x/i } }).pattern, null);
  });

  it(`reads modelRulesMax (${modelRulesMax}) validators of a column and no more`, () => {
    const validators = (count: number) => Object.fromEntries(
      Array.from({ length: count }, (_, index) => [`rule${index}`, () => undefined]));
    assert.equal(rules('text', 'postgres', { validators: validators(modelRulesMax) })
      .rules.length, modelRulesMax);
    assert.equal(rules('text', 'postgres', { validators: validators(modelRulesMax + 1) })
      .rules.length, modelRulesMax);
  });
});
