import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProblemError } from '../../../server/http/problem.ts';
import type { Actor } from '../../../server/wallet/actor.ts';
import {
  hashRequest,
  idempotencyClaimTtlMs,
  idempotencyKeyLengthMax,
  idempotencyKeyTtlMs,
  idempotencyPurgeRowsMax,
  idempotencyResponseLengthMax,
  purgeExpiredIdempotencyKeys,
  replayedHeader,
  runIdempotent,
  userIdempotencyScope,
  type IdempotentRequest,
  type IdempotentResponse,
} from '../../../server/wallet/idempotency.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { walletModels, type WalletAttributes } from '../../../server/wallet/models.ts';
import { transactionView } from '../../../server/wallet/views.ts';
import { getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, rejectsWithProblem } from './support.ts';

describe(`idempotency keys on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  let wallet: WalletAttributes;
  let keyNumber = 0;
  before(async () => {
    server = await startTestServer();
    owner = await createTestUser(server.ctx);
    wallet = await openWallet(server.ctx, owner);
    await postTransaction(server.ctx, owner,
      { walletId: wallet.id, type: 'credit', amount: '100.00' });
  });
  after(() => server.close());

  const freshKey = () => `key-${(keyNumber += 1)}-${testDialect}`;
  const request = (key: string, body: { type: 'credit' | 'debit'; amount: string }) => ({
    scope: userIdempotencyScope(owner.userId), userId: owner.userId, key, method: 'POST',
    path: `/api/wallets/${wallet.id}/transactions`, body,
  });
  /** Posts through the idempotency layer and counts how often the work really ran. */
  const runs = { count: 0 };
  const postOnce = (key: string, body: { type: 'credit' | 'debit'; amount: string }) =>
    runIdempotent(server.ctx, request(key, body), async (transaction) => {
      runs.count += 1;
      const posting = await postTransaction(server.ctx, owner, { walletId: wallet.id, ...body },
        { transaction });
      return { status: 201, body: transactionView(posting.transaction),
        headers: { Location: `/api/transactions/${posting.transaction.id}` } };
    });
  const balance = async () => (await getWallet(server.ctx, owner, wallet.id)).balanceMinor;

  it('runs the work once and replays its response, marked', async () => {
    const key = freshKey();
    const before = { runs: runs.count, balance: await balance() };
    const first = await postOnce(key, { type: 'debit', amount: '1.00' });
    const second = await postOnce(key, { type: 'debit', amount: '1.00' });
    assert.equal(first.status, 201);
    assert.equal(first.replayed, false);
    assert.equal(first.headers[replayedHeader], undefined);
    assert.equal(second.replayed, true);
    assert.equal(second.headers[replayedHeader], 'true');
    assert.equal(second.headers.Location, first.headers.Location);
    assert.deepEqual(second.body, first.body);
    assert.equal(runs.count, before.runs + 1);
    assert.equal(await balance(), before.balance - 100n);
  });

  it('treats the same body with keys in another order as the same request', () => {
    const one = hashRequest({ method: 'post', path: '/x', body: JSON.parse('{"a":1,"b":[2]}') });
    const two = hashRequest({ method: 'POST', path: '/x',
      body: JSON.parse('{ "b": [2], "a": 1 }') });
    assert.equal(one, two);
    assert.notEqual(one, hashRequest({ method: 'POST', path: '/y', body: { a: 1, b: [2] } }));
  });

  it('refuses the same key with another body or path: 409 idempotency-key-reused', async () => {
    const key = freshKey();
    await postOnce(key, { type: 'credit', amount: '1.00' });
    const before = { runs: runs.count, balance: await balance() };
    await rejectsWithProblem(postOnce(key, { type: 'credit', amount: '2.00' }), 409,
      'idempotency-key-reused');
    await rejectsWithProblem(runIdempotent(server.ctx,
      { ...request(key, { type: 'credit', amount: '1.00' }), path: '/api/transfers' },
      async () => ({ status: 201, body: {} })), 409, 'idempotency-key-reused');
    assert.deepEqual({ runs: runs.count, balance: await balance() }, before);
  });

  it('replays a failure too, even once the failure would no longer happen', async () => {
    const key = freshKey();
    const first = await rejectsWithProblem(postOnce(key, { type: 'debit', amount: '100000.00' }),
      422, 'insufficient-funds');
    assert.equal(first.headers[replayedHeader], undefined);
    await postTransaction(server.ctx, owner, { walletId: wallet.id, type: 'credit',
      amount: '100000.00' });
    const runsBefore = runs.count;
    const replayed = await rejectsWithProblem(postOnce(key, { type: 'debit', amount: '100000.00' }),
      422, 'insufficient-funds');
    assert.equal(replayed.headers[replayedHeader], 'true');
    assert.deepEqual(replayed.toBody('/x'), first.toBody('/x'));
    assert.equal(runs.count, runsBefore);
    await postTransaction(server.ctx, owner, { walletId: wallet.id, type: 'debit',
      amount: '100000.00' });
  });

  it('answers 409 in-progress with Retry-After while the first request runs', async () => {
    const key = freshKey();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => { started = resolve; });
    const slow = runIdempotent(server.ctx, request(key, { type: 'credit', amount: '3.00' }),
      async (transaction) => {
        started();
        await gate;
        const posting = await postTransaction(server.ctx, owner,
          { walletId: wallet.id, type: 'credit', amount: '3.00' }, { transaction });
        return { status: 201, body: transactionView(posting.transaction) };
      });
    await running;
    const problem = await rejectsWithProblem(postOnce(key, { type: 'credit', amount: '3.00' }), 409,
      'idempotency-in-progress');
    assert.equal(problem.headers['Retry-After'], '1');
    release();
    const first = await slow;
    const replay = await postOnce(key, { type: 'credit', amount: '3.00' });
    assert.deepEqual(replay.body, first.body);
    assert.equal(replay.replayed, true);
  });

  it('posts once when ten requests with one key arrive together', async () => {
    const key = freshKey();
    const before = { runs: runs.count, balance: await balance() };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () =>
      postOnce(key, { type: 'debit', amount: '0.50' })));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        assert.ok(outcome.reason instanceof ProblemError, String(outcome.reason));
        assert.equal(outcome.reason.slug, 'idempotency-in-progress');
      }
    }
    assert.equal(runs.count, before.runs + 1);
    assert.equal(await balance(), before.balance - 50n);
  });

  it('keeps a key 24 hours, then runs a request with it anew', async () => {
    const key = freshKey();
    const start = server.clock.now();
    try {
      await postOnce(key, { type: 'credit', amount: '1.00' });
      server.clock.set(new Date(start.getTime() + idempotencyKeyTtlMs - 1));
      assert.equal((await postOnce(key, { type: 'credit', amount: '1.00' })).replayed, true);
      server.clock.set(new Date(start.getTime() + idempotencyKeyTtlMs));
      const runsBefore = runs.count;
      const anew = await postOnce(key, { type: 'credit', amount: '1.00' });
      assert.equal(anew.replayed, false);
      assert.equal(runs.count, runsBefore + 1);
    } finally {
      server.clock.set(start);
    }
  });

  it('does not store a 5xx: the key is released and a retry runs the work', async () => {
    const key = freshKey();
    const body = { type: 'credit' as const, amount: '1.00' };
    await assert.rejects(runIdempotent(server.ctx, request(key, body), async () => {
      throw new Error('the database went away');
    }), /went away/);
    const retried = await postOnce(key, body);
    assert.equal(retried.replayed, false);
  });

  it('takes over a key whose first request died, once its claim expired', async () => {
    const key = freshKey();
    const body = { type: 'credit' as const, amount: '2.00' };
    const { IdempotencyKey } = walletModels(server.ctx.sequelize);
    const now = server.clock.now();
    const stale = { scope: userIdempotencyScope(owner.userId), idempotencyKey: key,
      userId: owner.userId, requestHash: hashRequest(request(key, body)),
      status: 'in-progress' as const,
      claimToken: '00000000-0000-4000-8000-000000000000', responseStatus: null, responseBody: null,
      responseHeaders: null, createdAt: now, completedAt: null,
      expiresAt: new Date(now.getTime() + idempotencyKeyTtlMs) };
    await IdempotencyKey.create({ ...stale,
      claimExpiresAt: new Date(now.getTime() + idempotencyClaimTtlMs) });
    await rejectsWithProblem(postOnce(key, body), 409, 'idempotency-in-progress');
    await IdempotencyKey.update({ claimExpiresAt: now }, { where: { idempotencyKey: key } });
    const taken = await postOnce(key, body);
    assert.equal(taken.status, 201);
    assert.equal((await postOnce(key, body)).replayed, true);
  });

  it(`takes keys of ${idempotencyKeyLengthMax} characters, not longer or odd ones`, async () => {
    const body = { type: 'credit' as const, amount: '0.01' };
    const longest = 'k'.repeat(idempotencyKeyLengthMax - 1) + String(keyNumber++ % 10);
    assert.equal((await postOnce(longest, body)).status, 201);
    for (const bad of ['k'.repeat(idempotencyKeyLengthMax + 1), '', 'has space', 'clé', 'tab\t']) {
      const problem = await rejectsWithProblem(postOnce(bad, body), 400, 'validation');
      assert.match(problem.message, /Idempotency-Key/);
    }
  });

  it(`stores a response of ${idempotencyResponseLengthMax} characters, not more`, async () => {
    // A JSON string body is its characters plus two quotes.
    const sized = (length: number): IdempotentResponse =>
      ({ status: 200, body: 'x'.repeat(length - 2) });
    const requestFor = (key: string): IdempotentRequest =>
      request(key, { type: 'credit', amount: '0.01' });
    const key = freshKey();
    const atLimit = sized(idempotencyResponseLengthMax);
    await runIdempotent(server.ctx, requestFor(key), async () => atLimit);
    const replay = await runIdempotent(server.ctx, requestFor(key), async () => atLimit);
    assert.equal(replay.replayed, true);
    assert.deepEqual(replay.body, atLimit.body);
    const pastLimit = sized(idempotencyResponseLengthMax + 1);
    await assert.rejects(runIdempotent(server.ctx, requestFor(freshKey()), async () => pastLimit),
      assert.AssertionError);
  });

  it(`purges expired keys, at most ${idempotencyPurgeRowsMax} at a time`, async () => {
    const { IdempotencyKey } = walletModels(server.ctx.sequelize);
    await purgeExpiredIdempotencyKeys(server.ctx);
    const past = new Date(server.clock.now().getTime() - 1000);
    const created = new Date(past.getTime() - idempotencyKeyTtlMs);
    const expired = Array.from({ length: idempotencyPurgeRowsMax + 1 }, (_, index) => ({
      scope: 'purge-test', idempotencyKey: `old-${index}`, userId: null,
      requestHash: '0'.repeat(64),
      status: 'done' as const, claimToken: null, claimExpiresAt: null, responseStatus: 200,
      responseBody: '{}', responseHeaders: '{}', createdAt: created, completedAt: created,
      expiresAt: past,
    }));
    await IdempotencyKey.bulkCreate(expired);
    const ownKeys = { where: { scope: userIdempotencyScope(owner.userId) } };
    const live = await IdempotencyKey.count(ownKeys);
    assert.equal(await purgeExpiredIdempotencyKeys(server.ctx), idempotencyPurgeRowsMax);
    assert.equal(await purgeExpiredIdempotencyKeys(server.ctx), 1);
    assert.equal(await purgeExpiredIdempotencyKeys(server.ctx), 0);
    assert.equal(await IdempotencyKey.count(ownKeys), live);
  });
});
