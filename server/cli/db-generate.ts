/**
 * @module
 * `npm run db:generate -- NAME`: writes `migrations/NAME.ts`, a migration (up and down) that
 * makes the database at `DATABASE_URL` match the registered models, and prints the lines to
 * add to `migrations/index.ts`. The database must have every migration applied.
 *
 * `--dir PATH` writes into another folder (tests use it). Exits 0 when written or when there
 * is no drift, 2 when nothing could be written; messages go to stdout.
 *
 * @example
 * ```sh
 * npm run db:generate -- wallet_003
 * ```
 */
import { fileURLToPath } from 'node:url';
import { exitCodes, runSchemaGenerate } from '../analysis/schema-commands.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../database.ts';

const migrationsDirectory = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** The name and the folder from `argv` (`NAME [--dir PATH]`); null when the name is absent. */
function parseArguments(argv: readonly string[]): { name: string; directory: string } | null {
  const rest = [...argv];
  let directory = migrationsDirectory;
  const dirAt = rest.indexOf('--dir');
  if (dirAt >= 0) {
    const value = rest[dirAt + 1];
    if (value === undefined) return null;
    directory = value;
    rest.splice(dirAt, 2);
  }
  const [name, ...extra] = rest;
  if (name === undefined || name.startsWith('--') || extra.length > 0) return null;
  return { name, directory };
}

async function main(): Promise<void> {
  const parsed = parseArguments(process.argv.slice(2));
  if (parsed === null) {
    process.stdout.write('usage: npm run db:generate -- NAME [--dir PATH]\n');
    process.exitCode = exitCodes.failed;
    return;
  }
  const sequelize = await openDatabase(loadConfig().database);
  try {
    process.exitCode = await runSchemaGenerate(sequelize, parsed, (line) => {
      process.stdout.write(`${line}\n`);
    });
  } finally {
    await sequelize.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`db:generate failed: ${message}\n`);
  process.exitCode = exitCodes.failed;
});
