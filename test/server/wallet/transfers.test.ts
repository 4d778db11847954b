import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { divideRates, formatRate, parseRate } from '../../../server/wallet/decimal-rate.ts';
import { parseEcbXml } from '../../../server/wallet/ecb-xml.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { convertMinor } from '../../../server/wallet/money.ts';
import { bundledRatesUrl, loadBundledRates, setRate } from '../../../server/wallet/rates.ts';
import { transferBetweenWallets, type TransferInput } from '../../../server/wallet/transfers.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { transactionView } from '../../../server/wallet/views.ts';
import { changeWalletStatus, getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, rejectsWithProblem } from './support.ts';

/** The bundled snapshot's EUR rate for `currency` on `date`. */
function bundledRate(currency: string, date: string): string {
  const { days } = parseEcbXml(readFileSync(bundledRatesUrl, 'utf8'));
  const rate = days.find((day) => day.date === date)?.rates
    .find((row) => row.currency === currency);
  assert.ok(rate, `${currency} on ${date}`);
  return rate.rate;
}

describe(`transfers on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  let stranger: Actor;
  let admin: Actor;
  before(async () => {
    server = await startTestServer();
    await loadBundledRates(server.ctx);
    owner = await createTestUser(server.ctx, { name: 'owner' });
    stranger = await createTestUser(server.ctx, { name: 'stranger' });
    admin = await createTestUser(server.ctx, { name: 'admin', isAdmin: true });
  });
  after(() => server.close());

  const transfer = (input: TransferInput, actor: Actor = owner) =>
    transferBetweenWallets(server.ctx, actor, input);
  const fund = (walletId: number, amount: string) =>
    postTransaction(server.ctx, owner, { walletId, type: 'credit', amount });
  const balanceOf = async (walletId: number) =>
    (await getWallet(server.ctx, owner, walletId)).balanceMinor;

  it('moves money within one currency as a debit and a credit naming each other', async () => {
    const source = await openWallet(server.ctx, owner);
    const target = await openWallet(server.ctx, owner);
    await fund(source.id, '100.00');
    const result = await transfer({ sourceWalletId: source.id, targetWalletId: target.id,
      amount: '40.00', description: 'Savings' });
    assert.equal(result.source.type, 'debit');
    assert.equal(result.target.type, 'credit');
    assert.equal(result.source.transferId, result.transferId);
    assert.equal(result.target.transferId, result.transferId);
    assert.equal(result.source.counterWalletId, target.id);
    assert.equal(result.target.counterWalletId, source.id);
    assert.equal(result.source.counterAmountMinor, 4000n);
    assert.equal(result.rate, null);
    assert.equal(result.source.rate, null);
    assert.equal(await balanceOf(source.id), 6000n);
    assert.equal(await balanceOf(target.id), 4000n);
    assert.deepEqual(transactionView(result.source).transfer?.counterAmount,
      { amount: '40.00', currency: 'EUR' });
  });

  it('converts at the latest rate on or before the day: Sunday uses Friday', async () => {
    const euros = await openWallet(server.ctx, owner);
    const dollars = await openWallet(server.ctx, owner, { currency: 'USD' });
    await fund(euros.id, '100.00');
    const rate = bundledRate('USD', '2026-02-27');
    const result = await transfer({ sourceWalletId: euros.id, targetWalletId: dollars.id,
      amount: '100.00' });
    assert.equal(result.rate, rate);
    assert.equal(result.rateDate, '2026-02-27');
    assert.equal(result.rateSource, 'ecb');
    const expectedMinor = convertMinor(10000n, 'EUR', 'USD', parseRate(rate));
    assert.equal(result.target.amountMinor, expectedMinor);
    for (const leg of [result.source, result.target]) {
      assert.equal(leg.rate, rate);
      assert.equal(leg.rateDate, '2026-02-27');
    }
    assert.equal(await balanceOf(dollars.id), expectedMinor);
  });

  it('uses the day before a holiday for a back-dated transfer', async () => {
    const euros = await openWallet(server.ctx, owner);
    const pounds = await openWallet(server.ctx, owner, { currency: 'GBP' });
    await fund(euros.id, '10.00');
    const result = await transfer({ sourceWalletId: euros.id, targetWalletId: pounds.id,
      amount: '10.00', occurredAt: '2026-01-01T12:00:00Z' });
    assert.equal(result.rateDate, '2025-12-31');
    assert.equal(result.rate, bundledRate('GBP', '2025-12-31'));
  });

  it('crosses through EUR between two other currencies', async () => {
    const dollars = await openWallet(server.ctx, owner, { currency: 'USD' });
    const yen = await openWallet(server.ctx, owner, { currency: 'JPY' });
    await fund(dollars.id, '50.00');
    const cross = divideRates(parseRate(bundledRate('JPY', '2026-02-27')),
      parseRate(bundledRate('USD', '2026-02-27')));
    assert.ok(cross);
    const result = await transfer({ sourceWalletId: dollars.id, targetWalletId: yen.id,
      amount: '50.00' });
    assert.equal(result.rate, formatRate(cross));
    assert.equal(result.target.amountMinor, convertMinor(5000n, 'USD', 'JPY', cross));
    assert.equal(result.target.currency, 'JPY');
    assert.equal(result.source.counterCurrency, 'JPY');
  });

  it('rounds a tie half to even, and freezes the rate on the entries', async () => {
    await setRate(server.ctx, admin, { quote: 'JPY', rate: '100.5', date: '2026-03-01' });
    const euros = await openWallet(server.ctx, owner);
    const yen = await openWallet(server.ctx, owner, { currency: 'JPY' });
    await fund(euros.id, '10.00');
    const pair = { sourceWalletId: euros.id, targetWalletId: yen.id };
    const down = await transfer({ ...pair, amount: '1.00' });
    const up = await transfer({ ...pair, amount: '3.00' });
    assert.equal(down.target.amountMinor, 100n); // 100.5 -> 100
    assert.equal(up.target.amountMinor, 302n); // 301.5 -> 302
    assert.equal(down.rateSource, 'admin');
    assert.equal(down.rateDate, '2026-03-01');
    // A later change of the rate leaves posted entries alone.
    await setRate(server.ctx, admin, { quote: 'JPY', rate: '150', date: '2026-03-01' });
    const { WalletTransaction } = walletModels(server.ctx.sequelize);
    const leg = await WalletTransaction.findByPk(down.target.id);
    assert.equal(leg?.rate, '100.5');
    assert.equal(leg?.amountMinor, 100n);
  });

  it('refuses without a rate on or before the day, or with nothing left', async () => {
    const euros = await openWallet(server.ctx, owner);
    const dollars = await openWallet(server.ctx, owner, { currency: 'USD' });
    await fund(euros.id, '10.00');
    await rejectsWithProblem(transfer({ sourceWalletId: euros.id, targetWalletId: dollars.id,
      amount: '1.00', occurredAt: '2025-09-30T12:00:00Z' }), 422, 'rate-unavailable');
    const rupiah = await openWallet(server.ctx, owner, { currency: 'IDR' });
    await fund(rupiah.id, '1.00');
    await rejectsWithProblem(transfer({ sourceWalletId: rupiah.id, targetWalletId: euros.id,
      amount: '0.01' }), 422, 'amount-too-small');
    assert.equal(await balanceOf(euros.id), 1000n);
  });

  it('posts neither leg when a rule refuses one', async () => {
    const source = await openWallet(server.ctx, owner, { dailyDebitLimit: '20.00' });
    const target = await openWallet(server.ctx, owner, { transactionAmountMax: '15.00' });
    await fund(source.id, '30.00');
    const pair = { sourceWalletId: source.id, targetWalletId: target.id };
    await rejectsWithProblem(transfer({ ...pair, amount: '30.01' }), 422, 'insufficient-funds');
    await rejectsWithProblem(transfer({ ...pair, amount: '15.01' }), 422,
      'amount-above-wallet-maximum');
    await transfer({ ...pair, amount: '15.00' });
    await rejectsWithProblem(transfer({ ...pair, amount: '5.01' }), 422, 'daily-limit-exceeded');
    await changeWalletStatus(server.ctx, owner, target.id, 'frozen');
    await rejectsWithProblem(transfer({ ...pair, amount: '1.00' }), 409, 'wallet-frozen');
    assert.equal(await balanceOf(source.id), 1500n);
    assert.equal((await getWallet(server.ctx, owner, target.id)).entryCount, 1);
  });

  it("refuses one wallet twice and another user's wallet", async () => {
    const own = await openWallet(server.ctx, owner);
    const foreign = await openWallet(server.ctx, stranger);
    await fund(own.id, '5.00');
    await rejectsWithProblem(transfer({ sourceWalletId: own.id, targetWalletId: own.id,
      amount: '1.00' }), 422, 'same-wallet');
    await rejectsWithProblem(transfer({ sourceWalletId: own.id, targetWalletId: foreign.id,
      amount: '1.00' }), 404, 'not-found');
    await rejectsWithProblem(transfer({ sourceWalletId: foreign.id, targetWalletId: own.id,
      amount: '1.00' }), 404, 'not-found');
    await rejectsWithProblem(transfer({ sourceWalletId: own.id, targetWalletId: foreign.id,
      amount: '1.00' }, stranger), 404, 'not-found');
    assert.equal(await balanceOf(own.id), 500n);
  });

  it('runs opposite transfers at once without deadlock, and none past the balance', async () => {
    const first = await openWallet(server.ctx, owner);
    const second = await openWallet(server.ctx, owner);
    await fund(first.id, '40.00');
    await fund(second.id, '1000.00');
    const outcomes = await Promise.allSettled(Array.from({ length: 24 }, (_, index) =>
      index % 2 === 0
        ? transfer({ sourceWalletId: first.id, targetWalletId: second.id, amount: '10.00' })
        : transfer({ sourceWalletId: second.id, targetWalletId: first.id, amount: '1.00' })));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    for (const outcome of refused) {
      assert.equal((outcome.reason as { slug?: string }).slug, 'insufficient-funds');
    }
    const firstBalance = await balanceOf(first.id);
    const secondBalance = await balanceOf(second.id);
    assert.ok(firstBalance >= 0n);
    assert.equal(firstBalance + secondBalance, 104000n);
  });

  it('leaves a clean ledger with every transfer balanced', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.ok(report.transfersChecked >= 10);
  });
});
