import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { categoriesPerUserMax, categoryDepthMax } from '../../../server/wallet/categories.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  categoryNameLengthMax,
  categorySchema,
  categoryTotalsSchema,
} from '../../../server/wallet/schemas.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  freshKey,
  openWallet,
  post,
  type Client,
} from './api-support.ts';

/** The system categories' keys, as wallet_002 seeds them. */
const systemTopKeys = ['income', 'housing', 'food', 'transport', 'utilities', 'health',
  'entertainment', 'shopping', 'travel', 'education', 'savings', 'other'];

describe(`the category routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  /** System category ids by key. */
  const system = new Map<string, number>();
  before(async () => {
    server = await startTestServer();
    owner = await apiUser(server);
    stranger = await apiUser(server);
    const listed = await call(server, owner, 'GET', '/api/categories?limit=100');
    for (const category of listed.body.items) system.set(category.systemKey, category.id);
  });
  after(() => server.close());

  const create = (client: Client, body: Record<string, unknown>) =>
    call(server, client, 'POST', '/api/categories', body);
  const created = async (client: Client, body: Record<string, unknown>) => {
    const answer = await create(client, body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return categorySchema.parse(answer.body);
  };
  const systemId = (key: string) => {
    const id = system.get(key);
    assert.ok(id, key);
    return id;
  };

  describe('GET /api/categories', () => {
    it('shows everyone the seeded system tree, page by page', async () => {
      const seen: { systemKey: string | null; system: boolean; parentId: number | null }[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const query: string = cursor ? `?limit=7&cursor=${cursor}` : '?limit=7';
        const answer = await call(server, stranger, 'GET', `/api/categories${query}`);
        assert.equal(answer.status, 200);
        seen.push(...answer.body.items);
        cursor = answer.body.nextCursor;
        if (cursor === null) break;
      }
      const tops = seen.filter((category) => category.parentId === null);
      assert.deepEqual(tops.map((category) => category.systemKey), systemTopKeys);
      assert.ok(seen.every((category) => category.system));
      assert.ok(seen.length > systemTopKeys.length + 10, 'the top categories have children');
      const groceries = seen.find((category) => category.systemKey === 'food.groceries');
      assert.equal(groceries?.parentId, systemId('food'));
    });
  });

  describe('POST and GET /api/categories/:id', () => {
    it('adds a user category under a system one, with its parent\'s kind', async () => {
      const coffee = await created(owner, { name: 'Coffee', parentId: systemId('food'),
        color: '#6f4e37' });
      assert.equal(coffee.kind, 'expense');
      assert.equal(coffee.system, false);
      const bonus = await created(owner, { name: 'Bonus', parentId: systemId('income') });
      assert.equal(bonus.kind, 'income');
      assertProblem(await create(owner, { name: 'Tips', parentId: systemId('income'),
        kind: 'expense' }), 422, 'category-kind-mismatch');
      const read = await call(server, owner, 'GET', `/api/categories/${coffee.id}`);
      assert.deepEqual(read.body, coffee);
      assertProblem(await call(server, stranger, 'GET', `/api/categories/${coffee.id}`), 404,
        'not-found');
    });

    it('keeps names unique per parent whatever their case, system names included', async () => {
      const parent = await created(owner, { name: 'Hobbies' });
      await created(owner, { name: 'Climbing', parentId: parent.id });
      assertProblem(await create(owner, { name: 'CLIMBING', parentId: parent.id }), 409,
        'category-name-taken');
      assertProblem(await create(owner, { name: 'FOOD AND DRINK' }), 409, 'category-name-taken');
      assertProblem(await create(owner, { name: 'groceries', parentId: systemId('food') }),
        409, 'category-name-taken');
      await created(owner, { name: 'Climbing' });
      await created(stranger, { name: 'Hobbies' });
    });

    it(`takes names of 1 to ${categoryNameLengthMax} characters`, async () => {
      await created(owner, { name: 'n'.repeat(categoryNameLengthMax) });
      assertProblem(await create(owner, { name: 'n'.repeat(categoryNameLengthMax + 1) }), 400,
        'validation');
      assertProblem(await create(owner, { name: '   ' }), 400, 'validation');
      assertProblem(await create(owner, { name: 'x', color: 'red' }), 400, 'validation');
    });

    it('hides another user\'s categories everywhere', async () => {
      const theirs = await created(stranger, { name: 'Secret' });
      assertProblem(await create(owner, { name: 'Mine', parentId: theirs.id }), 404,
        'not-found');
      assertProblem(await call(server, owner, 'PATCH', `/api/categories/${theirs.id}`,
        { name: 'Taken' }), 404, 'not-found');
      assertProblem(await call(server, owner, 'DELETE', `/api/categories/${theirs.id}`), 404,
        'not-found');
      const wallet = await openWallet(server, owner);
      assertProblem(await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
        { type: 'credit', amount: '1.00', categoryId: theirs.id }, freshKey()), 422,
      'unknown-category');
      const listed = await call(server, owner, 'GET', '/api/categories?limit=100');
      const cursor = listed.body.nextCursor;
      const rest = cursor
        ? (await call(server, owner, 'GET', `/api/categories?limit=100&cursor=${cursor}`)).body
          .items
        : [];
      const ids = [...listed.body.items, ...rest].map((category: { id: number }) => category.id);
      assert.ok(!ids.includes(theirs.id));
    });

    it('refuses changes to system categories with 403', async () => {
      assertProblem(await call(server, owner, 'PATCH', `/api/categories/${systemId('food')}`,
        { name: 'Meals' }), 403, 'system-category');
      assertProblem(await call(server, owner, 'DELETE', `/api/categories/${systemId('other')}`),
        403, 'system-category');
    });
  });

  describe('the tree', () => {
    it('refuses to move a category under itself or its descendants', async () => {
      const top = await created(owner, { name: 'Tree top' });
      const middle = await created(owner, { name: 'Tree middle', parentId: top.id });
      const leaf = await created(owner, { name: 'Tree leaf', parentId: middle.id });
      for (const parentId of [top.id, middle.id, leaf.id]) {
        assertProblem(await call(server, owner, 'PATCH', `/api/categories/${top.id}`,
          { parentId }), 422, 'category-cycle');
      }
      const moved = await call(server, owner, 'PATCH', `/api/categories/${leaf.id}`,
        { parentId: null, name: 'Former leaf' });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.parentId, null);
      const under = await call(server, owner, 'PATCH', `/api/categories/${top.id}`,
        { parentId: leaf.id });
      assert.equal(under.body.parentId, leaf.id);
      assertProblem(await call(server, owner, 'PATCH', `/api/categories/${leaf.id}`,
        { parentId: middle.id }), 422, 'category-cycle');
      assertProblem(await call(server, owner, 'PATCH', `/api/categories/${top.id}`,
        { parentId: systemId('income') }), 422, 'category-kind-mismatch');
    });

    it('lets only one of two crossing moves through when they arrive at once', async () => {
      const first = await created(owner, { name: 'Crossing one' });
      const second = await created(owner, { name: 'Crossing two' });
      const answers = await Promise.all([
        call(server, owner, 'PATCH', `/api/categories/${first.id}`, { parentId: second.id }),
        call(server, owner, 'PATCH', `/api/categories/${second.id}`, { parentId: first.id }),
      ]);
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 422]);
      const refused = answers.find((answer) => answer.status === 422);
      assert.equal(refused?.body.type, '/api/problems/category-cycle');
    });

    it(`nests ${categoryDepthMax} levels deep and no deeper`, async () => {
      let parentId: number | null = null;
      const chain: number[] = [];
      for (let level = 1; level <= categoryDepthMax; level += 1) {
        const category = await created(owner, { name: `Level ${level}`, parentId });
        chain.push(category.id);
        parentId = category.id;
      }
      assertProblem(await create(owner, { name: 'Too deep', parentId }), 422,
        'category-too-deep');
      const pair = await created(owner, { name: 'Pair top' });
      await created(owner, { name: 'Pair child', parentId: pair.id });
      const fourth = chain[categoryDepthMax - 2];
      const third = chain[categoryDepthMax - 3];
      assertProblem(await call(server, owner, 'PATCH', `/api/categories/${pair.id}`,
        { parentId: fourth }), 422, 'category-too-deep');
      const fits = await call(server, owner, 'PATCH', `/api/categories/${pair.id}`,
        { parentId: third });
      assert.equal(fits.status, 200);
    });
  });

  describe('DELETE /api/categories/:id', () => {
    it('deletes an unused leaf, refuses a parent, and archives one in use', async () => {
      const unused = await created(owner, { name: 'Unused' });
      const deleted = await call(server, owner, 'DELETE', `/api/categories/${unused.id}`);
      assert.deepEqual(deleted.body, { id: unused.id, outcome: 'deleted' });
      assertProblem(await call(server, owner, 'GET', `/api/categories/${unused.id}`), 404,
        'not-found');
      const parent = await created(owner, { name: 'Parent' });
      const child = await created(owner, { name: 'Child', parentId: parent.id });
      assertProblem(await call(server, owner, 'DELETE', `/api/categories/${parent.id}`), 409,
        'category-has-children');
      const wallet = await openWallet(server, owner);
      const entry = await post(server, owner, wallet.id, { type: 'credit', amount: '3.00',
        categoryId: child.id });
      const archived = await call(server, owner, 'DELETE', `/api/categories/${child.id}`);
      assert.deepEqual(archived.body, { id: child.id, outcome: 'archived' });
      const kept = await call(server, owner, 'GET', `/api/transactions/${entry.id}`);
      assert.equal(kept.body.categoryId, child.id);
      assertProblem(await call(server, owner, 'POST', `/api/wallets/${wallet.id}/transactions`,
        { type: 'credit', amount: '1.00', categoryId: child.id }, freshKey()), 422,
      'unknown-category');
      const restored = await call(server, owner, 'PATCH', `/api/categories/${child.id}`,
        { archived: false });
      assert.equal(restored.body.archived, false);
      await post(server, owner, wallet.id, { type: 'credit', amount: '1.00',
        categoryId: child.id });
    });
  });

  describe(`at most ${categoriesPerUserMax} categories per user`, () => {
    it('takes the last one and refuses the next', async () => {
      const collector = await apiUser(server);
      const { Category } = walletModels(server.ctx.sequelize);
      const now = server.clock.now();
      await Category.bulkCreate(Array.from({ length: categoriesPerUserMax - 1 }, (_, index) => ({
        userId: collector.userId, parentId: null, name: `Bulk ${index}`, kind: 'expense' as const,
        systemKey: null, color: null, icon: null, archivedAt: null, createdAt: now,
        updatedAt: now })));
      await created(collector, { name: 'The last one' });
      assertProblem(await create(collector, { name: 'One too many' }), 422,
        'category-limit-reached');
    });
  });

  describe('GET /api/categories/totals', () => {
    it('sums own entries and rolls them up to every ancestor', async () => {
      const wallet = await openWallet(server, owner);
      const coffee = await created(owner, { name: 'Coffee shops',
        parentId: systemId('food.restaurants') });
      const send = (amount: string, categoryId: number | null, type = 'debit') =>
        post(server, owner, wallet.id, { type, amount, categoryId });
      await send('500.00', systemId('income.salary'), 'credit');
      await send('40.00', systemId('food.groceries'));
      await send('3.50', coffee.id);
      await send('2.50', coffee.id);
      await send('20.00', systemId('food'));
      await send('1.00', null);
      const mistake = await send('99.00', systemId('food.groceries'));
      await call(server, owner, 'POST', `/api/transactions/${mistake.id}/reverse`);
      const answer = await call(server, owner, 'GET',
        `/api/categories/totals?walletId=${wallet.id}`);
      assert.equal(answer.status, 200);
      const totals = categoryTotalsSchema.parse(answer.body);
      const line = (id: number) => totals.items.find((item) => item.categoryId === id);
      assert.deepEqual(line(systemId('food'))?.total.debits, { amount: '66.00', currency: 'EUR' });
      assert.deepEqual(line(systemId('food'))?.own.debits, { amount: '20.00', currency: 'EUR' });
      assert.equal(line(systemId('food'))?.total.count, 4);
      assert.deepEqual(line(systemId('food.restaurants'))?.total.debits,
        { amount: '6.00', currency: 'EUR' });
      assert.deepEqual(line(systemId('food.restaurants'))?.own.debits,
        { amount: '0.00', currency: 'EUR' });
      assert.deepEqual(line(coffee.id)?.own.debits, { amount: '6.00', currency: 'EUR' });
      assert.deepEqual(line(systemId('food.groceries'))?.total.debits,
        { amount: '40.00', currency: 'EUR' });
      assert.deepEqual(line(systemId('income'))?.total.credits,
        { amount: '500.00', currency: 'EUR' });
      assert.equal(line(systemId('housing')), undefined);
      assert.deepEqual(totals.uncategorized.debits, { amount: '1.00', currency: 'EUR' });
      const march = await call(server, owner, 'GET',
        `/api/categories/totals?walletId=${wallet.id}&from=2026-03-02`);
      assert.deepEqual(march.body.items, []);
      assertProblem(await call(server, stranger, 'GET',
        `/api/categories/totals?walletId=${wallet.id}`), 404, 'not-found');
      assertProblem(await call(server, owner, 'GET',
        `/api/categories/totals?walletId=${wallet.id}&from=2026-03-02&to=2026-03-01`), 400,
      'validation');
    });
  });
});
