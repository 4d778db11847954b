/**
 * @module
 * `/api/analytics/*`: the reports of analytics.ts over HTTP. Thin: parse, fix the scope, run
 * the report, answer its view with money as `{amount, currency}`.
 */
import type { ApiRouter } from '../http/api-router.ts';
import {
  analyticsScope,
  categoryReport,
  seriesReport,
  summaryReport,
  topReport,
  type AnalyticsScope,
  type FlowTotals,
  type Report,
} from './analytics.ts';
import {
  analyticsQuerySchema,
  categoryReportSchema,
  seriesQuerySchema,
  seriesReportSchema,
  summaryReportSchema,
  topQuerySchema,
  topReportSchema,
  type CategoryReportJson,
  type SeriesReportJson,
  type SummaryReportJson,
  type TopReportJson,
} from './analytics-schemas.ts';
import { toMoney } from './money.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';

const tags = ['analytics'];

const common = {
  access: 'session' as const,
  tags,
};

const refusals = {
  400: answers.invalid, 401: answers.noSession, 403: answers.forbidden, 404: answers.notFound,
  422: { description: '`/unknown-currency`, or `/rate-unavailable`: a wallet\'s currency has no ' +
    'rate into `currency` on or before the range\'s last day.' },
};

const scopeNote = 'Counts entries that stand (a reversed entry and its reversal cancel) and ' +
  'are not transfers between your wallets; converts each other currency\'s sum once at the ' +
  'rate of the range\'s last day (today while it runs) and lists those rates with their dates.';

function scopeView(report: Report<unknown>) {
  const { scope } = report;
  return { walletId: scope.walletId, from: scope.from.toISOString(), to: scope.to.toISOString(),
    currency: scope.currency, rates: report.rates };
}

function flowView(flow: FlowTotals, scope: AnalyticsScope) {
  return { income: toMoney(flow.incomeMinor, scope.currency),
    expense: toMoney(flow.expenseMinor, scope.currency),
    net: toMoney(flow.incomeMinor - flow.expenseMinor, scope.currency), count: flow.count };
}

/** Declares the analytics routes on `router`. */
export function analyticsRoutes(router: ApiRouter): void {
  router.route({
    ...common, method: 'get', path: '/analytics/summary', summary: 'Income against expense',
    description: `Income, expense and net over the range. ${scopeNote}`,
    query: analyticsQuerySchema,
    responses: { 200: { description: 'The totals.', schema: summaryReportSchema }, ...refusals },
  }, async (c, { query }) => {
    const { ctx } = c.var;
    const report = await summaryReport(ctx, await analyticsScope(ctx, walletActorOf(c), query));
    const view: SummaryReportJson = { ...scopeView(report),
      totals: flowView(report.totals, report.scope) };
    return c.json(view, 200);
  });
  router.route({
    ...common, method: 'get', path: '/analytics/categories', summary: 'Spending by category',
    description: `Income and expense per category, each rolled up with its descendants. ${scopeNote}`,
    query: analyticsQuerySchema,
    responses: { 200: { description: 'The categories.', schema: categoryReportSchema },
      ...refusals },
  }, async (c, { query }) => {
    const { ctx } = c.var;
    const report = await categoryReport(ctx, await analyticsScope(ctx, walletActorOf(c), query));
    const view: CategoryReportJson = { ...scopeView(report),
      items: report.items.map((item) => ({ categoryId: item.categoryId, parentId: item.parentId,
        name: item.name, ...flowView(item, report.scope) })),
      uncategorized: flowView(report.uncategorized, report.scope) };
    return c.json(view, 200);
  });
  router.route({
    ...common, method: 'get', path: '/analytics/series', summary: 'Income, expense and cash flow over time',
    description: `Per UTC day, week (from Monday) or month: income, expense, net and the running net (cash flow) since \`from\`. At most 400 periods. ${scopeNote}`,
    query: seriesQuerySchema,
    responses: { 200: { description: 'The periods.', schema: seriesReportSchema }, ...refusals },
  }, async (c, { query }) => {
    const { ctx } = c.var;
    const scope = await analyticsScope(ctx, walletActorOf(c), query);
    const report = await seriesReport(ctx, scope, query.interval);
    const view: SeriesReportJson = { ...scopeView(report), interval: query.interval,
      items: report.items.map((item) => ({ period: item.period, ...flowView(item, scope),
        cumulativeNet: toMoney(item.cumulativeNetMinor, scope.currency) })) };
    return c.json(view, 200);
  });
  router.route({
    ...common, method: 'get', path: '/analytics/top', summary: 'Top counterparties or tags',
    description: `The counterparties or tags you spent most on (debits), largest first. ${scopeNote}`,
    query: topQuerySchema,
    responses: { 200: { description: 'The top list.', schema: topReportSchema }, ...refusals },
  }, async (c, { query }) => {
    const { ctx } = c.var;
    const scope = await analyticsScope(ctx, walletActorOf(c), query);
    const report = await topReport(ctx, scope, query.by, query.limit);
    const view: TopReportJson = { ...scopeView(report), by: query.by,
      items: report.items.map((item) => ({ key: item.key, count: item.count,
        expense: toMoney(item.expenseMinor, scope.currency) })) };
    return c.json(view, 200);
  });
}
