/**
 * @module
 * Budget alerts: a threshold (50, 80, 100 % by default) reached in a period fires once, is
 * recorded in `ab_wallet_budget_alerts`, and is handed to a notifier after the commit.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/budgets.test.ts.
 *  1. One alert per (period, threshold): checked with the budget row locked, and the unique
 *     index refuses a second row even if a check were missed.
 *  2. An alert is recorded in the database transaction that saw the spend reach it; it is
 *     notified only after that commit, so a rolled-back check notifies nobody. A notifier that
 *     fails is logged; the alert stays recorded (it is not sent again).
 *  3. An inactive budget fires nothing.
 *
 * The notifier is a plain function per context ({@link useBudgetAlertNotifier}), so the mailer
 * can be plugged in without this module knowing it; by default an alert is logged.
 */
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { reachedThresholds } from './budget-status.ts';
import { walletModels, type BudgetAttributes, type BudgetPeriodAttributes } from './models.ts';
import { toMoney, type Money } from './money.ts';

/** What a notifier is told about one alert. */
export interface BudgetAlertNotice {
  userId: number;
  budgetId: number;
  budgetName: string;
  periodStartsOn: string;
  /** The first day after the period. */
  periodEndsOn: string;
  thresholdPercent: number;
  spent: Money;
  available: Money;
  firedAt: Date;
}

/** Tells a user about an alert (an email, a push message); never throws on purpose. */
export type BudgetAlertNotifier = (ctx: AppContext, notice: BudgetAlertNotice) => Promise<void>;

/** The default notifier: one log line per alert. */
export const logBudgetAlert: BudgetAlertNotifier = async (ctx, notice) => {
  ctx.logger.info('budget alert', {
    userId: notice.userId, budgetId: notice.budgetId, thresholdPercent: notice.thresholdPercent,
    periodStartsOn: notice.periodStartsOn, spent: notice.spent, available: notice.available,
  });
};

const notifiers = new WeakMap<AppContext, BudgetAlertNotifier>();

/**
 * Sets the notifier of `ctx`'s budget alerts.
 *
 * @example
 * useBudgetAlertNotifier(ctx, async (ctx, notice) => {
 *   await ctx.mailer.send(budgetAlertEmail(notice));
 * });
 */
export function useBudgetAlertNotifier(ctx: AppContext, notifier: BudgetAlertNotifier): void {
  notifiers.set(ctx, notifier);
}

/**
 * Records the thresholds a period's spend has reached and not yet fired.
 *
 * @param period - the stored period, with the spend just computed.
 * @param availableMinor - limit + rollover of the period.
 * @returns the notices of the alerts fired now, to hand to {@link notifyBudgetAlerts} after
 *   the commit.
 */
export async function fireBudgetAlerts(
  ctx: AppContext,
  transaction: Transaction,
  budget: BudgetAttributes,
  period: BudgetPeriodAttributes,
  availableMinor: bigint,
): Promise<BudgetAlertNotice[]> {
  if (!budget.active) return [];
  const reached = reachedThresholds(budget.alertThresholdsPercent, period.spentMinor,
    availableMinor);
  if (reached.length === 0) return [];
  const { BudgetAlert } = walletModels(ctx.sequelize);
  const fired = await BudgetAlert.findAll({ where: { periodId: period.id }, transaction });
  const firedThresholds = new Set(fired.map((alert) => alert.thresholdPercent));
  const firedAt = ctx.clock.now();
  const fresh = reached.filter((threshold) => !firedThresholds.has(threshold));
  if (fresh.length === 0) return [];
  await BudgetAlert.bulkCreate(fresh.map((thresholdPercent) => ({ periodId: period.id,
    thresholdPercent, spentMinor: period.spentMinor, firedAt })), { transaction });
  return fresh.map((thresholdPercent) => ({
    userId: budget.userId, budgetId: budget.id, budgetName: budget.name,
    periodStartsOn: period.startsOn, periodEndsOn: period.endsOn, thresholdPercent,
    spent: toMoney(period.spentMinor, budget.currency),
    available: toMoney(availableMinor, budget.currency), firedAt,
  }));
}

/** Hands each notice to the context's notifier; a failure is logged, never thrown. */
export async function notifyBudgetAlerts(
  ctx: AppContext,
  notices: readonly BudgetAlertNotice[],
): Promise<void> {
  const notifier = notifiers.get(ctx) ?? logBudgetAlert;
  for (const notice of notices) {
    try {
      await notifier(ctx, notice);
    } catch (error) {
      ctx.logger.error('budget alert not delivered', { budgetId: notice.budgetId,
        thresholdPercent: notice.thresholdPercent,
        error: error instanceof Error ? error.message : String(error) });
    }
  }
}
