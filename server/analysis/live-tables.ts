/**
 * @module
 * The live schema of the database a Sequelize instance is connected to, on either dialect:
 * which tables exist and what each holds, read by `sqlite-tables.ts` or `postgres-tables.ts`.
 */
import assert from 'node:assert/strict';
import type { Sequelize } from 'sequelize';
import { listPostgresTables, readPostgresTable } from './postgres-tables.ts';
import { isPlainIdentifierRe } from './schemas.ts';
import { listSqliteTables, readSqliteTable } from './sqlite-tables.ts';
import type { TableDefinition } from './table-definition.ts';

/** The dialects a live database may have. */
export type LiveDialect = 'sqlite' | 'postgres';

/** The dialect of `sequelize`; the server runs on SQLite or PostgreSQL only. */
export function liveDialectOf(sequelize: Sequelize): LiveDialect {
  const dialect = sequelize.getDialect();
  assert(dialect === 'sqlite' || dialect === 'postgres', `unsupported dialect ${dialect}`);
  return dialect;
}

/** Every user table of the database, sorted by name. */
export function listTables(sequelize: Sequelize): Promise<string[]> {
  return liveDialectOf(sequelize) === 'postgres'
    ? listPostgresTables(sequelize)
    : listSqliteTables(sequelize);
}

/**
 * The definition of `table` as the database holds it, or null when there is no such table.
 *
 * @param sequelize - the database.
 * @param table - a plain identifier (checked: it reaches SQL as a bound value, but a name that
 *   is not an identifier is a caller's bug).
 */
export function readTable(sequelize: Sequelize, table: string): Promise<TableDefinition | null> {
  assert.match(table, isPlainIdentifierRe);
  return liveDialectOf(sequelize) === 'postgres'
    ? readPostgresTable(sequelize, table)
    : readSqliteTable(sequelize, table);
}
