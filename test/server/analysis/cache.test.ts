import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  analysisCacheEntriesMax,
  analysisCacheStats,
  cachedAnalysis,
  invalidateAnalysisCache,
  watchMigrations,
} from '../../../server/analysis/cache.ts';
import type { ModelAnalysis } from '../../../server/analysis/schemas.ts';
import { modelAnalysis, tableAnalysis } from '../../../server/analysis/service.ts';
import { migrations } from '../../../migrations/index.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** How many migrations `down({ to: 'wallet_002' })` reverts: it and every later one. */
const revertedToWallet002 = migrations.length -
  migrations.findIndex((migration) => migration.name === 'wallet_002');

/** An analysis with no fields, told apart by `name`. */
const stub = (name: string): ModelAnalysis => ({ name, table: name, model: null,
  dialect: testDialect, capabilities: [], fields: [] });

describe(`the analysis cache on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers a second lookup from the cache with the same frozen analysis', async () => {
    const first = await modelAnalysis(server.ctx, 'AbWallet');
    const second = await modelAnalysis(server.ctx, 'AbWallet');
    assert.equal(second, first);
    assert.ok(Object.isFrozen(first.fields[0]?.validation));
    assert.throws(() => {
      (first.fields as unknown[]).push({});
    }, TypeError);
  });

  it('drops the cache when a migration runs, even through a migrator nobody watches', async () => {
    const before = await tableAnalysis(server.ctx, 'ab_wallet_import_previews');
    const { invalidations } = analysisCacheStats(server.ctx.sequelize);
    const migrator = createMigrator(server.ctx.sequelize);
    await migrator.down({ to: 'wallet_002' });
    await assert.rejects(tableAnalysis(server.ctx, 'ab_wallet_import_previews'),
      { status: 404 });
    assert.equal(analysisCacheStats(server.ctx.sequelize).invalidations, invalidations + 1);
    await migrator.up();
    const after = await tableAnalysis(server.ctx, 'ab_wallet_import_previews');
    assert.notEqual(after, before);
    assert.deepEqual(after, before);
  });

  it('drops the cache the moment a watched migrator applies or reverts a migration', async () => {
    await modelAnalysis(server.ctx, 'AbUser');
    assert.ok(analysisCacheStats(server.ctx.sequelize).entries > 0);
    const migrator = createMigrator(server.ctx.sequelize);
    const stop = watchMigrations(migrator);
    const { invalidations } = analysisCacheStats(server.ctx.sequelize);
    await migrator.down({ to: 'wallet_002' });
    assert.deepEqual(analysisCacheStats(server.ctx.sequelize),
      { entries: 0, invalidations: invalidations + revertedToWallet002 });
    await migrator.up();
    assert.equal(analysisCacheStats(server.ctx.sequelize).invalidations,
      invalidations + 2 * revertedToWallet002);
    stop();
    await migrator.down({ to: 'wallet_002' });
    await migrator.up();
    assert.equal(analysisCacheStats(server.ctx.sequelize).invalidations,
      invalidations + 2 * revertedToWallet002);
  });

  it('does not store an analysis computed while the cache was dropped', async () => {
    const key = 'table:zz_racing';
    const computed = await cachedAnalysis(server.ctx.sequelize, key, () => {
      invalidateAnalysisCache(server.ctx.sequelize);
      return stub('racing');
    });
    assert.equal(computed?.name, 'racing');
    const again = await cachedAnalysis(server.ctx.sequelize, key, () => stub('again'));
    assert.equal(again?.name, 'again');
  });

  it('does not store a missing table, so one created later is found', async () => {
    assert.equal(await cachedAnalysis(server.ctx.sequelize, 'table:zz_later', () => null), null);
    const found = await cachedAnalysis(server.ctx.sequelize, 'table:zz_later',
      () => stub('zz_later'));
    assert.equal(found?.name, 'zz_later');
  });

  it(`keeps analysisCacheEntriesMax (${analysisCacheEntriesMax}) analyses, drops the oldest after`,
    async () => {
      const { sequelize } = server.ctx;
      invalidateAnalysisCache(sequelize);
      for (let index = 0; index < analysisCacheEntriesMax; index += 1) {
        await cachedAnalysis(sequelize, `test:${index}`, () => stub(String(index)));
      }
      assert.equal(analysisCacheStats(sequelize).entries, analysisCacheEntriesMax);
      const kept = await cachedAnalysis(sequelize, 'test:0', () => stub('recomputed'));
      assert.equal(kept?.name, '0');
      await cachedAnalysis(sequelize, 'test:past', () => stub('past'));
      assert.equal(analysisCacheStats(sequelize).entries, analysisCacheEntriesMax);
      const dropped = await cachedAnalysis(sequelize, 'test:0', () => stub('recomputed'));
      assert.equal(dropped?.name, 'recomputed');
    });
});
