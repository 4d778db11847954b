/**
 * @module
 * Analyses cached per Sequelize instance, and dropped when a migration runs.
 *
 * Two ways notice a migration, because migrators are made in many places (the server's start,
 * the CLIs, the tests) and another process may migrate the same PostgreSQL:
 *  1. {@link watchMigrations} subscribes to a migrator's `migrated` and `reverted` events and
 *     drops the cache at once, without a query;
 *  2. every lookup compares the list of applied migrations (`ab_migrations`) with the list the
 *     cache was filled under, and drops the cache when it changed. This catches migrators
 *     nobody watched and migrations run by other processes, at the cost of one small query.
 *
 * A schema change made outside migrations (a test's throwaway table) is not noticed; call
 * {@link invalidateAnalysisCache} after one. Cached analyses are frozen: share, never mutate.
 */
import type { Sequelize } from 'sequelize';
import type { Umzug } from 'umzug';
import type { MigrationContext } from '../migrator.ts';
import { migrationsTable } from './drift.ts';
import type { ModelAnalysis } from './schemas.ts';

/** Most analyses kept per instance; past it the least recently stored one is dropped. */
export const analysisCacheEntriesMax = 512;

interface InstanceCache {
  /** The applied migrations the entries were computed under; null before the first lookup. */
  migrationsKey: string | null;
  entries: Map<string, ModelAnalysis>;
  /** Bumped by every invalidation, so a result computed across one is not stored. */
  generation: number;
  invalidations: number;
}

const caches = new WeakMap<Sequelize, InstanceCache>();

function cacheOf(sequelize: Sequelize): InstanceCache {
  let cache = caches.get(sequelize);
  if (!cache) {
    cache = { migrationsKey: null, entries: new Map(), generation: 0, invalidations: 0 };
    caches.set(sequelize, cache);
  }
  return cache;
}

/**
 * The analysis stored under `key` for `sequelize`, computed and stored when absent or stale.
 * A null result (no such table) is returned but not stored.
 *
 * @param sequelize - the database the analysis describes.
 * @param key - what is analysed, e.g. `model:AbWallet` or `table:ab_user`.
 * @param compute - makes the analysis on a miss.
 * @example
 * const analysis = await cachedAnalysis(ctx.sequelize, `model:${name}`, () => analyzeModel(m));
 */
export async function cachedAnalysis(
  sequelize: Sequelize,
  key: string,
  compute: () => ModelAnalysis | null | Promise<ModelAnalysis | null>,
): Promise<ModelAnalysis | null> {
  const cache = cacheOf(sequelize);
  const migrationsKey = await appliedMigrationsKey(sequelize);
  if (cache.migrationsKey !== migrationsKey) {
    if (cache.migrationsKey !== null) invalidateAnalysisCache(sequelize);
    cache.migrationsKey = migrationsKey;
  }
  const cached = cache.entries.get(key);
  if (cached) return cached;
  const generation = cache.generation;
  const analysis = await compute();
  if (analysis === null || generation !== cache.generation) return analysis;
  cache.entries.set(key, deepFreeze(analysis));
  while (cache.entries.size > analysisCacheEntriesMax) {
    const oldest = cache.entries.keys().next().value;
    if (oldest === undefined) break;
    cache.entries.delete(oldest);
  }
  return analysis;
}

/** Drops every analysis cached for `sequelize`. */
export function invalidateAnalysisCache(sequelize: Sequelize): void {
  const cache = cacheOf(sequelize);
  cache.entries.clear();
  cache.generation += 1;
  cache.invalidations += 1;
}

/**
 * Drops the cache of the migrator's database whenever it applies or reverts a migration.
 *
 * @param migrator - from `createMigrator(sequelize)`.
 * @returns a function that stops watching.
 * @example
 * const migrator = createMigrator(ctx.sequelize);
 * watchMigrations(migrator);
 * await migrator.up();
 */
export function watchMigrations(migrator: Umzug<MigrationContext>): () => void {
  const drop = ({ context }: { context: MigrationContext }) => {
    invalidateAnalysisCache(context.sequelize);
  };
  const stopMigrated = migrator.on('migrated', drop);
  const stopReverted = migrator.on('reverted', drop);
  return () => {
    stopMigrated();
    stopReverted();
  };
}

/** How many analyses are cached for `sequelize`, and how often the cache was dropped. */
export function analysisCacheStats(
  sequelize: Sequelize,
): { entries: number; invalidations: number } {
  const cache = cacheOf(sequelize);
  return { entries: cache.entries.size, invalidations: cache.invalidations };
}

/** The applied migrations, in one string; empty before the first migration ever ran. */
async function appliedMigrationsKey(sequelize: Sequelize): Promise<string> {
  try {
    const [rows] = await sequelize.query(`SELECT name FROM ${migrationsTable} ORDER BY name`);
    return (rows as { name: string }[]).map((row) => row.name).join(',');
  } catch {
    // No migrations table yet: nothing was ever applied.
    return '';
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
