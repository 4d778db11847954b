import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageLimitDefault, pageLimitMax, walletSchema } from '../../../server/wallet/schemas.ts';
import { walletsPerUserMax } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  walletRowCounts,
  type Client,
} from './api-support.ts';

describe(`the wallet routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
  });
  after(() => server.close());

  describe('POST /api/wallets', () => {
    it('opens a wallet with money as decimal strings', async () => {
      const answer = await call(server, owner, 'POST', '/api/wallets', { name: 'Yen',
        currency: 'JPY', overdraftLimit: '5000', dailyDebitLimit: '20000' });
      assert.equal(answer.status, 201);
      const wallet = walletSchema.parse(answer.body);
      assert.deepEqual(wallet.balance, { amount: '0', currency: 'JPY' });
      assert.deepEqual(wallet.overdraftLimit, { amount: '5000', currency: 'JPY' });
      assert.deepEqual(wallet.dailyDebitLimit, { amount: '20000', currency: 'JPY' });
      assert.equal(wallet.transactionAmountMax, null);
      assert.equal(wallet.status, 'active');
    });

    it('refuses bad input with problem+json and opens nothing', async () => {
      const before = await walletRowCounts(server);
      const cases: [unknown, number, string][] = [
        [{ name: 'n', currency: 'XXX' }, 422, 'unknown-currency'],
        [{ name: 'n', currency: 'eur' }, 400, 'validation'],
        [{ name: '  ', currency: 'EUR' }, 400, 'validation'],
        [{ name: 'n', currency: 'EUR', overdraftLimit: 5 }, 400, 'validation'],
        [{ name: 'n', currency: 'EUR', overdraftLimit: '1e3' }, 400, 'validation'],
        [{ name: 'n', currency: 'EUR', overdraftLimit: '0.001' }, 400, 'validation'],
        [{ name: 'n', currency: 'EUR', extra: true }, 400, 'validation'],
      ];
      for (const [body, status, slug] of cases) {
        assertProblem(await call(server, owner, 'POST', '/api/wallets', body), status, slug);
      }
      assert.deepEqual(await walletRowCounts(server), before);
    });

    it('refuses a name taken by the same user with 409', async () => {
      await openWallet(server, owner, { name: 'Twice' });
      assertProblem(await call(server, owner, 'POST', '/api/wallets',
        { name: 'Twice', currency: 'USD' }), 409, 'wallet-name-taken');
      await openWallet(server, stranger, { name: 'Twice' });
    });

    it('opens once per Idempotency-Key when one is sent', async () => {
      const key = freshKey();
      const body = { name: 'Keyed', currency: 'EUR' };
      const first = await call(server, owner, 'POST', '/api/wallets', body, key);
      const again = await call(server, owner, 'POST', '/api/wallets', body, key);
      assert.equal(first.status, 201);
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(again.body, first.body);
    });

    it('needs a session', async () => {
      assertProblem(await call(server, null, 'POST', '/api/wallets',
        { name: 'x', currency: 'EUR' }), 401, 'unauthenticated');
    });
  });

  describe('GET /api/wallets', () => {
    it('lists only the caller\'s wallets, a page at a time', async () => {
      const lister = await apiUser(server);
      const opened = [];
      for (let index = 0; index < 5; index += 1) {
        opened.push((await openWallet(server, lister, { name: `w${index}` })).id);
      }
      await openWallet(server, stranger);
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page += 1) {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const answer = await call(server, lister, 'GET', `/api/wallets${query}`);
        assert.equal(answer.status, 200);
        assert.ok(answer.body.items.length <= 2);
        seen.push(...answer.body.items.map((wallet: { id: number }) => wallet.id));
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      assert.deepEqual(seen, opened);
      const all = await call(server, lister, 'GET', '/api/wallets');
      assert.equal(all.body.items.length, 5);
      assert.equal(all.body.nextCursor, null);
    });

    it(`takes limit 1 to ${pageLimitMax} (default ${pageLimitDefault}) and refuses others`,
      async () => {
        assert.equal((await call(server, owner, 'GET', `/api/wallets?limit=${pageLimitMax}`))
          .status, 200);
        assert.equal((await call(server, owner, 'GET', '/api/wallets?limit=1')).status, 200);
        for (const limit of ['0', String(pageLimitMax + 1), 'x', '2.5']) {
          assertProblem(await call(server, owner, 'GET', `/api/wallets?limit=${limit}`), 400,
            'validation');
        }
        assertProblem(await call(server, owner, 'GET', '/api/wallets?cursor=nonsense'), 400,
          'validation');
      });

    it(`holds at most ${walletsPerUserMax} wallets per user`, async () => {
      const collector = await apiUser(server);
      for (let index = 0; index < walletsPerUserMax; index += 1) {
        await openWallet(server, collector, { name: `c${index}` });
      }
      assertProblem(await call(server, collector, 'POST', '/api/wallets',
        { name: 'one too many', currency: 'EUR' }), 422, 'wallet-limit-reached');
      const page = await call(server, collector, 'GET', `/api/wallets?limit=${pageLimitMax}`);
      assert.equal(page.body.items.length, walletsPerUserMax);
      assert.equal(page.body.nextCursor, null);
    });
  });

  describe('GET /api/wallets/:id', () => {
    it('answers the owner and 404 to anyone else', async () => {
      const wallet = await openWallet(server, owner);
      const mine = await call(server, owner, 'GET', `/api/wallets/${wallet.id}`);
      assert.deepEqual(mine.body, wallet);
      assertProblem(await call(server, stranger, 'GET', `/api/wallets/${wallet.id}`), 404,
        'not-found');
      assertProblem(await call(server, owner, 'GET', '/api/wallets/999999'), 404, 'not-found');
      assertProblem(await call(server, owner, 'GET', '/api/wallets/abc'), 400, 'validation');
      assertProblem(await call(server, owner, 'GET', '/api/wallets/99999999999'), 400,
        'validation');
    });
  });

  describe('PATCH /api/wallets/:id', () => {
    it('changes limits and state, audited, and closes an empty wallet for good', async () => {
      const wallet = await openWallet(server, owner);
      const changed = await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { overdraftLimit: '50.00', monthlyDebitLimit: '300', transactionAmountMax: '100' });
      assert.equal(changed.status, 200);
      assert.deepEqual(changed.body.overdraftLimit, { amount: '50.00', currency: 'EUR' });
      assert.deepEqual(changed.body.monthlyDebitLimit, { amount: '300.00', currency: 'EUR' });
      const frozen = await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'frozen', transactionAmountMax: null });
      assert.equal(frozen.body.status, 'frozen');
      assert.equal(frozen.body.transactionAmountMax, null);
      const refused = await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
        { type: 'credit', amount: '1.00' }, freshKey());
      assertProblem(refused, 409, 'wallet-frozen');
      await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`, { status: 'active' });
      await post(server, owner, wallet.id, { type: 'debit', amount: '20.00' });
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { overdraftLimit: '10.00' }), 422, 'overdraft-below-balance');
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'closed' }), 422, 'wallet-not-empty');
      await post(server, owner, wallet.id, { type: 'credit', amount: '20.00' });
      const closed = await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'closed' });
      assert.equal(closed.body.status, 'closed');
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'active' }), 409, 'wallet-closed');
      const audits = await call(server, owner, 'GET',
        `/api/audits?entityType=wallet&entityId=${wallet.id}`);
      assert.deepEqual(audits.body.items.map((row: { action: string }) => row.action), [
        'wallet.status-changed', 'wallet.status-changed', 'wallet.status-changed',
        'wallet.limits-changed', 'wallet.limits-changed', 'wallet.created']);
    });

    it('refuses an empty change, bad amounts and another user\'s wallet', async () => {
      const wallet = await openWallet(server, owner);
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`, {}), 400,
        'validation');
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { dailyDebitLimit: '-5' }), 400, 'validation');
      assertProblem(await call(server, owner, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'gone' }), 400, 'validation');
      assertProblem(await call(server, stranger, 'PATCH', `/api/wallets/${wallet.id}`,
        { status: 'frozen' }), 404, 'not-found');
      const unchanged = await call(server, owner, 'GET', `/api/wallets/${wallet.id}`);
      assert.equal(unchanged.body.status, 'active');
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every wallet route', async () => {
      const document = (await call(server, null, 'GET', '/api/openapi.json')).body;
      const expected: [string, string][] = [
        ['/api/wallets', 'get'], ['/api/wallets', 'post'], ['/api/wallets/{id}', 'get'],
        ['/api/wallets/{id}', 'patch'], ['/api/wallets/{id}/transactions', 'post'],
        ['/api/wallets/{id}/transactions', 'get'], ['/api/wallets/{id}/transactions.csv', 'get'],
        ['/api/transactions/{id}', 'get'], ['/api/transactions/{id}/reverse', 'post'],
        ['/api/transfers', 'post'], ['/api/wallets/{id}/imports/preview', 'post'],
        ['/api/wallets/{id}/imports/{previewId}', 'get'],
        ['/api/wallets/{id}/imports/{previewId}/commit', 'post'],
        ['/api/categories', 'get'], ['/api/categories', 'post'],
        ['/api/categories/totals', 'get'], ['/api/categories/{id}', 'get'],
        ['/api/categories/{id}', 'patch'], ['/api/categories/{id}', 'delete'],
        ['/api/budgets', 'get'], ['/api/budgets', 'post'], ['/api/budgets/{id}', 'get'],
        ['/api/budgets/{id}', 'patch'], ['/api/budgets/{id}', 'delete'],
        ['/api/budgets/{id}/periods', 'get'], ['/api/rates', 'get'], ['/api/rates', 'put'],
        ['/api/audits', 'get'],
      ];
      for (const [path, method] of expected) {
        assert.ok(document.paths[path]?.[method], `${method} ${path}`);
      }
      const posting = document.paths['/api/wallets/{id}/transactions'].post;
      const key = posting.parameters.find((parameter: { name: string }) =>
        parameter.name === 'Idempotency-Key');
      assert.equal(key.required, true);
      assert.equal(posting.requestBody.content['application/json'].schema.properties.amount.type,
        'string');
      assert.equal(document.paths['/api/rates'].put['x-access'], 'admin');
    });
  });
});
