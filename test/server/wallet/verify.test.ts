import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { auditGenesisHash, userAuditChain } from '../../../server/wallet/audits.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { loadBundledRates } from '../../../server/wallet/rates.ts';
import { reverseTransaction } from '../../../server/wallet/reversals.ts';
import { transferBetweenWallets } from '../../../server/wallet/transfers.ts';
import {
  verifyLedger,
  verifyPageRowsMax,
  verifyProblemsMax,
  verifyScopeUsersMax,
  type LedgerProblemKind,
} from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

describe(`verifying the ledger on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await loadBundledRates(server.ctx);
  });
  after(() => server.close());

  /** A user with two wallets, postings, a reversal and a cross-currency transfer. */
  async function busyUser(): Promise<{ actor: Actor; walletId: number; debitId: number;
    creditId: number; transferId: string }> {
    const actor = await createTestUser(server.ctx);
    const euros = await openWallet(server.ctx, actor);
    const dollars = await openWallet(server.ctx, actor, { currency: 'USD' });
    const post = (type: 'credit' | 'debit', amount: string) =>
      postTransaction(server.ctx, actor, { walletId: euros.id, type, amount });
    const credit = await post('credit', '100.00');
    const debit = await post('debit', '10.00');
    await post('debit', '5.00');
    await reverseTransaction(server.ctx, actor, { transactionId: debit.transaction.id });
    const transfer = await transferBetweenWallets(server.ctx, actor,
      { sourceWalletId: euros.id, targetWalletId: dollars.id, amount: '20.00' });
    return { actor, walletId: euros.id, debitId: debit.transaction.id,
      creditId: credit.transaction.id, transferId: transfer.transferId };
  }
  const kindsFor = async (actor: Actor): Promise<LedgerProblemKind[]> => {
    const report = await verifyLedger(server.ctx, { userIds: [actor.userId] });
    return [...new Set(report.problems.map((problem) => problem.kind))].sort();
  };
  const sql = (query: string, replacements: Record<string, unknown>) =>
    server.ctx.sequelize.query(query, { replacements });

  it('finds nothing wrong with a ledger the services wrote', async () => {
    const { actor } = await busyUser();
    const report = await verifyLedger(server.ctx, { userIds: [actor.userId] });
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.deepEqual([report.walletsChecked, report.entriesChecked, report.transfersChecked,
      report.chainsChecked], [2, 6, 1, 1]);
    assert.ok(report.auditsChecked >= 7);
  });

  it('notices an audit row whose content was edited', async () => {
    const { actor } = await busyUser();
    await sql(`UPDATE ab_wallet_audits SET after_state = '{"balanceMinor":"999999"}'
      WHERE chain = :chain AND sequence = 3`, { chain: userAuditChain(actor.userId) });
    assert.deepEqual(await kindsFor(actor), ['audit-hash-mismatch']);
  });

  it('notices an edited audit row even when its own hash was recomputed', async () => {
    const { actor } = await busyUser();
    // The forger rewrites row 3 and its hash; row 4 still names the old hash.
    await sql(`UPDATE ab_wallet_audits SET hash = :forged
      WHERE chain = :chain AND sequence = 3`,
      { chain: userAuditChain(actor.userId), forged: 'e'.repeat(64) });
    const kinds = await kindsFor(actor);
    assert.ok(kinds.includes('audit-prev-hash-mismatch'), kinds.join());
  });

  it('notices a deleted audit row', async () => {
    const { actor } = await busyUser();
    await sql('DELETE FROM ab_wallet_audits WHERE chain = :chain AND sequence = 2',
      { chain: userAuditChain(actor.userId) });
    assert.deepEqual(await kindsFor(actor), ['audit-prev-hash-mismatch', 'audit-sequence-gap']);
  });

  it('notices a removed last audit row through the chain head', async () => {
    const { actor } = await busyUser();
    await sql(`DELETE FROM ab_wallet_audits WHERE chain = :chain AND sequence =
      (SELECT MAX(sequence) FROM ab_wallet_audits WHERE chain = :chain)`,
      { chain: userAuditChain(actor.userId) });
    assert.deepEqual(await kindsFor(actor), ['audit-head-mismatch']);
  });

  it('notices an entry whose amount was edited', async () => {
    const { actor, creditId } = await busyUser();
    await sql('UPDATE ab_wallet_transactions SET amount_minor = 100001 WHERE id = :id',
      { id: creditId });
    assert.deepEqual(await kindsFor(actor), ['balance-mismatch', 'running-balance-mismatch']);
  });

  it('notices a balance that was edited', async () => {
    const { actor, walletId } = await busyUser();
    await sql('UPDATE ab_user_wallets SET balance_minor = balance_minor + 1 WHERE id = :id',
      { id: walletId });
    assert.deepEqual(await kindsFor(actor), ['balance-mismatch']);
  });

  it('notices a missing entry', async () => {
    const { actor, walletId } = await busyUser();
    await sql(`UPDATE ab_wallet_transactions SET sequence = 99
      WHERE wallet_id = :id AND sequence = 3`, { id: walletId });
    assert.deepEqual(await kindsFor(actor),
      ['entry-count-mismatch', 'running-balance-mismatch', 'sequence-gap']);
  });

  it('notices a reversal link that was cut', async () => {
    const { actor, debitId } = await busyUser();
    await sql('UPDATE ab_wallet_transactions SET reversed_by_id = NULL WHERE id = :id',
      { id: debitId });
    assert.deepEqual(await kindsFor(actor), ['reversal-link-broken']);
  });

  it('notices a transfer whose legs no longer balance', async () => {
    const { actor, transferId } = await busyUser();
    await sql(`UPDATE ab_wallet_transactions SET counter_amount_minor = counter_amount_minor + 1
      WHERE transfer_id = :transferId AND type = 'debit'`, { transferId });
    assert.deepEqual(await kindsFor(actor), ['transfer-unbalanced']);
  });

  it('checks only the users it is asked about', async () => {
    const { actor: broken } = await busyUser();
    const { actor: clean } = await busyUser();
    await sql('UPDATE ab_wallet_audits SET action = :action WHERE chain = :chain',
      { action: 'forged', chain: userAuditChain(broken.userId) });
    assert.deepEqual(await kindsFor(clean), []);
    assert.deepEqual(await kindsFor(broken), ['audit-hash-mismatch']);
    assert.equal((await verifyLedger(server.ctx)).ok, false);
  });

  for (const entries of [verifyPageRowsMax, verifyPageRowsMax + 1]) {
    it(`walks a wallet of ${entries} entries across pages`, async () => {
      const actor = await createTestUser(server.ctx);
      const wallet = await openWallet(server.ctx, actor);
      const { Wallet, WalletTransaction } = walletModels(server.ctx.sequelize);
      const now = server.clock.now();
      await WalletTransaction.bulkCreate(Array.from({ length: entries }, (_, index) => ({
        walletId: wallet.id, sequence: index + 1, type: 'credit' as const,
        origin: 'manual' as const,
        amountMinor: 1n, currency: 'EUR', balanceAfterMinor: BigInt(index + 1), categoryId: null,
        paymentMethodId: null, description: null, counterparty: null, tags: [], metadata: {},
        occurredAt: now, postedAt: now, reversalOfId: null, reversedById: null, transferId: null,
        counterWalletId: null, counterAmountMinor: null, counterCurrency: null, rate: null,
        rateDate: null, rateSource: null, riskScore: null, riskBand: null, importFingerprint: null,
      })));
      await Wallet.update({ balanceMinor: BigInt(entries), entryCount: entries },
        { where: { id: wallet.id } });
      const report = await verifyLedger(server.ctx, { userIds: [actor.userId] });
      assert.equal(report.entriesChecked, entries);
      assert.deepEqual(report.problems, []);
    });
  }

  for (const forged of [verifyProblemsMax, verifyProblemsMax + 1]) {
    it(`reports at most ${verifyProblemsMax} differences, and says so (${forged})`, async () => {
      const actor = await createTestUser(server.ctx);
      const chain = userAuditChain(actor.userId);
      const hashOf = (sequence: number) =>
        String(actor.userId).padStart(8, '0') + String(sequence).padStart(56, 'f');
      const { Audit, AuditChain } = walletModels(server.ctx.sequelize);
      const now = server.clock.now();
      await Audit.bulkCreate(Array.from({ length: forged }, (_, index) => ({
        chain, sequence: index + 1, ownerUserId: actor.userId, actorUserId: actor.userId,
        action: 'forged', entityType: 'test', entityId: String(index), beforeState: null,
        afterState: null, ip: null, userAgent: null, createdAt: now,
        prevHash: index === 0 ? auditGenesisHash : hashOf(index), hash: hashOf(index + 1),
      })));
      await AuditChain.create({ chain, sequenceLast: forged, hashLast: hashOf(forged),
        updatedAt: now });
      const report = await verifyLedger(server.ctx, { userIds: [actor.userId] });
      assert.equal(report.problems.length, verifyProblemsMax);
      assert.equal(report.truncated, forged > verifyProblemsMax);
      assert.equal(report.auditsChecked, forged);
      assert.equal(report.ok, false);
    });
  }

  it(`verifies up to ${verifyScopeUsersMax} named users and refuses more`, async () => {
    const many = Array.from({ length: verifyScopeUsersMax }, (_, index) => 1_000_000 + index);
    assert.equal((await verifyLedger(server.ctx, { userIds: many })).chainsChecked,
      verifyScopeUsersMax);
    await assert.rejects(verifyLedger(server.ctx, { userIds: [...many, 2_000_000] }),
      assert.AssertionError);
  });
});
