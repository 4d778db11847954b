import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { createRecurring } from '../../../server/wallet/recurring.ts';
import {
  calendarDateIn,
  checkScheduleGivesDates,
  countMax,
  dueDateOf,
  expandSchedule,
  expandScheduledDates,
  formatRecurrenceRule,
  intervalMax,
  isTimeZone,
  parseRecurrenceRule,
  recurrenceRuleLengthMax,
  requireTimeZone,
  startOfDayIn,
  type Schedule,
  type WeekendPolicy,
} from '../../../server/wallet/recurring-dates.ts';
import { runDueRecurring } from '../../../server/wallet/recurring-scheduler.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet, throwsProblem } from './support.ts';

const dayMs = 24 * 60 * 60 * 1000;

function schedule(rrule: string, startsOn: string, settings: Partial<Schedule> = {}): Schedule {
  return { rule: parseRecurrenceRule(rrule), startsOn, endsOn: null,
    weekendPolicy: 'as-scheduled', monthEndClamp: true, ...settings };
}

function dates(rrule: string, startsOn: string, to: string, settings: Partial<Schedule> = {}) {
  return expandScheduledDates(schedule(rrule, startsOn, settings),
    { from: startsOn, to, limit: 500 });
}

/** The field errors of a 400 thrown by `action`. */
function fieldErrors(action: () => unknown): { path: string; message: string }[] {
  const problem = throwsProblem(action, 400, 'validation');
  return problem.extensions.errors as { path: string; message: string }[];
}

describe('recurring dates: the month end', () => {
  it('puts a monthly Jan 31 rule on the last day of shorter months when clamping', () => {
    assert.deepEqual(dates('FREQ=MONTHLY', '2026-01-31', '2026-12-31'), [
      '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30',
      '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31',
    ]);
  });

  it('puts it on Feb 29 in a leap year', () => {
    const leap = expandScheduledDates(schedule('FREQ=MONTHLY;BYMONTHDAY=31', '2027-12-01'),
      { from: '2028-01-01', to: '2028-04-30', limit: 10 });
    assert.deepEqual(leap, ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
  });

  it('skips months without a 31st when not clamping, as RFC 5545 says', () => {
    assert.deepEqual(dates('FREQ=MONTHLY', '2026-01-31', '2026-12-31', { monthEndClamp: false }), [
      '2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31',
      '2026-12-31',
    ]);
  });

  it('gives one date when two month days clamp to the same one', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;BYMONTHDAY=15,30,31', '2026-02-01', '2026-04-30'), [
      '2026-02-15', '2026-02-28', '2026-03-15', '2026-03-30', '2026-03-31', '2026-04-15',
      '2026-04-30',
    ]);
  });

  it('clamps a day counted from the end to the first of a short month', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;BYMONTHDAY=-31', '2026-01-01', '2026-04-30'),
      ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01']);
  });

  it('keeps the interval of a clamped rule: every other month from Jan 31', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;INTERVAL=2', '2026-01-31', '2026-08-31'),
      ['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31']);
    assert.deepEqual(dates('FREQ=MONTHLY;INTERVAL=3', '2026-11-30', '2027-06-30'),
      ['2026-11-30', '2027-02-28', '2027-05-30']);
  });

  it('puts a yearly Feb 29 rule on Feb 28 in other years when clamping', () => {
    assert.deepEqual(dates('FREQ=YEARLY', '2024-02-29', '2029-12-31'), [
      '2024-02-29', '2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29', '2029-02-28',
    ]);
  });

  it('gives a yearly Feb 29 rule only in leap years when not clamping', () => {
    assert.deepEqual(dates('FREQ=YEARLY', '2024-02-29', '2033-12-31', { monthEndClamp: false }),
      ['2024-02-29', '2028-02-29', '2032-02-29']);
  });

  it('clamps a yearly rule with its months named: the 31st of February and April', () => {
    assert.deepEqual(dates('FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=31', '2026-01-01', '2027-12-31'),
      ['2026-02-28', '2026-04-30', '2027-02-28', '2027-04-30']);
  });

  it('counts clamped dates with COUNT', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;COUNT=3', '2026-01-31', '2030-01-01'),
      ['2026-01-31', '2026-02-28', '2026-03-31']);
  });

  it('does not clamp a rule that picks weekdays: the 31st that is a Friday', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=FR', '2026-01-01', '2027-12-31'),
      ['2026-07-31', '2027-12-31']);
  });
});

describe('recurring dates: weekends', () => {
  const due = (date: string, policy: WeekendPolicy) => dueDateOf(date, policy);

  it('moves a Saturday to the Friday before or the Monday after', () => {
    assert.equal(new Date('2026-03-07T00:00:00Z').getUTCDay(), 6, '2026-03-07 is a Saturday');
    assert.equal(due('2026-03-07', 'previous-business-day'), '2026-03-06');
    assert.equal(due('2026-03-07', 'next-business-day'), '2026-03-09');
    assert.equal(due('2026-03-07', 'as-scheduled'), '2026-03-07');
  });

  it('moves a Sunday to the Friday before or the Monday after', () => {
    assert.equal(due('2026-03-08', 'previous-business-day'), '2026-03-06');
    assert.equal(due('2026-03-08', 'next-business-day'), '2026-03-09');
  });

  it('leaves weekdays alone', () => {
    for (const date of ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']) {
      assert.equal(due(date, 'previous-business-day'), date);
      assert.equal(due(date, 'next-business-day'), date);
    }
  });

  it('moves a month end on a Sunday across the month boundary when asked', () => {
    const rule = schedule('FREQ=MONTHLY;BYMONTHDAY=-1', '2026-05-01',
      { weekendPolicy: 'next-business-day' });
    assert.deepEqual(expandSchedule(rule, { from: '2026-05-01', to: '2026-06-30', limit: 5 }), [
      { scheduledOn: '2026-05-31', dueOn: '2026-06-01' },
      { scheduledOn: '2026-06-30', dueOn: '2026-06-30' },
    ]);
    const earlier = schedule('FREQ=MONTHLY;BYMONTHDAY=-1', '2026-05-01',
      { weekendPolicy: 'previous-business-day' });
    assert.deepEqual(expandSchedule(earlier, { from: '2026-05-01', to: '2026-05-31', limit: 5 }),
      [{ scheduledOn: '2026-05-31', dueOn: '2026-05-29' }]);
  });

  it('moves a clamped Feb 28 on a Saturday to Friday the 27th', () => {
    const rule = schedule('FREQ=MONTHLY;BYMONTHDAY=31', '2026-02-01',
      { weekendPolicy: 'previous-business-day' });
    assert.deepEqual(expandSchedule(rule, { from: '2026-02-01', to: '2026-02-28', limit: 5 }),
      [{ scheduledOn: '2026-02-28', dueOn: '2026-02-27' }]);
  });
});

describe('recurring dates: time zones and daylight saving', () => {
  it('keeps the dates of a rule in Europe/Berlin across the March and October changes', () => {
    const sundays = dates('FREQ=WEEKLY;BYDAY=SU', '2026-03-15', '2026-04-05');
    assert.deepEqual(sundays, ['2026-03-15', '2026-03-22', '2026-03-29', '2026-04-05']);
    const days = dates('FREQ=DAILY', '2026-10-24', '2026-10-27');
    assert.deepEqual(days, ['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    const monthly = dates('FREQ=MONTHLY;BYMONTHDAY=25', '2026-03-01', '2026-11-30');
    assert.equal(monthly.length, 9);
    assert.ok(monthly.every((date) => date.endsWith('-25')));
  });

  it('says which date it is in Berlin on either side of midnight, in summer and winter', () => {
    const berlin = 'Europe/Berlin';
    assert.equal(calendarDateIn(new Date('2026-03-28T22:59:00Z'), berlin), '2026-03-28');
    assert.equal(calendarDateIn(new Date('2026-03-28T23:00:00Z'), berlin), '2026-03-29');
    assert.equal(calendarDateIn(new Date('2026-03-29T21:59:00Z'), berlin), '2026-03-29');
    assert.equal(calendarDateIn(new Date('2026-03-29T22:00:00Z'), berlin), '2026-03-30');
    assert.equal(calendarDateIn(new Date('2026-10-24T22:00:00Z'), berlin), '2026-10-25');
    assert.equal(calendarDateIn(new Date('2026-10-25T22:59:00Z'), berlin), '2026-10-25');
    assert.equal(calendarDateIn(new Date('2026-10-25T23:00:00Z'), berlin), '2026-10-26');
  });

  it('finds where a day starts, a 23-hour day and a 25-hour day included', () => {
    const berlin = 'Europe/Berlin';
    assert.equal(startOfDayIn('2026-03-29', berlin).toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(startOfDayIn('2026-03-30', berlin).toISOString(), '2026-03-29T22:00:00.000Z');
    assert.equal(startOfDayIn('2026-10-25', berlin).toISOString(), '2026-10-24T22:00:00.000Z');
    assert.equal(startOfDayIn('2026-10-26', berlin).toISOString(), '2026-10-25T23:00:00.000Z');
    assert.equal(startOfDayIn('2026-03-01', 'UTC').toISOString(), '2026-03-01T00:00:00.000Z');
  });

  it('starts a day whose midnight a clock change skipped at its first minute', () => {
    // Chile moves its clocks from 24:00 to 01:00 on 2026-09-06.
    assert.equal(startOfDayIn('2026-09-06', 'America/Santiago').toISOString(),
      '2026-09-06T04:00:00.000Z');
  });

  it('reads IANA time zones and refuses the rest', () => {
    assert.equal(requireTimeZone('europe/berlin'), 'Europe/Berlin');
    assert.equal(requireTimeZone('UTC'), 'UTC');
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isTimeZone(''), false);
    assert.equal(isTimeZone(`Europe/${'x'.repeat(60)}`), false);
    throwsProblem(() => requireTimeZone('Mars/Olympus_Mons', 'body.timeZone'), 400, 'validation');
  });
});

describe('recurring dates: COUNT, UNTIL and the end date', () => {
  it('stops after COUNT dates', () => {
    assert.deepEqual(dates('FREQ=WEEKLY;COUNT=3', '2026-03-02', '2026-12-31'),
      ['2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('counts COUNT from the start even when the window begins later', () => {
    const later = expandScheduledDates(schedule('FREQ=DAILY;COUNT=5', '2026-03-01'),
      { from: '2026-03-04', to: '2026-12-31', limit: 10 });
    assert.deepEqual(later, ['2026-03-04', '2026-03-05']);
  });

  it('stops at UNTIL, the day itself included, a time after it ignored', () => {
    assert.deepEqual(dates('FREQ=WEEKLY;UNTIL=20260316', '2026-03-02', '2026-12-31'),
      ['2026-03-02', '2026-03-09', '2026-03-16']);
    assert.deepEqual(dates('FREQ=WEEKLY;UNTIL=20260316T000000Z', '2026-03-02', '2026-12-31'),
      ['2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('stops at endsOn and at the earlier of endsOn and UNTIL', () => {
    assert.deepEqual(dates('FREQ=MONTHLY', '2026-01-31', '2026-12-31', { endsOn: '2026-04-29' }),
      ['2026-01-31', '2026-02-28', '2026-03-31']);
    assert.deepEqual(dates('FREQ=DAILY;UNTIL=20260310', '2026-03-08', '2026-12-31',
      { endsOn: '2026-03-09' }), ['2026-03-08', '2026-03-09']);
  });

  it('gives nothing in a window after the rule ended, and at most `limit` dates', () => {
    assert.deepEqual(expandScheduledDates(schedule('FREQ=DAILY;COUNT=2', '2026-03-01'),
      { from: '2026-04-01', to: '2026-05-01', limit: 5 }), []);
    assert.equal(dates('FREQ=DAILY', '2026-03-01', '2027-03-01').length, 366);
    assert.equal(expandScheduledDates(schedule('FREQ=DAILY', '2026-03-01'),
      { from: '2026-03-01', to: '2027-03-01', limit: 7 }).length, 7);
  });

  it('falls on startsOn only when the rule gives it', () => {
    assert.deepEqual(dates('FREQ=WEEKLY;BYDAY=MO', '2026-03-04', '2026-03-17'),
      ['2026-03-09', '2026-03-16']);
  });

  it('knows the Nth weekday and BYSETPOS: the last weekday of each month', () => {
    assert.deepEqual(dates('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2026-01-01',
      '2026-06-30'),
    ['2026-01-30', '2026-02-27', '2026-03-31', '2026-04-30', '2026-05-29', '2026-06-30']);
    assert.deepEqual(dates('FREQ=MONTHLY;BYDAY=2MO', '2026-01-01', '2026-03-31'),
      ['2026-01-12', '2026-02-09', '2026-03-09']);
  });
});

describe('recurring dates: the rule text', () => {
  it('writes rules in one canonical form', () => {
    assert.equal(formatRecurrenceRule(parseRecurrenceRule(
      'rrule:bymonthday=31;freq=monthly;interval=1')), 'FREQ=MONTHLY;BYMONTHDAY=31');
    assert.equal(formatRecurrenceRule(parseRecurrenceRule(
      'FREQ=YEARLY;INTERVAL=2;COUNT=4;BYMONTH=3,9;BYDAY=-1FR,FR;BYSETPOS=1;WKST=SU')),
    'FREQ=YEARLY;INTERVAL=2;COUNT=4;BYMONTH=3,9;BYDAY=-1FR,FR;BYSETPOS=1;WKST=SU');
    assert.equal(formatRecurrenceRule(parseRecurrenceRule(' FREQ=WEEKLY;UNTIL=20261231T235959Z ')),
      'FREQ=WEEKLY;UNTIL=20261231');
  });

  it('refuses rules that repeat more often than daily', () => {
    for (const frequency of ['SECONDLY', 'MINUTELY', 'HOURLY']) {
      const [error] = fieldErrors(() => parseRecurrenceRule(`FREQ=${frequency}`));
      assert.equal(error?.path, 'rrule.FREQ');
      assert.match(error?.message ?? '', /at most daily/);
    }
  });

  it('names each bad part', () => {
    const cases: [string, string][] = [
      ['FREQ=FORTNIGHTLY', 'rrule.FREQ'],
      ['BYMONTHDAY=1', 'rrule.FREQ'],
      ['FREQ=DAILY;BYHOUR=9', 'rrule.BYHOUR'],
      ['FREQ=DAILY;DTSTART=20260101', 'rrule.DTSTART'],
      ['FREQ=DAILY;TZID=Europe/Berlin', 'rrule'],
      ['FREQ=YEARLY;BYYEARDAY=100', 'rrule.BYYEARDAY'],
      ['FREQ=WEEKLY;BYWEEKNO=2', 'rrule.BYWEEKNO'],
      ['FREQ=DAILY;FOO=1', 'rrule.FOO'],
      ['FREQ=DAILY;FREQ=WEEKLY', 'rrule.FREQ'],
      ['FREQ=DAILY;INTERVAL=0', 'rrule.INTERVAL'],
      ['FREQ=DAILY;COUNT=-1', 'rrule.COUNT'],
      ['FREQ=DAILY;UNTIL=20260230', 'rrule.UNTIL'],
      ['FREQ=MONTHLY;BYMONTHDAY=0', 'rrule.BYMONTHDAY'],
      ['FREQ=MONTHLY;BYMONTHDAY=32', 'rrule.BYMONTHDAY'],
      ['FREQ=YEARLY;BYMONTH=13', 'rrule.BYMONTH'],
      ['FREQ=MONTHLY;BYDAY=XX', 'rrule.BYDAY'],
      ['FREQ=MONTHLY;BYDAY=0MO', 'rrule.BYDAY'],
      ['FREQ=MONTHLY;BYDAY=6MO', 'rrule.BYDAY'],
      ['FREQ=WEEKLY;BYDAY=2MO', 'rrule.BYDAY'],
      ['FREQ=WEEKLY;BYMONTHDAY=1', 'rrule.BYMONTHDAY'],
      ['FREQ=MONTHLY;BYSETPOS=1', 'rrule.BYSETPOS'],
      ['FREQ=MONTHLY;WKST=XX', 'rrule.WKST'],
      ['FREQ=DAILY;COUNT=2;UNTIL=20260101', 'rrule'],
      ['FREQ=DAILY;;', 'rrule'],
      ['FREQ=DAILY;INTERVAL', 'rrule'],
      ['FREQ=DAILY\nBYDAY=MO', 'rrule'],
    ];
    for (const [text, path] of cases) {
      const errors = fieldErrors(() => parseRecurrenceRule(text));
      assert.ok(errors.some((error) => error.path === path),
        `${JSON.stringify(text)}: ${JSON.stringify(errors)}`);
    }
    throwsProblem(() => parseRecurrenceRule(''), 400, 'validation');
    throwsProblem(() => parseRecurrenceRule(12), 400, 'validation');
  });

  it('takes INTERVAL, COUNT and the text length up to their limits and no further', () => {
    assert.equal(parseRecurrenceRule(`FREQ=DAILY;INTERVAL=${intervalMax}`).interval, intervalMax);
    fieldErrors(() => parseRecurrenceRule(`FREQ=DAILY;INTERVAL=${intervalMax + 1}`));
    assert.equal(parseRecurrenceRule(`FREQ=DAILY;COUNT=${countMax}`).count, countMax);
    fieldErrors(() => parseRecurrenceRule(`FREQ=DAILY;COUNT=${countMax + 1}`));
    const padded = (length: number) => `FREQ=DAILY;BYMONTH=${'1,'.repeat(400)}`
      .slice(0, length - 1) + '1';
    assert.equal(padded(recurrenceRuleLengthMax).length, recurrenceRuleLengthMax);
    const [error] = fieldErrors(() => parseRecurrenceRule(padded(recurrenceRuleLengthMax + 1)));
    assert.match(error?.message ?? '', /at most 500 characters/);
  });

  it('refuses a rule that gives no date within five years, without searching for long',
    { timeout: 5000 }, () => {
      const never = [
        schedule('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01', { monthEndClamp: false }),
        schedule('FREQ=DAILY;INTERVAL=7;BYDAY=MO', '2026-03-03'),
        schedule('FREQ=MONTHLY;INTERVAL=2;BYMONTH=2', '2026-01-01'),
        schedule('FREQ=DAILY;COUNT=3', '2026-03-01', { endsOn: '2026-02-28' }),
      ];
      for (const rule of never) {
        const [error] = fieldErrors(() => checkScheduleGivesDates(rule, 'body.rrule'));
        assert.equal(error?.path, 'body.rrule');
        assert.match(error?.message ?? '', /no date within 5 years/);
      }
      checkScheduleGivesDates(schedule('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2026-03-01',
        { monthEndClamp: false }));
    });

  it('stops walking an expansion that would never end', { timeout: 5000 }, () => {
    const never = schedule('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', '2026-01-01',
      { monthEndClamp: false });
    assert.throws(() => expandScheduledDates(never, { from: '2026-01-01', to: '9999-12-31',
      limit: 1 }), { name: 'RuleExpansionError' });
  });
});

describe(`recurring dates posted by the scheduler on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  before(async () => {
    server = await startTestServer();
    owner = await createTestUser(server.ctx);
  });
  after(() => server.close());

  async function entriesOf(walletId: number) {
    const { WalletTransaction } = walletModels(server.ctx.sequelize);
    const rows = await WalletTransaction.findAll({ where: { walletId, origin: 'recurring' },
      order: [['occurredAt', 'ASC']] });
    return rows.map((row) => row.get({ plain: true }));
  }

  it('catches up every day of a week of downtime, each once, and then posts nothing', async () => {
    server.clock.set('2026-03-02T10:00:00Z');
    const wallet = await openWallet(server.ctx, owner);
    const rule = await createRecurring(server.ctx, owner, { walletId: wallet.id, type: 'credit',
      amount: '1.00', rrule: 'FREQ=DAILY', description: 'Pocket money' });
    const first = await runDueRecurring(server.ctx, { workerId: 'golden' });
    assert.equal(first.posted, 1);
    server.clock.advance(7 * dayMs);
    const caughtUp = await runDueRecurring(server.ctx, { workerId: 'golden' });
    assert.equal(caughtUp.posted, 7);
    const again = await runDueRecurring(server.ctx, { workerId: 'golden' });
    assert.equal(again.posted, 0);
    assert.equal(again.rules, 0, 'the rule is not due again before tomorrow');
    const entries = await entriesOf(wallet.id);
    assert.deepEqual(entries.map((entry) => entry.occurredAt.toISOString().slice(0, 10)), [
      '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07',
      '2026-03-08', '2026-03-09',
    ]);
    const { Occurrence } = walletModels(server.ctx.sequelize);
    const posted = await Occurrence.count({ where: { recurringId: rule.id, status: 'posted' } });
    assert.equal(posted, 8);
  });

  it('posts a daily rule in Europe/Berlin across the March change on its local days', async () => {
    server.clock.set('2026-03-27T10:00:00Z');
    const traveller = await createTestUser(server.ctx);
    const wallet = await openWallet(server.ctx, traveller);
    await createRecurring(server.ctx, traveller, { walletId: wallet.id, type: 'credit',
      amount: '2.00', rrule: 'FREQ=DAILY', timeZone: 'Europe/Berlin' });
    server.clock.set('2026-03-30T21:30:00Z'); // 23:30 on March 30 in Berlin (summer time)
    const run = { workerId: 'golden', userId: traveller.userId };
    const report = await runDueRecurring(server.ctx, run);
    assert.equal(report.posted, 4);
    const entries = await entriesOf(wallet.id);
    assert.deepEqual(entries.map((entry) => entry.occurredAt.toISOString()), [
      '2026-03-26T23:00:00.000Z', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    server.clock.set('2026-03-30T22:00:00Z'); // midnight: March 31 has begun in Berlin
    assert.equal((await runDueRecurring(server.ctx, run)).posted, 1);
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
  });
});
