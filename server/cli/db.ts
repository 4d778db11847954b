/**
 * @module
 * `npm run db:migrate`, `db:rollback` and `db:status`: the schema by hand, with the same
 * migrations the server runs on start, against the database `DATABASE_URL` names.
 *
 * - `migrate` applies every pending migration and prints each name;
 * - `rollback` undoes the last applied one (`-- --to NAME` undoes down to and including NAME);
 * - `status` prints applied and pending migrations; it exits 2 when some are pending, so a
 *   deploy script can tell.
 *
 * @example
 * ```sh
 * DATABASE_URL=postgres://app@db/app npm run db:status
 * ```
 */
import { loadConfig, redactUrl } from '../config.ts';
import { openDatabase } from '../database.ts';
import { createMigrator, migrationStatus } from '../migrator.ts';

const commands = ['migrate', 'rollback', 'status'] as const;
type Command = (typeof commands)[number];

function where(): string {
  const { database } = loadConfig();
  return database.dialect === 'sqlite' ? `sqlite:${database.storage}` : redactUrl(database.url);
}

async function main(command: Command, args: string[]): Promise<number> {
  const config = loadConfig();
  const sequelize = await openDatabase(config.database);
  try {
    const migrator = createMigrator(sequelize);
    if (command === 'migrate') {
      const applied = await migrator.up();
      for (const migration of applied) process.stdout.write(`applied ${migration.name}\n`);
      process.stdout.write(`${applied.length} applied; the schema is up to date (${where()})\n`);
      return 0;
    }
    if (command === 'rollback') {
      const toIndex = args.indexOf('--to');
      const to = toIndex >= 0 ? args[toIndex + 1] : undefined;
      const reverted = to ? await migrator.down({ to }) : await migrator.down();
      for (const migration of reverted) process.stdout.write(`reverted ${migration.name}\n`);
      process.stdout.write(`${reverted.length} reverted (${where()})\n`);
      return 0;
    }
    const status = await migrationStatus(sequelize);
    for (const name of status.applied) process.stdout.write(`applied  ${name}\n`);
    for (const name of status.pending) process.stdout.write(`pending  ${name}\n`);
    process.stdout.write(`${status.applied.length} applied, ${status.pending.length} pending (${where()})\n`);
    return status.pending.length > 0 ? 2 : 0;
  } finally {
    await sequelize.close();
  }
}

const [command, ...args] = process.argv.slice(2);
if (!commands.includes(command as Command)) {
  process.stderr.write(`usage: db.ts ${commands.join('|')} [--to NAME]\n`);
  process.exitCode = 1;
} else {
  main(command as Command, args).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`db:${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
