import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashRequest } from '../../../server/wallet/idempotency.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { transactionSchema, transferSchema } from '../../../server/wallet/schemas.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  storedBalanceMinor,
  walletRowCounts,
  type Client,
} from './api-support.ts';

describe(`the transaction routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
  });
  after(async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    await server.close();
  });

  const transactionsOf = (walletId: number) => `/api/wallets/${walletId}/transactions`;

  describe('POST /api/wallets/:id/transactions', () => {
    it('posts a credit and a debit, with money as strings and the balance after', async () => {
      const wallet = await openWallet(server, owner);
      const credit = await post(server, owner, wallet.id, { type: 'credit', amount: '100.00',
        description: 'Salary', counterparty: 'ACME', tags: ['work', 'work', ' monthly '],
        metadata: { invoice: 'A-1', lines: [1, 2] }, occurredAt: '2026-02-28T08:00:00+01:00' });
      transactionSchema.parse(credit);
      assert.deepEqual(credit.amount, { amount: '100.00', currency: 'EUR' });
      assert.deepEqual(credit.balanceAfter, { amount: '100.00', currency: 'EUR' });
      assert.deepEqual(credit.tags, ['work', 'monthly']);
      assert.equal(credit.occurredAt, '2026-02-28T07:00:00.000Z');
      assert.deepEqual(credit.metadata, { invoice: 'A-1', lines: [1, 2] });
      assert.equal(credit.reversalOf, null);
      const debit = await post(server, owner, wallet.id, { type: 'debit', amount: '0.01',
        currency: 'EUR' });
      assert.deepEqual(debit.balanceAfter, { amount: '99.99', currency: 'EUR' });
      const read = await call(server, owner, 'GET', `/api/wallets/${wallet.id}`);
      assert.deepEqual(read.body.balance, { amount: '99.99', currency: 'EUR' });
      const one = await call(server, owner, 'GET', `/api/transactions/${debit.id}`);
      assert.deepEqual(one.body, debit);
      assertProblem(await call(server, stranger, 'GET', `/api/transactions/${debit.id}`), 404,
        'not-found');
    });

    it('refuses every kind of bad input with problem+json and changes nothing', async () => {
      const euro = await openWallet(server, owner);
      const yen = await openWallet(server, owner, { currency: 'JPY' });
      const foreign = await openWallet(server, stranger);
      await post(server, owner, euro.id, { type: 'credit', amount: '10.00' });
      const counts = await walletRowCounts(server);
      const balances = [await storedBalanceMinor(server, euro.id),
        await storedBalanceMinor(server, yen.id), await storedBalanceMinor(server, foreign.id)];
      const cases: [number, Record<string, unknown>, number, string][] = [
        [euro.id, { type: 'credit', amount: '1e3' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '-5' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '12.345' }, 400, 'validation'],
        [yen.id, { type: 'credit', amount: '10.5' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: 12.34 }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '0' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: ' 5' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '10000000000000.01' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '9'.repeat(40) }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '5.00', currency: 'XXX' }, 422, 'unknown-currency'],
        [euro.id, { type: 'credit', amount: '5.00', currency: 'USD' }, 422, 'currency-mismatch'],
        [euro.id, { type: 'refund', amount: '5.00' }, 400, 'validation'],
        [euro.id, { amount: '5.00' }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '5.00', surprise: 1 }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '5.00', occurredAt: '2026-03-01T10:00:00' }, 400,
          'validation'],
        [euro.id, { type: 'credit', amount: '5.00', occurredAt: '2026-03-05T10:00:00Z' }, 400,
          'validation'],
        [euro.id, { type: 'credit', amount: '5.00', tags: Array(21).fill('t').map(
          (tag, index) => `${tag}${index}`) }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '5.00', description: 'd'.repeat(501) }, 400,
          'validation'],
        [euro.id, { type: 'credit', amount: '5.00', metadata: { a: { b: { c: { d: { e: {} } } } } }
        }, 400, 'validation'],
        [euro.id, { type: 'credit', amount: '5.00', categoryId: 999999 }, 422,
          'unknown-category'],
        [euro.id, { type: 'credit', amount: '5.00', paymentMethodId: 999999 }, 422,
          'unknown-payment-method'],
        [euro.id, { type: 'debit', amount: '10.01' }, 422, 'insufficient-funds'],
        [foreign.id, { type: 'credit', amount: '5.00' }, 404, 'not-found'],
        [987654, { type: 'credit', amount: '5.00' }, 404, 'not-found'],
      ];
      for (const [walletId, body, status, slug] of cases) {
        const answer = await call(server, owner, 'POST', transactionsOf(walletId), body,
          freshKey());
        assertProblem(answer, status, slug);
      }
      assert.deepEqual(await walletRowCounts(server), counts);
      assert.deepEqual([await storedBalanceMinor(server, euro.id),
        await storedBalanceMinor(server, yen.id), await storedBalanceMinor(server, foreign.id)],
      balances);
    });

    it('needs an Idempotency-Key and a JSON body', async () => {
      const wallet = await openWallet(server, owner);
      const missing = await call(server, owner, 'POST', transactionsOf(wallet.id),
        { type: 'credit', amount: '1.00' });
      assertProblem(missing, 400, 'validation');
      assert.equal(missing.body.errors[0].path, 'headers.Idempotency-Key');
      const bad = await call(server, owner, 'POST', transactionsOf(wallet.id),
        { type: 'credit', amount: '1.00' }, { 'Idempotency-Key': 'has spaces' });
      assertProblem(bad, 400, 'validation');
      const text = await call(server, owner, 'POST', transactionsOf(wallet.id), 'amount=1',
        { ...freshKey(), 'content-type': 'text/plain' });
      assertProblem(text, 415, 'unsupported-media-type');
      assert.equal(await storedBalanceMinor(server, wallet.id), 0n);
    });
  });

  describe('Idempotency-Key through HTTP', () => {
    it('replays the first answer, success or failure, and refuses another body', async () => {
      const wallet = await openWallet(server, owner);
      const key = freshKey();
      const body = { type: 'credit', amount: '7.00' };
      const first = await call(server, owner, 'POST', transactionsOf(wallet.id), body, key);
      const replay = await call(server, owner, 'POST', transactionsOf(wallet.id), body, key);
      assert.equal(first.status, 201);
      assert.equal(first.headers.get('Idempotent-Replayed'), null);
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(replay.body, first.body);
      assertProblem(await call(server, owner, 'POST', transactionsOf(wallet.id),
        { type: 'credit', amount: '8.00' }, key), 409, 'idempotency-key-reused');
      const failing = freshKey();
      const refusal = { type: 'debit', amount: '100.00' };
      assertProblem(await call(server, owner, 'POST', transactionsOf(wallet.id), refusal,
        failing), 422, 'insufficient-funds');
      await post(server, owner, wallet.id, { type: 'credit', amount: '500.00' });
      const replayedRefusal = await call(server, owner, 'POST', transactionsOf(wallet.id),
        refusal, failing);
      assertProblem(replayedRefusal, 422, 'insufficient-funds');
      assert.equal(replayedRefusal.headers.get('Idempotent-Replayed'), 'true');
      assert.equal(await storedBalanceMinor(server, wallet.id), 50_700n);
    });

    it('keeps keys apart per user: another user\'s identical key posts their own', async () => {
      const mine = await openWallet(server, owner);
      const theirs = await openWallet(server, stranger);
      const key = freshKey();
      await call(server, owner, 'POST', transactionsOf(mine.id), { type: 'credit',
        amount: '1.00' }, key);
      const other = await call(server, stranger, 'POST', transactionsOf(theirs.id),
        { type: 'credit', amount: '1.00' }, key);
      assert.equal(other.status, 201);
      assert.equal(other.headers.get('Idempotent-Replayed'), null);
    });

    it('answers 409 in-progress with Retry-After: 1 while the first request runs', async () => {
      const wallet = await openWallet(server, owner);
      const key = 'in-flight-key';
      const body = { type: 'credit', amount: '3.00' };
      const now = server.clock.now();
      const { IdempotencyKey } = walletModels(server.ctx.sequelize);
      await IdempotencyKey.create({ scope: `user:${owner.userId}`, idempotencyKey: key,
        userId: owner.userId, status: 'in-progress',
        requestHash: hashRequest({ method: 'POST', path: transactionsOf(wallet.id), body }),
        claimToken: '00000000-0000-4000-8000-000000000000',
        claimExpiresAt: new Date(now.getTime() + 30_000), responseStatus: null,
        responseBody: null, responseHeaders: null, createdAt: now, completedAt: null,
        expiresAt: new Date(now.getTime() + 86_400_000) });
      const answer = await call(server, owner, 'POST', transactionsOf(wallet.id), body,
        { 'Idempotency-Key': key });
      assertProblem(answer, 409, 'idempotency-in-progress');
      assert.equal(answer.headers.get('Retry-After'), '1');
      assert.equal(await storedBalanceMinor(server, wallet.id), 0n);
    });

    it('posts once when the same request arrives many times at once', async () => {
      const wallet = await openWallet(server, owner);
      const key = freshKey();
      const body = { type: 'credit', amount: '11.00', description: 'once' };
      const answers = await Promise.all(Array.from({ length: 6 }, () =>
        call(server, owner, 'POST', transactionsOf(wallet.id), body, key)));
      const fresh = answers.filter((answer) => answer.status === 201 &&
        answer.headers.get('Idempotent-Replayed') === null);
      assert.equal(fresh.length, 1);
      for (const answer of answers) {
        if (answer.status === 201) {
          assert.deepEqual(answer.body, fresh[0]?.body);
        } else {
          assertProblem(answer, 409, 'idempotency-in-progress');
          assert.equal(answer.headers.get('Retry-After'), '1');
        }
      }
      assert.equal(await storedBalanceMinor(server, wallet.id), 1100n);
      const listed = await call(server, owner, 'GET', transactionsOf(wallet.id));
      assert.equal(listed.body.items.length, 1);
    });
  });

  describe('POST /api/transactions/:id/reverse', () => {
    it('answers 201 with the reversing transaction, then 409 already-reversed', async () => {
      const wallet = await openWallet(server, owner);
      const original = await post(server, owner, wallet.id, { type: 'credit', amount: '40.00',
        tags: ['gift'] });
      const reversed = await call(server, owner, 'POST',
        `/api/transactions/${original.id}/reverse`, { description: 'Entered twice' });
      assert.equal(reversed.status, 201);
      transactionSchema.parse(reversed.body);
      assert.equal(reversed.body.reversalOf, original.id);
      assert.equal(reversed.body.type, 'debit');
      assert.equal(reversed.body.description, 'Entered twice');
      assert.deepEqual(reversed.body.balanceAfter, { amount: '0.00', currency: 'EUR' });
      const again = await call(server, owner, 'POST', `/api/transactions/${original.id}/reverse`);
      assertProblem(again, 409, 'already-reversed');
      assert.equal(again.body.reversedBy, reversed.body.id);
      assertProblem(await call(server, owner, 'POST',
        `/api/transactions/${reversed.body.id}/reverse`), 422, 'not-reversible');
      const read = await call(server, owner, 'GET', `/api/transactions/${original.id}`);
      assert.equal(read.body.reversedBy, reversed.body.id);
    });

    it('replays under a key, and hides another user\'s transaction', async () => {
      const wallet = await openWallet(server, owner);
      const original = await post(server, owner, wallet.id, { type: 'credit', amount: '5.00' });
      const key = freshKey();
      const first = await call(server, owner, 'POST', `/api/transactions/${original.id}/reverse`,
        undefined, key);
      const replay = await call(server, owner, 'POST',
        `/api/transactions/${original.id}/reverse`, undefined, key);
      assert.equal(first.status, 201);
      assert.equal(replay.status, 201);
      assert.equal(replay.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(replay.body, first.body);
      const theirs = await post(server, stranger, (await openWallet(server, stranger)).id,
        { type: 'credit', amount: '5.00' });
      assertProblem(await call(server, owner, 'POST', `/api/transactions/${theirs.id}/reverse`),
        404, 'not-found');
      assertProblem(await call(server, owner, 'POST', `/api/transactions/${original.id}/reverse`,
        { reason: 'unknown member' }), 400, 'validation');
    });
  });

  describe('POST /api/transfers', () => {
    it('moves money between one user\'s wallets, converting at the dated rate', async () => {
      const admin = await apiUser(server, { admin: true });
      const rate = await call(server, admin, 'PUT', '/api/rates',
        { quote: 'USD', rate: '1.0800', date: '2026-02-27' });
      assert.equal(rate.status, 200);
      const euro = await openWallet(server, owner);
      const dollar = await openWallet(server, owner, { currency: 'USD' });
      await post(server, owner, euro.id, { type: 'credit', amount: '200.00' });
      const answer = await call(server, owner, 'POST', '/api/transfers', { sourceWalletId: euro.id,
        targetWalletId: dollar.id, amount: '100.00', description: 'To dollars' }, freshKey());
      assert.equal(answer.status, 201);
      const transfer = transferSchema.parse(answer.body);
      assert.equal(transfer.rate, '1.08');
      assert.equal(transfer.rateDate, '2026-02-27');
      assert.deepEqual(transfer.source.amount, { amount: '100.00', currency: 'EUR' });
      assert.deepEqual(transfer.target.amount, { amount: '108.00', currency: 'USD' });
      assert.equal(transfer.source.transfer?.id, transfer.id);
      const reversal = await call(server, owner, 'POST',
        `/api/transactions/${transfer.target.id}/reverse`);
      assert.equal(reversal.status, 201);
      assert.equal(await storedBalanceMinor(server, euro.id), 20_000n);
      assert.equal(await storedBalanceMinor(server, dollar.id), 0n);
    });

    it('refuses a foreign wallet, the same wallet, bad amounts and a missing key', async () => {
      const mine = await openWallet(server, owner);
      const other = await openWallet(server, owner);
      const theirs = await openWallet(server, stranger);
      await post(server, owner, mine.id, { type: 'credit', amount: '50.00' });
      const counts = await walletRowCounts(server);
      const transfer = (body: Record<string, unknown>, headers = freshKey()) =>
        call(server, owner, 'POST', '/api/transfers', body, headers);
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: theirs.id,
        amount: '1.00' }), 404, 'not-found');
      assertProblem(await transfer({ sourceWalletId: theirs.id, targetWalletId: mine.id,
        amount: '1.00' }), 404, 'not-found');
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: mine.id,
        amount: '1.00' }), 422, 'same-wallet');
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: other.id,
        amount: '1.001' }), 400, 'validation');
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: other.id,
        amount: 1 }), 400, 'validation');
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: other.id,
        amount: '60.00' }), 422, 'insufficient-funds');
      assertProblem(await transfer({ sourceWalletId: mine.id, targetWalletId: other.id,
        amount: '1.00' }, {}), 400, 'validation');
      assert.deepEqual(await walletRowCounts(server), counts);
      assert.equal(await storedBalanceMinor(server, theirs.id), 0n);
    });
  });
});
