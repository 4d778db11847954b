/**
 * @packageDocumentation
 * Calendar maths for the date elements, with no date library: days as integers, month grids,
 * the first day of the week per locale, wall-clock times in an IANA time zone, dates typed in
 * the locale's format, ISO 8601 intervals, and the standard range presets.
 *
 * A date is an {@link EpochDay}: whole days since 1970-01-01 in the proleptic Gregorian
 * calendar, with no time zone. Comparing, counting and adding days is then plain integer
 * arithmetic, which cannot be thrown off by daylight saving time; only the conversion between
 * a wall-clock time and an instant asks the time zone (through `Intl`), in one place
 * ({@link instantOf} and {@link wallTimeOf}).
 */
import { formatDate } from './format.ts';

/** Whole days since 1970-01-01 (proleptic Gregorian, no time zone); negative before it. */
export type EpochDay = number;

/** A day of the week as ISO 8601 and `Intl.Locale` number them: 1 Monday … 7 Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One end of a range: a date and, for ranges with times, minutes since midnight. */
export interface RangePoint {
  /** The calendar date. */
  day: EpochDay;
  /** Minutes after midnight, wall-clock time in the range's time zone; `null` for none. */
  minutes: number | null;
}

/** A start and an end, each a date with an optional time. */
export interface DateRange {
  start: RangePoint;
  end: RangePoint;
}

/** The built-in presets, by key. */
export const standardPresetKeys = [
  'today',
  'yesterday',
  'last-7-days',
  'last-30-days',
  'this-month',
  'last-month',
  'this-year',
] as const;

/** The key of a built-in preset. */
export type StandardPresetKey = (typeof standardPresetKeys)[number];

const dayMs = 86_400_000;
const minuteMs = 60_000;

/** Years a date may have: four digits, so ISO 8601 needs no expanded form. */
const yearMin = 1;
const yearMax = 9999;

/** The first day a calendar can show or a value can name: 0001-01-01. */
export const calendarDayMin: EpochDay = -719_162;

/** The last day a calendar can show or a value can name: 9999-12-31. */
export const calendarDayMax: EpochDay = 2_932_896;

/** The day with this year, month (1–12) and day of month, which may overflow into the next. */
export function epochDay(year: number, month: number, day: number): EpochDay {
  // `Date.UTC` reads years 0–99 as 1900–1999; `setUTCFullYear` takes the year as given.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.floor(date.getTime() / dayMs);
}

/** Year, month (1–12) and day of month of `day`. */
export function dateParts(day: EpochDay): { year: number; month: number; day: number } {
  const date = new Date(day * dayMs);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Whether `year` has a 29 February. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** How many days month `month` (1–12) of `year` has. */
export function daysInMonth(year: number, month: number): number {
  return epochDay(year, month + 1, 1) - epochDay(year, month, 1);
}

/** The day of the week of `day`, 1 Monday … 7 Sunday. */
export function weekdayOf(day: EpochDay): Weekday {
  // 1970-01-01 was a Thursday (4).
  return (((((day + 3) % 7) + 7) % 7) + 1) as Weekday;
}

/** The same day of the month `months` months later (or earlier), kept within that month. */
export function addMonths(day: EpochDay, months: number): EpochDay {
  const parts = dateParts(day);
  const monthIndex = parts.year * 12 + parts.month - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return epochDay(year, month, Math.min(parts.day, daysInMonth(year, month)));
}

/** The first of the month `day` is in. */
export function startOfMonth(day: EpochDay): EpochDay {
  return day - dateParts(day).day + 1;
}

/** The last day of the month `day` is in. */
export function endOfMonth(day: EpochDay): EpochDay {
  return addMonths(startOfMonth(day), 1) - 1;
}

/** The first day of the week `day` is in, for weeks that begin on `firstDay`. */
export function startOfWeek(day: EpochDay, firstDay: Weekday): EpochDay {
  return day - ((weekdayOf(day) - firstDay + 7) % 7);
}

/**
 * The weeks of a month as rows of seven, starting on `firstDay`; days outside the month are
 * `null`, so the grid shows one month and its length says how many rows it needs (4 to 6).
 */
export function monthGrid(year: number, month: number, firstDay: Weekday): (EpochDay | null)[][] {
  const first = epochDay(year, month, 1);
  const last = first + daysInMonth(year, month) - 1;
  const rows: (EpochDay | null)[][] = [];
  for (let weekStart = startOfWeek(first, firstDay); weekStart <= last; weekStart += 7) {
    const row: (EpochDay | null)[] = [];
    for (let offset = 0; offset < 7; offset += 1) {
      const day = weekStart + offset;
      row.push(day < first || day > last ? null : day);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * First day of the week by region where it is not Monday, from the Unicode CLDR week data: for
 * browsers without `Intl.Locale.prototype.getWeekInfo` (or its older `weekInfo` getter).
 */
const firstDayByRegion: Readonly<Record<string, Weekday>> = {
  ...regionsStartingOn(
    7,
    'AG AS BD BR BS BT BW BZ CA CN CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO ' +
      'MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW',
  ),
  ...regionsStartingOn(6, 'AE AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY'),
  ...regionsStartingOn(5, 'MV'),
};

function regionsStartingOn(weekday: Weekday, regions: string): Record<string, Weekday> {
  return Object.fromEntries(regions.split(' ').map((region) => [region, weekday]));
}

/** The shape of `Intl.Locale`'s week data, under either of its two names. */
interface LocaleWithWeekInfo {
  getWeekInfo?: () => { firstDay: number };
  weekInfo?: { firstDay: number };
}

/** The first day of the week in `locale` from the CLDR table alone; see {@link firstDayOfWeek}. */
export function firstDayOfWeekFallback(locale: string | undefined): Weekday {
  const region = new Intl.Locale(locale ?? navigator.language).maximize().region ?? '';
  return firstDayByRegion[region] ?? 1;
}

/**
 * The first day of the week in `locale` (e.g. Sunday for `en-US`, Monday for `de-DE`,
 * Saturday for `ar`), as the browser knows it, or from the CLDR table where it does not.
 * A `-u-fw-` extension in the locale (`en-US-u-fw-mon`) is honoured by browsers that have it.
 */
export function firstDayOfWeek(locale: string | undefined): Weekday {
  const intlLocale = new Intl.Locale(locale ?? navigator.language) as LocaleWithWeekInfo;
  // Chromium and Safari shipped a `weekInfo` getter first; the standard made it a method.
  const info = intlLocale.getWeekInfo?.() ?? intlLocale.weekInfo;
  const firstDay = info?.firstDay;
  if (firstDay !== undefined && firstDay >= 1 && firstDay <= 7) return firstDay as Weekday;
  return firstDayOfWeekFallback(locale);
}

const isoDateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTimeRe = /^(\d{2}):(\d{2})(?::\d{2}(?:[.,]\d+)?)?$/;
const isoOffsetRe = /^(?:Z|([+-])(\d{2}):?(\d{2}))$/i;

/** The day a valid `YYYY-MM-DD` names, or `null` for anything else (`2026-02-30` too). */
export function parseIsoDate(text: string): EpochDay | null {
  const match = isoDateRe.exec(text.trim());
  if (!match) return null;
  return validDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The day, if year, month and day of month name a real date within years 1–9999. */
function validDay(year: number, month: number, dayOfMonth: number): EpochDay | null {
  if (year < yearMin || year > yearMax || month < 1 || month > 12 || dayOfMonth < 1) return null;
  if (dayOfMonth > daysInMonth(year, month)) return null;
  return epochDay(year, month, dayOfMonth);
}

/** `day` as `YYYY-MM-DD`. */
export function formatIsoDate(day: EpochDay): string {
  const { year, month, day: dayOfMonth } = dateParts(day);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(dayOfMonth, 2)}`;
}

/** Minutes after midnight for `HH:MM` (seconds are accepted and dropped), else `null`. */
export function parseIsoTime(text: string): number | null {
  const match = isoTimeRe.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** Minutes after midnight as `HH:MM`. */
export function formatIsoTime(minutes: number): string {
  return `${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}`;
}

/** An offset from UTC in minutes as ISO 8601 writes it: always `±HH:MM`, `+00:00` for UTC. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const size = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(size / 60), 2)}:${pad(size % 60, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The time zone's offset from UTC at the instant `epochMs`, in minutes (`+60` for UTC+1). */
export function offsetMinutesAt(epochMs: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(epochMs).find((part) => part.type === 'timeZoneName');
  // `GMT` alone for UTC itself, else `GMT+05:30` / `GMT-03:00`.
  const match = /([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!match) return 0;
  const size = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -size : size;
}

/** The wall-clock date and time in `timeZone` at the instant `epochMs`. */
export function wallTimeOf(epochMs: number, timeZone: string): RangePoint {
  const wallMs = epochMs + offsetMinutesAt(epochMs, timeZone) * minuteMs;
  const day = Math.floor(wallMs / dayMs);
  return { day, minutes: Math.floor((wallMs - day * dayMs) / minuteMs) };
}

/**
 * The instant of a wall-clock time in `timeZone`, and the offset in force then.
 *
 * Around a daylight-saving change a wall time can happen twice (clocks go back) or never
 * (clocks go forward). As `Temporal`'s `compatible` choice does, a repeated time means its
 * first occurrence and a skipped time moves forward by the length of the gap (02:30 on the
 * spring-forward night in Berlin becomes 03:30).
 */
export function instantOf(
  day: EpochDay,
  minutes: number,
  timeZone: string,
): { epochMs: number; offsetMinutes: number } {
  const localMs = day * dayMs + minutes * minuteMs;
  // Offsets a day either side bracket any transition near this wall time.
  const offsetBefore = offsetMinutesAt(localMs - dayMs, timeZone);
  const offsetAfter = offsetMinutesAt(localMs + dayMs, timeZone);
  const before = localMs - offsetBefore * minuteMs;
  const after = localMs - offsetAfter * minuteMs;
  const epochMs =
    offsetMinutesAt(before, timeZone) === offsetBefore ||
    offsetMinutesAt(after, timeZone) !== offsetAfter
      ? before
      : after;
  return { epochMs, offsetMinutes: offsetMinutesAt(epochMs, timeZone) };
}

/** Today's date in `timeZone` at the instant `now`. */
export function todayIn(timeZone: string, now: Date): EpochDay {
  return wallTimeOf(now.getTime(), timeZone).day;
}

/** The browser's own time zone, e.g. `Europe/Berlin`. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * One end of an ISO 8601 interval: a date, or a date and time with or without an offset.
 * A time with an offset names an instant and is shown as the wall time in `timeZone`; one
 * without is taken as a wall time there already.
 */
export function parseIsoPoint(text: string, timeZone: string): RangePoint | null {
  const [datePart = '', timePart, ...rest] = text.trim().split(/t/i);
  const day = parseIsoDate(datePart);
  if (rest.length > 0) return null;
  if (day === null) return null;
  if (timePart === undefined) return { day, minutes: null };
  const offsetAt = timePart.search(/[z+-]/i);
  const clock = offsetAt < 0 ? timePart : timePart.slice(0, offsetAt);
  const minutes = parseIsoTime(clock);
  if (minutes === null) return null;
  if (offsetAt < 0) return { day, minutes };
  const offset = isoOffsetRe.exec(timePart.slice(offsetAt));
  if (!offset) return null;
  const offsetSize = offset[1] ? Number(offset[2]) * 60 + Number(offset[3]) : 0;
  const offsetMinutes = offset[1] === '-' ? -offsetSize : offsetSize;
  const epochMs = (day * 1440 + minutes - offsetMinutes) * minuteMs;
  return wallTimeOf(epochMs, timeZone);
}

/** One end as ISO 8601: `2026-03-01`, or with its time `2026-03-01T09:00+01:00`. */
export function formatIsoPoint(point: RangePoint, timeZone: string): string {
  const date = formatIsoDate(point.day);
  if (point.minutes === null) return date;
  const { epochMs, offsetMinutes } = instantOf(point.day, point.minutes, timeZone);
  // A skipped wall time is written as the time it became (see `instantOf`).
  const wall = wallTimeOf(epochMs, timeZone);
  const time = formatIsoTime(wall.minutes ?? 0);
  return `${formatIsoDate(wall.day)}T${time}${formatOffset(offsetMinutes)}`;
}

/** An ISO 8601 interval `start/end` (each a date or a date-time), or `null` if it is not one. */
export function parseInterval(text: string, timeZone: string): DateRange | null {
  const ends = text.split('/');
  if (ends.length !== 2) return null;
  const start = parseIsoPoint(ends[0]!, timeZone);
  const end = parseIsoPoint(ends[1]!, timeZone);
  return start && end ? { start, end } : null;
}

/** A range as an ISO 8601 interval, e.g. `2026-03-01/2026-03-31`. */
export function formatInterval(range: DateRange, timeZone: string): string {
  return `${formatIsoPoint(range.start, timeZone)}/${formatIsoPoint(range.end, timeZone)}`;
}

/** The number of days a range covers, counting both ends (`1` for a single day). */
export function spanDays(start: EpochDay, end: EpochDay): number {
  return end - start + 1;
}

/** The days a built-in preset covers, seen from `today`. */
export function standardPresetRange(
  key: StandardPresetKey,
  today: EpochDay,
): { start: EpochDay; end: EpochDay } {
  const year = dateParts(today).year;
  switch (key) {
    case 'today':
      return { start: today, end: today };
    case 'yesterday':
      return { start: today - 1, end: today - 1 };
    case 'last-7-days':
      return { start: today - 6, end: today };
    case 'last-30-days':
      return { start: today - 29, end: today };
    case 'this-month':
      return { start: startOfMonth(today), end: endOfMonth(today) };
    case 'last-month':
      return { start: addMonths(startOfMonth(today), -1), end: startOfMonth(today) - 1 };
    case 'this-year':
      return { start: epochDay(year, 1, 1), end: epochDay(year, 12, 31) };
  }
}

/** How a locale writes a numeric date: the order of its fields and the text between them. */
interface LocaleDateShape {
  order: ('year' | 'month' | 'day')[];
  literals: string;
  digits: Map<string, string>;
}

const dateShapes = new Map<string, LocaleDateShape>();

const isoOrder: LocaleDateShape['order'] = ['year', 'month', 'day'];

/** Options for a date in the locale's short numeric form; Gregorian whatever its default. */
const numericDate: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  timeZone: 'UTC',
  calendar: 'gregory',
};

function dateShapeOf(locale: string | undefined): LocaleDateShape {
  const key = locale ?? '';
  const known = dateShapes.get(key);
  if (known) return known;
  const parts = new Intl.DateTimeFormat(locale, numericDate).formatToParts(0);
  const order = parts
    .map((part) => part.type)
    .filter((type): type is 'year' | 'month' | 'day' => /^(year|month|day)$/.test(type));
  const literals = parts.filter((part) => part.type === 'literal').map((part) => part.value);
  // The locale's own digits (e.g. Arabic-Indic) read as ASCII ones.
  const localDigits = new Intl.NumberFormat(locale, { useGrouping: false }).format(9876543210);
  const digits = new Map([...localDigits].map((digit, index) => [digit, String(9 - index)]));
  const shape = { order, literals: literals.join(''), digits };
  dateShapes.set(key, shape);
  return shape;
}

/** `day` in the locale's short numeric form, e.g. `03/01/2026` (en-US), `01.03.2026` (de). */
export function formatLocaleDate(day: EpochDay, locale: string | undefined): string {
  return formatDate(day * dayMs, numericDate, locale);
}

/**
 * The day a person typed, in the locale's numeric form (`3/1/2026` in en-US, `1.3.2026` in
 * de-DE, in the locale's digits or ASCII ones) or as ISO 8601 `2026-03-01`. The year must have
 * four digits, so `1/3/26` is refused rather than guessed. `null` when it is not a real date.
 */
export function parseLocaleDate(text: string, locale: string | undefined): EpochDay | null {
  const shape = dateShapeOf(locale);
  const ascii = [...text.trim()].map((char) => shape.digits.get(char) ?? char).join('');
  const iso = parseIsoDate(ascii);
  if (iso !== null) return iso;
  // Separators may be the locale's own or any of the usual ones; anything else is garbage.
  const isSeparator = (char: string) => shape.literals.includes(char) || /[\s./-]/.test(char);
  if ([...ascii].some((char) => !isSeparator(char) && !/\d/.test(char))) return null;
  const numbers = ascii.match(/\d+/g) ?? [];
  if (numbers.length !== 3 || shape.order.length !== 3) return null;
  // A four-digit first number is a year: ISO's order with other separators (`2026/3/1`).
  const order = numbers[0]!.length === 4 ? isoOrder : shape.order;
  const field = (name: 'year' | 'month' | 'day') => numbers[order.indexOf(name)] ?? '';
  if (field('year').length !== 4) return null;
  return validDay(Number(field('year')), Number(field('month')), Number(field('day')));
}
