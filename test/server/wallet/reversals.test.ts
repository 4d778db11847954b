import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProblemError } from '../../../server/http/problem.ts';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { loadBundledRates } from '../../../server/wallet/rates.ts';
import { reverseTransaction } from '../../../server/wallet/reversals.ts';
import { transferBetweenWallets } from '../../../server/wallet/transfers.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { changeWalletStatus, getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, rejectsWithProblem } from './support.ts';

describe(`reversals on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  let stranger: Actor;
  before(async () => {
    server = await startTestServer();
    await loadBundledRates(server.ctx);
    owner = await createTestUser(server.ctx, { name: 'owner' });
    stranger = await createTestUser(server.ctx, { name: 'stranger' });
  });
  after(() => server.close());

  const post = (walletId: number, type: 'credit' | 'debit', amount: string) =>
    postTransaction(server.ctx, owner, { walletId, type, amount });
  const reverse = (transactionId: number, actor: Actor = owner) =>
    reverseTransaction(server.ctx, actor, { transactionId });

  it('posts an opposite entry linked both ways, and restores the balance', async () => {
    const wallet = await openWallet(server.ctx, owner);
    await post(wallet.id, 'credit', '50.00');
    const { transaction: debit } = await post(wallet.id, 'debit', '20.00');
    const { reversal, original, counterReversal } = await reverse(debit.id);
    assert.equal(reversal.type, 'credit');
    assert.equal(reversal.origin, 'reversal');
    assert.equal(reversal.amountMinor, 2000n);
    assert.equal(reversal.reversalOfId, debit.id);
    assert.equal(original.reversedById, reversal.id);
    assert.equal(counterReversal, null);
    assert.equal(reversal.description, `Reversal of #${debit.id}`);
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 5000n);
    const { WalletTransaction } = walletModels(server.ctx.sequelize);
    const reread = await WalletTransaction.findByPk(debit.id);
    assert.equal(reread?.reversedById, reversal.id);
    assert.equal(reread?.amountMinor, 2000n, 'the original is otherwise unchanged');
  });

  it('reverses at most once: 409 already-reversed, nothing posted', async () => {
    const wallet = await openWallet(server.ctx, owner);
    const { transaction } = await post(wallet.id, 'credit', '5.00');
    const { reversal } = await reverse(transaction.id);
    const problem = await rejectsWithProblem(reverse(transaction.id), 409, 'already-reversed');
    assert.equal(problem.extensions.reversedBy, reversal.id);
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).entryCount, 2);
  });

  it('lets one of ten simultaneous reversals win', async () => {
    const wallet = await openWallet(server.ctx, owner);
    const { transaction } = await post(wallet.id, 'credit', '5.00');
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () =>
      reverse(transaction.id)));
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        assert.ok(outcome.reason instanceof ProblemError);
        assert.equal(outcome.reason.slug, 'already-reversed');
      }
    }
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 0n);
  });

  it('refuses to reverse a reversal', async () => {
    const wallet = await openWallet(server.ctx, owner);
    const { transaction } = await post(wallet.id, 'credit', '5.00');
    const { reversal } = await reverse(transaction.id);
    await rejectsWithProblem(reverse(reversal.id), 422, 'not-reversible');
  });

  it('keeps the overdraft rule: a spent credit cannot be reversed', async () => {
    const wallet = await openWallet(server.ctx, owner);
    const { transaction: credit } = await post(wallet.id, 'credit', '10.00');
    await post(wallet.id, 'debit', '8.00');
    await rejectsWithProblem(reverse(credit.id), 422, 'insufficient-funds');
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 200n);
  });

  it('is exempt from the debit limits, which count no reversal', async () => {
    const wallet = await openWallet(server.ctx, owner, { dailyDebitLimit: '10.00',
      transactionAmountMax: '10.00' });
    const { transaction: credit } = await post(wallet.id, 'credit', '10.00');
    await post(wallet.id, 'credit', '10.00');
    await post(wallet.id, 'debit', '10.00');
    await reverse(credit.id);
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 0n);
  });

  it("refuses a frozen wallet, and hides another user's transaction as not found", async () => {
    const wallet = await openWallet(server.ctx, owner);
    const { transaction } = await post(wallet.id, 'credit', '5.00');
    await rejectsWithProblem(reverse(transaction.id, stranger), 404, 'not-found');
    await rejectsWithProblem(reverse(999_999), 404, 'not-found');
    await rejectsWithProblem(reverse(0), 400, 'validation');
    await changeWalletStatus(server.ctx, owner, wallet.id, 'frozen');
    await rejectsWithProblem(reverse(transaction.id), 409, 'wallet-frozen');
  });

  it('reverses both legs of a transfer at their frozen amounts', async () => {
    const euros = await openWallet(server.ctx, owner);
    const dollars = await openWallet(server.ctx, owner, { currency: 'USD' });
    await post(euros.id, 'credit', '100.00');
    const transfer = await transferBetweenWallets(server.ctx, owner,
      { sourceWalletId: euros.id, targetWalletId: dollars.id, amount: '10.00' });
    // Reversing the credit leg reverses the pair.
    const { reversal, counterReversal } = await reverse(transfer.target.id);
    assert.equal(reversal.walletId, dollars.id);
    assert.equal(reversal.type, 'debit');
    assert.equal(reversal.amountMinor, transfer.target.amountMinor);
    assert.ok(counterReversal);
    assert.equal(counterReversal.walletId, euros.id);
    assert.equal(counterReversal.amountMinor, 1000n);
    assert.equal(counterReversal.transferId, reversal.transferId);
    assert.notEqual(reversal.transferId, transfer.transferId);
    assert.equal(reversal.rate, transfer.rate);
    assert.equal((await getWallet(server.ctx, owner, euros.id)).balanceMinor, 10000n);
    assert.equal((await getWallet(server.ctx, owner, dollars.id)).balanceMinor, 0n);
    await rejectsWithProblem(reverse(transfer.source.id), 409, 'already-reversed');
  });

  it('leaves a clean ledger, transfer pairs included', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.equal(report.transfersChecked, 2);
  });
});
