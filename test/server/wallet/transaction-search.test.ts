import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { escapeLike } from '../../../server/wallet/transaction-search.ts';
import { pageLimitMax } from '../../../server/wallet/schemas.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  openWallet,
  post,
  type Client,
} from './api-support.ts';

type Listed = { id: number; description: string | null };

describe(`searching transactions on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  let walletId: number;
  const system = new Map<string, number>();
  /** Transaction ids by description. */
  const ids = new Map<string, number>();
  let coffeeCategoryId: number;

  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
    const listed = await call(server, owner, 'GET', '/api/categories?limit=100');
    for (const category of listed.body.items) system.set(category.systemKey, category.id);
    const coffee = await call(server, owner, 'POST', '/api/categories',
      { name: 'Coffee', parentId: system.get('food.restaurants') });
    coffeeCategoryId = coffee.body.id;
    walletId = (await openWallet(server, owner)).id;
    const rows: [string, Record<string, unknown>][] = [
      ['Salary', { type: 'credit', amount: '2000.00', counterparty: 'ACME',
        categoryId: system.get('income.salary'), occurredAt: '2026-02-01T09:00:00Z' }],
      ['Groceries week 1', { type: 'debit', amount: '54.20', counterparty: 'Corner Shop',
        categoryId: system.get('food.groceries'), tags: ['home'],
        occurredAt: '2026-02-03T18:00:00Z' }],
      ['Flat white', { type: 'debit', amount: '3.80', counterparty: 'Bean There',
        categoryId: coffeeCategoryId, tags: ['treat'], occurredAt: '2026-02-04T08:15:00Z' }],
      ['Dinner out', { type: 'debit', amount: '48.00', counterparty: 'Trattoria',
        categoryId: system.get('food.restaurants'), tags: ['treat', 'date'],
        occurredAt: '2026-02-14T20:00:00Z' }],
      ['100% juice', { type: 'debit', amount: '2.99', counterparty: 'Corner Shop',
        categoryId: system.get('food'), occurredAt: '2026-02-20T12:00:00Z' }],
      ['Train ticket', { type: 'debit', amount: '12.40', counterparty: 'Rail_Co',
        categoryId: system.get('transport.public'), occurredAt: '2026-02-28T23:59:59Z' }],
      ['Refund', { type: 'credit', amount: '12.40', counterparty: 'Rail_Co',
        occurredAt: '2026-03-01T00:00:00Z' }],
    ];
    for (const [description, body] of rows) {
      const entry = await post(server, owner, walletId, { description, ...body });
      ids.set(description, entry.id);
    }
  });
  after(() => server.close());

  const search = async (query: string, client = owner) => {
    const answer = await call(server, client, 'GET',
      `/api/wallets/${walletId}/transactions${query}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return (answer.body.items as Listed[]).map((item) => item.description);
  };

  it('lists newest first', async () => {
    assert.deepEqual(await search(''), ['Refund', 'Train ticket', '100% juice', 'Dinner out',
      'Flat white', 'Groceries week 1', 'Salary']);
  });

  it('finds text in the description or the counterparty, in any case', async () => {
    assert.deepEqual(await search('?q=CORNER'), ['100% juice', 'Groceries week 1']);
    assert.deepEqual(await search('?q=white'), ['Flat white']);
    assert.deepEqual(await search('?q=nothing%20like%20it'), []);
  });

  it('matches % and _ literally', async () => {
    assert.deepEqual(await search(`?q=${encodeURIComponent('100%')}`), ['100% juice']);
    assert.deepEqual(await search(`?q=${encodeURIComponent('%')}`), ['100% juice']);
    assert.deepEqual(await search('?q=l_co'), ['Refund', 'Train ticket']);
    assert.deepEqual(await search('?q=_'), ['Refund', 'Train ticket']);
    assert.equal(escapeLike('a%b_c!d'), 'a!%b!_c!!d');
  });

  it('bounds dates: from inclusive, to exclusive, a bare `to` date through its end', async () => {
    assert.deepEqual(await search('?from=2026-02-14&to=2026-02-28'),
      ['Train ticket', '100% juice', 'Dinner out']);
    assert.deepEqual(await search('?from=2026-02-14T20:00:00Z&to=2026-02-20T12:00:00Z'),
      ['Dinner out']);
    assert.deepEqual(await search('?from=2026-03-01'), ['Refund']);
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${walletId}/transactions?from=2026-03-01&to=2026-02-01`), 400, 'validation');
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${walletId}/transactions?from=2026-02-30`), 400, 'validation');
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${walletId}/transactions?to=yesterday`), 400, 'validation');
  });

  it('bounds amounts in the wallet\'s currency, both ends inclusive', async () => {
    assert.deepEqual(await search('?amountMin=12.40&amountMax=48'),
      ['Refund', 'Train ticket', 'Dinner out']);
    assert.deepEqual(await search('?amountMax=3.80'), ['100% juice', 'Flat white']);
    for (const bad of ['amountMin=1.001', 'amountMin=-1', 'amountMax=1e3',
      'amountMin=5&amountMax=4']) {
      assertProblem(await call(server, owner, 'GET',
        `/api/wallets/${walletId}/transactions?${bad}`), 400, 'validation');
    }
  });

  it('finds a category with its descendants, or alone when asked', async () => {
    const food = system.get('food');
    assert.deepEqual(await search(`?categoryId=${food}`),
      ['100% juice', 'Dinner out', 'Flat white', 'Groceries week 1']);
    assert.deepEqual(await search(`?categoryId=${food}&includeSubcategories=false`),
      ['100% juice']);
    assert.deepEqual(await search(`?categoryId=${system.get('food.restaurants')}`),
      ['Dinner out', 'Flat white']);
    assert.deepEqual(await search(`?categoryId=${coffeeCategoryId}`), ['Flat white']);
    const theirs = await call(server, stranger, 'POST', '/api/categories', { name: 'Theirs' });
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${walletId}/transactions?categoryId=${theirs.body.id}`), 404, 'not-found');
  });

  it('filters by tag and by type, and combines filters', async () => {
    assert.deepEqual(await search('?tag=treat'), ['Dinner out', 'Flat white']);
    assert.deepEqual(await search('?tag=Treat'), []);
    assert.deepEqual(await search('?type=credit'), ['Refund', 'Salary']);
    assert.deepEqual(await search(`?type=debit&tag=treat&q=bean&categoryId=${system.get('food')}`),
      ['Flat white']);
    assertProblem(await call(server, owner, 'GET',
      `/api/wallets/${walletId}/transactions?type=refund`), 400, 'validation');
  });

  it('answers 404 for another user\'s wallet', async () => {
    assertProblem(await call(server, stranger, 'GET', `/api/wallets/${walletId}/transactions`),
      404, 'not-found');
  });

  it(`takes limit 1 to ${pageLimitMax}`, async () => {
    const path = `/api/wallets/${walletId}/transactions`;
    assert.equal((await call(server, owner, 'GET', `${path}?limit=${pageLimitMax}`)).status, 200);
    assertProblem(await call(server, owner, 'GET', `${path}?limit=${pageLimitMax + 1}`), 400,
      'validation');
    assertProblem(await call(server, owner, 'GET', `${path}?limit=0`), 400, 'validation');
    assertProblem(await call(server, owner, 'GET', `${path}?cursor=WzEsMiwzXQ`), 400,
      'validation');
  });

  describe('pages', () => {
    it('walk every match once, ties in time broken by id, stable under inserts', async () => {
      const paged = (await openWallet(server, owner)).id;
      const sameInstant = '2026-02-10T10:00:00Z';
      const original: number[] = [];
      for (let index = 0; index < 9; index += 1) {
        const occurredAt = index < 5 ? sameInstant : `2026-02-${11 + index}T10:00:00Z`;
        const entry = await post(server, owner, paged, { type: 'credit', amount: '1.00',
          description: `row ${index}`, occurredAt });
        original.push(entry.id);
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const answer = await call(server, owner, 'GET',
          `/api/wallets/${paged}/transactions${query}`);
        assert.equal(answer.status, 200);
        seen.push(...answer.body.items.map((item: Listed) => item.id));
        if (page === 1) {
          // Inserted while paging: one newer than every page so far, one among what is left.
          await post(server, owner, paged, { type: 'credit', amount: '1.00',
            description: 'newest', occurredAt: '2026-03-01T08:00:00Z' });
          await post(server, owner, paged, { type: 'credit', amount: '1.00',
            description: 'older', occurredAt: '2026-02-01T08:00:00Z' });
        }
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      assert.equal(new Set(seen).size, seen.length, 'nothing listed twice');
      for (const id of original) assert.ok(seen.includes(id), `transaction ${id} listed`);
      const tied = original.slice(0, 5);
      assert.deepEqual(seen.filter((id) => tied.includes(id)), [...tied].reverse());
    });
  });
});
