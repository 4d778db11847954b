import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isIsoDate,
  parseIsoDate,
  utcDateOf,
  utcDayStart,
  utcMonthStart,
} from '../../../server/wallet/utc-dates.ts';
import { throwsProblem } from './support.ts';

describe('UTC calendar days', () => {
  it('names the UTC date of an instant, whatever its offset', () => {
    assert.equal(utcDateOf(new Date('2026-03-01T00:30:00+01:00')), '2026-02-28');
    assert.equal(utcDateOf(new Date('2026-02-28T23:59:59.999Z')), '2026-02-28');
  });

  it('knows real calendar dates only', () => {
    for (const good of ['2026-02-28', '2028-02-29', '1999-01-04']) assert.ok(isIsoDate(good), good);
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-2-1', '20260201',
      '2026-02-01T00:00:00Z', 20260201, null]) {
      assert.equal(isIsoDate(bad), false, String(bad));
    }
    throwsProblem(() => parseIsoDate('2026-02-30', 'body.date'), 400, 'validation');
  });

  it('starts days and months at midnight UTC', () => {
    const instant = new Date('2026-03-31T23:59:59Z');
    assert.equal(utcDayStart(instant).toISOString(), '2026-03-31T00:00:00.000Z');
    assert.equal(utcMonthStart(instant).toISOString(), '2026-03-01T00:00:00.000Z');
  });
});
