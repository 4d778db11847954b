/**
 * @module
 * Reads a live SQLite table into a {@link TableDefinition} with SQLite's own pragma functions
 * (`pragma_table_info`, `pragma_index_list`, `pragma_index_info`, `pragma_foreign_key_list`).
 *
 * Why not `queryInterface.describeTable`: Sequelize's SQLite version fails on a table with an
 * expression index (`lower(name)`), because such an index names no plain column. The pragmas
 * report an expression's column as NULL, which is read here as `(expression)`.
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

/** How an index column that is an expression, not a column, is written. */
export const expressionColumn = '(expression)';

interface ColumnRow {
  name: string;
  type: string;
  not_null: number;
  dflt_value: string | null;
  pk: number;
}

interface IndexRow {
  name: string;
  is_unique: number;
  origin: string;
}

interface ForeignKeyRow {
  id: number;
  referenced_table: string;
  from_column: string;
  to_column: string | null;
}

/** Every user table of the database (SQLite's own `sqlite_*` tables left out), sorted. */
export async function listSqliteTables(sequelize: Sequelize): Promise<string[]> {
  const rows = await sequelize.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
     ORDER BY name`,
    { type: QueryTypes.SELECT },
  );
  return rows.map((row) => row.name);
}

/**
 * The definition of `table` as the database holds it, or null when there is no such table.
 *
 * @param sequelize - an SQLite database.
 * @param table - the table's name.
 */
export async function readSqliteTable(
  sequelize: Sequelize,
  table: string,
): Promise<TableDefinition | null> {
  // SQLite's own tables (`sqlite_master`, `sqlite_sequence`) are not the application's.
  if (/^sqlite_/i.test(table)) return null;
  const rows = await select<ColumnRow>(sequelize,
    `SELECT name, type, "notnull" AS not_null, dflt_value, pk
     FROM pragma_table_info(:name) ORDER BY cid`, table);
  if (rows.length === 0) return null;
  const keyRows = rows.filter((row) => row.pk > 0).sort((a, b) => a.pk - b.pk);
  // A lone INTEGER PRIMARY KEY is the rowid: never NULL, assigned when not given.
  const rowid = keyRows.length === 1 && keyRows[0]?.type.toUpperCase() === 'INTEGER'
    ? keyRows[0].name : null;
  const columns = rows.map((row): ColumnDefinition => ({
    name: row.name,
    type: row.type,
    enumValues: null,
    nullable: row.not_null === 0 && row.name !== rowid,
    primaryKey: row.pk > 0,
    autoIncrement: row.name === rowid,
    default: defaultFromSql(row.dflt_value),
    dataTypeSource: dataTypeSourceOf(parseDatabaseType(row.type, 'sqlite')),
  }));
  return {
    table,
    columns,
    primaryKey: keyRows.map((row) => row.name),
    indexes: await readIndexes(sequelize, table),
    foreignKeys: await readForeignKeys(sequelize, table),
  };
}

async function readIndexes(sequelize: Sequelize, table: string): Promise<IndexDefinition[]> {
  const rows = await select<IndexRow>(sequelize,
    `SELECT name, "unique" AS is_unique, origin FROM pragma_index_list(:name) ORDER BY name`,
    table);
  const indexes: IndexDefinition[] = [];
  // The primary key's own index (origin `pk`) is the primary key, reported as such.
  for (const row of rows.filter((index) => index.origin !== 'pk')) {
    const parts = await select<{ name: string | null }>(sequelize,
      'SELECT name FROM pragma_index_info(:name) ORDER BY seqno', row.name);
    indexes.push({
      name: row.name,
      columns: parts.map((part) => part.name ?? expressionColumn),
      unique: row.is_unique === 1,
    });
  }
  return indexes;
}

async function readForeignKeys(
  sequelize: Sequelize,
  table: string,
): Promise<ForeignKeyDefinition[]> {
  const rows = await select<ForeignKeyRow>(sequelize,
    `SELECT id, "table" AS referenced_table, "from" AS from_column, "to" AS to_column
     FROM pragma_foreign_key_list(:name) ORDER BY id, seq`, table);
  const byId = new Map<number, ForeignKeyDefinition>();
  for (const row of rows) {
    const key = byId.get(row.id) ?? { columns: [], table: row.referenced_table,
      referencedColumns: [] };
    key.columns.push(row.from_column);
    // `REFERENCES t` without a column means t's primary key.
    key.referencedColumns.push(row.to_column ?? (await primaryKeyOf(sequelize, key.table)));
    byId.set(row.id, key);
  }
  return [...byId.values()];
}

async function primaryKeyOf(sequelize: Sequelize, table: string): Promise<string> {
  const rows = await select<{ name: string }>(sequelize,
    'SELECT name FROM pragma_table_info(:name) WHERE pk = 1', table);
  return rows[0]?.name ?? '';
}

function select<T extends object>(sequelize: Sequelize, sql: string, name: string) {
  return sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements: { name } });
}
