/**
 * @module
 * Schema drift: where the registered models and the live database disagree.
 *
 * What counts, for each model's table:
 *  - the table is missing;
 *  - a column is missing, or the database has a column the model lacks;
 *  - a column's stored type, nullability or auto-assignment differs (types are compared by
 *    what they store, see `type-equivalence.ts`);
 *  - the model declares a literal default and the database has another (or none);
 *  - the primary key's columns differ;
 *  - an index, unique set or foreign key the model declares (its `indexes`, `unique` and
 *    `references`, and those its associations add) is not in the database.
 *
 * What does not: the database may hold more than a model declares (CHECK constraints,
 * indexes, defaults, referential actions). The migrations are the source of truth for those
 * and the models do not repeat them; a model states what it relies on. Referential actions are
 * not compared either: Sequelize fills in its own defaults on associations, so a model cannot
 * say which action it means. Tables without a model are listed, not counted as drift.
 */
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { parseDatabaseType } from './database-type.ts';
import { liveDialectOf, listTables, readTable, type LiveDialect } from './live-tables.ts';
import { expectedTable } from './model-tables.ts';
import {
  describeDefault,
  sameDefault,
  type ColumnDefinition,
  type ForeignKeyDefinition,
  type IndexDefinition,
  type TableDefinition,
} from './table-definition.ts';
import { sameStoredType } from './type-equivalence.ts';

/** The table umzug keeps the applied migrations in (`server/migrator.ts`); not a model's. */
export const migrationsTable = 'ab_migrations';

/** What kind of disagreement a drift is. */
export type DriftKind =
  | 'missing-table'
  | 'missing-column'
  | 'extra-column'
  | 'column-type'
  | 'column-nullability'
  | 'column-auto-increment'
  | 'column-default'
  | 'primary-key'
  | 'missing-index'
  | 'missing-foreign-key';

/** One disagreement between a model and its table. */
export interface Drift {
  kind: DriftKind;
  table: string;
  /** The column concerned; null for the table, its key, an index or a foreign key. */
  column: string | null;
  /** What the model expects, in words. */
  expected: string;
  /** What the database has, in words. */
  actual: string;
  /** The whole disagreement in one sentence. */
  message: string;
  /** The model's side, for a migration that makes the database match it. */
  expectedTable?: TableDefinition;
  expectedColumn?: ColumnDefinition;
  actualColumn?: ColumnDefinition;
  index?: IndexDefinition;
  foreignKey?: ForeignKeyDefinition;
}

/** What a check found. */
export interface DriftReport {
  dialect: LiveDialect;
  /** The tables of the models checked, sorted. */
  tables: string[];
  drift: Drift[];
  /** Tables of the database no checked model maps to (the migrations table left out). */
  unmodelledTables: string[];
}

/**
 * Compares `models` with the database `sequelize` is connected to.
 *
 * @param sequelize - the live database, SQLite or PostgreSQL.
 * @param models - the models to check, e.g. every registered one.
 * @returns the drift, table by table in the models' order.
 * @example
 * const report = await findDrift(sequelize, registeredModels(sequelize).map((m) => m.model));
 * if (report.drift.length > 0) process.exitCode = 1;
 */
export async function findDrift(
  sequelize: Sequelize,
  models: readonly ModelStatic<Model>[],
): Promise<DriftReport> {
  const dialect = liveDialectOf(sequelize);
  const liveTables = await listTables(sequelize);
  const drift: Drift[] = [];
  const checked = new Set<string>();
  for (const model of models) {
    const expected = expectedTable(model, dialect);
    checked.add(expected.table);
    const actual = liveTables.includes(expected.table)
      ? await readTable(sequelize, expected.table) : null;
    drift.push(...compareTables(expected, actual, dialect));
  }
  const unmodelledTables = liveTables
    .filter((table) => !checked.has(table) && table !== migrationsTable);
  return { dialect, tables: [...checked].sort(), drift, unmodelledTables };
}

/**
 * The drift between the table a model expects and the live one (null when it is missing).
 * Pure: both sides are already read.
 */
export function compareTables(
  expected: TableDefinition,
  actual: TableDefinition | null,
  dialect: LiveDialect,
): Drift[] {
  const table = expected.table;
  if (actual === null) {
    return [{ kind: 'missing-table', table, column: null, expected: 'the table',
      actual: 'no such table', message: `${table}: the model has this table, the database ` +
        'does not.', expectedTable: expected }];
  }
  const drift: Drift[] = [];
  for (const column of expected.columns) {
    const live = actual.columns.find((candidate) => candidate.name === column.name);
    if (live) drift.push(...compareColumns(table, column, live, dialect));
    else drift.push(columnDrift('missing-column', table, column, undefined, 'the column', 'none'));
  }
  for (const live of actual.columns) {
    if (expected.columns.some((column) => column.name === live.name)) continue;
    drift.push(columnDrift('extra-column', table, undefined, live, 'no such column', live.type));
  }
  if (expected.primaryKey.join(',') !== actual.primaryKey.join(',')) {
    const words = (key: string[]) => (key.length === 0 ? 'none' : `(${key.join(', ')})`);
    drift.push({ kind: 'primary-key', table, column: null, expected: words(expected.primaryKey),
      actual: words(actual.primaryKey), message: `${table}: the primary key differs: the model ` +
        `says ${words(expected.primaryKey)}, the database has ${words(actual.primaryKey)}.` });
  }
  drift.push(...missingIndexes(expected, actual), ...missingForeignKeys(expected, actual));
  return drift;
}

function columnDrift(
  kind: 'missing-column' | 'extra-column',
  table: string,
  expectedColumn: ColumnDefinition | undefined,
  actualColumn: ColumnDefinition | undefined,
  expected: string,
  actual: string,
): Drift {
  const column = expectedColumn?.name ?? actualColumn?.name ?? '';
  const message = kind === 'missing-column'
    ? `${table}.${column}: the model has this column, the database does not.`
    : `${table}.${column}: the database has this column (${actual}), the model does not.`;
  return { kind, table, column, expected, actual, message, expectedColumn, actualColumn };
}

function compareColumns(
  table: string,
  expected: ColumnDefinition,
  actual: ColumnDefinition,
  dialect: LiveDialect,
): Drift[] {
  const where = `${table}.${expected.name}`;
  const drift: Drift[] = [];
  const add = (kind: DriftKind, wanted: string, found: string, what: string) => drift.push({
    kind, table, column: expected.name, expected: wanted, actual: found,
    message: `${where}: ${what} differs: the model says ${wanted}, the database has ${found}.`,
    expectedColumn: expected, actualColumn: actual });
  const expectedType = parseDatabaseType(expected.type, dialect,
    { enumValues: expected.enumValues ?? undefined });
  const actualType = parseDatabaseType(actual.type, dialect,
    { enumValues: actual.enumValues ?? undefined });
  if (!sameStoredType(expectedType, actualType)) {
    add('column-type', expected.type, actual.type, 'the type');
  }
  if (expected.nullable !== actual.nullable) {
    const words = (nullable: boolean) => (nullable ? 'NULL allowed' : 'NOT NULL');
    add('column-nullability', words(expected.nullable), words(actual.nullable), 'nullability');
  }
  if (expected.autoIncrement && !actual.autoIncrement) {
    add('column-auto-increment', 'assigned by the database', 'not assigned', 'auto-increment');
  }
  const kind = expectedType.category === 'boolean' ? 'boolean'
    : ['integer', 'big-integer', 'decimal', 'float', 'money'].includes(expectedType.category)
      ? 'number' : 'other';
  const literal = expected.default?.kind === 'literal';
  if (literal && !sameDefault(expected.default, actual.default, kind)) {
    add('column-default', describeDefault(expected.default), describeDefault(actual.default),
      'the default');
  }
  return drift;
}

function missingIndexes(expected: TableDefinition, actual: TableDefinition): Drift[] {
  // The primary key is unique too, so a unique set on exactly its columns is satisfied.
  const primary = { name: 'primary key', columns: actual.primaryKey, unique: true };
  const live = [...actual.indexes, primary];
  const sameColumns = (a: string[], b: string[], unique: boolean) => unique
    ? [...a].sort().join(',') === [...b].sort().join(',') : a.join(',') === b.join(',');
  return expected.indexes
    .filter((index) => !live.some((candidate) => candidate.unique === index.unique
      && sameColumns(candidate.columns, index.columns, index.unique)))
    .map((index): Drift => {
      const what = `${index.unique ? 'unique ' : ''}index on (${index.columns.join(', ')})`;
      return { kind: 'missing-index', table: expected.table, column: null, expected: what,
        actual: 'none', index, message: `${expected.table}: the model declares a ${what}, the ` +
          'database has none.' };
    });
}

function missingForeignKeys(expected: TableDefinition, actual: TableDefinition): Drift[] {
  const same = (a: ForeignKeyDefinition, b: ForeignKeyDefinition) => a.table === b.table
    && a.columns.join(',') === b.columns.join(',')
    && a.referencedColumns.join(',') === b.referencedColumns.join(',');
  return expected.foreignKeys
    .filter((key) => !actual.foreignKeys.some((candidate) => same(candidate, key)))
    .map((key): Drift => {
      const target = `${key.table} (${key.referencedColumns.join(', ')})`;
      const what = `(${key.columns.join(', ')}) -> ${target}`;
      return { kind: 'missing-foreign-key', table: expected.table, column: null,
        expected: `foreign key ${what}`, actual: 'none', foreignKey: key,
        message: `${expected.table}: the model declares a foreign key ${what}, the database ` +
          'has none.' };
    });
}
