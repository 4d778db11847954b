/**
 * @module
 * The calendar of budgets: where a weekly, monthly, quarterly or yearly period starts and
 * ends. Pure functions on calendar dates (`YYYY-MM-DD`) in UTC, like every money rule of the
 * server (see utc-dates.ts).
 *
 * Periods follow the calendar: a week starts on Monday (ISO 8601), a month on its 1st, a
 * quarter on January, April, July or October 1st, a year on January 1st. A period is the
 * half-open range [startsOn, endsOn): `endsOn` is the first day of the next period.
 */
import assert from 'node:assert/strict';
import { isIsoDate } from './utc-dates.ts';

/** How long a budget period is. */
export type BudgetPeriodKind = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** One day, in milliseconds. */
const dayMs = 24 * 60 * 60 * 1000;

/**
 * The first day of the period of `kind` that holds `date`.
 *
 * @example
 * periodStartOn('2026-03-18', 'weekly');    // '2026-03-16' (a Monday)
 * periodStartOn('2026-03-18', 'quarterly'); // '2026-01-01'
 */
export function periodStartOn(date: string, kind: BudgetPeriodKind): string {
  assert(isIsoDate(date), 'a period is found for a calendar date');
  const day = new Date(`${date}T00:00:00Z`);
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth();
  switch (kind) {
    case 'weekly': {
      const daysSinceMonday = (day.getUTCDay() + 6) % 7;
      return isoDate(new Date(day.getTime() - daysSinceMonday * dayMs));
    }
    case 'monthly':
      return isoDate(new Date(Date.UTC(year, month, 1)));
    case 'quarterly':
      return isoDate(new Date(Date.UTC(year, month - (month % 3), 1)));
    case 'yearly':
      return isoDate(new Date(Date.UTC(year, 0, 1)));
  }
}

/**
 * The first day after the period of `kind` that starts on `startsOn`.
 *
 * @example
 * periodEndOn('2026-01-01', 'quarterly'); // '2026-04-01'
 */
export function periodEndOn(startsOn: string, kind: BudgetPeriodKind): string {
  assert.equal(periodStartOn(startsOn, kind), startsOn, 'a period end is asked of a start');
  const day = new Date(`${startsOn}T00:00:00Z`);
  const year = day.getUTCFullYear();
  const month = day.getUTCMonth();
  const endsOn = kind === 'weekly'
    ? isoDate(new Date(day.getTime() + 7 * dayMs))
    : isoDate(new Date(Date.UTC(year, month + monthsOf(kind), 1)));
  assert(endsOn > startsOn, 'a period ends after it starts');
  return endsOn;
}

/** Midnight UTC at the start of `date`. */
export function startOfDay(date: string): Date {
  assert(isIsoDate(date), 'a calendar date');
  return new Date(`${date}T00:00:00Z`);
}

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  assert(Number.isSafeInteger(days), 'whole days');
  return isoDate(new Date(startOfDay(date).getTime() + days * dayMs));
}

function monthsOf(kind: Exclude<BudgetPeriodKind, 'weekly'>): number {
  return kind === 'monthly' ? 1 : kind === 'quarterly' ? 3 : 12;
}

function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
