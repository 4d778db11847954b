/**
 * @module
 * The catalog of database type names: every name (and alias) the analyzer recognises on SQLite,
 * PostgreSQL, MySQL/MariaDB and MSSQL, with the {@link FieldCategory} it belongs to, and the
 * parser that reads a written type such as `numeric(12,2)`, `character varying(64)[]`,
 * `timestamp(3) with time zone`, `nvarchar(max)`, `int(11) unsigned` or `enum('a','b')`.
 *
 * Rules, in the order the parser applies them:
 *  1. A name is looked up per dialect: `timestamp` is a date-time on PostgreSQL and MySQL but a
 *     row version (binary) on MSSQL; `serial` is an integer on PostgreSQL, a BIGINT on MySQL.
 *  2. `tinyint(1)` is a boolean on SQLite (Sequelize writes BOOLEAN so) and MySQL/MariaDB;
 *     MySQL's `bit(1)` is a boolean too. Other widths stay numbers and bit strings.
 *  3. Text longer than {@link singleLineLengthMax} characters, or of unlimited length
 *     (`varchar(max)`), is `long-text`.
 *  4. On SQLite a name the catalog lacks gets SQLite's own affinity rules (section 3.1 of
 *     "Datatypes In SQLite"), since SQLite accepts any name and stores by affinity.
 *  5. A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`) is recognised from its values, which
 *     the caller reads from `pg_enum` and passes in.
 * Anything else is `other`, and the analyzer says so in the exclusion reasons.
 *
 * Pure data and pure functions: no server imports.
 */
import type { DatabaseDialect, FieldCategory } from './schemas.ts';

/** Longest text, in characters, that still fits one line of a form; longer is `long-text`. */
export const singleLineLengthMax = 255;

/** Longest written type name parsed; a longer one (a huge enum) is reported as `other`. */
export const typeNameLengthMax = 4000;

/** Most parameters read from one type (enum values included); the rest are ignored. */
export const typeParametersMax = 256;

/** One recognised type. */
export interface CatalogEntry {
  /** The canonical name, lower case, as the dialect's documentation spells it. */
  name: string;
  aliases: readonly string[];
  category: FieldCategory;
  dialects: readonly DatabaseDialect[];
  /** The Sequelize data type that creates or reads it; null when Sequelize has none. */
  sequelizeType: string | null;
  /** The category of one element: the subtype of a range, the values of a set. */
  element: FieldCategory | null;
  /** Most characters the name alone allows (`tinytext` 255); null when a parameter says. */
  lengthMax: number | null;
}

const all: readonly DatabaseDialect[] = ['sqlite', 'postgres', 'mysql', 'mariadb', 'mssql'];
const my: readonly DatabaseDialect[] = ['mysql', 'mariadb'];
const pg: readonly DatabaseDialect[] = ['postgres'];
const ms: readonly DatabaseDialect[] = ['mssql'];

interface EntryExtras {
  aliases?: readonly string[];
  element?: FieldCategory;
  lengthMax?: number;
}

function entry(
  name: string,
  category: FieldCategory,
  dialects: readonly DatabaseDialect[],
  sequelizeType: string | null,
  extras: EntryExtras = {},
): CatalogEntry {
  return Object.freeze({
    name,
    aliases: Object.freeze([...(extras.aliases ?? [])]),
    category,
    dialects,
    sequelizeType,
    element: extras.element ?? null,
    lengthMax: extras.lengthMax ?? null,
  });
}

/** Every recognised type, grouped by what it holds. */
export const typeCatalog: readonly CatalogEntry[] = Object.freeze([
  // Whole numbers. SQLite stores any width in 8 bytes; the declared name still states intent.
  entry('tinyint', 'integer', ['sqlite', ...my, 'mssql'], 'TINYINT'),
  entry('smallint', 'integer', all, 'SMALLINT', { aliases: ['int2'] }),
  entry('mediumint', 'integer', ['sqlite', ...my], 'MEDIUMINT', {
    aliases: ['int3', 'middleint'],
  }),
  entry('integer', 'integer', all, 'INTEGER', { aliases: ['int', 'int4'] }),
  entry('bigint', 'big-integer', all, 'BIGINT', { aliases: ['int8'] }),
  entry('unsigned big int', 'big-integer', ['sqlite'], 'BIGINT'),
  entry('serial', 'integer', pg, 'INTEGER', { aliases: ['serial4'] }),
  entry('serial', 'big-integer', my, 'BIGINT'),
  entry('smallserial', 'integer', pg, 'SMALLINT', { aliases: ['serial2'] }),
  entry('bigserial', 'big-integer', pg, 'BIGINT', { aliases: ['serial8'] }),
  entry('year', 'integer', my, null),
  // Exact and approximate numbers.
  entry('numeric', 'decimal', all, 'DECIMAL', { aliases: ['decimal', 'dec', 'fixed'] }),
  entry('money', 'money', [...pg, ...ms], null),
  entry('smallmoney', 'money', ms, null),
  entry('real', 'float', all, 'REAL', { aliases: ['float4'] }),
  entry('double precision', 'float', all, 'DOUBLE', { aliases: ['double', 'float8'] }),
  entry('float', 'float', all, 'FLOAT'),
  // Truth values and bit strings.
  entry('boolean', 'boolean', ['sqlite', ...pg, ...my], 'BOOLEAN', { aliases: ['bool'] }),
  entry('bit', 'boolean', ms, 'BOOLEAN'),
  entry('bit', 'bit-string', [...pg, ...my], null),
  entry('bit varying', 'bit-string', pg, null, { aliases: ['varbit'] }),
  // Text.
  entry('varchar', 'text', all, 'STRING', {
    aliases: ['character varying', 'varying character', 'char varying'],
  }),
  entry('char', 'text', all, 'CHAR', { aliases: ['character', 'bpchar'] }),
  entry('nvarchar', 'text', ['sqlite', ...my, 'mssql'], 'STRING', {
    aliases: ['national varchar', 'national character varying', 'national char varying'],
  }),
  entry('nchar', 'text', ['sqlite', ...my, 'mssql'], 'CHAR', {
    aliases: ['national char', 'national character', 'native character'],
  }),
  entry('text', 'long-text', all, 'TEXT'),
  entry('clob', 'long-text', ['sqlite'], 'TEXT'),
  entry('tinytext', 'text', my, 'TEXT', { lengthMax: 255 }),
  entry('mediumtext', 'long-text', my, 'TEXT', { lengthMax: 16_777_215 }),
  entry('longtext', 'long-text', my, 'TEXT', { lengthMax: 4_294_967_295 }),
  entry('ntext', 'long-text', ms, 'TEXT'),
  entry('citext', 'text', pg, 'CITEXT'),
  entry('name', 'text', pg, null, { lengthMax: 63 }),
  entry('ltree', 'text', pg, null),
  // Bytes.
  entry('blob', 'binary', ['sqlite', ...my], 'BLOB'),
  entry('tinyblob', 'binary', my, 'BLOB'),
  entry('mediumblob', 'binary', my, 'BLOB'),
  entry('longblob', 'binary', my, 'BLOB'),
  entry('bytea', 'binary', pg, 'BLOB'),
  entry('binary', 'binary', [...my, 'mssql'], 'BLOB'),
  entry('varbinary', 'binary', [...my, 'mssql'], 'BLOB'),
  entry('image', 'binary', ms, 'BLOB'),
  entry('rowversion', 'binary', ms, null),
  entry('timestamp', 'binary', ms, null), // MSSQL's `timestamp` is a row version, not a time
  // Days and times.
  entry('date', 'date', all, 'DATEONLY'),
  entry('datetime', 'date-time', ['sqlite', ...my, 'mssql'], 'DATE'),
  entry('datetime2', 'date-time', ms, 'DATE'),
  entry('smalldatetime', 'date-time', ms, 'DATE'),
  entry('datetimeoffset', 'date-time', ms, 'DATE'),
  entry('timestamp', 'date-time', ['sqlite', ...pg, ...my], 'DATE', {
    aliases: ['timestamp without time zone'],
  }),
  entry('timestamp with time zone', 'date-time', ['sqlite', ...pg], 'DATE', {
    aliases: ['timestamptz'],
  }),
  entry('time', 'time', all, 'TIME', { aliases: ['time without time zone'] }),
  entry('time with time zone', 'time', pg, 'TIME', { aliases: ['timetz'] }),
  entry('interval', 'interval', pg, null),
  // Identifiers and documents.
  entry('uuid', 'uuid', ['sqlite', ...pg, 'mariadb'], 'UUID'),
  entry('uniqueidentifier', 'uuid', ms, 'UUID'),
  entry('json', 'json', ['sqlite', ...pg, ...my], 'JSON'),
  entry('jsonb', 'json', ['sqlite', ...pg], 'JSONB'),
  entry('hstore', 'json', pg, 'HSTORE'),
  entry('xml', 'xml', [...pg, ...ms], null),
  entry('enum', 'enum', my, 'ENUM'),
  entry('set', 'array', my, null, { element: 'enum' }),
  // Network addresses and full-text search.
  entry('inet', 'network-address', pg, 'INET'),
  entry('cidr', 'network-address', pg, 'CIDR'),
  entry('macaddr', 'network-address', pg, 'MACADDR'),
  entry('macaddr8', 'network-address', pg, null),
  entry('inet4', 'network-address', ['mariadb'], null),
  entry('inet6', 'network-address', ['mariadb'], null),
  entry('tsvector', 'full-text-vector', pg, 'TSVECTOR'),
  // Ranges and multiranges (PostgreSQL 14+).
  entry('int4range', 'range', pg, 'RANGE(INTEGER)', { element: 'integer' }),
  entry('int8range', 'range', pg, 'RANGE(BIGINT)', { element: 'big-integer' }),
  entry('numrange', 'range', pg, 'RANGE(DECIMAL)', { element: 'decimal' }),
  entry('tsrange', 'range', pg, 'RANGE(DATE)', { element: 'date-time' }),
  entry('tstzrange', 'range', pg, 'RANGE(DATE)', { element: 'date-time' }),
  entry('daterange', 'range', pg, 'RANGE(DATEONLY)', { element: 'date' }),
  entry('int4multirange', 'range', pg, null, { element: 'integer' }),
  entry('int8multirange', 'range', pg, null, { element: 'big-integer' }),
  entry('nummultirange', 'range', pg, null, { element: 'decimal' }),
  entry('tsmultirange', 'range', pg, null, { element: 'date-time' }),
  entry('tstzmultirange', 'range', pg, null, { element: 'date-time' }),
  entry('datemultirange', 'range', pg, null, { element: 'date' }),
  // Shapes: PostGIS, MySQL's spatial types, MSSQL's CLR types, PostgreSQL's own.
  entry('geometry', 'geometry', ['sqlite', ...pg, ...my, 'mssql'], 'GEOMETRY'),
  entry('geography', 'geometry', [...pg, ...ms], 'GEOGRAPHY'),
  entry('point', 'geometry', [...pg, ...my], null),
  entry('polygon', 'geometry', [...pg, ...my], null),
  entry('linestring', 'geometry', my, null),
  entry('multipoint', 'geometry', my, null),
  entry('multilinestring', 'geometry', my, null),
  entry('multipolygon', 'geometry', my, null),
  entry('geometrycollection', 'geometry', my, null, { aliases: ['geomcollection'] }),
  entry('line', 'geometry', pg, null),
  entry('lseg', 'geometry', pg, null),
  entry('box', 'geometry', pg, null),
  entry('path', 'geometry', pg, null),
  entry('circle', 'geometry', pg, null),
  // Recognised, but nothing a screen can do much with.
  entry('sql_variant', 'other', ms, null),
  entry('hierarchyid', 'other', ms, null),
]);

/** Entries by `dialect:name`, aliases included. */
const entriesByKey: ReadonlyMap<string, CatalogEntry> = (() => {
  const index = new Map<string, CatalogEntry>();
  for (const known of typeCatalog) {
    for (const dialect of known.dialects) {
      for (const name of [known.name, ...known.aliases]) {
        const key = `${dialect}:${name}`;
        if (index.has(key)) throw new Error(`type catalog: ${key} is listed twice`);
        index.set(key, known);
      }
    }
  }
  return index;
})();

/**
 * The type names (aliases included) recognised on `dialect`, sorted.
 *
 * @example recognisedTypeNames('postgres').includes('timestamptz') // true
 */
export function recognisedTypeNames(dialect: DatabaseDialect): string[] {
  const names = [...entriesByKey.keys()]
    .filter((key) => key.startsWith(`${dialect}:`))
    .map((key) => key.slice(dialect.length + 1));
  return names.sort();
}

/** The catalog entry for `name` on `dialect`, if any. */
export function catalogEntry(dialect: DatabaseDialect, name: string): CatalogEntry | undefined {
  return entriesByKey.get(`${dialect}:${name}`);
}

/** The first catalog entry that Sequelize's type `key` (e.g. `INET`) maps to, if any. */
export function catalogEntryForSequelizeKey(key: string): CatalogEntry | undefined {
  return typeCatalog.find((known) => known.sequelizeType === key);
}
