/**
 * @module
 * What a budget period has spent, summed in SQL over (wallet_id, occurred_at).
 *
 * Rules.
 *  1. Spending is the debits that occurred within the period ([startsOn, endsOn), UTC), in
 *     the budget's wallet (or in all the owner's wallets for a budget without one), in its
 *     category and that category's descendants (or in any category for a budget without one).
 *  2. Transfers between one's own wallets are not spending; a reversed debit and the
 *     reversal itself count as nothing (the mistake and its correction cancel).
 *  3. A budget over several wallets converts each other currency's sum at the rate valid on
 *     the period's last day, or today while the period runs, rounded half-even once per
 *     currency; the period records the oldest rate date used. No rate: 422
 *     `rate-unavailable`, nothing stored.
 */
import assert from 'node:assert/strict';
import { QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { addDays } from './budget-periods.ts';
import { categorySubtreeIds } from './categories.ts';
import type { BudgetAttributes } from './models.ts';
import { minorFromColumn } from './column-values.ts';
import { SumConverter } from './currency-sums.ts';
import { utcDateOf } from './utc-dates.ts';

/** What a period spent, in the budget's currency. */
export interface PeriodSpend {
  spentMinor: bigint;
  /** The oldest rate date a conversion used; null when none was needed. */
  rateDate: string | null;
}

/** A period's bounds. */
export interface PeriodRange {
  startsOn: string;
  endsOn: string;
}

/**
 * Sums the budget's spending within `range`.
 *
 * @param now - the clock: the rate of a running period is today's.
 */
export async function periodSpend(
  ctx: AppContext,
  transaction: Transaction,
  budget: BudgetAttributes,
  range: PeriodRange,
  now: Date,
): Promise<PeriodSpend> {
  const owner = { userId: budget.userId, isAdmin: false, ip: null, userAgent: null };
  const categoryIds = budget.categoryId === null
    ? null
    : await categorySubtreeIds(ctx, owner, budget.categoryId, { transaction });
  const sums = await ctx.sequelize.query<{ currency: string; spent_minor: unknown }>(
    `SELECT w.currency AS currency, CAST(SUM(t.amount_minor) AS TEXT) AS spent_minor
     FROM ab_wallet_transactions t JOIN ab_user_wallets w ON w.id = t.wallet_id
     WHERE w.user_id = :userId
       ${budget.walletId === null ? '' : 'AND t.wallet_id = :walletId'}
       ${categoryIds === null ? '' : 'AND t.category_id IN (:categoryIds)'}
       AND t.type = 'debit' AND t.origin NOT IN ('reversal', 'transfer')
       AND t.reversed_by_id IS NULL
       AND t.occurred_at >= :start AND t.occurred_at < :end
     GROUP BY w.currency ORDER BY w.currency`,
    { replacements: { userId: budget.userId, walletId: budget.walletId, categoryIds,
      start: new Date(`${range.startsOn}T00:00:00Z`), end: new Date(`${range.endsOn}T00:00:00Z`) },
    type: QueryTypes.SELECT, transaction },
  );
  const lastDay = addDays(range.endsOn, -1);
  const today = utcDateOf(now);
  const rateOn = lastDay < today ? lastDay : today;
  const converter = new SumConverter(ctx, budget.currency, rateOn, transaction);
  let spentMinor = 0n;
  for (const sum of sums) {
    const minor = minorFromColumn(sum.spent_minor);
    assert(minor > 0n, 'a sum of debits is positive');
    spentMinor += await converter.convert(sum.currency, minor);
  }
  return { spentMinor, rateDate: converter.oldestRateDate() };
}
