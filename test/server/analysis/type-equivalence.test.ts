import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatabaseType } from '../../../server/analysis/database-type.ts';
import type { DatabaseDialect } from '../../../server/analysis/schemas.ts';
import { sameStoredType, typeSignature } from '../../../server/analysis/type-equivalence.ts';

const same = (a: string, b: string, dialect: DatabaseDialect = 'postgres') =>
  sameStoredType(parseDatabaseType(a, dialect), parseDatabaseType(b, dialect));

describe('when two written types store the same thing', () => {
  it('takes Sequelize spellings and PostgreSQL names for one another', () => {
    assert.ok(same('VARCHAR(64)', 'character varying(64)'));
    assert.ok(same('DECIMAL(12,2)', 'numeric(12,2)'));
    assert.ok(same('TIMESTAMP WITH TIME ZONE', 'timestamptz'));
    assert.ok(same('CHAR(3)', 'character(3)'));
    assert.ok(same('INTEGER[]', '_int4'));
  });

  it('knows what PostgreSQL makes of FLOAT and the serial types', () => {
    assert.ok(same('FLOAT', 'double precision'));
    assert.ok(same('float(24)', 'real'));
    assert.ok(!same('float(25)', 'real'));
    assert.ok(same('serial', 'integer'));
    assert.ok(same('bigserial', 'bigint'));
    assert.ok(same('smallserial', 'smallint'));
    assert.ok(!same('FLOAT', 'double precision', 'sqlite'));
  });

  it('tells apart lengths, precisions, enum values and integer widths', () => {
    assert.ok(!same('VARCHAR(64)', 'character varying(32)'));
    assert.ok(!same('numeric(12,2)', 'numeric(12,3)'));
    assert.ok(!same('smallint', 'integer'));
    assert.ok(!same('varchar(max)', 'varchar(8000)', 'mssql'));
    const mood = (values: string[]) =>
      parseDatabaseType('mood', 'postgres', { enumValues: values });
    assert.ok(sameStoredType(mood(['a', 'b']), mood(['a', 'b'])));
    assert.ok(!sameStoredType(mood(['a', 'b']), mood(['a', 'c'])));
    assert.equal(typeSignature(parseDatabaseType('TINYINT(1)', 'sqlite')), 'tinyint(1)');
    assert.ok(!same('TINYINT(1)', 'BOOLEAN', 'sqlite'));
  });
});
