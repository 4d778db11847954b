import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/database.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { importPreviewModel } from '../../../server/wallet/transaction-import.ts';
import {
  createEmptyDatabase,
  startTestServer,
  testDialect,
  type TestServer,
} from '../support/test-context.ts';

/** How wallet_002 seeds the system categories: twelve at the top, each with children. */
const systemTopCount = 12;
const systemChildCount = 21;

describe(`migration wallet_002 on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('seeds the shared system categories once, with unique keys', async () => {
    const rows = await server.ctx.sequelize.query<{ system_key: string; parent_id: unknown;
      user_id: unknown; kind: string }>(
      `SELECT system_key, parent_id, user_id, kind FROM ab_transaction_categories
       WHERE system_key IS NOT NULL`, { type: QueryTypes.SELECT });
    assert.equal(rows.filter((row) => row.parent_id === null).length, systemTopCount);
    assert.equal(rows.filter((row) => row.parent_id !== null).length, systemChildCount);
    assert.ok(rows.every((row) => row.user_id === null));
    assert.ok(rows.filter((row) => row.system_key.startsWith('income'))
      .every((row) => row.kind === 'income'));
  });

  it('matches the import preview model to its table', async () => {
    const model = importPreviewModel(server.ctx.sequelize);
    const attributes = Object.values(model.getAttributes()).map((attribute) => attribute.field);
    const columns = testDialect === 'postgres'
      ? Object.keys(await server.ctx.sequelize.getQueryInterface()
        .describeTable('ab_wallet_import_previews'))
      : (await server.ctx.sequelize.query<{ name: string }>(
        'PRAGMA table_info(ab_wallet_import_previews)', { type: QueryTypes.SELECT }))
        .map((row) => row.name);
    assert.deepEqual(attributes.sort(), columns.sort());
  });

  it('goes down and up again cleanly', async () => {
    const database = await createEmptyDatabase();
    const sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
    try {
      const migrator = createMigrator(sequelize);
      await migrator.up();
      const count = async () => Number((await sequelize.query<{ n: unknown }>(
        'SELECT COUNT(*) AS n FROM ab_transaction_categories', { type: QueryTypes.SELECT }))[0]
        ?.n);
      assert.equal(await count(), systemTopCount + systemChildCount);
      await migrator.down({ to: 'wallet_002' });
      assert.equal(await count(), 0);
      const tables = (await sequelize.getQueryInterface().showAllTables()).map(String);
      assert.ok(!tables.includes('ab_wallet_import_previews'));
      await migrator.up();
      assert.equal(await count(), systemTopCount + systemChildCount);
    } finally {
      await sequelize.close();
      await database.drop();
    }
  });
});
