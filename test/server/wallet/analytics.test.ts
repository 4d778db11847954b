import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  categoryReportSchema,
  seriesReportSchema,
  summaryReportSchema,
  topReportSchema,
} from '../../../server/wallet/analytics-schemas.ts';
import { setRate } from '../../../server/wallet/rates.ts';
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
import { createTestUser } from './support.ts';

/**
 * One user's February 2026 (the clock stands at 2026-03-01): a EUR wallet and a USD wallet,
 * 1 EUR = 1.25 USD from Feb 1 (and 1.10 from Mar 1, after the range, so never used here).
 *
 *  Feb 1 (Sun)  USD credit 100.00 (no category)           income  80.00 EUR
 *  Feb 2 (Mon)  EUR credit 1000.00 salary                  income 1000.00
 *  Feb 3        EUR debit 50.00 groceries, Market, #weekly expense 50.00
 *  Feb 4        USD debit 12.50 groceries, Market, #weekly expense 10.00
 *  Feb 10       EUR debit 30.00 restaurants, Bistro        expense 30.00
 *  Feb 10       EUR debit 20.00 no category, Market        expense 20.00
 *  Feb 11       EUR debit 99.99 groceries, then reversed   counts as nothing
 *  Feb 12       transfer 100.00 EUR -> USD                 counts as nothing
 */
describe(`the analytics routes on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Client;
  let stranger: Client;
  let eur: { id: number };
  let usd: { id: number };
  const category: Record<string, number> = {};
  const february = 'from=2026-02-01&to=2026-02-28';

  before(async () => {
    server = await startTestServer();
    const admin = await createTestUser(server.ctx, { isAdmin: true });
    await setRate(server.ctx, admin, { quote: 'USD', rate: '1.25', date: '2026-02-01' });
    await setRate(server.ctx, admin, { quote: 'USD', rate: '1.10', date: '2026-03-01' });
    owner = await apiUser(server);
    stranger = await apiUser(server);
    eur = await openWallet(server, owner, { currency: 'EUR' });
    usd = await openWallet(server, owner, { currency: 'USD' });
    const categories = await call(server, owner, 'GET', '/api/categories?limit=100');
    for (const item of categories.body.items) category[item.systemKey] = item.id;
    const at = (day: string) => `2026-02-${day}T12:00:00Z`;
    await post(server, owner, usd.id, { type: 'credit', amount: '100.00', occurredAt: at('01') });
    await post(server, owner, eur.id, { type: 'credit', amount: '1000.00',
      categoryId: category['income.salary'], occurredAt: at('02') });
    await post(server, owner, eur.id, { type: 'debit', amount: '50.00', counterparty: 'Market',
      categoryId: category['food.groceries'], tags: ['weekly'], occurredAt: at('03') });
    await post(server, owner, usd.id, { type: 'debit', amount: '12.50', counterparty: 'Market',
      categoryId: category['food.groceries'], tags: ['weekly'], occurredAt: at('04') });
    await post(server, owner, eur.id, { type: 'debit', amount: '30.00', counterparty: 'Bistro',
      categoryId: category['food.restaurants'], occurredAt: at('10') });
    await post(server, owner, eur.id, { type: 'debit', amount: '20.00', counterparty: 'Market',
      occurredAt: at('10') });
    const mistake = await post(server, owner, eur.id, { type: 'debit', amount: '99.99',
      categoryId: category['food.groceries'], occurredAt: at('11') });
    const reversal = await call(server, owner, 'POST', `/api/transactions/${mistake.id}/reverse`,
      {}, freshKey());
    assert.equal(reversal.status, 201);
    const transfer = await call(server, owner, 'POST', '/api/transfers', { sourceWalletId: eur.id,
      targetWalletId: usd.id, amount: '100.00', occurredAt: at('12') }, freshKey());
    assert.equal(transfer.status, 201, JSON.stringify(transfer.body));
  });
  after(() => server.close());

  it('sums income against expense in one currency and states the rate and its date', async () => {
    const answer = await call(server, owner, 'GET', `/api/analytics/summary?${february}&currency=EUR`);
    assert.equal(answer.status, 200);
    const report = summaryReportSchema.parse(answer.body);
    assert.deepEqual(report.totals, {
      income: { amount: '1080.00', currency: 'EUR' }, expense: { amount: '110.00', currency: 'EUR' },
      net: { amount: '970.00', currency: 'EUR' }, count: 6,
    });
    assert.deepEqual(report.rates.map(({ currency, rateDate }) => ({ currency, rateDate })),
      [{ currency: 'USD', rateDate: '2026-02-01' }]);
    assert.equal(report.from, '2026-02-01T00:00:00.000Z');
    assert.equal(report.to, '2026-03-01T00:00:00.000Z');
  });

  it('totals in the currency of the first wallet when none is asked for', async () => {
    const answer = await call(server, owner, 'GET', `/api/analytics/summary?${february}`);
    assert.equal(answer.body.currency, 'EUR');
    assert.equal(answer.body.totals.expense.amount, '110.00');
  });

  it('limits a report to one wallet, in its currency, with no conversion', async () => {
    const answer = await call(server, owner, 'GET',
      `/api/analytics/summary?${february}&walletId=${usd.id}&currency=USD`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.walletId, usd.id);
    assert.equal(answer.body.totals.income.amount, '100.00');
    assert.equal(answer.body.totals.expense.amount, '12.50');
    assert.deepEqual(answer.body.rates, []);
  });

  it('rolls spending up the category tree, largest first, the rest uncategorized', async () => {
    const answer = await call(server, owner, 'GET', `/api/analytics/categories?${february}`);
    assert.equal(answer.status, 200);
    const report = categoryReportSchema.parse(answer.body);
    const expense = report.items.map((item) => [item.name, item.expense.amount, item.count]);
    assert.deepEqual(expense.slice(0, 3), [
      ['Food and drink', '90.00', 3], ['Groceries', '60.00', 2], ['Restaurants', '30.00', 1]]);
    const salary = report.items.find((item) => item.categoryId === category['income.salary']);
    assert.equal(salary?.income.amount, '1000.00');
    const income = report.items.find((item) => item.categoryId === category.income);
    assert.equal(income?.income.amount, '1000.00', 'a parent holds its children');
    assert.equal(income?.parentId, null);
    assert.deepEqual(report.uncategorized, {
      income: { amount: '80.00', currency: 'EUR' }, expense: { amount: '20.00', currency: 'EUR' },
      net: { amount: '60.00', currency: 'EUR' }, count: 2,
    });
  });

  it('answers periods of weeks starting on Monday with the running cash flow', async () => {
    const answer = await call(server, owner, 'GET',
      `/api/analytics/series?${february}&interval=week`);
    assert.equal(answer.status, 200);
    const report = seriesReportSchema.parse(answer.body);
    assert.deepEqual(report.items.map((item) => [item.period, item.income.amount,
      item.expense.amount, item.net.amount, item.cumulativeNet.amount]), [
      ['2026-01-26', '80.00', '0.00', '80.00', '80.00'],
      ['2026-02-02', '1000.00', '60.00', '940.00', '1020.00'],
      ['2026-02-09', '0.00', '50.00', '-50.00', '970.00'],
    ]);
  });

  it('answers months and days', async () => {
    const months = await call(server, owner, 'GET',
      '/api/analytics/series?from=2026-01-01&to=2026-03-31&interval=month');
    assert.deepEqual(months.body.items.map((item: { period: string }) => item.period),
      ['2026-02-01']);
    const days = await call(server, owner, 'GET', `/api/analytics/series?${february}&interval=day`);
    assert.deepEqual(days.body.items.map((item: { period: string }) => item.period),
      ['2026-02-01', '2026-02-02', '2026-02-03', '2026-02-04', '2026-02-10']);
    assert.equal(days.body.items.at(-1).expense.amount, '50.00');
  });

  it('ranks counterparties and tags by what was spent on them', async () => {
    const parties = await call(server, owner, 'GET', `/api/analytics/top?${february}`);
    assert.equal(parties.status, 200);
    const report = topReportSchema.parse(parties.body);
    assert.deepEqual(report.items.map((item) => [item.key, item.expense.amount, item.count]),
      [['Market', '80.00', 3], ['Bistro', '30.00', 1]]);
    const first = await call(server, owner, 'GET', `/api/analytics/top?${february}&limit=1`);
    assert.equal(first.body.items.length, 1);
    const tags = await call(server, owner, 'GET', `/api/analytics/top?${february}&by=tag`);
    assert.deepEqual(tags.body.items, [{ key: 'weekly', count: 2,
      expense: { amount: '60.00', currency: 'EUR' } }]);
  });

  it('shows a user nothing of another user\'s money', async () => {
    const answer = await call(server, stranger, 'GET', `/api/analytics/summary?${february}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.totals.count, 0);
    assert.equal(answer.body.currency, 'EUR');
    assertProblem(await call(server, stranger, 'GET',
      `/api/analytics/summary?walletId=${eur.id}`), 404, 'not-found');
    const top = await call(server, stranger, 'GET', `/api/analytics/top?${february}`);
    assert.deepEqual(top.body.items, []);
  });

  it('refuses bad queries with a problem and changes nothing', async () => {
    const before = await walletRowCounts(server);
    const refusals: [string, number, string][] = [
      ['/api/analytics/summary?currency=XXX', 422, 'unknown-currency'],
      ['/api/analytics/summary?currency=eur', 400, 'validation'],
      [`/api/analytics/summary?${february}&currency=GBP`, 422, 'rate-unavailable'],
      ['/api/analytics/summary?from=2026-02-10&to=2026-02-01', 400, 'validation'],
      ['/api/analytics/summary?from=yesterday', 400, 'validation'],
      ['/api/analytics/summary?from=2026-02-30', 400, 'validation'],
      ['/api/analytics/summary?walletId=abc', 400, 'validation'],
      ['/api/analytics/series?from=2020-01-01&to=2026-01-01&interval=day', 400, 'validation'],
      ['/api/analytics/series?interval=hour', 400, 'validation'],
      ['/api/analytics/top?limit=0', 400, 'validation'],
      ['/api/analytics/top?limit=51', 400, 'validation'],
      ['/api/analytics/top?by=amount', 400, 'validation'],
    ];
    for (const [path, status, slug] of refusals) {
      assertProblem(await call(server, owner, 'GET', path), status, slug);
    }
    assertProblem(await call(server, null, 'GET', '/api/analytics/summary'), 401,
      'unauthenticated');
    assert.deepEqual(await walletRowCounts(server), before);
  });
});
