import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseError, QueryTypes, ValidationError } from 'sequelize';
import { loadConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/database.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { riskAssessmentModel } from '../../../server/wallet/risk-assessments.ts';
import {
  createEmptyDatabase,
  startTestServer,
  testDialect,
  type TestServer,
} from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

describe(`migration wallet_003 on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('stores a posted assessment with its transaction and refuses a block that names one, ' +
    'or a post that names none', async () => {
    const actor = await createTestUser(server.ctx);
    const wallet = await openWallet(server.ctx, actor);
    const credit = await postTransaction(server.ctx, actor, { walletId: wallet.id,
      type: 'credit', amount: '10.00' });
    const { transaction } = await postTransaction(server.ctx, actor, { walletId: wallet.id,
      type: 'debit', amount: '1.00' });
    const RiskAssessment = riskAssessmentModel(server.ctx.sequelize);
    const stored = await RiskAssessment.findOne({ where: { transactionId: transaction.id } });
    assert.ok(stored);
    assert.equal(stored.amountMinor, 100n);
    assert.equal(stored.band, 'approve');
    assert.equal(stored.rules.length, 5);
    const row = { userId: actor.userId, walletId: wallet.id, paymentMethodId: null,
      amountMinor: 100n, currency: 'EUR', score: 90, rules: [], ip: null, userAgent: null,
      assessedAt: server.clock.now() };
    // SQLite reports a failed CHECK as a constraint (validation) error, PostgreSQL as such.
    const refused = (error: unknown) =>
      error instanceof DatabaseError || error instanceof ValidationError;
    await assert.rejects(RiskAssessment.create({ ...row, band: 'block',
      transactionId: credit.transaction.id }), refused);
    await assert.rejects(RiskAssessment.create({ ...row, band: 'review', transactionId: null }),
      refused);
    await assert.rejects(RiskAssessment.create({ ...row, band: 'block', transactionId: null,
      score: 1001 }), refused);
    await assert.rejects(RiskAssessment.create({ ...row, band: 'block', transactionId: null,
      amountMinor: 0n }), refused);
    await assert.rejects(RiskAssessment.create({ ...row, band: 'review',
      transactionId: transaction.id }), refused);
    const blocked = await RiskAssessment.create({ ...row, band: 'block', transactionId: null });
    assert.equal(blocked.transactionId, null);
  });

  it('goes down and up again cleanly', async () => {
    const database = await createEmptyDatabase();
    const sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
    try {
      const migrator = createMigrator(sequelize);
      await migrator.up();
      const tables = async () => (await sequelize.getQueryInterface().showAllTables())
        .map(String);
      assert.ok((await tables()).includes('ab_wallet_risk_assessments'));
      await migrator.down({ to: 'wallet_003' });
      assert.ok(!(await tables()).includes('ab_wallet_risk_assessments'));
      assert.ok((await tables()).includes('ab_wallet_import_previews'));
      await migrator.up();
      const rows = await sequelize.query<{ n: unknown }>(
        'SELECT COUNT(*) AS n FROM ab_wallet_risk_assessments', { type: QueryTypes.SELECT });
      assert.equal(Number(rows[0]?.n), 0);
    } finally {
      await sequelize.close();
      await database.drop();
    }
  });
});
