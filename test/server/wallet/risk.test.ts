import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { RiskBlockedProblem } from '../../../server/wallet/risk.ts';
import { riskAssessmentSchema } from '../../../server/wallet/risk-schemas.ts';
import { transactionSchema } from '../../../server/wallet/schemas.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  signInAgain,
  storedBalanceMinor,
  type Answer,
  type Client,
} from './api-support.ts';
import { rejectsWithProblem } from './support.ts';

/** Longer than the velocity window (10 minutes), so earlier debits stop counting. */
const pastVelocityWindowMs = 11 * 60 * 1000;

/** The rules that fired in an assessment or a problem body. */
const firedRules = (rules: { rule: string; fired?: boolean }[]) =>
  rules.filter((rule) => rule.fired !== false).map((rule) => rule.rule);

describe(`risk assessments through the API on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  let wallet: { id: number };
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
    wallet = await openWallet(server, owner);
    await post(server, owner, wallet.id, { type: 'credit', amount: '10000.00' });
  });
  after(async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    await server.close();
  });

  const debit = (walletId: number, amount: string, key = freshKey()) =>
    call(server, owner, 'POST', `/api/wallets/${walletId}/transactions`,
      { type: 'debit', amount }, key);
  const assessments = (walletId: number, query = '', client = owner) =>
    call(server, client, 'GET', `/api/wallets/${walletId}/risk-assessments${query}`);
  async function transactionCount(): Promise<number> {
    const rows = await server.ctx.sequelize.query<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM ab_wallet_transactions', { type: QueryTypes.SELECT });
    return Number(rows[0]?.n);
  }

  it('approves a quiet debit, shows it on the transaction, and keeps every rule\'s reason',
    async () => {
      const posted = await debit(wallet.id, '10.00');
      assert.equal(posted.status, 201);
      transactionSchema.parse(posted.body);
      assert.deepEqual(posted.body.risk, { score: 0, band: 'approve' });
      const credit = await post(server, owner, wallet.id, { type: 'credit', amount: '1.00' });
      assert.equal(credit.risk, null);
      const list = await assessments(wallet.id, `?transactionId=${posted.body.id}`);
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 1);
      const [assessment] = list.body.items;
      riskAssessmentSchema.parse(assessment);
      assert.equal(assessment.band, 'approve');
      assert.equal(assessment.score, 0);
      assert.deepEqual(assessment.amount, { amount: '10.00', currency: 'EUR' });
      assert.deepEqual(assessment.rules.map((rule: { rule: string }) => rule.rule),
        ['velocity', 'amount-above-history', 'new-payment-method', 'just-under-limit', 'new-ip']);
      assert.deepEqual(firedRules(assessment.rules), []);
      assert.equal(assessment.rules[0].reason,
        '1 debit in 10 minutes, this one included; flagged above 5.');
    });

  it('posts the 6th debit in 10 minutes but flags it for review', async () => {
    server.clock.advance(pastVelocityWindowMs);
    const answers: Answer[] = [];
    for (let index = 0; index < 6; index += 1) answers.push(await debit(wallet.id, '10.00'));
    assert.ok(answers.every((answer) => answer.status === 201));
    assert.deepEqual(answers.slice(0, 5).map((answer) => answer.body.risk.band),
      ['approve', 'approve', 'approve', 'approve', 'approve']);
    const flagged = answers[5]?.body;
    assert.deepEqual(flagged.risk, { score: 40, band: 'review' });
    assert.deepEqual(flagged.balanceAfter, { amount: '9931.00', currency: 'EUR' });
    const read = await call(server, owner, 'GET', `/api/transactions/${flagged.id}`);
    assert.deepEqual(read.body.risk, { score: 40, band: 'review' });
    const reviews = await assessments(wallet.id, '?band=review');
    assert.equal(reviews.body.items.length, 1);
    assert.equal(reviews.body.items[0].transactionId, flagged.id);
    const velocity = reviews.body.items[0].rules[0];
    assert.deepEqual(velocity, { rule: 'velocity', fired: true, points: 40,
      reason: '6 debits in 10 minutes, this one included; more than 5 is unusual.' });
  });

  it('blocks velocity with an amount far above the history: 422 with the reasons, ' +
    'nothing posted, the attempt recorded and audited', async () => {
    for (let index = 0; index < 4; index += 1) await debit(wallet.id, '10.00');
    const balance = await storedBalanceMinor(server, wallet.id);
    const transactions = await transactionCount();
    const key = freshKey();
    const blocked = await debit(wallet.id, '500.00', key);
    assertProblem(blocked, 422, 'blocked-by-risk');
    assert.equal(blocked.body.risk.score, 90);
    assert.equal(blocked.body.risk.band, 'block');
    assert.deepEqual(blocked.body.risk.rules.map((rule: { rule: string; points: number }) =>
      [rule.rule, rule.points]), [['velocity', 40], ['amount-above-history', 50]]);
    assert.equal(blocked.body.risk.rules[1].reason, '500.00 EUR is 50.0 x the 95th percentile ' +
      '(10.00 EUR) of your 11 debits in the last 90 days; flagged above 3 x.');
    assert.match(blocked.body.detail, /nothing was posted: 11 debits in 10 minutes/);
    assert.equal(await storedBalanceMinor(server, wallet.id), balance);
    assert.equal(await transactionCount(), transactions);
    const recorded = await assessments(wallet.id, '?band=block');
    assert.equal(recorded.body.items.length, 1);
    const [assessment] = recorded.body.items;
    assert.equal(assessment.transactionId, null);
    assert.deepEqual(assessment.amount, { amount: '500.00', currency: 'EUR' });
    assert.deepEqual(firedRules(assessment.rules), ['velocity', 'amount-above-history']);
    const audits = await call(server, owner, 'GET', '/api/audits?action=transaction.blocked');
    assert.equal(audits.body.items.length, 1);
    const [audit] = audits.body.items;
    assert.equal(audit.entityType, 'risk-assessment');
    assert.equal(audit.entityId, String(assessment.id));
    assert.equal(audit.after.score, 90);
    assert.equal(audit.after.amountMinor, '50000');
    assert.deepEqual(audit.after.rules.map((rule: { rule: string }) => rule.rule),
      ['velocity', 'amount-above-history']);

    const replay = await debit(wallet.id, '500.00', key);
    assertProblem(replay, 422, 'blocked-by-risk');
    assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.deepEqual(replay.body, blocked.body);
    assert.equal((await assessments(wallet.id, '?band=block')).body.items.length, 1);
    assertProblem(await debit(wallet.id, '500.00'), 422, 'blocked-by-risk');
    assert.equal((await assessments(wallet.id, '?band=block')).body.items.length, 2);
  });

  it('records a block made without the idempotency layer as well', async () => {
    const actor: Actor = { userId: owner.userId, isAdmin: false, ip: null, userAgent: null };
    await rejectsWithProblem(postTransaction(server.ctx, actor, { walletId: wallet.id,
      type: 'debit', amount: '700.00' }), 422, 'blocked-by-risk');
    const blocks = await assessments(wallet.id, '?band=block');
    assert.equal(blocks.body.items.length, 3);
    assert.deepEqual(blocks.body.items[0].amount, { amount: '700.00', currency: 'EUR' });
  });

  it('lets the amount pass once the burst is over: one signal alone only reviews', async () => {
    server.clock.advance(pastVelocityWindowMs);
    const posted = await debit(wallet.id, '500.00');
    assert.equal(posted.status, 201);
    assert.deepEqual(posted.body.risk, { score: 50, band: 'review' });
  });

  it('does not assess reversals and transfers', async () => {
    server.clock.advance(pastVelocityWindowMs);
    const posted = await debit(wallet.id, '3.00');
    const reversal = await call(server, owner, 'POST',
      `/api/transactions/${posted.body.id}/reverse`);
    assert.equal(reversal.status, 201);
    assert.equal(reversal.body.risk, null);
    const target = await openWallet(server, owner);
    const transfer = await call(server, owner, 'POST', '/api/transfers',
      { sourceWalletId: wallet.id, targetWalletId: target.id, amount: '5000.00' }, freshKey());
    assert.equal(transfer.status, 201);
    assert.equal(transfer.body.source.risk, null);
    assert.equal(transfer.body.target.risk, null);
  });

  it('flags the 3rd debit in a week just under the wallet\'s maximum per transaction',
    async () => {
      const capped = await openWallet(server, owner, { transactionAmountMax: '100.00',
        overdraftLimit: '1000.00' });
      const bands: string[] = [];
      for (const amount of ['96.00', '94.99', '100.00', '95.00']) {
        server.clock.advance(pastVelocityWindowMs);
        const answer = await debit(capped.id, amount);
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        bands.push(answer.body.risk.band);
      }
      assert.deepEqual(bands, ['approve', 'approve', 'approve', 'review']);
      const [latest] = (await assessments(capped.id, '?limit=1')).body.items;
      assert.deepEqual(firedRules(latest.rules), ['just-under-limit']);
      assert.match(latest.rules[3].reason, /^3 debits within 5 % below the wallet's maximum/);
    });

  it('flags a new card paying half of what the wallet can pay', async () => {
    const spender = await apiUser(server);
    const own = await openWallet(server, spender, { overdraftLimit: '20.00' });
    await post(server, spender, own.id, { type: 'credit', amount: '80.00' });
    const card = await call(server, spender, 'POST', '/api/payment-methods', { kind: 'card',
      currency: 'EUR', number: '4242424242424242', expiryMonth: 1, expiryYear: 2030 });
    assert.equal(card.status, 201);
    const pay = (amount: string) => call(server, spender, 'POST',
      `/api/wallets/${own.id}/transactions`,
      { type: 'debit', amount, paymentMethodId: card.body.id }, freshKey());
    const small = await pay('49.99');
    assert.deepEqual(small.body.risk, { score: 0, band: 'approve' });
    const large = await pay('25.01');
    assert.deepEqual(large.body.risk, { score: 40, band: 'review' });
    const [latest] = (await assessments(own.id, '?limit=1', spender)).body.items;
    assert.equal(latest.paymentMethodId, card.body.id);
    assert.equal(latest.rules[2].reason, 'Visa •••• 4242 (•••• 4242) is new (added 0 minutes ' +
      'ago) and pays 25.01 EUR, 50 % of what the wallet can pay (50.01 EUR).');
  });

  it('pages the assessments newest first; another user\'s wallet is not found', async () => {
    await signInAgain(server, owner);
    await signInAgain(server, stranger);
    const first = await assessments(wallet.id, '?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextCursor);
    const second = await assessments(wallet.id, `?limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((item) => item.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
    assert.equal(new Set(ids).size, 4);
    assertProblem(await assessments(wallet.id, '', stranger), 404, 'not-found');
    assertProblem(await assessments(999_999), 404, 'not-found');
    assertProblem(await assessments(wallet.id, '?band=maybe'), 400, 'validation');
    assertProblem(await assessments(wallet.id, '?limit=101'), 400, 'validation');
    assertProblem(await assessments(wallet.id, '?cursor=zz'), 400, 'validation');
    assertProblem(await assessments(wallet.id, '?transactionId=0'), 400, 'validation');
    assertProblem(await call(server, null, 'GET', `/api/wallets/${wallet.id}/risk-assessments`),
      401, 'unauthenticated');
  });

  it('logs, and does not throw, when a block cannot be recorded; it records only once',
    async () => {
      const actor: Actor = { userId: owner.userId, isAdmin: false, ip: null, userAgent: null };
      const rule = { rule: 'velocity' as const, fired: true, points: 90, reason: 'Test.' };
      const problem = new RiskBlockedProblem(actor, { userId: owner.userId, walletId: 999_999,
        paymentMethodId: null, amountMinor: 100n, currency: 'EUR', score: 90, band: 'block',
        rules: [rule], ip: null, userAgent: null, assessedAt: server.clock.now() });
      await problem.recordAfterRollback(server.ctx);
      await problem.recordAfterRollback(server.ctx);
      const lines = server.logLines.filter((line) =>
        line.includes('a blocked debit could not be recorded'));
      assert.equal(lines.length, 1);
    });
});

describe(`risk settings from the configuration on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PUBLIC_ORIGIN: 'https://bank.example',
      RISK_REVIEW_SCORE: '20', RISK_BLOCK_SCORE: '1000' });
  });
  after(() => server.close());

  it('flags the first debit from a new address, read from the proxy\'s X-Forwarded-For',
    async () => {
      const owner = await apiUser(server);
      const wallet = await openWallet(server, owner);
      await post(server, owner, wallet.id, { type: 'credit', amount: '100.00' });
      const from = (ip: string) => call(server, owner, 'POST',
        `/api/wallets/${wallet.id}/transactions`, { type: 'debit', amount: '1.00' },
        { ...freshKey(), 'X-Forwarded-For': `10.0.0.1, ${ip}`, 'User-Agent': 'risk-test' });
      assert.deepEqual((await from('198.51.100.1')).body.risk, { score: 0, band: 'approve' });
      assert.deepEqual((await from('198.51.100.1')).body.risk, { score: 0, band: 'approve' });
      const moved = await from('198.51.100.2');
      assert.deepEqual(moved.body.risk, { score: 20, band: 'review' });
      const [latest] = (await call(server, owner, 'GET',
        `/api/wallets/${wallet.id}/risk-assessments?limit=1`)).body.items;
      assert.equal(latest.ip, '198.51.100.2');
      assert.equal(latest.userAgent, 'risk-test');
      assert.deepEqual(latest.rules[4], { rule: 'new-ip', fired: true, points: 20,
        reason: 'The first debit from 198.51.100.2; your earlier debits came from other ' +
          'addresses.' });
    });

  it('does not block below RISK_BLOCK_SCORE, whatever fires', async () => {
    const owner = await apiUser(server);
    const wallet = await openWallet(server, owner);
    await post(server, owner, wallet.id, { type: 'credit', amount: '1000.00' });
    for (let index = 0; index < 10; index += 1) {
      await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
        { type: 'debit', amount: '1.00' }, freshKey());
    }
    const spike = await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
      { type: 'debit', amount: '500.00' }, freshKey());
    assert.equal(spike.status, 201);
    assert.deepEqual(spike.body.risk, { score: 90, band: 'review' });
  });
});
