/**
 * @module
 * The process entry: read the configuration, open and migrate the database, make sure of the
 * Admin account named by `ADMIN_USER`, seed the demo data into a default database, listen.
 */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ensureAdmin } from './auth/admin.ts';
import { dummyPasswordHash, passwordHashCost } from './auth/passwords.ts';
import { ConfigError, loadConfig } from './config.ts';
import { closeContext, createContext } from './context.ts';
import { schedulerWorkerId, serverJobs } from './jobs.ts';
import { createMigrator } from './migrator.ts';
import { createScheduler } from './scheduler.ts';
import { demoAccount, seedDemoData } from './demo/seed.ts';
import { loadBundledRates } from './wallet/rates.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = await createContext(config);
  const migrator = createMigrator(ctx.sequelize, (message) => ctx.logger.info(message));
  const applied = await migrator.up();
  ctx.logger.info('database ready', {
    dialect: ctx.sequelize.getDialect(),
    migrationsApplied: applied.map((migration) => migration.name),
  });
  // The bundled ECB reference rates, on first start only (several processes load them once).
  const bundledRates = await loadBundledRates(ctx);
  if (bundledRates.loaded) {
    const { days, rates } = bundledRates;
    ctx.logger.info('exchange rates loaded', { days, rates });
  }
  if (config.admin) {
    const outcome = await ensureAdmin(ctx, config.admin);
    // The password stays out of the log; only what happened to the account is written.
    ctx.logger.info('admin account ensured', { username: config.admin.username, ...outcome });
  }
  const demo = await seedDemoData(ctx);
  if (demo.seeded) {
    ctx.logger.info('demo data seeded', { username: demoAccount.username,
      transactions: demo.transactions });
  }
  // Made now, so the first sign-in of an unknown name takes no longer than any other.
  await dummyPasswordHash(passwordHashCost(config));
  const app = createApp(ctx);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    ctx.logger.info('listening', { url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${info.port}/` });
  });
  const scheduler = createScheduler(ctx, serverJobs(schedulerWorkerId()),
    { intervalMs: config.schedulerIntervalSeconds * 1000 });
  scheduler.start();
  const stop = (signal: string) => {
    ctx.logger.info('stopping', { signal });
    const stopped = scheduler.stop();
    server.close(() => void stopped.then(() => closeContext(ctx)).then(() => process.exit(0)));
    // Keep-alive connections can hold close() open; do not wait for them forever.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`ab-elements could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
