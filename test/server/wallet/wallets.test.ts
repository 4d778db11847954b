import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import {
  changeWalletLimits,
  changeWalletStatus,
  createWallet,
  getWallet,
  listWallets,
  lockOwnedWallets,
  walletNameLengthMax,
  walletsLockedMax,
  walletsPerUserMax,
} from '../../../server/wallet/wallets.ts';
import { walletView } from '../../../server/wallet/views.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, rejectsWithProblem } from './support.ts';

describe(`wallets on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  let stranger: Actor;
  before(async () => {
    server = await startTestServer();
    owner = await createTestUser(server.ctx, { name: 'owner' });
    stranger = await createTestUser(server.ctx, { name: 'stranger' });
  });
  after(() => server.close());

  describe('opening a wallet', () => {
    it('starts empty, active, in its currency, and is audited', async () => {
      const wallet = await createWallet(server.ctx, owner, { name: '  Daily  ', currency: 'JPY',
        overdraftLimit: '5000', dailyDebitLimit: '20000' });
      assert.equal(wallet.name, 'Daily');
      assert.equal(wallet.balanceMinor, 0n);
      assert.equal(wallet.overdraftLimitMinor, 5000n);
      assert.equal(wallet.dailyDebitLimitMinor, 20000n);
      assert.equal(wallet.transactionAmountMaxMinor, null);
      assert.equal(wallet.status, 'active');
      assert.deepEqual(walletView(wallet).balance, { amount: '0', currency: 'JPY' });
      assert.deepEqual(walletView(wallet).overdraftLimit, { amount: '5000', currency: 'JPY' });
      const { Audit } = walletModels(server.ctx.sequelize);
      const audit = await Audit.findOne(
        { where: { entityType: 'wallet', entityId: String(wallet.id) } });
      assert.equal(audit?.action, 'wallet.created');
      assert.equal(audit?.actorUserId, owner.userId);
      assert.equal(audit?.ip, owner.ip);
    });

    it('refuses an unknown currency, a bad name and a bad limit', async () => {
      await rejectsWithProblem(createWallet(server.ctx, owner, { name: 'x', currency: 'XXX' }), 422,
        'unknown-currency');
      await rejectsWithProblem(createWallet(server.ctx, owner, { name: '   ', currency: 'EUR' }),
        400, 'validation');
      await rejectsWithProblem(createWallet(server.ctx, owner,
        { name: 'n'.repeat(walletNameLengthMax + 1), currency: 'EUR' }), 400, 'validation');
      await rejectsWithProblem(createWallet(server.ctx, owner,
        { name: 'limits', currency: 'EUR', dailyDebitLimit: '0' }), 400, 'validation');
      await rejectsWithProblem(createWallet(server.ctx, owner,
        { name: 'limits', currency: 'EUR', overdraftLimit: '1.001' }), 400, 'validation');
      const named = await openWallet(server.ctx, owner, { name: 'n'.repeat(walletNameLengthMax) });
      assert.equal(named.name.length, walletNameLengthMax);
    });

    it('refuses a second wallet of one name for one user, not for another', async () => {
      await createWallet(server.ctx, owner, { name: 'Savings', currency: 'EUR' });
      await rejectsWithProblem(
        createWallet(server.ctx, owner, { name: 'Savings', currency: 'USD' }),
        409, 'wallet-name-taken');
      await createWallet(server.ctx, stranger, { name: 'Savings', currency: 'EUR' });
    });

    it(`lets a user hold ${walletsPerUserMax} wallets and refuses the next`, async () => {
      const collector = await createTestUser(server.ctx, { name: 'collector' });
      await Promise.all(Array.from({ length: walletsPerUserMax }, (_, index) =>
        openWallet(server.ctx, collector, { name: `w${index}` })));
      assert.equal((await listWallets(server.ctx, collector)).length, walletsPerUserMax);
      await rejectsWithProblem(openWallet(server.ctx, collector), 422, 'wallet-limit-reached');
    });
  });

  describe('reading wallets', () => {
    it("hides another user's wallet as not found", async () => {
      const wallet = await openWallet(server.ctx, owner);
      assert.equal((await getWallet(server.ctx, owner, wallet.id)).id, wallet.id);
      await rejectsWithProblem(getWallet(server.ctx, stranger, wallet.id), 404, 'not-found');
      await rejectsWithProblem(getWallet(server.ctx, owner, 999_999), 404, 'not-found');
      const listed = await listWallets(server.ctx, stranger);
      assert.ok(listed.every((candidate) => candidate.userId === stranger.userId));
    });

    it(`locks at most ${walletsLockedMax} wallets at once`, async () => {
      const wallets = await Promise.all([1, 2, 3].map(() => openWallet(server.ctx, owner)));
      const ids = wallets.map((wallet) => wallet.id);
      await server.ctx.sequelize.transaction(async (t) => {
        const locked = await lockOwnedWallets(server.ctx, t, owner, ids.slice(0, 2).reverse());
        assert.deepEqual(locked.map((wallet) => wallet.id), ids.slice(0, 2).reverse());
      });
      await assert.rejects(server.ctx.sequelize.transaction((t) =>
        lockOwnedWallets(server.ctx, t, owner, ids)), assert.AssertionError);
    });
  });

  describe('changing limits', () => {
    it('changes only what is sent, and audits before and after', async () => {
      const wallet = await openWallet(server.ctx, owner, { dailyDebitLimit: '100.00' });
      const changed = await changeWalletLimits(server.ctx, owner, wallet.id,
        { monthlyDebitLimit: '1000.00', transactionAmountMax: '50.00' });
      assert.equal(changed.dailyDebitLimitMinor, 10000n);
      assert.equal(changed.monthlyDebitLimitMinor, 100000n);
      assert.equal(changed.transactionAmountMaxMinor, 5000n);
      const removed = await changeWalletLimits(server.ctx, owner, wallet.id,
        { dailyDebitLimit: null });
      assert.equal(removed.dailyDebitLimitMinor, null);
      const { Audit } = walletModels(server.ctx.sequelize);
      const audits = await Audit.findAll({ where: { action: 'wallet.limits-changed',
        entityId: String(wallet.id) }, order: [['id', 'ASC']] });
      assert.equal(audits.length, 2);
      assert.equal(JSON.parse(audits[0]?.beforeState ?? '{}').monthlyDebitLimitMinor, null);
      assert.equal(JSON.parse(audits[0]?.afterState ?? '{}').monthlyDebitLimitMinor, '100000');
    });

    it('refuses an overdraft limit below the current debt, and takes one equal to it', async () => {
      const wallet = await openWallet(server.ctx, owner, { overdraftLimit: '50.00' });
      await postTransaction(server.ctx, owner,
        { walletId: wallet.id, type: 'debit', amount: '30.00' });
      await rejectsWithProblem(changeWalletLimits(server.ctx, owner, wallet.id,
        { overdraftLimit: '29.99' }), 422, 'overdraft-below-balance');
      const changed = await changeWalletLimits(server.ctx, owner, wallet.id,
        { overdraftLimit: '30.00' });
      assert.equal(changed.overdraftLimitMinor, 3000n);
    });

    it("refuses a stranger's change as not found", async () => {
      const wallet = await openWallet(server.ctx, owner);
      await rejectsWithProblem(changeWalletLimits(server.ctx, stranger, wallet.id,
        { overdraftLimit: '100' }), 404, 'not-found');
    });
  });

  describe('freezing and closing', () => {
    it('freezes and unfreezes, audited', async () => {
      const wallet = await openWallet(server.ctx, owner);
      const status = async (value: 'frozen' | 'active') =>
        (await changeWalletStatus(server.ctx, owner, wallet.id, value)).status;
      assert.equal(await status('frozen'), 'frozen');
      assert.equal(await status('active'), 'active');
      const { Audit } = walletModels(server.ctx.sequelize);
      assert.equal(await Audit.count({ where: { action: 'wallet.status-changed',
        entityId: String(wallet.id) } }), 2);
    });

    it('closes only an empty wallet, and a closed wallet stays closed', async () => {
      const wallet = await openWallet(server.ctx, owner);
      await postTransaction(server.ctx, owner,
        { walletId: wallet.id, type: 'credit', amount: '1.00' });
      await rejectsWithProblem(changeWalletStatus(server.ctx, owner, wallet.id, 'closed'), 422,
        'wallet-not-empty');
      await postTransaction(server.ctx, owner,
        { walletId: wallet.id, type: 'debit', amount: '1.00' });
      await changeWalletStatus(server.ctx, owner, wallet.id, 'closed');
      await rejectsWithProblem(changeWalletStatus(server.ctx, owner, wallet.id, 'active'), 409,
        'wallet-closed');
      await rejectsWithProblem(changeWalletLimits(server.ctx, owner, wallet.id,
        { overdraftLimit: '1' }), 409, 'wallet-closed');
    });
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.ok(report.ok);
  });
});
