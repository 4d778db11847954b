/**
 * @module
 * What `npm run db:check` and `npm run db:generate` do, given an open database and somewhere
 * to write: the CLIs in `server/cli/` only open the database and pass the arguments.
 *
 * Exit codes: 0 when the models and the database agree (or a migration was written), 1 when
 * `db:check` finds drift or pending migrations, 2 when a command cannot do its work (a bad
 * name, pending migrations before a generate, a file that exists).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { migrations } from '../../migrations/index.ts';
import { createMigrator } from '../migrator.ts';
import { registeredModels } from '../models-registry.ts';
import { findDrift, migrationsTable, type DriftReport } from './drift.ts';
import { listTables } from './live-tables.ts';
import { isMigrationNameRe, migrationNameLengthMax, writeMigration } from './migration-writer.ts';

/** Where a command's lines go (stdout in the CLI). */
export type Writer = (line: string) => void;

/** The exit code for agreement, drift, and a command that could not do its work. */
export const exitCodes = { clean: 0, drift: 1, failed: 2 } as const;

/**
 * `db:check`: compares every registered model with the database and prints the drift.
 *
 * @param sequelize - the database to check (not migrated first: it is checked as it is).
 * @param write - receives the report, line by line.
 * @param models - the models to check; every registered one unless given.
 * @returns {@link exitCodes}: `clean`, or `drift` when there is drift or a pending migration.
 */
export async function runSchemaCheck(
  sequelize: Sequelize,
  write: Writer,
  models: readonly ModelStatic<Model>[] = modelsOf(sequelize),
): Promise<number> {
  const pending = await pendingMigrations(sequelize);
  const report = await findDrift(sequelize, models);
  for (const line of formatDriftReport(report, pending)) write(line);
  return report.drift.length === 0 && pending.length === 0 ? exitCodes.clean : exitCodes.drift;
}

/**
 * The names of the migrations not yet applied. Without a migrations table every migration is
 * pending, and the table is not created: a check leaves the database as it found it.
 */
async function pendingMigrations(sequelize: Sequelize): Promise<string[]> {
  if (!(await listTables(sequelize)).includes(migrationsTable)) {
    return migrations.map((migration) => migration.name);
  }
  return (await createMigrator(sequelize).pending()).map((migration) => migration.name);
}

/** The report of a check, as lines. */
export function formatDriftReport(report: DriftReport, pending: readonly string[]): string[] {
  const lines = [`db:check on ${report.dialect}: ${report.tables.length} model tables`];
  if (pending.length > 0) {
    lines.push(`${pending.length} migrations are pending (${pending.join(', ')}): ` +
      'run npm run db:migrate, then check again.');
  }
  const byTable = new Map<string, string[]>();
  for (const item of report.drift) {
    byTable.set(item.table, [...(byTable.get(item.table) ?? []), item.message]);
  }
  for (const [table, messages] of byTable) {
    lines.push(`drift in ${table}:`, ...messages.map((message) => `  - ${message}`));
  }
  const agreeing = report.tables.filter((table) => !byTable.has(table)).length;
  lines.push(`${agreeing} of ${report.tables.length} tables agree with their models`);
  if (report.unmodelledTables.length > 0) {
    lines.push(`note: tables without a model (not drift): ${report.unmodelledTables.join(', ')}`);
  }
  lines.push(report.drift.length === 0 ? 'no drift'
    : `${report.drift.length} differences; npm run db:generate -- NAME writes a migration`);
  return lines;
}

/** What `db:generate` needs besides the database. */
export interface GenerateOptions {
  /** The migration's name, e.g. `wallet_003`. */
  name: string;
  /** The folder to write `<name>.ts` into: `migrations/` in the project. */
  directory: string;
  /** The models the database must match; every registered one unless given. */
  models?: readonly ModelStatic<Model>[];
}

function modelsOf(sequelize: Sequelize): ModelStatic<Model>[] {
  return registeredModels(sequelize).map((entry) => entry.model);
}

/**
 * `db:generate`: writes `<directory>/<name>.ts`, a migration for the drift between the
 * registered models and the database, and prints the lines to add to `migrations/index.ts`.
 *
 * @param sequelize - a database with every migration applied.
 * @param options - the name and the folder.
 * @param write - receives what was done, line by line.
 * @returns {@link exitCodes}: `clean` when written or when there is nothing to write,
 *   `failed` when it cannot be written.
 */
export async function runSchemaGenerate(
  sequelize: Sequelize,
  options: GenerateOptions,
  write: Writer,
): Promise<number> {
  const { name, directory } = options;
  if (!isMigrationNameRe.test(name) || name.length > migrationNameLengthMax) {
    write(`db:generate: "${name}" is not a migration name: use lower case, digits and _, ` +
      `starting with a letter, at most ${migrationNameLengthMax} characters (e.g. wallet_003).`);
    return exitCodes.failed;
  }
  const path = join(directory, `${name}.ts`);
  if (existsSync(path)) {
    write(`db:generate: ${path} exists; choose another name.`);
    return exitCodes.failed;
  }
  const pending = await pendingMigrations(sequelize);
  if (pending.length > 0) {
    write(`db:generate: ${pending.length} migrations are pending (${pending.join(', ')}); ` +
      'run npm run db:migrate first, or the migration would repeat them.');
    return exitCodes.failed;
  }
  const report = await findDrift(sequelize, options.models ?? modelsOf(sequelize));
  if (report.drift.length === 0) {
    write('db:generate: no drift; nothing to write.');
    return exitCodes.clean;
  }
  const migration = writeMigration(name, report.drift, report.dialect);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path, migration.source, { flag: 'wx' });
  write(`db:generate: wrote ${path} for ${report.drift.length} differences.`);
  write('Add it to migrations/index.ts:');
  write(`  import { ${migration.exportName} } from './${name}.ts';`);
  write(`  and append ${migration.exportName} to the migrations array.`);
  for (const item of migration.unresolved) write(`not generated, write by hand: ${item.message}`);
  return exitCodes.clean;
}
