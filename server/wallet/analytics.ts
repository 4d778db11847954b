/**
 * @module
 * Reports over a user's money: income against expense, spending per category rolled up the
 * tree, a series per day, week or month with its cash flow, and the top counterparties and
 * tags. Every report sums in SQL, grouped by wallet currency, over the (wallet_id,
 * occurred_at) index, so it never loads entries into JavaScript; only the grouped sums are
 * converted here.
 *
 * Rules.
 *  1. Scope: the actor's wallets (all of them, or the one `walletId` names: 404 when it is not
 *     theirs). Admins see only their own money here too.
 *  2. Counted entries: as in the category totals, entries that stand (a reversed entry and its
 *     reversal cancel) and are not transfers between one's own wallets. Credits are income,
 *     debits are expense.
 *  3. Range [from, to) on `occurredAt`; by default the year up to now. Days, weeks (starting on
 *     Monday) and months are UTC calendar periods.
 *  4. Totals are in `currency` (by default the currency of the actor's first wallet, else EUR):
 *     each currency's sum converted once at the rate valid on the range's last day (today
 *     while the range runs), and every answer lists the rates and their dates (currency-sums.ts).
 *  5. A series has at most {@link seriesPeriodsMax} periods; a longer range asks for a coarser
 *     interval (400).
 */
import { QueryTypes } from 'sequelize';
import type { AppContext } from '../context.ts';
import { validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { categoryDepthMax } from './categories.ts';
import { categoryClosureSql } from './category-totals.ts';
import { countFromColumn, minorFromColumn } from './column-values.ts';
import { requireCurrencyCode } from './currencies.ts';
import { SumConverter, type RateUsed } from './currency-sums.ts';
import { boundInstant } from './transaction-search.ts';
import { utcDateOf } from './utc-dates.ts';
import { getWallet, listWallets } from './wallets.ts';

/** Most periods one series answers. */
export const seriesPeriodsMax = 400;

/** The length of a series' periods. */
export type SeriesInterval = 'day' | 'week' | 'month';

/** What every report is asked: the scope, the range and the currency of its totals. */
export interface AnalyticsQuery {
  walletId?: number;
  from?: string;
  to?: string;
  currency?: string;
}

/** The resolved scope of a report. */
export interface AnalyticsScope {
  userId: number;
  walletId: number | null;
  from: Date;
  to: Date;
  currency: string;
}

/** Income and expense of a set of entries, in the report's currency. */
export interface FlowTotals {
  incomeMinor: bigint;
  expenseMinor: bigint;
  count: number;
}

/** What every report answers besides its own lines. */
export interface Report<Item> {
  scope: AnalyticsScope;
  rates: RateUsed[];
  items: Item[];
}

/** Income against expense over the range. */
export interface SummaryReport extends Report<never> {
  totals: FlowTotals;
}

/** One category's line: its subtree's flows. */
export interface CategoryLine extends FlowTotals {
  categoryId: number;
  parentId: number | null;
  name: string;
}

/** Spending and income per category, rolled up; entries without one apart. */
export interface CategoryReport extends Report<CategoryLine> {
  uncategorized: FlowTotals;
}

/** One period of a series; `cumulativeNetMinor` is the running net since the range began. */
export interface SeriesLine extends FlowTotals {
  period: string;
  cumulativeNetMinor: bigint;
}

/** One counterparty's or tag's spending. */
export interface TopLine {
  key: string;
  expenseMinor: bigint;
  count: number;
}

const yearMs = 365 * 24 * 60 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

/** Periods of each interval, roughly, to bound a series before running it. */
const intervalDays: Record<SeriesInterval, number> = { day: 1, week: 7, month: 28 };

/**
 * Checks the query and fixes the report's scope.
 *
 * @throws ProblemError 400 (range, currency shape), 404 (wallet), 422 `unknown-currency`.
 */
export async function analyticsScope(
  ctx: AppContext,
  actor: Actor,
  query: AnalyticsQuery,
): Promise<AnalyticsScope> {
  const now = ctx.clock.now();
  const to = query.to === undefined ? now : boundInstant(query.to, true, 'query.to');
  const from = query.from === undefined
    ? new Date(to.getTime() - yearMs)
    : boundInstant(query.from, false, 'query.from');
  if (from >= to) {
    throw validationProblem([{ path: 'query.to', message: 'Must lie after `from`.' }]);
  }
  const wallet = query.walletId === undefined ? null
    : await getWallet(ctx, actor, query.walletId);
  const currency = query.currency === undefined
    ? wallet?.currency ?? (await listWallets(ctx, actor))[0]?.currency ?? 'EUR'
    : requireCurrencyCode(query.currency, 'query.currency');
  return { userId: actor.userId, walletId: wallet?.id ?? null, from, to, currency };
}

/** The day whose rates convert a report: the range's last day, or today while it runs. */
function rateDayOf(ctx: AppContext, scope: AnalyticsScope): string {
  const lastInstant = new Date(scope.to.getTime() - 1);
  const now = ctx.clock.now();
  return utcDateOf(lastInstant < now ? lastInstant : now);
}

/** The conditions on `t` (entries) and `w` (their wallets) that select rule 2's entries. */
function countedSql(scope: AnalyticsScope): string {
  return `w.user_id = :userId ${scope.walletId === null ? '' : 'AND t.wallet_id = :walletId'}
      AND t.reversed_by_id IS NULL AND t.origin NOT IN ('reversal', 'transfer')
      AND t.occurred_at >= :from AND t.occurred_at < :to`;
}

const entriesJoinSql = 'ab_wallet_transactions t JOIN ab_user_wallets w ON w.id = t.wallet_id';

/** The counted entries of the scope, as `t` joined to their wallet `w`. */
function entriesSql(scope: AnalyticsScope): string {
  return `${entriesJoinSql} WHERE ${countedSql(scope)}`;
}

const flowSumsSql = `w.currency AS currency,
  CAST(COALESCE(SUM(CASE WHEN t.type = 'credit' THEN t.amount_minor ELSE 0 END), 0) AS TEXT)
    AS income_minor,
  CAST(COALESCE(SUM(CASE WHEN t.type = 'debit' THEN t.amount_minor ELSE 0 END), 0) AS TEXT)
    AS expense_minor,
  COUNT(t.id) AS entries`;

interface FlowRow {
  currency: string;
  income_minor: unknown;
  expense_minor: unknown;
  entries: unknown;
}

function replacementsOf(scope: AnalyticsScope) {
  return { userId: scope.userId, walletId: scope.walletId, from: scope.from, to: scope.to,
    depthMax: categoryDepthMax };
}

async function addFlow(converter: SumConverter, totals: FlowTotals, row: FlowRow) {
  totals.incomeMinor += await converter.convert(row.currency, minorFromColumn(row.income_minor));
  totals.expenseMinor +=
    await converter.convert(row.currency, minorFromColumn(row.expense_minor));
  totals.count += countFromColumn(row.entries);
}

function emptyFlow(): FlowTotals {
  return { incomeMinor: 0n, expenseMinor: 0n, count: 0 };
}

/** Income, expense and their count over the scope. */
export async function summaryReport(
  ctx: AppContext,
  scope: AnalyticsScope,
): Promise<SummaryReport> {
  const rows = await ctx.sequelize.query<FlowRow>(
    `SELECT ${flowSumsSql} FROM ${entriesSql(scope)} GROUP BY w.currency ORDER BY w.currency`,
    { replacements: replacementsOf(scope), type: QueryTypes.SELECT },
  );
  const converter = new SumConverter(ctx, scope.currency, rateDayOf(ctx, scope));
  const totals = emptyFlow();
  for (const row of rows) await addFlow(converter, totals, row);
  return { scope, rates: converter.ratesUsed(), items: [], totals };
}

/** Flows per category, each holding its descendants' (rule 2 entries only). */
export async function categoryReport(
  ctx: AppContext,
  scope: AnalyticsScope,
): Promise<CategoryReport> {
  const replacements = replacementsOf(scope);
  const rolled = await ctx.sequelize.query<FlowRow & { category_id: unknown; name: string;
    parent_id: unknown }>(
    `${categoryClosureSql}
     SELECT c.ancestor_id AS category_id, k.name AS name, k.parent_id AS parent_id, ${flowSumsSql}
     FROM closure c
     JOIN ab_transaction_categories k ON k.id = c.ancestor_id
     JOIN ab_wallet_transactions t ON t.category_id = c.descendant_id
     JOIN ab_user_wallets w ON w.id = t.wallet_id
     WHERE ${countedSql(scope)}
     GROUP BY c.ancestor_id, k.name, k.parent_id, w.currency
     ORDER BY c.ancestor_id, w.currency`,
    { replacements, type: QueryTypes.SELECT },
  );
  const loose = await ctx.sequelize.query<FlowRow>(
    `SELECT ${flowSumsSql} FROM ${entriesSql(scope)} AND t.category_id IS NULL
     GROUP BY w.currency ORDER BY w.currency`,
    { replacements, type: QueryTypes.SELECT },
  );
  const converter = new SumConverter(ctx, scope.currency, rateDayOf(ctx, scope));
  const lines = new Map<number, CategoryLine>();
  for (const row of rolled) {
    const categoryId = countFromColumn(row.category_id);
    let line = lines.get(categoryId);
    if (!line) {
      line = { categoryId, name: row.name, ...emptyFlow(),
        parentId: row.parent_id === null ? null : countFromColumn(row.parent_id) };
      lines.set(categoryId, line);
    }
    await addFlow(converter, line, row);
  }
  const uncategorized = emptyFlow();
  for (const row of loose) await addFlow(converter, uncategorized, row);
  const items = [...lines.values()].sort((a, b) =>
    a.expenseMinor === b.expenseMinor ? a.categoryId - b.categoryId
      : a.expenseMinor > b.expenseMinor ? -1 : 1);
  return { scope, rates: converter.ratesUsed(), items, uncategorized };
}

/** The SQL expression of an entry's period start, `YYYY-MM-DD`, on the context's database. */
function periodSql(ctx: AppContext, interval: SeriesInterval): string {
  if (ctx.sequelize.getDialect() === 'postgres') {
    const utc = "t.occurred_at AT TIME ZONE 'UTC'";
    return interval === 'day' ? `to_char(${utc}, 'YYYY-MM-DD')`
      : `to_char(date_trunc('${interval}', ${utc}), 'YYYY-MM-DD')`;
  }
  // SQLite reads the stored offset; 'weekday 1' moves forward to a Monday, hence '-6 days'.
  return interval === 'day' ? "strftime('%Y-%m-%d', t.occurred_at)"
    : interval === 'week' ? "date(t.occurred_at, '-6 days', 'weekday 1')"
      : "strftime('%Y-%m-01', t.occurred_at)";
}

/**
 * Income, expense and the running net per period, for periods that have entries.
 *
 * @throws ProblemError 400 when the range holds more than {@link seriesPeriodsMax} periods.
 */
export async function seriesReport(
  ctx: AppContext,
  scope: AnalyticsScope,
  interval: SeriesInterval,
): Promise<Report<SeriesLine>> {
  const periods = (scope.to.getTime() - scope.from.getTime()) / (intervalDays[interval] * dayMs);
  if (periods > seriesPeriodsMax) {
    throw validationProblem([{ path: 'query.interval', message:
      `A ${interval} series covers at most ${seriesPeriodsMax} periods; choose a longer ` +
      'interval or a shorter range.' }]);
  }
  const period = periodSql(ctx, interval);
  const rows = await ctx.sequelize.query<FlowRow & { period: string }>(
    `SELECT ${period} AS period, ${flowSumsSql} FROM ${entriesSql(scope)}
     GROUP BY ${period}, w.currency ORDER BY period, w.currency`,
    { replacements: replacementsOf(scope), type: QueryTypes.SELECT },
  );
  const converter = new SumConverter(ctx, scope.currency, rateDayOf(ctx, scope));
  const items: SeriesLine[] = [];
  for (const row of rows) {
    let line = items.at(-1);
    if (line?.period !== row.period) {
      line = { period: row.period, ...emptyFlow(), cumulativeNetMinor: 0n };
      items.push(line);
    }
    await addFlow(converter, line, row);
  }
  let net = 0n;
  for (const line of items) {
    net += line.incomeMinor - line.expenseMinor;
    line.cumulativeNetMinor = net;
  }
  return { scope, rates: converter.ratesUsed(), items };
}

/** Where a top list groups: the entry's counterparty, or each of its tags. */
export type TopKey = 'counterparty' | 'tag';

/** The `limit` counterparties or tags the scope spent most on (debits), largest first. */
export async function topReport(
  ctx: AppContext,
  scope: AnalyticsScope,
  by: TopKey,
  limit: number,
): Promise<Report<TopLine>> {
  const key = by === 'tag' ? 'g.tag' : 't.counterparty';
  const source = by === 'tag'
    ? `${entriesJoinSql} JOIN ab_wallet_transaction_tags g ON g.transaction_id = t.id
       WHERE ${countedSql(scope)}`
    : `${entriesSql(scope)} AND t.counterparty IS NOT NULL`;
  // Every group is read: the order is known only after each currency is converted.
  const rows = await ctx.sequelize.query<{ key: string; currency: string; expense_minor: unknown;
    entries: unknown }>(
    `SELECT ${key} AS key, w.currency AS currency,
       CAST(SUM(t.amount_minor) AS TEXT) AS expense_minor, COUNT(t.id) AS entries
     FROM ${source} AND t.type = 'debit'
     GROUP BY ${key}, w.currency ORDER BY key, w.currency`,
    { replacements: replacementsOf(scope), type: QueryTypes.SELECT },
  );
  const converter = new SumConverter(ctx, scope.currency, rateDayOf(ctx, scope));
  const lines = new Map<string, TopLine>();
  for (const row of rows) {
    const line = lines.get(row.key) ?? { key: row.key, expenseMinor: 0n, count: 0 };
    line.expenseMinor += await converter.convert(row.currency, minorFromColumn(row.expense_minor));
    line.count += countFromColumn(row.entries);
    lines.set(row.key, line);
  }
  const items = [...lines.values()].sort((a, b) => a.expenseMinor === b.expenseMinor
    ? a.key.localeCompare(b.key) : a.expenseMinor > b.expenseMinor ? -1 : 1).slice(0, limit);
  return { scope, rates: converter.ratesUsed(), items };
}
