import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  useBudgetAlertNotifier,
  type BudgetAlertNotice,
} from '../../../server/wallet/budget-alerts.ts';
import { budgetsPerUserMax } from '../../../server/wallet/budgets.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  alertThresholdsPerBudgetMax,
  budgetPeriodSchema,
  budgetSchema,
} from '../../../server/wallet/schemas.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import {
  apiUser,
  assertProblem,
  call,
  openWallet,
  post,
  signInAgain,
  type Client,
} from './api-support.ts';

const money = (amount: string) => ({ amount, currency: 'EUR' });

describe(`budgets on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  const system = new Map<string, number>();
  const notices: BudgetAlertNotice[] = [];
  before(async () => {
    server = await startTestServer();
    useBudgetAlertNotifier(server.ctx, async (_ctx, notice) => {
      notices.push(notice);
    });
    owner = await apiUser(server);
    stranger = await apiUser(server);
    const listed = await call(server, owner, 'GET', '/api/categories?limit=100');
    for (const category of listed.body.items) system.set(category.systemKey, category.id);
  });
  beforeEach(async () => {
    server.clock.set('2026-03-01T09:00:00Z');
    notices.length = 0;
    await signInAgain(server, owner);
    await signInAgain(server, stranger);
  });
  after(() => server.close());

  const createBudget = (body: Record<string, unknown>, client = owner) =>
    call(server, client, 'POST', '/api/budgets', body);
  const budgetOf = async (id: number) => {
    const answer = await call(server, owner, 'GET', `/api/budgets/${id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return budgetSchema.parse(answer.body);
  };
  const periodsOf = async (id: number) => {
    const answer = await call(server, owner, 'GET', `/api/budgets/${id}/periods`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items.map((item: unknown) => budgetPeriodSchema.parse(item));
  };
  const moveClock = async (instant: string) => {
    server.clock.set(instant);
    await signInAgain(server, owner);
    await signInAgain(server, stranger);
  };
  const funded = async (amount = '5000.00') => {
    const wallet = await openWallet(server, owner);
    await post(server, owner, wallet.id, { type: 'credit', amount,
      occurredAt: '2026-02-01T00:00:00Z' });
    return wallet;
  };

  it('follows a category with its descendants: spent, remaining, percent, projection',
    async () => {
      const wallet = await funded();
      const created = await createBudget({ name: 'Food', categoryId: system.get('food'),
        walletId: wallet.id, limit: '100.00', period: 'monthly', rollover: 'surplus' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const budget = budgetSchema.parse(created.body);
      assert.deepEqual(budget.alertThresholdsPercent, [50, 80, 100]);
      assert.equal(budget.currentPeriod.startsOn, '2026-03-01');
      assert.equal(budget.currentPeriod.endsOn, '2026-04-01');
      assert.deepEqual(budget.spent, money('0.00'));
      assert.equal(budget.percent, 0);
      const spend = (amount: string, key: string) => post(server, owner, wallet.id,
        { type: 'debit', amount, categoryId: system.get(key) });
      await spend('30.00', 'food.groceries');
      await spend('7.00', 'transport');
      await post(server, owner, wallet.id, { type: 'debit', amount: '9.00',
        categoryId: system.get('food'), occurredAt: '2026-02-28T12:00:00Z' });
      await spend('25.00', 'food');
      let status = await budgetOf(budget.id);
      assert.deepEqual(status.spent, money('55.00'));
      assert.deepEqual(status.remaining, money('45.00'));
      assert.equal(status.percent, 55);
      // Linear: 55.00 spent in the first 9 hours of a 31-day month.
      assert.deepEqual(status.projected, money('4546.67'));
      assert.deepEqual(status.currentPeriod.alerts.map((alert) => alert.thresholdPercent), [50]);
      await spend('30.00', 'food.restaurants');
      await moveClock('2026-03-16T00:00:00Z');
      status = await budgetOf(budget.id);
      assert.deepEqual(status.spent, money('85.00'));
      // 85.00 in 15 of 31 days.
      assert.deepEqual(status.projected, money('175.67'));
      assert.deepEqual(status.currentPeriod.alerts.map((alert) => alert.thresholdPercent),
        [50, 80]);
      assert.deepEqual(notices.map((notice) => notice.thresholdPercent), [50, 80]);
      assert.deepEqual(notices[1]?.spent, money('85.00'));
      assertProblem(await call(server, stranger, 'GET', `/api/budgets/${budget.id}`), 404,
        'not-found');
    });

  it('closes periods at their end, carries the surplus, and never recomputes them',
    async () => {
      const wallet = await funded();
      const budget = budgetSchema.parse((await createBudget({ name: 'Groceries',
        categoryId: system.get('food.groceries'), walletId: wallet.id, limit: '100.00',
        period: 'monthly', rollover: 'surplus' })).body);
      await post(server, owner, wallet.id, { type: 'debit', amount: '60.00',
        categoryId: system.get('food.groceries') });
      await moveClock('2026-04-02T10:00:00Z');
      let status = await budgetOf(budget.id);
      assert.equal(status.currentPeriod.startsOn, '2026-04-01');
      assert.deepEqual(status.currentPeriod.rollover, money('40.00'));
      assert.deepEqual(status.currentPeriod.available, money('140.00'));
      assert.deepEqual(status.spent, money('0.00'));
      // Back-dated into March after March closed: March stays as it was.
      await post(server, owner, wallet.id, { type: 'debit', amount: '30.00',
        categoryId: system.get('food.groceries'), occurredAt: '2026-03-31T12:00:00Z' });
      await post(server, owner, wallet.id, { type: 'debit', amount: '150.00',
        categoryId: system.get('food.groceries') });
      const [april, march] = await periodsOf(budget.id);
      assert.equal(march.closed, true);
      assert.deepEqual(march.spent, money('60.00'));
      assert.deepEqual(march.alerts.map((alert: { thresholdPercent: number }) =>
        alert.thresholdPercent), [50]);
      assert.deepEqual(april.spent, money('150.00'));
      assert.deepEqual(april.remaining, money('-10.00'));
      assert.deepEqual(april.alerts.map((alert: { thresholdPercent: number }) =>
        alert.thresholdPercent), [50, 80, 100]);
      // Surplus only: April's overspend carries nothing into May.
      await moveClock('2026-05-01T00:00:00Z');
      status = await budgetOf(budget.id);
      assert.deepEqual(status.currentPeriod.rollover, money('0.00'));
      assert.equal((await periodsOf(budget.id)).length, 3);
    });

  it('carries a deficit too under surplus-and-deficit, over a whole wallet', async () => {
    const wallet = await funded();
    const budget = budgetSchema.parse((await createBudget({ name: 'Everything',
      walletId: wallet.id, limit: '50.00', period: 'monthly',
      rollover: 'surplus-and-deficit' })).body);
    assert.equal(budget.categoryId, null);
    await post(server, owner, wallet.id, { type: 'debit', amount: '80.00' });
    const other = await openWallet(server, owner);
    await call(server, owner, 'POST', '/api/transfers', { sourceWalletId: wallet.id,
      targetWalletId: other.id, amount: '500.00' }, { 'Idempotency-Key': 'budget-transfer' });
    const reversed = await post(server, owner, wallet.id, { type: 'debit', amount: '20.00' });
    await call(server, owner, 'POST', `/api/transactions/${reversed.id}/reverse`);
    assert.deepEqual((await budgetOf(budget.id)).spent, money('80.00'));
    assert.deepEqual(notices.filter((notice) => notice.budgetId === budget.id)
      .map((notice) => notice.thresholdPercent), [50, 80, 100]);
    await moveClock('2026-04-15T00:00:00Z');
    let status = await budgetOf(budget.id);
    assert.deepEqual(status.currentPeriod.rollover, money('-30.00'));
    assert.deepEqual(status.currentPeriod.available, money('20.00'));
    await post(server, owner, wallet.id, { type: 'debit', amount: '10.00' });
    status = await budgetOf(budget.id);
    assert.equal(status.percent, 50);
    assert.deepEqual(status.currentPeriod.alerts.map((alert) => alert.thresholdPercent), [50]);
    await moveClock('2026-05-03T00:00:00Z');
    status = await budgetOf(budget.id);
    assert.deepEqual(status.currentPeriod.rollover, money('10.00'));
    assert.deepEqual(status.currentPeriod.available, money('60.00'));
  });

  it('catches up many weekly periods at once, with no rollover by default', async () => {
    const wallet = await funded();
    const budget = budgetSchema.parse((await createBudget({ name: 'Weekly', walletId: wallet.id,
      limit: '10.00', period: 'weekly', startsOn: '2026-03-04' })).body);
    assert.equal(budget.startsOn, '2026-03-02');
    assert.equal(budget.currentPeriod.startsOn, '2026-03-02');
    assert.deepEqual(budget.projected, money('0.00'));
    await moveClock('2026-05-11T12:00:00Z');
    const status = await budgetOf(budget.id);
    assert.equal(status.currentPeriod.startsOn, '2026-05-11');
    assert.deepEqual(status.currentPeriod.rollover, money('0.00'));
    const first = await call(server, owner, 'GET', `/api/budgets/${budget.id}/periods?limit=5`);
    assert.equal(first.body.items.length, 5);
    const rest = await call(server, owner, 'GET',
      `/api/budgets/${budget.id}/periods?limit=100&cursor=${first.body.nextCursor}`);
    assert.equal(first.body.items.length + rest.body.items.length, 11);
    assert.equal(rest.body.nextCursor, null);
  });

  it('converts other wallets\' spending for a budget over all wallets, stating the rate date',
    async () => {
      const admin = await apiUser(server, { admin: true });
      await call(server, admin, 'PUT', '/api/rates', { quote: 'USD', rate: '1.0800',
        date: '2026-02-27' });
      const euro = await funded();
      const dollar = await openWallet(server, owner, { currency: 'USD' });
      await post(server, owner, dollar.id, { type: 'credit', amount: '100.00' });
      const budget = budgetSchema.parse((await createBudget({ name: 'Travel anywhere',
        categoryId: system.get('travel'), currency: 'EUR', limit: '100.00',
        period: 'monthly' })).body);
      await post(server, owner, dollar.id, { type: 'debit', amount: '10.80',
        categoryId: system.get('travel.flights') });
      await post(server, owner, euro.id, { type: 'debit', amount: '5.00',
        categoryId: system.get('travel') });
      const status = await budgetOf(budget.id);
      assert.deepEqual(status.spent, money('15.00'));
      assert.equal(status.currentPeriod.rateDate, '2026-02-27');
    });

  it('applies a new limit from the running period, and alerts nothing while inactive',
    async () => {
      const wallet = await funded();
      const budget = budgetSchema.parse((await createBudget({ name: 'Quiet', walletId: wallet.id,
        limit: '100.00', period: 'quarterly', alertThresholdsPercent: [90, 10, 90] })).body);
      assert.deepEqual(budget.alertThresholdsPercent, [10, 90]);
      assert.equal(budget.currentPeriod.startsOn, '2026-01-01');
      const paused = await call(server, owner, 'PATCH', `/api/budgets/${budget.id}`,
        { active: false, limit: '40.00' });
      assert.equal(paused.status, 200);
      assert.deepEqual(paused.body.currentPeriod.limit, money('40.00'));
      await post(server, owner, wallet.id, { type: 'debit', amount: '50.00' });
      assert.deepEqual((await budgetOf(budget.id)).currentPeriod.alerts, []);
      const resumed = await call(server, owner, 'PATCH', `/api/budgets/${budget.id}`,
        { active: true });
      assert.deepEqual(resumed.body.currentPeriod.alerts.map(
        (alert: { thresholdPercent: number }) => alert.thresholdPercent), [10, 90]);
      const deleted = await call(server, owner, 'DELETE', `/api/budgets/${budget.id}`);
      assert.deepEqual(deleted.body, { id: budget.id, deleted: true });
      assertProblem(await call(server, owner, 'GET', `/api/budgets/${budget.id}`), 404,
        'not-found');
    });

  it('refuses bad budgets and other users\' wallets and categories', async () => {
    const wallet = await funded();
    const theirs = await openWallet(server, stranger);
    const theirCategory = (await call(server, stranger, 'POST', '/api/categories',
      { name: 'Private' })).body;
    const base = { name: 'B', walletId: wallet.id, limit: '10.00', period: 'monthly' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, walletId: undefined }, 400, 'validation'],
      [{ ...base, walletId: null, categoryId: system.get('food') }, 400, 'validation'],
      [{ ...base, currency: 'USD' }, 422, 'currency-mismatch'],
      [{ ...base, walletId: null, categoryId: system.get('food'), currency: 'XXX' }, 422,
        'unknown-currency'],
      [{ ...base, limit: '12.345' }, 400, 'validation'],
      [{ ...base, limit: 12 }, 400, 'validation'],
      [{ ...base, limit: '0' }, 400, 'validation'],
      [{ ...base, period: 'daily' }, 400, 'validation'],
      [{ ...base, rollover: 'all' }, 400, 'validation'],
      [{ ...base, alertThresholdsPercent: [] }, 400, 'validation'],
      [{ ...base, alertThresholdsPercent: Array.from(
        { length: alertThresholdsPerBudgetMax + 1 }, (_, index) => index + 1) }, 400, 'validation'],
      [{ ...base, alertThresholdsPercent: [0] }, 400, 'validation'],
      [{ ...base, startsOn: '2028-01-01' }, 422, 'budget-start-out-of-range'],
      [{ ...base, startsOn: '2026-02-30' }, 400, 'validation'],
      [{ ...base, walletId: theirs.id }, 404, 'not-found'],
      [{ ...base, categoryId: theirCategory.id }, 404, 'not-found'],
    ];
    const before = await walletModels(server.ctx.sequelize).Budget.count();
    for (const [body, status, slug] of cases) {
      assertProblem(await createBudget(body), status, slug);
    }
    assert.equal(await walletModels(server.ctx.sequelize).Budget.count(), before);
    const most = await createBudget({ ...base, alertThresholdsPercent: Array.from(
      { length: alertThresholdsPerBudgetMax }, (_, index) => (index + 1) * 10) });
    assert.equal(most.status, 201);
  });

  it(`holds ${budgetsPerUserMax} budgets per user and refuses the next`, async () => {
    const collector = await apiUser(server);
    const wallet = await openWallet(server, collector);
    const { Budget } = walletModels(server.ctx.sequelize);
    const now = server.clock.now();
    await Budget.bulkCreate(Array.from({ length: budgetsPerUserMax - 1 }, (_, index) => ({
      userId: collector.userId, walletId: wallet.id, categoryId: null, name: `bulk ${index}`,
      currency: 'EUR', limitMinor: 100n, period: 'monthly' as const, rollover: 'none' as const,
      alertThresholdsPercent: [100], startsOn: '2026-03-01', active: true, createdAt: now,
      updatedAt: now })));
    const body = { name: 'last', walletId: wallet.id, limit: '1.00', period: 'yearly' };
    assert.equal((await createBudget(body, collector)).status, 201);
    assertProblem(await createBudget(body, collector), 422, 'budget-limit-reached');
    const page = await call(server, collector, 'GET', '/api/budgets?limit=100');
    assert.equal(page.body.items.length, budgetsPerUserMax);
    assert.equal(page.body.nextCursor, null);
  });
});
