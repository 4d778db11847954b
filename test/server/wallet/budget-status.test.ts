import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  carriedMinor,
  periodFigures,
  projectionElapsedMsMin,
  reachedThresholds,
} from '../../../server/wallet/budget-status.ts';
import { amountMinorMax } from '../../../server/wallet/money.ts';

describe('a period\'s figures', () => {
  const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };

  it('states available, remaining, percent and a linear projection', () => {
    const figures = periodFigures({ ...march, limitMinor: 10_000n, rolloverMinor: 2_000n,
      spentMinor: 3_000n }, new Date('2026-03-16T00:00:00Z'));
    assert.equal(figures.availableMinor, 12_000n);
    assert.equal(figures.remainingMinor, 9_000n);
    assert.equal(figures.percent, 25);
    assert.equal(figures.projectedMinor, 6_200n);
  });

  it('divides by at least an hour, and at most the period', () => {
    const early = periodFigures({ ...march, limitMinor: 100n, rolloverMinor: 0n,
      spentMinor: 1n }, march.start);
    const lengthMs = march.end.getTime() - march.start.getTime();
    assert.equal(early.projectedMinor, BigInt(lengthMs / projectionElapsedMsMin));
    const late = periodFigures({ ...march, limitMinor: 100n, rolloverMinor: 0n,
      spentMinor: 77n }, new Date('2026-05-01T00:00:00Z'));
    assert.equal(late.projectedMinor, 77n);
  });

  it('has no percent when nothing is available', () => {
    const figures = periodFigures({ ...march, limitMinor: 100n, rolloverMinor: -150n,
      spentMinor: 10n }, march.end);
    assert.equal(figures.percent, null);
    assert.equal(figures.remainingMinor, -60n);
  });

  it('carries per the rollover rule, bounded', () => {
    assert.equal(carriedMinor('none', 100n, 50n, 10n), 0n);
    assert.equal(carriedMinor('surplus', 100n, 50n, 10n), 140n);
    assert.equal(carriedMinor('surplus', 100n, 0n, 130n), 0n);
    assert.equal(carriedMinor('surplus-and-deficit', 100n, 0n, 130n), -30n);
    assert.equal(carriedMinor('surplus', amountMinorMax, amountMinorMax, 0n), amountMinorMax);
    assert.equal(carriedMinor('surplus-and-deficit', 1n, -amountMinorMax, amountMinorMax),
      -amountMinorMax);
  });

  it('reaches thresholds at exactly their share, and all of them with nothing available', () => {
    assert.deepEqual(reachedThresholds([50, 80, 100], 4_999n, 10_000n), []);
    assert.deepEqual(reachedThresholds([50, 80, 100], 5_000n, 10_000n), [50]);
    assert.deepEqual(reachedThresholds([50, 80, 100], 10_000n, 10_000n), [50, 80, 100]);
    assert.deepEqual(reachedThresholds([50, 150], 15_000n, 10_000n), [50, 150]);
    assert.deepEqual(reachedThresholds([50], 0n, 0n), []);
    assert.deepEqual(reachedThresholds([50, 100], 1n, -5n), [50, 100]);
  });
});
