/**
 * @module
 * Reads a live PostgreSQL table into a {@link TableDefinition} from `pg_catalog`, in the
 * current schema. Types come from `format_type`, so they carry their real names and modifiers
 * (`character varying(64)`, `numeric(12,2)`, `timestamp with time zone`, `integer[]`); a
 * domain is read as its base type and an enum type brings its values from `pg_enum`.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import { parseDatabaseType } from './database-type.ts';
import { dataTypeSourceOf } from './sequelize-types.ts';
import {
  defaultFromSql,
  type ColumnDefinition,
  type ForeignKeyDefinition,
  type IndexDefinition,
  type TableDefinition,
} from './table-definition.ts';

interface ColumnRow {
  name: string;
  type: string;
  enum_values: string[] | null;
  not_null: boolean;
  default_sql: string | null;
  is_identity: boolean;
  key_position: number | null;
}

/** Tables (plain and partitioned) of the current schema, sorted. */
export async function listPostgresTables(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
     ORDER BY c.relname`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.name);
}

// One row per column. A domain is reported as its base type; the key position says where the
// column sits in the primary key.
const columnsSql = `
  SELECT a.attname AS name,
    format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END,
      CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) AS type,
    CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e
      WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS enum_values,
    a.attnotnull AS not_null,
    pg_get_expr(d.adbin, d.adrelid) AS default_sql,
    a.attidentity IN ('a', 'd') AS is_identity,
    array_position(pk.conkey, a.attnum) AS key_position
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
  WHERE c.relname = :table AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

const indexesSql = `
  SELECT i.relname AS name, x.indisunique AS is_unique,
    ARRAY(SELECT pg_get_indexdef(x.indexrelid, k + 1, true)
      FROM generate_subscripts(x.indkey, 1) AS k ORDER BY k) AS columns
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class c ON c.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relname = :table AND n.nspname = current_schema() AND NOT x.indisprimary
  ORDER BY i.relname`;

const foreignKeysSql = `
  SELECT f.relname AS referenced_table,
    ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, position)
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
      ORDER BY u.position) AS columns,
    ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, position)
      JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
      ORDER BY u.position) AS referenced_columns
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_class f ON f.oid = k.confrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE k.contype = 'f' AND c.relname = :table AND n.nspname = current_schema()
  ORDER BY k.conname`;

/**
 * The definition of `table` in the current schema, or null when there is no such table.
 *
 * @param sequelize - a PostgreSQL database.
 * @param table - the table's name.
 */
export async function readPostgresTable(
  sequelize: Sequelize,
  table: string,
): Promise<TableDefinition | null> {
  const options = { type: QueryTypes.SELECT, replacements: { table } } as const;
  const rows = await sequelize.query<ColumnRow>(columnsSql, options);
  if (rows.length === 0) return null;
  const columns = rows.map(columnOf);
  const indexRows = await sequelize.query<{ name: string; is_unique: boolean; columns: string[] }>(
    indexesSql, options);
  const keyRows = await sequelize.query<{ referenced_table: string; columns: string[];
    referenced_columns: string[] }>(foreignKeysSql, options);
  return {
    table,
    columns,
    primaryKey: rows.filter((row) => row.key_position !== null)
      .sort((a, b) => (a.key_position ?? 0) - (b.key_position ?? 0)).map((row) => row.name),
    indexes: indexRows.map((row): IndexDefinition => ({ name: row.name,
      columns: row.columns.map(indexColumnName), unique: row.is_unique })),
    foreignKeys: keyRows.map((row): ForeignKeyDefinition => ({ columns: row.columns,
      table: row.referenced_table, referencedColumns: row.referenced_columns })),
  };
}

/** A plain column as its name (unquoted); an expression in parentheses. */
function indexColumnName(definition: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(definition)) return definition;
  const quoted = /^"((?:[^"]|"")+)"$/.exec(definition);
  if (quoted?.[1]) return quoted[1].replace(/""/g, '"');
  return definition.startsWith('(') ? definition : `(${definition})`;
}

function columnOf(row: ColumnRow): ColumnDefinition {
  const serial = row.default_sql !== null && /^nextval\(/i.test(row.default_sql);
  const enumValues = row.enum_values && row.enum_values.length > 0 ? row.enum_values : null;
  const type = parseDatabaseType(row.type, 'postgres', { enumValues: enumValues ?? undefined });
  return {
    name: row.name,
    type: row.type,
    enumValues,
    nullable: !row.not_null,
    primaryKey: row.key_position !== null,
    autoIncrement: serial || row.is_identity,
    default: serial ? null : defaultFromSql(row.default_sql),
    dataTypeSource: dataTypeSourceOf(type),
  };
}
