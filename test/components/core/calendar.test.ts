import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  addMonths,
  calendarDayMax,
  calendarDayMin,
  dateParts,
  daysInMonth,
  endOfMonth,
  epochDay,
  firstDayOfWeek,
  firstDayOfWeekFallback,
  formatInterval,
  formatIsoDate,
  formatIsoPoint,
  formatIsoTime,
  formatLocaleDate,
  formatOffset,
  instantOf,
  isLeapYear,
  monthGrid,
  offsetMinutesAt,
  parseInterval,
  parseIsoDate,
  parseIsoPoint,
  parseIsoTime,
  parseLocaleDate,
  spanDays,
  standardPresetKeys,
  standardPresetRange,
  startOfMonth,
  startOfWeek,
  todayIn,
  wallTimeOf,
  weekdayOf,
  type EpochDay,
  type Weekday,
} from '../../../components/core/calendar.ts';

/** `YYYY-MM-DD` as an epoch day, for readable expectations. */
function day(iso: string): EpochDay {
  const parsed = parseIsoDate(iso);
  if (parsed === null) throw new Error(`not a date: ${iso}`);
  return parsed;
}

const iso = formatIsoDate;

/** Any day a value may name. */
const anyDay = fc.integer({ min: calendarDayMin, max: calendarDayMax });

/** The platform's own week data for `locale`, when it has any. */
function platformFirstDay(locale: string): number | undefined {
  const intlLocale = new Intl.Locale(locale) as Intl.Locale & {
    getWeekInfo?: () => { firstDay: number };
    weekInfo?: { firstDay: number };
  };
  return (intlLocale.getWeekInfo?.() ?? intlLocale.weekInfo)?.firstDay;
}

describe('calendar', () => {
  describe('days as integers', () => {
    it('counts from 1970-01-01 and back, for every day of years 1 to 9999', () => {
      expect(epochDay(1970, 1, 1)).to.equal(0);
      expect(iso(calendarDayMin)).to.equal('0001-01-01');
      expect(iso(calendarDayMax)).to.equal('9999-12-31');
      fc.assert(
        fc.property(anyDay, (value) => {
          const { year, month, day: dayOfMonth } = dateParts(value);
          return epochDay(year, month, dayOfMonth) === value && parseIsoDate(iso(value)) === value;
        }),
      );
    });

    it('knows the leap years of the Gregorian calendar', () => {
      expect([2024, 2000, 1600].map(isLeapYear)).to.deep.equal([true, true, true]);
      expect([2026, 1900, 2100].map(isLeapYear)).to.deep.equal([false, false, false]);
      expect(daysInMonth(2024, 2)).to.equal(29);
      expect(daysInMonth(2026, 2)).to.equal(28);
      expect(daysInMonth(2026, 4)).to.equal(30);
      expect(daysInMonth(2026, 12)).to.equal(31);
    });

    it('names the weekday, 1 Monday to 7 Sunday', () => {
      expect(weekdayOf(day('1970-01-01'))).to.equal(4);
      expect(weekdayOf(day('2026-03-01'))).to.equal(7);
      expect(weekdayOf(day('2026-03-02'))).to.equal(1);
      expect(weekdayOf(day('1969-12-28'))).to.equal(7);
    });

    it('adds months keeping the day where the month has it, else its last day', () => {
      expect(iso(addMonths(day('2026-01-31'), 1))).to.equal('2026-02-28');
      expect(iso(addMonths(day('2024-01-31'), 1))).to.equal('2024-02-29');
      expect(iso(addMonths(day('2024-02-29'), 12))).to.equal('2025-02-28');
      expect(iso(addMonths(day('2026-03-31'), -1))).to.equal('2026-02-28');
      expect(iso(addMonths(day('2026-12-15'), 1))).to.equal('2027-01-15');
      expect(iso(addMonths(day('2026-01-15'), -1))).to.equal('2025-12-15');
    });

    it('finds the ends of months and weeks', () => {
      expect(iso(startOfMonth(day('2024-02-17')))).to.equal('2024-02-01');
      expect(iso(endOfMonth(day('2024-02-17')))).to.equal('2024-02-29');
      // 2026-03-04 is a Wednesday.
      expect(iso(startOfWeek(day('2026-03-04'), 7))).to.equal('2026-03-01');
      expect(iso(startOfWeek(day('2026-03-04'), 1))).to.equal('2026-03-02');
      expect(iso(startOfWeek(day('2026-03-04'), 6))).to.equal('2026-02-28');
      expect(iso(startOfWeek(day('2026-03-01'), 7))).to.equal('2026-03-01');
    });

    it('counts the days of a range with both ends', () => {
      expect(spanDays(day('2026-03-01'), day('2026-03-01'))).to.equal(1);
      expect(spanDays(day('2026-03-01'), day('2026-03-31'))).to.equal(31);
      expect(spanDays(day('2024-02-28'), day('2024-03-01'))).to.equal(3);
    });
  });

  describe('monthGrid', () => {
    function shape(grid: (EpochDay | null)[][]): string[] {
      const cellText = (cell: EpochDay | null) => (cell === null ? '..' : iso(cell).slice(8));
      return grid.map((week) => week.map(cellText).join(' '));
    }

    it('lays March 2026 out from Sunday or from Monday', () => {
      const sundayFirst = shape(monthGrid(2026, 3, 7));
      expect(sundayFirst[0]).to.equal('01 02 03 04 05 06 07');
      expect(sundayFirst).to.have.length(5);
      const mondayFirst = shape(monthGrid(2026, 3, 1));
      expect(mondayFirst[0]).to.equal('.. .. .. .. .. .. 01');
      expect(mondayFirst[5]).to.equal('30 31 .. .. .. .. ..');
    });

    it('needs four rows for February 2026 from Sunday and six for August 2026', () => {
      expect(monthGrid(2026, 2, 7)).to.have.length(4);
      expect(monthGrid(2026, 8, 7)).to.have.length(6);
      expect(shape(monthGrid(2024, 2, 1)).at(-1)).to.equal('26 27 28 29 .. .. ..');
    });

    it('holds every day of the month once, in order', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 9999 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 1, max: 7 }),
          (year, month, firstDay) => {
            const grid = monthGrid(year, month, firstDay as Weekday);
            const days = grid.flat().filter((cell): cell is EpochDay => cell !== null);
            const first = epochDay(year, month, 1);
            return (
              grid.every((week) => week.length === 7) &&
              days.length === daysInMonth(year, month) &&
              days.every((cell, index) => cell === first + index) &&
              weekdayOf(grid[0]!.find((cell) => cell !== null)!) === weekdayOf(first)
            );
          },
        ),
      );
    });
  });

  describe('firstDayOfWeek', () => {
    it('is Sunday in en-US and Monday in de-DE', () => {
      expect(firstDayOfWeek('en-US')).to.equal(7);
      expect(firstDayOfWeek('de-DE')).to.equal(1);
      expect(firstDayOfWeek('en-GB')).to.equal(1);
    });

    it('is what the platform says for ar (Saturday in the CLDR data)', () => {
      const platform = platformFirstDay('ar');
      expect(firstDayOfWeek('ar')).to.equal(platform ?? 6);
      expect(firstDayOfWeekFallback('ar')).to.equal(6);
    });

    it('falls back to the CLDR table by region where the platform has no week data', () => {
      expect(firstDayOfWeekFallback('en-US')).to.equal(7);
      expect(firstDayOfWeekFallback('de-DE')).to.equal(1);
      expect(firstDayOfWeekFallback('he')).to.equal(7);
      expect(firstDayOfWeekFallback('fa')).to.equal(6);
      expect(firstDayOfWeekFallback('dv')).to.equal(5);
      expect(firstDayOfWeekFallback('fr')).to.equal(1);
    });

    it('agrees with the platform for common locales', () => {
      for (const locale of ['en-US', 'de-DE', 'ar-EG', 'he-IL', 'ja-JP', 'pt-BR', 'fr-FR']) {
        const platform = platformFirstDay(locale);
        if (platform === undefined) continue;
        expect(firstDayOfWeekFallback(locale), locale).to.equal(platform);
      }
    });
  });

  describe('ISO 8601 dates and times', () => {
    it('reads only real dates of years 1 to 9999', () => {
      expect(parseIsoDate('2024-02-29')).to.equal(day('2024-02-29'));
      expect(parseIsoDate(' 2026-03-01 ')).to.equal(day('2026-03-01'));
      const refused = ['2026-02-29', '2026-13-01', '2026-00-10', '2026-3-1', '0000-01-01', 'soon'];
      for (const text of refused) expect(parseIsoDate(text), text).to.equal(null);
    });

    it('reads and writes times and offsets', () => {
      expect(parseIsoTime('09:30')).to.equal(570);
      expect(parseIsoTime('23:59:59.5')).to.equal(1439);
      expect(parseIsoTime('24:00')).to.equal(null);
      expect(parseIsoTime('9:30')).to.equal(null);
      expect(formatIsoTime(570)).to.equal('09:30');
      expect(formatOffset(60)).to.equal('+01:00');
      expect(formatOffset(-210)).to.equal('-03:30');
      expect(formatOffset(0)).to.equal('+00:00');
    });
  });

  describe('time zones', () => {
    it('knows the offset in force at an instant', () => {
      const winter = Date.parse('2026-01-15T12:00:00Z');
      const summer = Date.parse('2026-07-15T12:00:00Z');
      expect(offsetMinutesAt(winter, 'Europe/Berlin')).to.equal(60);
      expect(offsetMinutesAt(summer, 'Europe/Berlin')).to.equal(120);
      expect(offsetMinutesAt(winter, 'America/New_York')).to.equal(-300);
      expect(offsetMinutesAt(summer, 'America/New_York')).to.equal(-240);
      expect(offsetMinutesAt(winter, 'Asia/Kolkata')).to.equal(330);
      expect(offsetMinutesAt(winter, 'UTC')).to.equal(0);
    });

    it('turns wall times into instants on either side of a daylight-saving change', () => {
      const berlin = 'Europe/Berlin';
      const springForward = day('2026-03-29');
      expect(instantOf(springForward, 90, berlin)).to.deep.equal({
        epochMs: Date.parse('2026-03-29T00:30:00Z'),
        offsetMinutes: 60,
      });
      expect(instantOf(springForward, 210, berlin)).to.deep.equal({
        epochMs: Date.parse('2026-03-29T01:30:00Z'),
        offsetMinutes: 120,
      });
    });

    it('moves a skipped wall time forward by the gap (02:30 → 03:30 in Berlin)', () => {
      const { epochMs, offsetMinutes } = instantOf(day('2026-03-29'), 150, 'Europe/Berlin');
      expect(new Date(epochMs).toISOString()).to.equal('2026-03-29T01:30:00.000Z');
      expect(offsetMinutes).to.equal(120);
      expect(wallTimeOf(epochMs, 'Europe/Berlin')).to.deep.equal({
        day: day('2026-03-29'),
        minutes: 210,
      });
    });

    it('takes the first of a repeated wall time (01:30 on 1 November in New York)', () => {
      const { epochMs, offsetMinutes } = instantOf(day('2026-11-01'), 90, 'America/New_York');
      expect(new Date(epochMs).toISOString()).to.equal('2026-11-01T05:30:00.000Z');
      expect(offsetMinutes).to.equal(-240);
      const later = instantOf(day('2026-11-01'), 150, 'America/New_York');
      expect(later.offsetMinutes).to.equal(-300);
    });

    it('round-trips every wall time that exists, in a zone with daylight saving', () => {
      const zone = 'America/New_York';
      const days = fc.integer({ min: day('2020-01-01'), max: day('2030-12-31') });
      const minutesOfDay = fc.integer({ min: 0, max: 1439 });
      fc.assert(
        fc.property(days, minutesOfDay, (value, minutes) => {
          const wall = wallTimeOf(instantOf(value, minutes, zone).epochMs, zone);
          // Only a skipped time comes back different: an hour later, on the same day.
          return wall.day === value && (wall.minutes === minutes || wall.minutes === minutes + 60);
        }),
      );
    });

    it('knows what day it is in a time zone', () => {
      const now = new Date('2026-03-01T23:30:00Z');
      expect(iso(todayIn('Europe/Berlin', now))).to.equal('2026-03-02');
      expect(iso(todayIn('America/New_York', now))).to.equal('2026-03-01');
      expect(iso(todayIn('UTC', now))).to.equal('2026-03-01');
    });
  });

  describe('ISO 8601 intervals', () => {
    const berlin = 'Europe/Berlin';

    it('reads and writes date intervals', () => {
      const range = parseInterval('2026-03-01/2026-03-31', berlin)!;
      expect(range).to.deep.equal({
        start: { day: day('2026-03-01'), minutes: null },
        end: { day: day('2026-03-31'), minutes: null },
      });
      expect(formatInterval(range, berlin)).to.equal('2026-03-01/2026-03-31');
    });

    it('writes each end with the offset in force on its date', () => {
      const range = {
        start: { day: day('2026-03-28'), minutes: 12 * 60 },
        end: { day: day('2026-03-30'), minutes: 12 * 60 },
      };
      expect(formatInterval(range, berlin)).to.equal(
        '2026-03-28T12:00+01:00/2026-03-30T12:00+02:00',
      );
      expect(formatInterval(range, 'UTC')).to.equal(
        '2026-03-28T12:00+00:00/2026-03-30T12:00+00:00',
      );
    });

    it('shows a time given with another offset as the wall time in the zone', () => {
      expect(parseIsoPoint('2026-03-01T08:00Z', berlin)).to.deep.equal({
        day: day('2026-03-01'),
        minutes: 9 * 60,
      });
      expect(parseIsoPoint('2026-03-01T23:30-05:00', berlin)).to.deep.equal({
        day: day('2026-03-02'),
        minutes: 5 * 60 + 30,
      });
      expect(parseIsoPoint('2026-03-01T09:00', berlin)).to.deep.equal({
        day: day('2026-03-01'),
        minutes: 9 * 60,
      });
    });

    it('writes a skipped time as the time it became', () => {
      expect(formatIsoPoint({ day: day('2026-03-29'), minutes: 150 }, berlin)).to.equal(
        '2026-03-29T03:30+02:00',
      );
    });

    it('refuses what is not an interval', () => {
      const refused = [
        'initial',
        '2026-03-01',
        '2026-03-01/2026-03-31/2026-04-01',
        '2026-03-01/',
        '2026-02-30/2026-03-01',
        '2026-03-01T25:00/2026-03-02',
        '2026-03-01T09:00+1/2026-03-02',
        '2026-03-01T09:00T10:00/2026-03-02',
      ];
      for (const text of refused) expect(parseInterval(text, berlin), text).to.equal(null);
    });

    it('round-trips any range of dates', () => {
      fc.assert(
        fc.property(anyDay, anyDay, (start, end) => {
          const range = { start: { day: start, minutes: null }, end: { day: end, minutes: null } };
          const text = formatInterval(range, berlin);
          return formatInterval(parseInterval(text, berlin)!, berlin) === text;
        }),
      );
    });
  });

  describe('dates in the locale format', () => {
    it('writes the short numeric form of the locale, in the Gregorian calendar', () => {
      expect(formatLocaleDate(day('2026-03-01'), 'en-US')).to.equal('03/01/2026');
      expect(formatLocaleDate(day('2026-03-01'), 'de-DE')).to.equal('01.03.2026');
      expect(formatLocaleDate(day('2026-03-01'), 'ja-JP')).to.equal('2026/03/01');
      expect(formatLocaleDate(day('2026-03-01'), 'ar-SA')).to.contain('٢٠٢٦');
    });

    it('reads what the locale writes, with or without leading zeros', () => {
      expect(parseLocaleDate('3/1/2026', 'en-US')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate('03/01/2026', 'en-US')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate('1.3.2026', 'de-DE')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate(' 01.03.2026 ', 'de-DE')).to.equal(day('2026-03-01'));
    });

    it('reads ISO 8601, and a four-digit year first in any locale', () => {
      expect(parseLocaleDate('2026-03-01', 'en-US')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate('2026-03-01', 'de-DE')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate('2026/3/1', 'en-US')).to.equal(day('2026-03-01'));
    });

    it('reads the locale digits, e.g. Arabic-Indic', () => {
      // ar-SA writes day/month/year.
      expect(parseLocaleDate('١/٣/٢٠٢٦', 'ar-SA')).to.equal(day('2026-03-01'));
      expect(parseLocaleDate('٢٠٢٦-٠٣-٠١', 'ar-SA')).to.equal(day('2026-03-01'));
    });

    it('refuses garbage, impossible dates and two-digit years', () => {
      const refused = ['banana', '', '3/1', '3/1/26', '13/01/2026', '02/30/2026', '3/1/2026x'];
      for (const text of refused) expect(parseLocaleDate(text, 'en-US'), text).to.equal(null);
      expect(parseLocaleDate('31.02.2026', 'de-DE')).to.equal(null);
    });

    it('reads back every date it writes, in every tested locale', () => {
      const locales = ['en-US', 'de-DE', 'ar', 'ar-SA', 'fa-IR', 'ja-JP', 'fr-FR', 'ko-KR'];
      const days = fc.integer({ min: day('1000-01-01'), max: calendarDayMax });
      fc.assert(
        fc.property(days, fc.constantFrom(...locales), (value, locale) => {
          return parseLocaleDate(formatLocaleDate(value, locale), locale) === value;
        }),
      );
    });
  });

  describe('standard presets', () => {
    function presetsOn(today: string): Record<string, string> {
      return Object.fromEntries(
        standardPresetKeys.map((key) => {
          const { start, end } = standardPresetRange(key, day(today));
          return [key, `${iso(start)}/${iso(end)}`];
        }),
      );
    }

    it('cover the expected days from a fixed today', () => {
      expect(presetsOn('2026-03-15')).to.deep.equal({
        today: '2026-03-15/2026-03-15',
        yesterday: '2026-03-14/2026-03-14',
        'last-7-days': '2026-03-09/2026-03-15',
        'last-30-days': '2026-02-14/2026-03-15',
        'this-month': '2026-03-01/2026-03-31',
        'last-month': '2026-02-01/2026-02-28',
        'this-year': '2026-01-01/2026-12-31',
      });
    });

    it('cross year boundaries and leap days', () => {
      const newYear = presetsOn('2026-01-01');
      expect(newYear.yesterday).to.equal('2025-12-31/2025-12-31');
      expect(newYear['last-month']).to.equal('2025-12-01/2025-12-31');
      expect(newYear['last-7-days']).to.equal('2025-12-26/2026-01-01');
      expect(presetsOn('2024-03-10')['last-month']).to.equal('2024-02-01/2024-02-29');
      expect(presetsOn('2024-02-10')['this-month']).to.equal('2024-02-01/2024-02-29');
    });
  });
});
