import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { analyzeTable } from '../../../server/analysis/analyzer.ts';
import type { FieldAnalysis, FieldCategory } from '../../../server/analysis/schemas.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** A column of the every-type table: its declared type and the category it must get. */
interface TypeCase {
  type: string;
  category: FieldCategory;
  /** An extension the type needs; without it the column is left out and the test says so. */
  extension?: string;
  /** The smallest server version (`server_version_num`) that has the type. */
  versionMin?: number;
}

/** Every type SQLite stores under a name Sequelize or a migration writes, and its affinities. */
const sqliteCases: TypeCase[] = [
  ['INTEGER', 'integer'], ['INT', 'integer'], ['TINYINT', 'integer'], ['SMALLINT', 'integer'],
  ['MEDIUMINT', 'integer'], ['BIGINT', 'big-integer'], ['UNSIGNED BIG INT', 'big-integer'],
  ['INT2', 'integer'], ['INT8', 'big-integer'], ['NUMERIC', 'decimal'],
  ['DECIMAL(10,5)', 'decimal'], ['REAL', 'float'], ['DOUBLE', 'float'],
  ['DOUBLE PRECISION', 'float'], ['FLOAT', 'float'], ['BOOLEAN', 'boolean'],
  ['TINYINT(1)', 'boolean'], ['CHARACTER(20)', 'text'], ['VARCHAR(255)', 'text'],
  ['VARCHAR(256)', 'long-text'], ['VARYING CHARACTER(255)', 'text'], ['NCHAR(55)', 'text'],
  ['NATIVE CHARACTER(70)', 'text'], ['NVARCHAR(100)', 'text'], ['TEXT', 'long-text'],
  ['CLOB', 'long-text'], ['BLOB', 'binary'], ['DATE', 'date'], ['DATETIME', 'date-time'],
  ['TIMESTAMP', 'date-time'], ['TIME', 'time'], ['JSON', 'json'], ['JSONB', 'json'],
  ['UUID', 'uuid'], ['GEOMETRY', 'geometry'], ['TEXT COLLATE NOCASE', 'long-text'],
  ['BIGGISHINTEGER', 'integer'], ['STRINGCHARS(12)', 'text'], ['FLOATY', 'float'],
  ['MONEYISH', 'decimal'], ['', 'other'],
].map(([type, category]) => ({ type, category }) as TypeCase);

/** Every PostgreSQL type a column can have, as `format_type` names it. */
const postgresCases: TypeCase[] = [
  { type: 'smallint', category: 'integer' }, { type: 'integer', category: 'integer' },
  { type: 'bigint', category: 'big-integer' }, { type: 'numeric(12,2)', category: 'decimal' },
  { type: 'numeric', category: 'decimal' }, { type: 'real', category: 'float' },
  { type: 'double precision', category: 'float' }, { type: 'money', category: 'money' },
  { type: 'character varying(255)', category: 'text' },
  { type: 'character varying(4000)', category: 'long-text' },
  { type: 'character(3)', category: 'text' }, { type: 'text', category: 'long-text' },
  { type: 'name', category: 'text' }, { type: 'bytea', category: 'binary' },
  { type: 'boolean', category: 'boolean' }, { type: 'date', category: 'date' },
  { type: 'time without time zone', category: 'time' },
  { type: 'time with time zone', category: 'time' },
  { type: 'timestamp without time zone', category: 'date-time' },
  { type: 'timestamp with time zone', category: 'date-time' },
  { type: 'interval', category: 'interval' }, { type: 'uuid', category: 'uuid' },
  { type: 'json', category: 'json' }, { type: 'jsonb', category: 'json' },
  { type: 'xml', category: 'xml' }, { type: 'inet', category: 'network-address' },
  { type: 'cidr', category: 'network-address' }, { type: 'macaddr', category: 'network-address' },
  { type: 'macaddr8', category: 'network-address' },
  { type: 'tsvector', category: 'full-text-vector' }, { type: 'int4range', category: 'range' },
  { type: 'int8range', category: 'range' }, { type: 'numrange', category: 'range' },
  { type: 'tsrange', category: 'range' }, { type: 'tstzrange', category: 'range' },
  { type: 'daterange', category: 'range' },
  { type: 'int4multirange', category: 'range', versionMin: 140000 },
  { type: 'datemultirange', category: 'range', versionMin: 140000 },
  { type: 'integer[]', category: 'array' }, { type: 'text[]', category: 'array' },
  { type: 'character varying(20)[]', category: 'array' }, { type: 'point', category: 'geometry' },
  { type: 'line', category: 'geometry' }, { type: 'lseg', category: 'geometry' },
  { type: 'box', category: 'geometry' }, { type: 'path', category: 'geometry' },
  { type: 'polygon', category: 'geometry' }, { type: 'circle', category: 'geometry' },
  { type: 'bit(8)', category: 'bit-string' }, { type: 'bit varying(16)', category: 'bit-string' },
  { type: 'zz_mood', category: 'enum' }, { type: 'zz_positive', category: 'integer' },
  { type: 'citext', category: 'text', extension: 'citext' },
  { type: 'hstore', category: 'json', extension: 'hstore' },
  { type: 'ltree', category: 'text', extension: 'ltree' },
  { type: 'geometry', category: 'geometry', extension: 'postgis' },
];

/** `c_` plus the type's letters and digits: `character varying(20)[]` is `c_character_...`. */
function columnName(index: number, type: string): string {
  const slug = type.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  return `c${index}_${slug || 'untyped'}`.slice(0, 60);
}

describe(`every column type of ${testDialect}, read from a real table`, () => {
  let server: TestServer;
  let fields = new Map<string, FieldAnalysis>();
  /** Cases whose extension or server version is missing, with why. */
  const absent = new Map<TypeCase, string>();
  const cases = testDialect === 'postgres' ? postgresCases : sqliteCases;

  /** Creates what the PostgreSQL cases need; records the ones this server cannot have. */
  async function preparePostgres(): Promise<void> {
    const query = (sql: string) => server.ctx.sequelize.query(sql);
    await query(`CREATE TYPE zz_mood AS ENUM ('sad', 'ok', 'happy')`);
    await query('CREATE DOMAIN zz_positive AS integer CHECK (VALUE > 0)');
    const [available] = await query('SELECT name FROM pg_available_extensions');
    const names = new Set((available as { name: string }[]).map((row) => row.name));
    const [version] = await server.ctx.sequelize.query<{ number: number }>(
      "SELECT current_setting('server_version_num')::int AS number", { type: QueryTypes.SELECT });
    for (const typeCase of cases) {
      if (typeCase.extension && !names.has(typeCase.extension)) {
        absent.set(typeCase, `extension ${typeCase.extension} is not installed on this server`);
      } else if (typeCase.versionMin && (version?.number ?? 0) < typeCase.versionMin) {
        absent.set(typeCase, `the server is older than ${typeCase.versionMin}`);
      } else if (typeCase.extension) {
        await query(`CREATE EXTENSION IF NOT EXISTS ${typeCase.extension}`);
      }
    }
  }

  before(async () => {
    server = await startTestServer();
    if (testDialect === 'postgres') await preparePostgres();
    const columns = cases.map((typeCase, index) => absent.has(typeCase) ? null
      : `${columnName(index, typeCase.type)} ${typeCase.type}`).filter((column) => column !== null);
    await server.ctx.sequelize.query(`CREATE TABLE zz_every_type (${columns.join(', ')})`);
    const analysis = await analyzeTable(server.ctx.sequelize, 'zz_every_type');
    assert.ok(analysis);
    fields = new Map(analysis.fields.map((field) => [field.column, field]));
  });
  after(() => server.close());

  it(`has a column for each of the ${cases.length} types`, () => {
    assert.equal(fields.size + absent.size, cases.length);
    assert.ok(cases.length >= 40);
  });

  cases.forEach((typeCase, index) => {
    const name = columnName(index, typeCase.type);
    const label = typeCase.type || '(no type)';
    it(`${label} is ${typeCase.category}${typeCase.extension ? ` (needs ${typeCase.extension}; ` +
      'the column is left out when the server lacks it)' : ''}`, (t) => {
      const reason = absent.get(typeCase);
      if (reason) {
        t.diagnostic(`column ${name} left out: ${reason}`);
        assert.equal(fields.has(name), false);
        return;
      }
      const field = fields.get(name);
      assert.ok(field, name);
      assert.equal(field.category, typeCase.category, `${label} -> ${field.dbType}`);
      assert.equal(field.exclusions.length > 0 || field.listable, true);
    });
  });

  if (testDialect === 'postgres') it('reads enum values, domains and range subtypes', () => {
    const mood = [...fields.values()].find((field) => field.dbType === 'zz_mood');
    assert.deepEqual(mood?.validation.enumValues, ['sad', 'ok', 'happy']);
    assert.equal(mood?.widget.tag, 'select');
    const positive = [...fields.values()].find((field) => field.column.endsWith('zz_positive'));
    assert.equal(positive?.dbType, 'integer');
    const range = [...fields.values()].find((field) => field.dbType === 'tstzrange');
    assert.equal(range?.widget.tag, 'ab-datetime-range');
    assert.equal(range?.widget.attributes['with-time'], '');
  });

  if (testDialect === 'sqlite') it('reads the rowid key and SQLite affinities', async () => {
    await server.ctx.sequelize.query('CREATE TABLE zz_keyed (id INTEGER PRIMARY KEY, n TEXT)');
    const analysis = await analyzeTable(server.ctx.sequelize, 'zz_keyed');
    const id = analysis?.fields[0];
    assert.equal(id?.autoIncrement, true);
    assert.equal(id?.nullable, false);
    assert.equal(id?.exclusions.find((exclusion) => exclusion.from === 'form')?.code,
      'assigned-by-database');
    assert.equal(fields.get(columnName(sqliteCases.findIndex((c) => c.type === 'MONEYISH'),
      'MONEYISH'))?.sequelizeType, 'DECIMAL');
    // `REFERENCES t` without a column names t's primary key.
    await server.ctx.sequelize.query(
      'CREATE TABLE zz_child (id INTEGER PRIMARY KEY, keyed_id INTEGER REFERENCES zz_keyed)');
    const child = await analyzeTable(server.ctx.sequelize, 'zz_child');
    assert.deepEqual(child?.fields[1]?.references, { table: 'zz_keyed', column: 'id' });
  });

  it('reads each column\'s real declared type', async () => {
    const written = testDialect === 'postgres'
      ? await server.ctx.sequelize.query<{ type: string }>(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = 'zz_every_type'::regclass AND attnum > 0 ORDER BY attnum`,
        { type: QueryTypes.SELECT })
      : await server.ctx.sequelize.query<{ type: string }>(
        `SELECT type FROM pragma_table_info('zz_every_type') ORDER BY cid`,
        { type: QueryTypes.SELECT });
    // A domain reads as its base type: its values are that type's.
    assert.deepEqual([...fields.values()].map((field) => field.dbType),
      written.map((row) => (row.type === 'zz_positive' ? 'integer' : row.type)));
  });
});
