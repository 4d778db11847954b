/**
 * @module
 * The calendar of a recurring transaction: which dates an RFC 5545 rule gives, and on which
 * day each one is due. Pure functions of the rule and its settings; no database, no clock.
 *
 * Everything here is a calendar date (`2026-03-31`), never an instant. The rule is expanded by
 * the `rrule` package in its "floating" mode: each date is handed to it as midnight UTC and read
 * back the same way, so a daylight-saving change in the rule's time zone can never move a date.
 * The time zone is used for one question only: which date is *today* there
 * ({@link calendarDateIn}), and where that day starts ({@link startOfDayIn}).
 *
 * Rules, in the order they apply:
 *  1. The rule text is a subset of RFC 5545 RRULE (see {@link parseRecurrenceRule}): FREQ of
 *     DAILY, WEEKLY, MONTHLY or YEARLY (a transaction posts on a date, so nothing finer), and
 *     INTERVAL, COUNT or UNTIL, BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS, WKST. Anything else is a
 *     400 naming the part. A rule gives at most one date a day, so at most 366 a year.
 *  2. `startsOn` is the first day a date may fall on (RFC 5545's DTSTART); it is a date of the
 *     rule only when the rule gives it. COUNT counts dates from `startsOn`; UNTIL and `endsOn`
 *     are the last day a date may fall on (a time in UNTIL is ignored).
 *  3. Month-end clamping (on by default): in a MONTHLY or YEARLY rule that picks days by month
 *     day alone (no BYDAY or BYSETPOS), a day the month does not have falls on its last day:
 *     the 31st gives Feb 28 (29 in a leap year), Apr 30, ...; Feb 29 yearly gives Feb 28 in other
 *     years. Days counted from the end (-31) fall on the 1st. Two days that clamp to one date
 *     give one date. Without clamping the rule behaves as RFC 5545 says: such months are skipped.
 *  4. The weekend policy moves a date on a Saturday or Sunday to the Friday before
 *     (`previous-business-day`) or the Monday after (`next-business-day`); that is the date's
 *     due day. Public holidays are not considered: the server has no holiday calendar.
 *  5. Expansion is bounded: {@link expansionPeriodsMax} periods of the rule from its start, and
 *     a rule must give a date within {@link firstDateYearsMax} years of its start, so no rule can
 *     keep a server busy searching for dates that never come (`rrule` would search to year 9999).
 */
import assert from 'node:assert/strict';
import rrulePackage from 'rrule';
import type { Options as RRuleOptions } from 'rrule';
import { validationProblem, type FieldError } from '../http/problem.ts';
import { isIsoDate } from './utc-dates.ts';

// `rrule` ships CommonJS under Node; its named exports live on the default export.
const { RRule } = rrulePackage;

/** Longest rule text, in characters. */
export const recurrenceRuleLengthMax = 500;

/** Largest INTERVAL. */
export const intervalMax = 1000;

/** Largest COUNT. */
export const countMax = 10_000;

/** Most values in one BYxxx list. */
export const byListLengthMax = 31;

/**
 * Most periods of a rule (days of a DAILY rule, months of a MONTHLY one) walked in one
 * expansion, counted from the rule's start: about 54 years of a daily rule.
 */
export const expansionPeriodsMax = 20_000;

/** A rule must give a date within this many years of its start. */
export const firstDateYearsMax = 5;

/**
 * Most periods walked to find a rule's first date: the days of {@link firstDateYearsMax}
 * years, the most a daily rule (the finest) walks in that time.
 */
const firstDatePeriodsMax = Math.ceil(firstDateYearsMax * 365.25) + 1;

/** Most days a weekend policy moves a date (Sunday to Friday). */
export const weekendShiftDaysMax = 2;

/** How often a rule repeats. */
export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** A weekday as RFC 5545 writes it. */
export type WeekdayCode = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';

/** One BYDAY value: a weekday, and for MONTHLY and YEARLY rules which one (2MO, -1FR). */
export interface ByDay {
  weekday: WeekdayCode;
  ordinal: number | null;
}

/** A parsed rule; see {@link parseRecurrenceRule}. */
export interface RecurrenceRule {
  frequency: Frequency;
  interval: number;
  count: number | null;
  /** UNTIL as a calendar date. */
  untilOn: string | null;
  byMonth: number[];
  byMonthDay: number[];
  byDay: ByDay[];
  bySetPos: number[];
  weekStart: WeekdayCode | null;
}

/** Where a date on a weekend goes. */
export type WeekendPolicy = 'as-scheduled' | 'previous-business-day' | 'next-business-day';

/** The weekend policies, for schemas. */
export const weekendPolicies = ['as-scheduled', 'previous-business-day', 'next-business-day'] as
  const;

/** A rule with the settings that decide its dates. */
export interface Schedule {
  rule: RecurrenceRule;
  startsOn: string;
  endsOn: string | null;
  weekendPolicy: WeekendPolicy;
  monthEndClamp: boolean;
}

/** One date of a rule and the day it is due after the weekend policy. */
export interface ScheduledDate {
  scheduledOn: string;
  dueOn: string;
}

/** Thrown when a rule needs more periods to expand than it may walk. */
export class RuleExpansionError extends Error {
  /**
   * @param datesFound - the dates of the window found before the walk stopped; a preview may
   *   show them, the scheduler never takes a part of a window.
   */
  constructor(readonly datesFound: readonly string[] = []) {
    super('The rule walks too many periods without reaching the dates asked for.');
    this.name = 'RuleExpansionError';
  }
}

const weekdayCodes: readonly WeekdayCode[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const frequencies: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/** Parts a rule may hold. */
const partNames = ['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYMONTH', 'BYMONTHDAY', 'BYDAY',
  'BYSETPOS', 'WKST'] as const;
type PartName = (typeof partNames)[number];

/** Parts of RFC 5545 refused here, with what to do instead. */
const refusedParts: Readonly<Record<string, string>> = {
  BYHOUR: 'A rule gives dates, not times of day: leave out BYHOUR.',
  BYMINUTE: 'A rule gives dates, not times of day: leave out BYMINUTE.',
  BYSECOND: 'A rule gives dates, not times of day: leave out BYSECOND.',
  DTSTART: 'Give the first day as startsOn, not inside the rule.',
  TZID: 'Give the time zone as timeZone, not inside the rule.',
  BYYEARDAY: 'BYYEARDAY is not supported: use BYMONTH with BYMONTHDAY.',
  BYWEEKNO: 'BYWEEKNO is not supported: use FREQ=WEEKLY with INTERVAL.',
  BYEASTER: 'BYEASTER is not supported.',
};

/**
 * Parses the text of a rule: `FREQ=MONTHLY;BYMONTHDAY=31`, optionally after `RRULE:`, in any
 * case.
 *
 * @param text - the rule as sent.
 * @param path - where it sat in the request, named in the problem.
 * @returns the rule; {@link formatRecurrenceRule} writes it back in one canonical form.
 * @throws ProblemError 400 `validation` listing every bad part.
 * @example
 * parseRecurrenceRule('FREQ=MONTHLY;BYMONTHDAY=-1');
 * parseRecurrenceRule('FREQ=HOURLY'); // throws 400: rules repeat at most daily
 */
export function parseRecurrenceRule(text: unknown, path = 'rrule'): RecurrenceRule {
  const errors: FieldError[] = [];
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string') throw refuse('must be the text of an RRULE.');
  const body = text.trim().replace(/^RRULE:/i, '').toUpperCase();
  if (body.length === 0) throw refuse('must not be empty.');
  if (body.length > recurrenceRuleLengthMax) {
    throw refuse(`must be at most ${recurrenceRuleLengthMax} characters long.`);
  }
  if (!/^[A-Z0-9=;,+-]+$/.test(body)) {
    throw refuse('must be NAME=VALUE parts separated by ";", e.g. FREQ=MONTHLY;BYMONTHDAY=1.');
  }
  const parts = splitParts(body, path, errors);
  const frequency = readFrequency(parts.get('FREQ'), path, errors);
  const rule: RecurrenceRule = {
    frequency: frequency ?? 'DAILY',
    interval: readInteger(parts.get('INTERVAL'), 1, intervalMax, `${path}.INTERVAL`, errors) ?? 1,
    count: readInteger(parts.get('COUNT'), 1, countMax, `${path}.COUNT`, errors),
    untilOn: readUntil(parts.get('UNTIL'), `${path}.UNTIL`, errors),
    byMonth: readIntegers(parts.get('BYMONTH'), 1, 12, false, `${path}.BYMONTH`, errors),
    byMonthDay: readIntegers(parts.get('BYMONTHDAY'), -31, 31, true, `${path}.BYMONTHDAY`,
      errors),
    byDay: readByDay(parts.get('BYDAY'), `${path}.BYDAY`, errors),
    bySetPos: readIntegers(parts.get('BYSETPOS'), -366, 366, true, `${path}.BYSETPOS`, errors),
    weekStart: readWeekStart(parts.get('WKST'), `${path}.WKST`, errors),
  };
  if (frequency !== null) checkCombination(rule, parts, path, errors);
  if (errors.length > 0) throw validationProblem(errors);
  return rule;
}

/**
 * Writes a rule in its canonical form: upper case, parts in a fixed order, defaults left out.
 *
 * @example
 * formatRecurrenceRule(parseRecurrenceRule('rrule:bymonthday=31;freq=monthly;interval=1'));
 * // 'FREQ=MONTHLY;BYMONTHDAY=31'
 */
export function formatRecurrenceRule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.frequency}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.untilOn !== null) parts.push(`UNTIL=${rule.untilOn.replaceAll('-', '')}`);
  if (rule.byMonth.length > 0) parts.push(`BYMONTH=${rule.byMonth.join(',')}`);
  if (rule.byMonthDay.length > 0) parts.push(`BYMONTHDAY=${rule.byMonthDay.join(',')}`);
  if (rule.byDay.length > 0) {
    parts.push(`BYDAY=${rule.byDay.map((day) => `${day.ordinal ?? ''}${day.weekday}`).join(',')}`);
  }
  if (rule.bySetPos.length > 0) parts.push(`BYSETPOS=${rule.bySetPos.join(',')}`);
  if (rule.weekStart !== null) parts.push(`WKST=${rule.weekStart}`);
  return parts.join(';');
}

/**
 * The dates of a schedule from `from` to `to` (both included), in order.
 *
 * @param schedule - the rule and its settings.
 * @param window - the first and last date wanted, and at most how many.
 * @param periodsMax - most periods walked from the rule's start.
 * @returns the scheduled dates (before the weekend policy) in the window.
 * @throws RuleExpansionError when the rule needs more than {@link expansionPeriodsMax}
 *   periods from its start to fill the window.
 */
export function expandScheduledDates(
  schedule: Schedule,
  window: { from: string; to: string; limit: number },
  periodsMax = expansionPeriodsMax,
): string[] {
  assert(isIsoDate(window.from), 'the window starts on a date');
  assert(isIsoDate(window.to), 'the window ends on a date');
  assert(Number.isSafeInteger(window.limit) && window.limit >= 1, 'a window holds a date');
  const lastOn = [window.to, schedule.rule.untilOn, schedule.endsOn]
    .filter((date): date is string => date !== null)
    .reduce((earliest, date) => (date < earliest ? date : earliest));
  if (window.from > lastOn) return [];
  const dates = clampedMonthDays(schedule) === null
    ? expandPlain(schedule, window.from, lastOn, window.limit, periodsMax)
    : expandClamped(schedule, window.from, lastOn, window.limit, periodsMax);
  assert(dates.length <= window.limit, 'an expansion keeps to its limit');
  assert(dates.every((date, index) => index === 0 || (dates[index - 1] ?? '') < date),
    'dates come in order, each once');
  return dates;
}

/** {@link expandScheduledDates}, each date with its due day. */
export function expandSchedule(
  schedule: Schedule,
  window: { from: string; to: string; limit: number },
): ScheduledDate[] {
  return expandScheduledDates(schedule, window).map((scheduledOn) => ({
    scheduledOn, dueOn: dueDateOf(scheduledOn, schedule.weekendPolicy),
  }));
}

/**
 * Refuses a schedule that gives no date within {@link firstDateYearsMax} years of its start
 * (Feb 30 without clamping, COUNT or UNTIL that ends before the first date, ...).
 *
 * @throws ProblemError 400 `validation` naming `path`.
 */
export function checkScheduleGivesDates(schedule: Schedule, path = 'rrule'): void {
  const to = addDays(schedule.startsOn, Math.ceil(firstDateYearsMax * 365.25));
  let dates: string[] = [];
  try {
    dates = expandScheduledDates(schedule, { from: schedule.startsOn, to, limit: 1 },
      firstDatePeriodsMax);
  } catch (error) {
    if (!(error instanceof RuleExpansionError)) throw error;
  }
  if (dates.length === 0) {
    throw validationProblem([{ path, message: `gives no date within ${firstDateYearsMax} ` +
      'years of startsOn (and before endsOn); check the month days, months and COUNT/UNTIL.' }]);
  }
}

/**
 * The day a date is due under a weekend policy: Saturday and Sunday move to the Friday before
 * or the Monday after. Holidays are not considered.
 *
 * @example
 * dueDateOf('2026-05-31', 'previous-business-day'); // '2026-05-29' (a Sunday to its Friday)
 */
export function dueDateOf(date: string, policy: WeekendPolicy): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday
  if (policy === 'as-scheduled' || (weekday !== 0 && weekday !== 6)) return date;
  const shiftDays = policy === 'previous-business-day'
    ? (weekday === 6 ? -1 : -2)
    : (weekday === 6 ? 2 : 1);
  assert(Math.abs(shiftDays) <= weekendShiftDaysMax, 'a weekend moves at most two days');
  return addDays(date, shiftDays);
}

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  assert(isIsoDate(date), 'a calendar date');
  assert(Number.isSafeInteger(days), 'whole days');
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Time zones: the only place an instant meets a calendar date.

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether `name` is an IANA time zone this server knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  try {
    zoneFormat(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a time zone sent by a user and returns its canonical name (`europe/berlin` gives
 * `Europe/Berlin`).
 *
 * @throws ProblemError 400 `validation` naming `path`.
 */
export function requireTimeZone(name: unknown, path = 'timeZone'): string {
  if (!isTimeZone(name)) {
    throw validationProblem([{ path,
      message: 'must be an IANA time zone such as "Europe/Berlin" or "UTC".' }]);
  }
  return zoneFormat(name).resolvedOptions().timeZone;
}

/** The calendar date in `timeZone` at `instant`. */
export function calendarDateIn(instant: Date, timeZone: string): string {
  const wall = wallClockOf(instant.getTime(), timeZone);
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).toISOString().slice(0, 10);
}

/**
 * The instant `date` begins in `timeZone` (its first existing minute when a clock change skips
 * midnight).
 *
 * @example
 * startOfDayIn('2026-03-29', 'Europe/Berlin'); // 2026-03-28T23:00:00.000Z
 */
export function startOfDayIn(date: string, timeZone: string): Date {
  assert(isIsoDate(date), 'a calendar date');
  const wallMs = new Date(`${date}T00:00:00Z`).getTime();
  const firstGuessMs = wallMs - offsetMsAt(wallMs, timeZone);
  let startMs = wallMs - offsetMsAt(firstGuessMs, timeZone);
  // Midnight fell into a gap (the clock jumped from 23:59 to 01:00): the day starts later.
  while (calendarDateIn(new Date(startMs), timeZone) < date) startMs += 15 * 60 * 1000;
  assert.equal(calendarDateIn(new Date(startMs), timeZone), date, 'the start lies in its day');
  return new Date(startMs);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric',
      month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

function wallClockOf(instantMs: number, timeZone: string) {
  const parts = zoneFormat(timeZone).formatToParts(new Date(instantMs));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'),
    minute: part('minute'), second: part('second') };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instantMs`. */
function offsetMsAt(instantMs: number, timeZone: string): number {
  const wall = wallClockOf(instantMs, timeZone);
  const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute,
    wall.second);
  return wallMs - Math.floor(instantMs / 1000) * 1000;
}

// ---------------------------------------------------------------------------------------------
// Parsing.

function splitParts(body: string, path: string, errors: FieldError[]): Map<PartName, string> {
  const parts = new Map<PartName, string>();
  for (const part of body.split(';')) {
    const [name = '', value, ...rest] = part.split('=');
    if (value === undefined || value === '' || rest.length > 0 || name === '') {
      errors.push({ path, message: `"${part}" is not a NAME=VALUE part.` });
    } else if (refusedParts[name] !== undefined) {
      errors.push({ path: `${path}.${name}`, message: refusedParts[name] });
    } else if (!(partNames as readonly string[]).includes(name)) {
      errors.push({ path: `${path}.${name}`, message: 'is not a part of an RRULE this server ' +
        `reads (${partNames.join(', ')}).` });
    } else if (parts.has(name as PartName)) {
      errors.push({ path: `${path}.${name}`, message: 'is given twice.' });
    } else {
      parts.set(name as PartName, value);
    }
  }
  return parts;
}

function readFrequency(value: string | undefined, path: string, errors: FieldError[]):
Frequency | null {
  if (value === undefined) {
    errors.push({ path: `${path}.FREQ`, message: 'Required, e.g. FREQ=MONTHLY.' });
    return null;
  }
  if ((frequencies as readonly string[]).includes(value)) return value as Frequency;
  errors.push({ path: `${path}.FREQ`, message: ['HOURLY', 'MINUTELY', 'SECONDLY'].includes(value)
    ? 'Rules repeat at most daily: a recurring transaction posts on dates, not times.'
    : 'must be DAILY, WEEKLY, MONTHLY or YEARLY.' });
  return null;
}

function readInteger(
  value: string | undefined,
  min: number,
  max: number,
  path: string,
  errors: FieldError[],
): number | null {
  if (value === undefined) return null;
  const number = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (number >= min && number <= max) return number;
  errors.push({ path, message: `must be a whole number from ${min} to ${max}.` });
  return null;
}

function readIntegers(
  value: string | undefined,
  min: number,
  max: number,
  signed: boolean,
  path: string,
  errors: FieldError[],
): number[] {
  if (value === undefined) return [];
  const items = value.split(',');
  const numbers = items.map((item) => (/^[+-]?\d{1,3}$/.test(item) ? Number(item) : NaN));
  const valid = numbers.every((number) => number >= min && number <= max && number !== 0);
  if (!valid || items.length > byListLengthMax) {
    const range = signed ? `${min} to -1 or 1 to ${max}` : `${min} to ${max}`;
    errors.push({ path, message: `must list at most ${byListLengthMax} whole numbers from ` +
      `${range}, separated by ",".` });
    return [];
  }
  return [...new Set(numbers)];
}

function readUntil(value: string | undefined, path: string, errors: FieldError[]): string | null {
  if (value === undefined) return null;
  const match = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value);
  const date = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (isIsoDate(date)) return date;
  errors.push({ path, message: 'must be a date written YYYYMMDD (a time after it is ignored).' });
  return null;
}

function readByDay(value: string | undefined, path: string, errors: FieldError[]): ByDay[] {
  if (value === undefined) return [];
  const items = value.split(',');
  const days: ByDay[] = [];
  for (const item of items) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    const ordinal = match?.[1] === undefined ? null : Number(match[1]);
    if (!match || ordinal === 0 || items.length > byListLengthMax) {
      errors.push({ path, message: 'must list weekdays (MO, TU, WE, TH, FR, SA, SU), each ' +
        'optionally after a non-zero ordinal such as 2MO or -1FR.' });
      return [];
    }
    const day = { weekday: match[2] as WeekdayCode, ordinal };
    if (!days.some((seen) => seen.weekday === day.weekday && seen.ordinal === day.ordinal)) {
      days.push(day);
    }
  }
  return days;
}

function readWeekStart(value: string | undefined, path: string, errors: FieldError[]):
WeekdayCode | null {
  if (value === undefined) return null;
  if ((weekdayCodes as readonly string[]).includes(value)) return value as WeekdayCode;
  errors.push({ path, message: 'must be a weekday: MO, TU, WE, TH, FR, SA or SU.' });
  return null;
}

/** The rules RFC 5545 sets between parts, and this server's ordinal bounds. */
function checkCombination(
  rule: RecurrenceRule,
  parts: Map<PartName, string>,
  path: string,
  errors: FieldError[],
): void {
  if (parts.has('COUNT') && parts.has('UNTIL')) {
    errors.push({ path, message: 'may hold COUNT or UNTIL, not both (RFC 5545).' });
  }
  if (rule.frequency === 'WEEKLY' && rule.byMonthDay.length > 0) {
    errors.push({ path: `${path}.BYMONTHDAY`,
      message: 'does not go with FREQ=WEEKLY (RFC 5545); use FREQ=MONTHLY.' });
  }
  if (rule.bySetPos.length > 0 && rule.byDay.length + rule.byMonthDay.length +
    rule.byMonth.length === 0) {
    errors.push({ path: `${path}.BYSETPOS`,
      message: 'needs BYDAY, BYMONTHDAY or BYMONTH to pick from (RFC 5545).' });
  }
  const ordinalMax = rule.frequency === 'YEARLY' && rule.byMonth.length === 0 ? 53 : 5;
  for (const day of rule.byDay) {
    if (day.ordinal === null) continue;
    if (rule.frequency === 'DAILY' || rule.frequency === 'WEEKLY') {
      errors.push({ path: `${path}.BYDAY`,
        message: `An ordinal such as ${day.ordinal}${day.weekday} needs FREQ=MONTHLY or YEARLY.` });
      return;
    }
    if (Math.abs(day.ordinal) > ordinalMax) {
      errors.push({ path: `${path}.BYDAY`,
        message: `An ordinal must lie from -${ordinalMax} to ${ordinalMax} here.` });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Expansion.

function utcMidnight(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The rrule options of a schedule, without COUNT and the end (the callers add them). */
function baseOptions(schedule: Schedule): Partial<RRuleOptions> {
  const { rule } = schedule;
  return {
    freq: RRule[rule.frequency],
    interval: rule.interval,
    wkst: rule.weekStart === null ? null : RRule[rule.weekStart],
    bymonth: rule.byMonth.length > 0 ? rule.byMonth : null,
    bymonthday: rule.byMonthDay.length > 0 ? rule.byMonthDay : null,
    byweekday: rule.byDay.length > 0
      ? rule.byDay.map((day) => day.ordinal === null
        ? RRule[day.weekday] : RRule[day.weekday].nth(day.ordinal))
      : null,
    bysetpos: rule.bySetPos.length > 0 ? rule.bySetPos : null,
    dtstart: utcMidnight(schedule.startsOn),
  };
}

/**
 * An rrule that throws {@link RuleExpansionError} once it has walked
 * {@link expansionPeriodsMax} periods. rrule reads `options.interval` twice per period it
 * walks (to stop on a zero interval, then to step), dates or no dates, so counting those reads
 * bounds the walk; without it a rule that never matches is searched up to the year 9999.
 */
function boundedRule(options: Partial<RRuleOptions>, periodsMax: number):
InstanceType<typeof RRule> {
  const rule = new RRule(options, true);
  const parsed = rule.options;
  const interval = parsed.interval;
  const readsMax = 2 * periodsMax + 8;
  let reads = 0;
  Object.defineProperty(parsed, 'interval', {
    get: () => {
      reads += 1;
      if (reads > readsMax) throw new RuleExpansionError();
      return interval;
    },
  });
  return rule;
}

function expandPlain(
  schedule: Schedule,
  from: string,
  lastOn: string,
  limit: number,
  periodsMax: number,
): string[] {
  const rule = boundedRule({ ...baseOptions(schedule), count: schedule.rule.count,
    until: utcMidnight(lastOn) }, periodsMax);
  const dates: string[] = [];
  walk(dates, () => rule.all((instant) => {
    const date = dateOf(instant);
    if (date > lastOn) return false;
    if (date >= from) dates.push(date);
    return dates.length < limit;
  }));
  return dates;
}

/** Runs a bounded walk; when it stops early, the error carries the dates found so far. */
function walk(dates: readonly string[], run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (error instanceof RuleExpansionError) throw new RuleExpansionError([...dates]);
    throw error;
  }
}

/**
 * The month days a clamped expansion uses, or null when clamping does not apply: it must be
 * on, the rule MONTHLY or YEARLY and picking days by month day alone, and some day must be one
 * a month can lack (29 to 31, or -29 to -31).
 */
function clampedMonthDays(schedule: Schedule): number[] | null {
  const { rule } = schedule;
  const byMonthDayOnly = rule.byDay.length === 0 && rule.bySetPos.length === 0;
  const monthly = rule.frequency === 'MONTHLY' || rule.frequency === 'YEARLY';
  if (!schedule.monthEndClamp || !monthly || !byMonthDayOnly) return null;
  // Without BYMONTHDAY, RFC 5545 repeats the start's day of the month.
  const days = rule.byMonthDay.length > 0
    ? rule.byMonthDay
    : [Number(schedule.startsOn.slice(8, 10))];
  return days.some((day) => Math.abs(day) >= 29) ? days : null;
}

/**
 * Expands with month-end clamping: rrule walks the months the rule falls in (day 1 of each),
 * and each month's days are clamped to its length here, so COUNT counts clamped dates.
 */
function expandClamped(
  schedule: Schedule,
  from: string,
  lastOn: string,
  limit: number,
  periodsMax: number,
): string[] {
  const days = clampedMonthDays(schedule);
  assert(days !== null, 'clamping applies');
  const { rule } = schedule;
  const startMonth = Number(schedule.startsOn.slice(5, 7));
  const months = rule.byMonth.length > 0
    ? rule.byMonth
    : rule.frequency === 'YEARLY' ? [startMonth] : null;
  const monthStarts = boundedRule({ ...baseOptions(schedule), bymonth: months, bymonthday: [1],
    dtstart: utcMidnight(`${schedule.startsOn.slice(0, 7)}-01`) }, periodsMax);
  const dates: string[] = [];
  let counted = 0;
  walk(dates, () => monthStarts.all((monthStart) => {
    for (const date of clampedDatesOfMonth(monthStart, days)) {
      if (date < schedule.startsOn) continue;
      if (date > lastOn) return false;
      counted += 1;
      if (rule.count !== null && counted > rule.count) return false;
      if (date >= from) dates.push(date);
      if (dates.length >= limit) return false;
    }
    return true;
  }));
  return dates;
}

/** The month's dates for these month days, each clamped into the month, in order, once. */
function clampedDatesOfMonth(monthStart: Date, days: readonly number[]): string[] {
  const year = monthStart.getUTCFullYear();
  const month = monthStart.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const clamped = days.map((day) => day > 0
    ? Math.min(day, lastDay)
    : Math.max(1, lastDay + 1 + day));
  return [...new Set(clamped)]
    .sort((first, second) => first - second)
    .map((day) => dateOf(new Date(Date.UTC(year, month, day))));
}
