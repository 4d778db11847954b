import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction, postTransactionMinor } from '../../../server/wallet/ledger.ts';
import { walletModels, type WalletAttributes } from '../../../server/wallet/models.ts';
import { amountMinorMax } from '../../../server/wallet/money.ts';
import { transactionView } from '../../../server/wallet/views.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { changeWalletStatus, getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, rejectsWithProblem } from './support.ts';

describe(`the ledger on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  let stranger: Actor;
  before(async () => {
    server = await startTestServer();
    owner = await createTestUser(server.ctx, { name: 'owner' });
    stranger = await createTestUser(server.ctx, { name: 'stranger' });
  });
  after(() => server.close());

  const post = (actor: Actor, walletId: number, type: 'credit' | 'debit', amount: string) =>
    postTransaction(server.ctx, actor, { walletId, type, amount });
  const balanceOf = async (walletId: number) =>
    (await getWallet(server.ctx, owner, walletId)).balanceMinor;
  /** How many postings the owner's audit chain holds, and how many entries the wallet has. */
  const auditsOf = async (walletId: number) => ({
    count: await walletModels(server.ctx.sequelize).Audit.count({
      where: { ownerUserId: owner.userId, action: 'transaction.posted' } }),
    entries: (await getWallet(server.ctx, owner, walletId)).entryCount,
  });

  describe('posting', () => {
    it('credits and debits, numbering entries and keeping the running balance', async () => {
      const wallet = await openWallet(server.ctx, owner);
      const first = await post(owner, wallet.id, 'credit', '100.00');
      const second = await post(owner, wallet.id, 'debit', '12.34');
      assert.equal(first.transaction.sequence, 1);
      assert.equal(second.transaction.sequence, 2);
      assert.equal(second.transaction.balanceAfterMinor, 8766n);
      assert.equal(second.wallet.balanceMinor, 8766n);
      assert.equal(second.wallet.entryCount, 2);
      assert.equal(second.transaction.currency, 'EUR');
      assert.deepEqual(transactionView(second.transaction).amount,
        { amount: '12.34', currency: 'EUR' });
      assert.deepEqual(transactionView(second.transaction).balanceAfter,
        { amount: '87.66', currency: 'EUR' });
      assert.equal(await balanceOf(wallet.id), 8766n);
    });

    it('stores the descriptive fields, tags in their own rows, and an audit row', async () => {
      const wallet = await openWallet(server.ctx, owner);
      const before = await auditsOf(wallet.id);
      const { transaction } = await postTransaction(server.ctx, owner, {
        walletId: wallet.id, type: 'credit', amount: '5', description: ' Salary ',
        counterparty: 'ACME', tags: ['work', 'monthly'],
        metadata: { invoice: 'A-17', lines: [1, 2] },
        occurredAt: '2026-02-28T17:00:00+01:00',
      });
      assert.equal(transaction.description, 'Salary');
      assert.deepEqual(transaction.tags, ['work', 'monthly']);
      assert.deepEqual(transaction.metadata, { invoice: 'A-17', lines: [1, 2] });
      assert.equal(transaction.occurredAt.toISOString(), '2026-02-28T16:00:00.000Z');
      assert.equal(transaction.postedAt.toISOString(), server.clock.now().toISOString());
      const { TransactionTag, WalletTransaction } = walletModels(server.ctx.sequelize);
      const tags = await TransactionTag.findAll({ where: { transactionId: transaction.id },
        order: [['tag', 'ASC']] });
      assert.deepEqual(tags.map((tag) => tag.tag), ['monthly', 'work']);
      const reread = await WalletTransaction.findByPk(transaction.id);
      assert.deepEqual(reread?.metadata, { invoice: 'A-17', lines: [1, 2] });
      assert.equal(reread?.amountMinor, 500n);
      const afterPosting = await auditsOf(wallet.id);
      assert.equal(afterPosting.count, before.count + 1);
    });

    it('posts on the owner\'s behalf in minor units (recurring, import)', async () => {
      const wallet = await openWallet(server.ctx, owner, { currency: 'BHD' });
      const { transaction } = await postTransactionMinor(server.ctx, owner, {
        walletId: wallet.id, type: 'credit', amountMinor: 1234n, origin: 'recurring',
      });
      assert.equal(transaction.origin, 'recurring');
      assert.deepEqual(transactionView(transaction).amount, { amount: '1.234', currency: 'BHD' });
    });
  });

  describe('bad input', () => {
    const badAmounts: [string, unknown, string][] = [
      ['an exponent', '1e3', 'EUR'], ['a negative amount', '-5', 'EUR'],
      ['three decimals in EUR', '12.345', 'EUR'], ['a fraction in JPY', '10.5', 'JPY'],
      ['a JSON number', 12.34, 'EUR'], ['a huge value', '1000000000000000000', 'EUR'],
      ['zero', '0.00', 'EUR'], ['the empty string', '', 'EUR'], ['a padded amount', ' 5', 'EUR'],
    ];
    for (const [label, amount, currency] of badAmounts) {
      it(`refuses ${label} with 400 and changes nothing`, async () => {
        const wallet = await openWallet(server.ctx, owner, { currency });
        const before = await auditsOf(wallet.id);
        await rejectsWithProblem(postTransaction(server.ctx, owner,
          // @ts-expect-error: a number where a string belongs is exactly the bad input here
          { walletId: wallet.id, type: 'credit', amount }), 400, 'validation');
        assert.deepEqual(await auditsOf(wallet.id), before);
        assert.equal(before.entries, 0);
      });
    }

    it('refuses an unknown type', async () => {
      const wallet = await openWallet(server.ctx, owner);
      await rejectsWithProblem(postTransaction(server.ctx, owner,
        // @ts-expect-error: not a transaction type
        { walletId: wallet.id, type: 'refund', amount: '1' }), 400, 'validation');
    });

    it("answers 404 for an unknown, malformed or foreign wallet id", async () => {
      const wallet = await openWallet(server.ctx, owner);
      for (const walletId of [999_999, 0, -1, 1.5]) {
        await rejectsWithProblem(post(owner, walletId, 'credit', '1'), 404, 'not-found');
      }
      await rejectsWithProblem(post(stranger, wallet.id, 'credit', '1'), 404, 'not-found');
      assert.equal(await balanceOf(wallet.id), 0n);
    });
  });

  describe('the overdraft rule', () => {
    it('refuses a debit below zero when no overdraft is set, posting nothing', async () => {
      const wallet = await openWallet(server.ctx, owner);
      await post(owner, wallet.id, 'credit', '5.00');
      const problem = await rejectsWithProblem(post(owner, wallet.id, 'debit', '5.01'), 422,
        'insufficient-funds');
      assert.deepEqual(problem.extensions.balance, { amount: '5.00', currency: 'EUR' });
      assert.deepEqual(problem.extensions.overdraftLimit, { amount: '0.00', currency: 'EUR' });
      await post(owner, wallet.id, 'debit', '5.00');
      assert.equal(await balanceOf(wallet.id), 0n);
    });

    it('lets a debit reach exactly minus the overdraft limit and no further', async () => {
      const wallet = await openWallet(server.ctx, owner, { overdraftLimit: '10.00' });
      await post(owner, wallet.id, 'credit', '5.00');
      await post(owner, wallet.id, 'debit', '15.00');
      assert.equal(await balanceOf(wallet.id), -1000n);
      await rejectsWithProblem(post(owner, wallet.id, 'debit', '0.01'), 422, 'insufficient-funds');
      assert.equal(await balanceOf(wallet.id), -1000n);
    });

    it(`keeps a balance at most ${amountMinorMax} minor units`, async () => {
      const wallet = await openWallet(server.ctx, owner, { currency: 'JPY' });
      await post(owner, wallet.id, 'credit', amountMinorMax.toString());
      await rejectsWithProblem(post(owner, wallet.id, 'credit', '1'), 422,
        'balance-limit-exceeded');
      assert.equal(await balanceOf(wallet.id), amountMinorMax);
    });
  });

  describe('limits', () => {
    it('refuses a transaction above the maximum, either way, and takes one at it', async () => {
      const wallet = await openWallet(server.ctx, owner, { transactionAmountMax: '50.00' });
      await post(owner, wallet.id, 'credit', '50.00');
      await rejectsWithProblem(post(owner, wallet.id, 'credit', '50.01'), 422,
        'amount-above-wallet-maximum');
      await rejectsWithProblem(post(owner, wallet.id, 'debit', '50.01'), 422,
        'amount-above-wallet-maximum');
      await post(owner, wallet.id, 'debit', '50.00');
    });

    it('enforces the daily debit limit per UTC day', async () => {
      const wallet = await openWallet(server.ctx, owner, { dailyDebitLimit: '100.00' });
      await post(owner, wallet.id, 'credit', '1000.00');
      await post(owner, wallet.id, 'debit', '60.00');
      await post(owner, wallet.id, 'debit', '40.00');
      const problem = await rejectsWithProblem(post(owner, wallet.id, 'debit', '0.01'), 422,
        'daily-limit-exceeded');
      assert.deepEqual(problem.extensions.debitedToday, { amount: '100.00', currency: 'EUR' });
      // Credits never count against a debit limit.
      await post(owner, wallet.id, 'credit', '500.00');
      server.clock.set('2026-03-02T00:00:00Z');
      try {
        await post(owner, wallet.id, 'debit', '100.00');
      } finally {
        server.clock.set('2026-03-01T09:00:00Z');
      }
    });

    it('enforces the monthly debit limit per UTC month', async () => {
      const wallet = await openWallet(server.ctx, owner, { monthlyDebitLimit: '150.00' });
      await post(owner, wallet.id, 'credit', '1000.00');
      await post(owner, wallet.id, 'debit', '100.00');
      server.clock.set('2026-03-31T23:59:59Z');
      try {
        await post(owner, wallet.id, 'debit', '50.00');
        await rejectsWithProblem(post(owner, wallet.id, 'debit', '0.01'), 422,
          'monthly-limit-exceeded');
        server.clock.set('2026-04-01T00:00:00Z');
        await post(owner, wallet.id, 'debit', '150.00');
      } finally {
        server.clock.set('2026-03-01T09:00:00Z');
      }
    });
  });

  describe('wallet states', () => {
    it('refuses every posting to a frozen wallet until it is unfrozen', async () => {
      const wallet = await openWallet(server.ctx, owner);
      await changeWalletStatus(server.ctx, owner, wallet.id, 'frozen');
      await rejectsWithProblem(post(owner, wallet.id, 'credit', '1'), 409, 'wallet-frozen');
      await changeWalletStatus(server.ctx, owner, wallet.id, 'active');
      await post(owner, wallet.id, 'credit', '1');
    });

    it('refuses every posting to a closed wallet', async () => {
      const wallet = await openWallet(server.ctx, owner);
      await changeWalletStatus(server.ctx, owner, wallet.id, 'closed');
      await rejectsWithProblem(post(owner, wallet.id, 'credit', '1'), 409, 'wallet-closed');
    });
  });

  describe('categories and payment methods', () => {
    let wallet: WalletAttributes;
    let ids: { system: number; own: number; foreign: number; archived: number;
      ownMethod: number; foreignMethod: number };
    before(async () => {
      wallet = await openWallet(server.ctx, owner);
      const { Category, PaymentMethod } = walletModels(server.ctx.sequelize);
      const now = server.clock.now();
      const category = (userId: number | null, name: string, archivedAt: Date | null = null) =>
        Category.create({ userId, parentId: null, name, kind: 'expense', systemKey: null,
          color: null, icon: null, archivedAt, createdAt: now, updatedAt: now });
      const method = (userId: number) => PaymentMethod.create({ userId, kind: 'other',
        label: 'Cash', detailsToken: null, masked: 'Cash', brand: null, expiryMonth: null,
        expiryYear: null, currency: 'EUR', transactionAmountMaxMinor: null, monthlyLimitMinor: null,
        usageCount: 0, usageTotalMinor: 0n, lastUsedAt: null, archivedAt: null, createdAt: now,
        updatedAt: now });
      ids = {
        system: (await category(null, 'Food')).id,
        own: (await category(owner.userId, 'Coffee')).id,
        foreign: (await category(stranger.userId, 'Secret')).id,
        archived: (await category(owner.userId, 'Old', now)).id,
        ownMethod: (await method(owner.userId)).id,
        foreignMethod: (await method(stranger.userId)).id,
      };
    });

    it('takes a system category, an own category and an own payment method', async () => {
      for (const categoryId of [ids.system, ids.own]) {
        const { transaction } = await postTransaction(server.ctx, owner, { walletId: wallet.id,
          type: 'credit', amount: '1', categoryId, paymentMethodId: ids.ownMethod });
        assert.equal(transaction.categoryId, categoryId);
        assert.equal(transaction.paymentMethodId, ids.ownMethod);
      }
    });

    it("refuses another user's or an archived category, and another user's method", async () => {
      for (const categoryId of [ids.foreign, ids.archived, 999_999]) {
        await rejectsWithProblem(postTransaction(server.ctx, owner, { walletId: wallet.id,
          type: 'credit', amount: '1', categoryId }), 422, 'unknown-category');
      }
      await rejectsWithProblem(postTransaction(server.ctx, owner, { walletId: wallet.id,
        type: 'credit', amount: '1', paymentMethodId: ids.foreignMethod }), 422,
        'unknown-payment-method');
    });
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.ok(report.entriesChecked > 20);
  });
});
