/**
 * @module
 * A real, migrated database per test file: a fresh SQLite file, or a fresh PostgreSQL database
 * when `AB_TEST_DB=postgres` (the test script runs the server suite once for each).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { createApp } from '../../../server/app.ts';
import { ManualClock } from '../../../server/clock.ts';
import { loadConfig, type Config } from '../../../server/config.ts';
import { closeContext, createContext, type AppContext } from '../../../server/context.ts';
import { createLogger } from '../../../server/logger.ts';
import { createMigrator } from '../../../server/migrator.ts';

/** Which database the server tests run on. */
export const testDialect: 'sqlite' | 'postgres' = process.env.AB_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The PostgreSQL server used for `AB_TEST_DB=postgres`; each test file gets its own database. */
export const postgresAdminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The Fernet key every test server encrypts with, given as `SECRET_KEYS` so no test writes a
 * development key under `data/`. Made once with `generateFernetKey()`; it guards nothing, so
 * it may live in the source.
 */
export const testSecretKey = 'v9SflYOCOHhV8vXZVO6AUfOnJ6tyxGVSiw-wO4tWks8=';

/** A context on a fresh database, its app, the log lines it wrote, and how to dispose of it. */
export interface TestServer {
  ctx: AppContext;
  app: ReturnType<typeof createApp>;
  clock: ManualClock;
  logLines: string[];
  close(): Promise<void>;
}

/** Creates an empty database on the test dialect; returns its URL and how to drop it. */
export async function createEmptyDatabase(
  dialect: 'sqlite' | 'postgres' = testDialect,
): Promise<{ env: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const folder = mkdtempSync(join(tmpdir(), 'ab-test-'));
    return { env: `sqlite:${join(folder, 'test.sqlite')}`, drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `ab_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Sequelize(postgresAdminUrl, { logging: false });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    env: url.toString(),
    drop: async () => {
      const dropper = new Sequelize(postgresAdminUrl, { logging: false });
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.close();
    },
  };
}

/**
 * Starts a migrated test server; `env` adds configuration (e.g. `ALLOWED_ORIGINS`). The
 * benchmarks name the dialect; tests take the suite's.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  dialect: 'sqlite' | 'postgres' = testDialect,
): Promise<TestServer> {
  const database = await createEmptyDatabase(dialect);
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: database.env,
    SECRET_KEYS: testSecretKey,
    ...env,
  });
  const logLines: string[] = [];
  const clock = new ManualClock('2026-03-01T09:00:00Z');
  const ctx = await createContext(config, { clock, logger: createLogger('debug', (line) => logLines.push(line)) });
  await createMigrator(ctx.sequelize).up();
  return {
    ctx,
    app: createApp(ctx),
    clock,
    logLines,
    close: async () => {
      await closeContext(ctx);
      await database.drop();
    },
  };
}
