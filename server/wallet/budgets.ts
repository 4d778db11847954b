/**
 * @module
 * Budgets: a spending limit per period for a wallet, a category (with its descendants), or a
 * category within a wallet; weekly, monthly, quarterly or yearly.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/budgets.test.ts.
 *  1. A user reaches only their own budgets (another's is 404), over their own wallets and the
 *     categories they see.
 *  2. Periods are stored records (`ab_wallet_budget_periods`), one per (budget, start), made
 *     in calendar order with the budget row locked. A period that has ended is closed once:
 *     its spend is frozen and what it carries (see budget-status.ts) becomes the next
 *     period's rollover. Nothing is recomputed afterwards: a back-dated transaction posted
 *     after a period closed changes neither that period nor its carry.
 *  3. A running period's spend is summed from the ledger whenever the budget is read or one of
 *     its wallets gets a posting, and stored with it; the thresholds it reaches fire once
 *     (budget-alerts.ts).
 *  4. A new limit applies to the running period and the ones after; closed periods keep theirs.
 *  5. The clock is the context's; periods are UTC calendar periods (budget-periods.ts).
 *  6. Every change of a budget is audited in its owner's chain.
 */
import assert from 'node:assert/strict';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, userAuditChain } from './audits.ts';
import { fireBudgetAlerts, notifyBudgetAlerts, type BudgetAlertNotice } from './budget-alerts.ts';
import {
  addDays,
  periodEndOn,
  periodStartOn,
  startOfDay,
  type BudgetPeriodKind,
} from './budget-periods.ts';
import { periodSpend } from './budget-spend.ts';
import { carriedMinor, periodFigures, type PeriodFigures, type Rollover } from './budget-status.ts';
import { getCategory } from './categories.ts';
import { requireCurrencyCode } from './currencies.ts';
import {
  walletModels,
  type BudgetAlertAttributes,
  type BudgetAttributes,
  type BudgetPeriodAttributes,
  type Row,
} from './models.ts';
import { parseAmountMinor } from './money.ts';
import { budgetNameLengthMax } from './schemas.ts';
import { parseIsoDate, utcDateOf } from './utc-dates.ts';
import { walletNotFound } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** Most budgets one user may hold. */
export const budgetsPerUserMax = 100;

/** Most periods one read closes; past it the budget is refused (503), never half-updated. */
export const budgetPeriodsCatchUpMax = 600;

/** How far from today, in days, a new budget may start. */
export const budgetStartDaysMax = 366;

/** The thresholds a budget alerts at when none are given, in percent. */
export const defaultAlertThresholdsPercent: readonly number[] = Object.freeze([50, 80, 100]);

/** What a new budget needs; at least one of `walletId` and `categoryId`. */
export interface CreateBudgetInput {
  name: string;
  walletId?: number | null;
  categoryId?: number | null;
  /** Default the wallet's; required without a wallet. */
  currency?: string;
  limit: string;
  period: BudgetPeriodKind;
  rollover?: Rollover;
  alertThresholdsPercent?: readonly number[];
  /** A day in the first period; default today. */
  startsOn?: string;
}

/** What may change; absent members stay. */
export interface UpdateBudgetInput {
  name?: string;
  limit?: string;
  rollover?: Rollover;
  alertThresholdsPercent?: readonly number[];
  active?: boolean;
}

/** A budget and where its running period stands. */
export interface BudgetState {
  budget: BudgetAttributes;
  period: BudgetPeriodAttributes;
  alerts: BudgetAlertAttributes[];
  figures: PeriodFigures;
}

/** A stored period with its alerts. */
export interface StoredPeriod {
  period: BudgetPeriodAttributes;
  alerts: BudgetAlertAttributes[];
}

/**
 * Creates a budget of the actor's and its first period.
 *
 * @throws ProblemError 400, 404 (wallet, category), 422 `unknown-currency`,
 *   `currency-mismatch`, `category-archived`, `budget-start-out-of-range`,
 *   `budget-limit-reached`.
 */
export async function createBudget(
  ctx: AppContext,
  actor: Actor,
  input: CreateBudgetInput,
): Promise<BudgetState> {
  const name = requireBudgetName(input.name);
  const thresholds = normaliseThresholds(input.alertThresholdsPercent);
  const now = ctx.clock.now();
  const startsOn = resolveStart(input.startsOn, input.period, now);
  const { Budget } = walletModels(ctx.sequelize);
  const synced = await writeTransaction(ctx, async (transaction) => {
    await lockAuditChain(ctx, transaction, userAuditChain(actor.userId));
    const held = await Budget.count({ where: { userId: actor.userId }, transaction });
    if (held >= budgetsPerUserMax) {
      throw new ProblemError(422, 'budget-limit-reached', 'Too many budgets.',
        `A user may hold at most ${budgetsPerUserMax} budgets.`);
    }
    const scope = await resolveScope(ctx, transaction, actor, input);
    const limitMinor = parseAmountMinor(input.limit, scope.currency, 'body.limit');
    const row = await Budget.create({ userId: actor.userId, ...scope, name, limitMinor,
      period: input.period, rollover: input.rollover ?? 'none',
      alertThresholdsPercent: thresholds, startsOn, active: true, createdAt: now,
      updatedAt: now }, { transaction });
    const budget = row.get({ plain: true });
    await auditBudget(ctx, transaction, actor, 'budget.created', null, budget);
    return syncBudget(ctx, transaction, budget);
  });
  await notifyBudgetAlerts(ctx, synced.notices);
  return synced.state;
}

/**
 * One of the actor's budgets, its periods brought up to date.
 *
 * @throws ProblemError 404, 422 `rate-unavailable` (a budget over several currencies).
 */
export async function getBudget(
  ctx: AppContext,
  actor: Actor,
  budgetId: number,
): Promise<BudgetState> {
  const synced = await writeTransaction(ctx, async (transaction) => {
    const row = await lockBudget(ctx, transaction, actor, budgetId);
    return syncBudget(ctx, transaction, row.get({ plain: true }));
  });
  await notifyBudgetAlerts(ctx, synced.notices);
  return synced.state;
}

/**
 * A page of the actor's budgets in id order, each brought up to date.
 *
 * @returns the states of up to `limit` budgets, and whether more follow.
 */
export async function listBudgets(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; afterId: number | null },
): Promise<{ states: BudgetState[]; more: boolean }> {
  const { Budget } = walletModels(ctx.sequelize);
  const rows = await Budget.findAll({
    where: { userId: actor.userId,
      ...(page.afterId === null ? {} : { id: { [Op.gt]: page.afterId } }) },
    order: [['id', 'ASC']],
    limit: page.limit + 1,
    attributes: ['id'],
  });
  const states: BudgetState[] = [];
  for (const row of rows.slice(0, page.limit)) states.push(await getBudget(ctx, actor, row.id));
  return { states, more: rows.length > page.limit };
}

/**
 * Changes one of the actor's budgets. A new limit applies to the running period too.
 *
 * @throws ProblemError 400, 404.
 */
export async function updateBudget(
  ctx: AppContext,
  actor: Actor,
  budgetId: number,
  input: UpdateBudgetInput,
): Promise<BudgetState> {
  const name = input.name === undefined ? undefined : requireBudgetName(input.name);
  const thresholds = input.alertThresholdsPercent === undefined
    ? undefined
    : normaliseThresholds(input.alertThresholdsPercent);
  const synced = await writeTransaction(ctx, async (transaction) => {
    const row = await lockBudget(ctx, transaction, actor, budgetId);
    const before = row.get({ plain: true });
    const limitMinor = input.limit === undefined
      ? before.limitMinor
      : parseAmountMinor(input.limit, before.currency, 'body.limit');
    // Close what has ended under the old limit first (invariant 4).
    const closing = await syncBudget(ctx, transaction, before);
    await row.update({ name: name ?? before.name, limitMinor, rollover: input.rollover ??
      before.rollover, alertThresholdsPercent: thresholds ?? before.alertThresholdsPercent,
    active: input.active ?? before.active, updatedAt: ctx.clock.now() }, { transaction });
    const after = row.get({ plain: true });
    const { BudgetPeriod } = walletModels(ctx.sequelize);
    await BudgetPeriod.update({ limitMinor, updatedAt: ctx.clock.now() },
      { where: { budgetId, closedAt: null }, transaction });
    await auditBudget(ctx, transaction, actor, 'budget.changed', before, after);
    const changed = await syncBudget(ctx, transaction, after);
    return { ...changed, notices: [...closing.notices, ...changed.notices] };
  });
  await notifyBudgetAlerts(ctx, synced.notices);
  return synced.state;
}

/**
 * Deletes one of the actor's budgets with its periods and alerts (budgets are plans, not
 * ledger entries; the deletion is audited).
 *
 * @throws ProblemError 404.
 */
export async function deleteBudget(
  ctx: AppContext,
  actor: Actor,
  budgetId: number,
): Promise<{ id: number }> {
  const { BudgetAlert, BudgetPeriod } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (transaction) => {
    const row = await lockBudget(ctx, transaction, actor, budgetId);
    const before = row.get({ plain: true });
    const periods = await BudgetPeriod.findAll({ where: { budgetId }, attributes: ['id'],
      transaction });
    const periodIds = periods.map((period) => period.id);
    if (periodIds.length > 0) {
      await BudgetAlert.destroy({ where: { periodId: { [Op.in]: periodIds } }, transaction });
    }
    await BudgetPeriod.destroy({ where: { budgetId }, transaction });
    await row.destroy({ transaction });
    await auditBudget(ctx, transaction, actor, 'budget.deleted', before, null);
    return { id: budgetId };
  });
}

/**
 * A page of one of the actor's budgets' stored periods, newest first, brought up to date.
 *
 * @returns up to `limit + 1` periods; one more than `limit` says another page follows.
 */
export async function listBudgetPeriods(
  ctx: AppContext,
  actor: Actor,
  budgetId: number,
  page: { limit: number; afterId: number | null },
): Promise<{ budget: BudgetAttributes; periods: StoredPeriod[] }> {
  const { budget } = await getBudget(ctx, actor, budgetId);
  const { BudgetPeriod, BudgetAlert } = walletModels(ctx.sequelize);
  const periods = await BudgetPeriod.findAll({
    where: { budgetId, ...(page.afterId === null ? {} : { id: { [Op.lt]: page.afterId } }) },
    order: [['id', 'DESC']],
    limit: page.limit + 1,
  });
  const alerts = await BudgetAlert.findAll({
    where: { periodId: { [Op.in]: periods.map((period) => period.id) } },
    order: [['thresholdPercent', 'ASC']],
  });
  return { budget, periods: periods.map((row) => ({ period: row.get({ plain: true }),
    alerts: alerts.filter((alert) => alert.periodId === row.id)
      .map((alert) => alert.get({ plain: true })) })) };
}

/**
 * Brings the actor's active budgets over these wallets (and those over all wallets) up to
 * date after a posting, firing their alerts. Never throws: a posting has already committed,
 * so a failure here is logged and the next read catches up.
 */
export async function checkBudgetsAfterPosting(
  ctx: AppContext,
  actor: Actor,
  walletIds: readonly number[],
): Promise<void> {
  try {
    const { Budget } = walletModels(ctx.sequelize);
    const rows = await Budget.findAll({ attributes: ['id'], limit: budgetsPerUserMax,
      where: { userId: actor.userId, active: true,
        [Op.or]: [{ walletId: { [Op.in]: [...walletIds] } }, { walletId: null }] } });
    for (const row of rows) await getBudget(ctx, actor, row.id);
  } catch (error) {
    ctx.logger.error('budgets not brought up to date after a posting', {
      userId: actor.userId, error: error instanceof Error ? error.message : String(error) });
  }
}

/** A period brought up to date, and the alerts it fired. */
interface Synced {
  state: BudgetState;
  notices: BudgetAlertNotice[];
}

/** Invariants 2 and 3, with the budget row locked by the caller. */
async function syncBudget(
  ctx: AppContext,
  transaction: Transaction,
  budget: BudgetAttributes,
): Promise<Synced> {
  const now = ctx.clock.now();
  const today = utcDateOf(now);
  const { BudgetPeriod, BudgetAlert } = walletModels(ctx.sequelize);
  const notices: BudgetAlertNotice[] = [];
  let current = await BudgetPeriod.findOne({ where: { budgetId: budget.id },
    order: [['startsOn', 'DESC']], transaction })
    ?? await openPeriod(ctx, transaction, budget, budget.startsOn, 0n);
  for (let closed = 0; current.endsOn <= today; closed += 1) {
    if (closed >= budgetPeriodsCatchUpMax) {
      throw new ProblemError(503, 'budget-too-far-behind', 'Budget too far behind.',
        `Budget ${budget.id} has more than ${budgetPeriodsCatchUpMax} periods to close.`);
    }
    const ended = await refreshPeriod(ctx, transaction, budget, current, notices, true);
    const carry = carriedMinor(budget.rollover, ended.limitMinor, ended.rolloverMinor,
      ended.spentMinor);
    current = await openPeriod(ctx, transaction, budget, ended.endsOn, carry);
  }
  const period = await refreshPeriod(ctx, transaction, budget, current, notices, false);
  const alerts = await BudgetAlert.findAll({ where: { periodId: period.id },
    order: [['thresholdPercent', 'ASC']], transaction });
  const figures = periodFigures({ ...period, start: startOfDay(period.startsOn),
    end: startOfDay(period.endsOn) }, now);
  return { state: { budget, period, alerts: alerts.map((alert) => alert.get({ plain: true })),
    figures }, notices };
}

async function openPeriod(
  ctx: AppContext,
  transaction: Transaction,
  budget: BudgetAttributes,
  startsOn: string,
  rolloverMinor: bigint,
): Promise<Row<BudgetPeriodAttributes>> {
  const { BudgetPeriod } = walletModels(ctx.sequelize);
  const now = ctx.clock.now();
  return BudgetPeriod.create({ budgetId: budget.id, startsOn,
    endsOn: periodEndOn(startsOn, budget.period), limitMinor: budget.limitMinor, rolloverMinor,
    spentMinor: 0n, rateDate: null, closedAt: null, createdAt: now, updatedAt: now },
  { transaction });
}

/** Stores a period's spend (and closes it when it has ended), firing its alerts. */
async function refreshPeriod(
  ctx: AppContext,
  transaction: Transaction,
  budget: BudgetAttributes,
  row: Row<BudgetPeriodAttributes>,
  notices: BudgetAlertNotice[],
  close: boolean,
): Promise<BudgetPeriodAttributes> {
  assert.equal(row.closedAt, null, 'a closed period is never recomputed');
  const now = ctx.clock.now();
  const spend = await periodSpend(ctx, transaction, budget, row, now);
  await row.update({ spentMinor: spend.spentMinor, rateDate: spend.rateDate, updatedAt: now,
    ...(close ? { closedAt: now } : {}) }, { transaction });
  const period = row.get({ plain: true });
  assert.equal(period.spentMinor, spend.spentMinor, 'the spend was stored');
  notices.push(...await fireBudgetAlerts(ctx, transaction, budget, period,
    period.limitMinor + period.rolloverMinor));
  return period;
}

async function lockBudget(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  budgetId: number,
): Promise<Row<BudgetAttributes>> {
  const { Budget } = walletModels(ctx.sequelize);
  const row = await Budget.findByPk(budgetId, { transaction, lock: transaction.LOCK.UPDATE });
  if (!row || row.userId !== actor.userId) {
    throw notFoundProblem(`There is no budget ${budgetId} of yours.`);
  }
  return row;
}

/** The wallet, category and currency of a new budget (invariant 1). */
async function resolveScope(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  input: CreateBudgetInput,
): Promise<{ walletId: number | null; categoryId: number | null; currency: string }> {
  const walletId = input.walletId ?? null;
  const categoryId = input.categoryId ?? null;
  if (walletId === null && categoryId === null) {
    throw validationProblem([{ path: 'body.walletId',
      message: 'Give walletId, categoryId or both.' }]);
  }
  if (categoryId !== null) {
    const category = await getCategory(ctx, actor, categoryId, { transaction });
    if (category.archivedAt !== null) {
      throw new ProblemError(422, 'category-archived', 'Category archived.',
        `Category ${categoryId} is archived; restore it to budget for it.`);
    }
  }
  const stated = input.currency === undefined
    ? null
    : requireCurrencyCode(input.currency, 'body.currency');
  if (walletId === null) {
    if (stated === null) {
      throw validationProblem([{ path: 'body.currency',
        message: 'Required for a budget over all wallets.' }]);
    }
    return { walletId, categoryId, currency: stated };
  }
  const { Wallet } = walletModels(ctx.sequelize);
  const wallet = await Wallet.findByPk(walletId, { transaction });
  if (!wallet || wallet.userId !== actor.userId) throw walletNotFound(walletId);
  if (stated !== null && stated !== wallet.currency) {
    throw new ProblemError(422, 'currency-mismatch', 'Currency mismatch.',
      `Wallet ${walletId} holds ${wallet.currency}; its budget is in ${wallet.currency}.`);
  }
  return { walletId, categoryId, currency: wallet.currency };
}

/** The first day of the first period: `startsOn` (default today) within range, normalised. */
function resolveStart(startsOn: string | undefined, kind: BudgetPeriodKind, now: Date): string {
  const today = utcDateOf(now);
  const day = startsOn === undefined ? today : parseIsoDate(startsOn, 'body.startsOn');
  if (day < addDays(today, -budgetStartDaysMax) || day > addDays(today, budgetStartDaysMax)) {
    throw new ProblemError(422, 'budget-start-out-of-range', 'Start out of range.',
      `A budget starts within ${budgetStartDaysMax} days of today.`);
  }
  return periodStartOn(day, kind);
}

function normaliseThresholds(thresholds: readonly number[] | undefined): number[] {
  const chosen = [...new Set(thresholds ?? defaultAlertThresholdsPercent)]
    .sort((first, second) => first - second);
  assert(chosen.length >= 1, 'a budget alerts at one threshold at least');
  assert(chosen.every((threshold) => Number.isInteger(threshold) && threshold >= 1),
    'thresholds are positive whole percents (the schema checked them)');
  return chosen;
}

function requireBudgetName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > budgetNameLengthMax) {
    throw validationProblem([{ path: 'body.name',
      message: `Must be 1 to ${budgetNameLengthMax} characters.` }]);
  }
  return trimmed;
}

async function auditBudget(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  action: string,
  before: BudgetAttributes | null,
  after: BudgetAttributes | null,
): Promise<void> {
  const subject = after ?? before;
  assert(subject, 'an audited change has a budget');
  const state = (budget: BudgetAttributes) => ({ name: budget.name, walletId: budget.walletId,
    categoryId: budget.categoryId, currency: budget.currency,
    limitMinor: budget.limitMinor.toString(), period: budget.period, rollover: budget.rollover,
    alertThresholdsPercent: budget.alertThresholdsPercent, startsOn: budget.startsOn,
    active: budget.active });
  await appendAudit(ctx, transaction, { ownerUserId: actor.userId, actor, action,
    entityType: 'budget', entityId: subject.id, before: before && state(before),
    after: after && state(after) });
}
