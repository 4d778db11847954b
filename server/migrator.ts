/**
 * @module
 * Schema migrations with umzug. The list in `migrations/index.ts` is the single source of
 * truth for the schema and its order; the applied names are kept in `ab_migrations`.
 */
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { migrations } from '../migrations/index.ts';

/** What each migration's `up` and `down` receive. */
export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
  dialect: 'sqlite' | 'postgres';
}

/** One migration: a stable name and its two directions. */
export interface Migration {
  name: string;
  up(context: MigrationContext): Promise<void>;
  down(context: MigrationContext): Promise<void>;
}

/** Builds the migrator for `sequelize`; `logger` receives one line per applied migration. */
export function createMigrator(sequelize: Sequelize, logger?: (message: string) => void) {
  const dialect = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
  return new Umzug<MigrationContext>({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: ({ context }) => migration.up(context),
      down: ({ context }) => migration.down(context),
    })),
    context: { queryInterface: sequelize.getQueryInterface(), sequelize, dialect },
    storage: new SequelizeStorage({ sequelize, tableName: 'ab_migrations' }),
    logger: logger
      ? {
          info: (event) => logger(`migration ${JSON.stringify(event)}`),
          warn: (event) => logger(`migration warning ${JSON.stringify(event)}`),
          error: (event) => logger(`migration error ${JSON.stringify(event)}`),
          debug: () => {},
        }
      : undefined,
  });
}

/** Counts of applied and pending migrations, for the health check and `db:status`. */
export async function migrationStatus(sequelize: Sequelize) {
  const migrator = createMigrator(sequelize);
  // One after the other: on an empty PostgreSQL database both would create the storage table
  // at once, and the second CREATE TABLE fails on the catalog's unique index.
  const executed = await migrator.executed();
  const pending = await migrator.pending();
  return {
    applied: executed.map((migration) => migration.name),
    pending: pending.map((migration) => migration.name),
  };
}
