/**
 * @module
 * Calendar days in UTC: the dates of exchange rates and the windows of debit limits.
 *
 * A rate date and a transfer date are ISO 8601 calendar dates (`2026-02-27`). The day and
 * month of a debit limit are UTC days and months; the server has no per-user time zone for
 * money rules, so every process and both databases agree on where a day ends.
 */
import assert from 'node:assert/strict';
import { validationProblem } from '../http/problem.ts';

const isIsoDateRe = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC calendar date of `instant`, as `YYYY-MM-DD`. */
export function utcDateOf(instant: Date): string {
  assert(!Number.isNaN(instant.getTime()), 'utcDateOf needs a valid instant');
  return instant.toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !isIsoDateRe.test(text)) return false;
  const instant = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(instant.getTime()) && utcDateOf(instant) === text;
}

/**
 * Checks a calendar date sent by a user.
 *
 * @throws ProblemError 400 `validation` naming `path`.
 */
export function parseIsoDate(text: unknown, path = 'date'): string {
  if (isIsoDate(text)) return text;
  throw validationProblem([{ path, message: 'must be a calendar date written YYYY-MM-DD.' }]);
}

/** Midnight UTC at the start of the day holding `instant`. */
export function utcDayStart(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** Midnight UTC at the start of the month holding `instant`. */
export function utcMonthStart(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
}
