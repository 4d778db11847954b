/**
 * @module
 * Where a budget period stands: what it makes available, what is left, the share spent, and
 * the spend projected at its end. Pure functions of a stored period and the clock, in bigint
 * minor units.
 *
 * Rules.
 *  1. available = limit + rollover (the rollover may be negative under
 *     `surplus-and-deficit`); remaining = available - spent, negative when overspent.
 *  2. percent = spent / available x 100, rounded half-even to one decimal; null when nothing
 *     is available (available <= 0).
 *  3. The projection is linear in elapsed time: projected = spent x period length / elapsed,
 *     rounded half-even, where elapsed runs from the period's start to now, is at least
 *     {@link projectionElapsedMsMin} (so one early purchase does not project to infinity),
 *     and at most the period's length (a closed period projects to what it spent).
 *  4. Rollover into the next period: `none` carries nothing; `surplus` carries what is left
 *     when something is left; `surplus-and-deficit` carries what is left, or the overspend as
 *     a negative amount. The carry is bounded to +-{@link amountMinorMax}, like every stored
 *     amount.
 */
import assert from 'node:assert/strict';
import { amountMinorMax } from './money.ts';
import { divideHalfEven } from './rounding.ts';

/** The shortest elapsed time a projection divides by: one hour. */
export const projectionElapsedMsMin = 60 * 60 * 1000;

/** What a budget hands on to its next period. */
export type Rollover = 'none' | 'surplus' | 'surplus-and-deficit';

/** A period's figures. */
export interface PeriodFigures {
  availableMinor: bigint;
  remainingMinor: bigint;
  /** One decimal; null when nothing is available. */
  percent: number | null;
  projectedMinor: bigint;
}

/**
 * The figures of a period at `now`.
 *
 * @param period - its limit, carried rollover and spend, and its bounds as instants.
 */
export function periodFigures(
  period: { limitMinor: bigint; rolloverMinor: bigint; spentMinor: bigint; start: Date;
    end: Date },
  now: Date,
): PeriodFigures {
  assert(period.limitMinor > 0n, 'a budget limit is positive');
  const lengthMs = period.end.getTime() - period.start.getTime();
  assert(lengthMs > 0, 'a period has a length');
  const availableMinor = period.limitMinor + period.rolloverMinor;
  const remainingMinor = availableMinor - period.spentMinor;
  const percent = availableMinor > 0n
    ? Number(divideHalfEven(period.spentMinor * 1000n, availableMinor)) / 10
    : null;
  const elapsedMs = Math.min(lengthMs,
    Math.max(projectionElapsedMsMin, now.getTime() - period.start.getTime()));
  const projectedMinor = divideHalfEven(period.spentMinor * BigInt(lengthMs), BigInt(elapsedMs));
  assert(period.spentMinor < 0n || projectedMinor >= period.spentMinor,
    'a projection never falls below what is spent');
  return { availableMinor, remainingMinor, percent, projectedMinor };
}

/**
 * What a closed period carries into the next one (rule 4).
 *
 * @example
 * carriedMinor('surplus', 10000n, 0n, 7000n);              // 3000n
 * carriedMinor('surplus-and-deficit', 10000n, 0n, 12000n); // -2000n
 */
export function carriedMinor(
  rollover: Rollover,
  limitMinor: bigint,
  rolloverMinor: bigint,
  spentMinor: bigint,
): bigint {
  const leftMinor = limitMinor + rolloverMinor - spentMinor;
  const carried = rollover === 'none'
    ? 0n
    : rollover === 'surplus'
      ? (leftMinor > 0n ? leftMinor : 0n)
      : leftMinor;
  if (carried > amountMinorMax) return amountMinorMax;
  if (carried < -amountMinorMax) return -amountMinorMax;
  return carried;
}

/**
 * The thresholds (in percent) a spend has reached: all of them once anything is spent when
 * nothing is available.
 */
export function reachedThresholds(
  thresholdsPercent: readonly number[],
  spentMinor: bigint,
  availableMinor: bigint,
): number[] {
  return thresholdsPercent.filter((threshold) => {
    assert(Number.isInteger(threshold) && threshold >= 1, 'a threshold is a positive percent');
    if (availableMinor <= 0n) return spentMinor > 0n;
    return spentMinor * 100n >= BigInt(threshold) * availableMinor;
  });
}
