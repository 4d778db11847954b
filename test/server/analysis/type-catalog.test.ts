import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDatabaseType } from '../../../server/analysis/database-type.ts';
import type { DatabaseDialect } from '../../../server/analysis/schemas.ts';
import {
  catalogEntry,
  recognisedTypeNames,
  singleLineLengthMax,
  typeCatalog,
  typeNameLengthMax,
  typeParametersMax,
} from '../../../server/analysis/type-catalog.ts';
import { validationOf } from '../../../server/analysis/validation.ts';

/** One type name of a fixture and what must be read from it. */
interface FixtureType {
  dialect: DatabaseDialect;
  type: string;
  category: string;
  [expected: string]: unknown;
}

function fixture(name: string): FixtureType[] {
  const url = new URL(`../../fixtures/analysis/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { types: FixtureType[] }).types;
}

/** Checks every expectation of a fixture row against the parsed type and its validation. */
function assertFixture(row: FixtureType): void {
  const type = parseDatabaseType(row.type, row.dialect);
  const validation = validationOf({ type, nullable: true, hasDefault: false,
    autoIncrement: false, virtual: false, validators: null });
  const read: Record<string, unknown> = { ...type, min: validation.min, max: validation.max };
  for (const [key, expected] of Object.entries(row)) {
    if (key === 'dialect' || key === 'type') continue;
    if (key === 'scale' && type.category === 'money') {
      assert.equal(validation.scale, expected, `${row.type}: scale`);
      continue;
    }
    assert.deepEqual(read[key], expected, `${row.type} on ${row.dialect}: ${key}`);
  }
}

describe('the type catalog', () => {
  it('recognises more than 40 type names across the four families of databases', () => {
    const counts = Object.fromEntries((['sqlite', 'postgres', 'mysql', 'mariadb', 'mssql'] as const)
      .map((dialect) => [dialect, recognisedTypeNames(dialect).length]));
    const distinct = new Set(typeCatalog.flatMap((entry) => [entry.name, ...entry.aliases]));
    assert.ok(distinct.size > 40, `${distinct.size} distinct names`);
    for (const [dialect, count] of Object.entries(counts)) {
      assert.ok(count >= 30, `${dialect}: ${count} names`);
    }
  });

  it('knows a name per dialect: timestamp is a row version on MSSQL, a time elsewhere', () => {
    assert.equal(catalogEntry('mssql', 'timestamp')?.category, 'binary');
    assert.equal(catalogEntry('postgres', 'timestamp')?.category, 'date-time');
    assert.equal(catalogEntry('mysql', 'serial')?.category, 'big-integer');
    assert.equal(catalogEntry('postgres', 'serial')?.category, 'integer');
    assert.equal(catalogEntry('postgres', 'nvarchar'), undefined);
  });

  describe('MySQL and MariaDB names from the fixture', () => {
    for (const row of fixture('mysql-types.json')) {
      it(`${row.type} on ${row.dialect} is ${row.category}`, () => assertFixture(row));
    }
  });

  describe('MSSQL names from the fixture', () => {
    for (const row of fixture('mssql-types.json')) {
      it(`${row.type} is ${row.category}`, () => assertFixture(row));
    }
  });
});

describe('reading a written type', () => {
  it('reads PostgreSQL spellings with modifiers, time zones and arrays', () => {
    const timestamp = parseDatabaseType('timestamp(3) with time zone', 'postgres');
    assert.equal(timestamp.base, 'timestamp with time zone');
    assert.deepEqual(timestamp.parameters, ['3']);
    const varchar = parseDatabaseType('character varying(64)[]', 'postgres');
    assert.equal(varchar.category, 'array');
    assert.equal(varchar.element, 'text');
    assert.equal(varchar.elementType?.length, 64);
    assert.equal(varchar.sequelizeType, 'ARRAY(STRING)');
    const udt = parseDatabaseType('_int4', 'postgres');
    assert.equal(udt.category, 'array');
    assert.equal(udt.element, 'integer');
    assert.equal(parseDatabaseType('_nothing', 'postgres').category, 'other');
    assert.equal(parseDatabaseType('"public"."Mood"', 'postgres', { enumValues: ['a'] }).category,
      'enum');
  });

  it('reads text of exactly singleLineLengthMax characters as text, one more as long text', () => {
    const at = parseDatabaseType(`varchar(${singleLineLengthMax})`, 'postgres');
    const past = parseDatabaseType(`varchar(${singleLineLengthMax + 1})`, 'postgres');
    assert.equal(at.category, 'text');
    assert.equal(past.category, 'long-text');
    assert.equal(past.length, singleLineLengthMax + 1);
  });

  it('parses a type name of typeNameLengthMax characters and refuses a longer one', () => {
    const written = (length: number) => `enum('${'a'.repeat(length - "enum('')".length)}')`;
    const at = parseDatabaseType(written(typeNameLengthMax), 'mysql');
    assert.equal(at.written.length, typeNameLengthMax);
    assert.equal(at.category, 'enum');
    const past = parseDatabaseType(written(typeNameLengthMax + 1), 'mysql');
    assert.equal(past.category, 'other');
    assert.equal(past.recognisedBy, 'none');
  });

  it('reads at most typeParametersMax parameters', () => {
    const values = (count: number) => Array.from({ length: count }, (_, index) => `'${index}'`);
    const at = parseDatabaseType(`enum(${values(typeParametersMax).join(',')})`, 'mysql');
    assert.equal(at.enumValues?.length, typeParametersMax);
    const past = parseDatabaseType(`enum(${values(typeParametersMax + 1).join(',')})`, 'mysql');
    assert.equal(past.enumValues?.length, typeParametersMax);
  });

  it("applies SQLite's affinity rules to names the catalog lacks", () => {
    const cases: [string, string, string][] = [
      ['BIGGISHINTEGER', 'integer', 'affinity'],
      ['STRINGCHARS(10)', 'text', 'affinity'],
      ['MYBLOBBY', 'binary', 'affinity'],
      ['FLOATY', 'float', 'affinity'],
      ['DOUBLEWIDE', 'float', 'affinity'],
      ['MONEYISH', 'decimal', 'affinity'],
      ['', 'other', 'none'],
    ];
    for (const [written, category, recognisedBy] of cases) {
      const type = parseDatabaseType(written, 'sqlite');
      assert.equal(type.category, category, written);
      assert.equal(type.recognisedBy, recognisedBy, written);
    }
    assert.equal(parseDatabaseType('VARYINGCHAR(300)', 'sqlite').category, 'long-text');
  });

  it('keeps tinyint(1) a boolean only where the dialect means one', () => {
    assert.equal(parseDatabaseType('TINYINT(1)', 'sqlite').category, 'boolean');
    assert.equal(parseDatabaseType('tinyint(1)', 'mssql').category, 'integer');
    assert.equal(parseDatabaseType('tinyint(2)', 'mysql').category, 'integer');
    assert.equal(parseDatabaseType('bit(1)', 'postgres').category, 'bit-string');
  });
});
