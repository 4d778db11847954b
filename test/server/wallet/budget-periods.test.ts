import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addDays,
  periodEndOn,
  periodStartOn,
  type BudgetPeriodKind,
} from '../../../server/wallet/budget-periods.ts';

const kinds: BudgetPeriodKind[] = ['weekly', 'monthly', 'quarterly', 'yearly'];

describe('the budget calendar', () => {
  it('starts weeks on Monday, months on the 1st, quarters and years on their first day', () => {
    assert.equal(periodStartOn('2026-03-01', 'weekly'), '2026-02-23');
    assert.equal(periodStartOn('2026-03-02', 'weekly'), '2026-03-02');
    assert.equal(periodStartOn('2026-03-08', 'weekly'), '2026-03-02');
    assert.equal(periodStartOn('2026-03-31', 'monthly'), '2026-03-01');
    assert.equal(periodStartOn('2026-06-30', 'quarterly'), '2026-04-01');
    assert.equal(periodStartOn('2026-12-31', 'yearly'), '2026-01-01');
  });

  it('ends a period on the first day of the next, across months and leap years', () => {
    assert.equal(periodEndOn('2026-12-28', 'weekly'), '2027-01-04');
    assert.equal(periodEndOn('2028-02-01', 'monthly'), '2028-03-01');
    assert.equal(periodEndOn('2026-10-01', 'quarterly'), '2027-01-01');
    assert.equal(periodEndOn('2028-01-01', 'yearly'), '2029-01-01');
    assert.throws(() => periodEndOn('2026-03-02', 'monthly'), assert.AssertionError);
  });

  it('tiles the calendar: every day lies in exactly one period of each kind', () => {
    const firstDay = Date.parse('2000-01-01T00:00:00Z');
    fc.assert(fc.property(fc.integer({ min: 0, max: 365 * 200 }),
      fc.constantFrom(...kinds), (offsetDays, kind) => {
        const day = addDays('2000-01-01', offsetDays);
        assert.equal(Date.parse(`${day}T00:00:00Z`), firstDay + offsetDays * 86_400_000);
        const start = periodStartOn(day, kind);
        const end = periodEndOn(start, kind);
        assert.ok(start <= day && day < end);
        assert.equal(periodStartOn(end, kind), end, 'the next period starts where this ends');
        assert.equal(periodStartOn(addDays(end, -1), kind), start);
      }));
  });
});
