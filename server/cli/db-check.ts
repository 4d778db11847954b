/**
 * @module
 * `npm run db:check`: compares every registered model (`server/models-registry.ts`) with the
 * live schema of the database at `DATABASE_URL` (tables, columns, types, nullability,
 * defaults, primary keys, indexes, unique sets and foreign keys) and prints the drift.
 *
 * The database is checked as it is, not migrated first. Exits 0 when models and schema agree,
 * 1 on drift or pending migrations, 2 when the check cannot run; the report goes to stdout.
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://app@db/app npm run db:check
 * ```
 */
import { exitCodes, runSchemaCheck } from '../analysis/schema-commands.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../database.ts';

async function main(): Promise<void> {
  const sequelize = await openDatabase(loadConfig().database);
  try {
    process.exitCode = await runSchemaCheck(sequelize, (line) => {
      process.stdout.write(`${line}\n`);
    });
  } finally {
    await sequelize.close();
  }
}

main().catch((error: unknown) => {
  // Read by an operator: the message names the database problem; no stack.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`db:check failed: ${message}\n`);
  process.exitCode = exitCodes.failed;
});
