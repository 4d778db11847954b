import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { divideHalfEven, powerOfTen } from '../../../server/wallet/rounding.ts';

describe('dividing half to even', () => {
  const cases: [numerator: bigint, denominator: bigint, quotient: bigint][] = [
    [5n, 10n, 0n],
    [15n, 10n, 2n],
    [25n, 10n, 2n],
    [35n, 10n, 4n],
    [-5n, 10n, 0n],
    [-15n, 10n, -2n],
    [-25n, 10n, -2n],
    [14n, 10n, 1n],
    [16n, 10n, 2n],
    [-16n, 10n, -2n],
    [10n, 3n, 3n],
    [20n, 3n, 7n],
    [0n, 7n, 0n],
  ];
  for (const [numerator, denominator, quotient] of cases) {
    it(`${numerator} / ${denominator} = ${quotient}`, () => {
      assert.equal(divideHalfEven(numerator, denominator), quotient);
    });
  }

  it('refuses a zero or negative denominator', () => {
    assert.throws(() => divideHalfEven(1n, 0n), assert.AssertionError);
    assert.throws(() => divideHalfEven(1n, -2n), assert.AssertionError);
  });

  it('raises ten to natural powers only', () => {
    assert.equal(powerOfTen(0), 1n);
    assert.equal(powerOfTen(15), 1_000_000_000_000_000n);
    assert.throws(() => powerOfTen(-1), assert.AssertionError);
    assert.throws(() => powerOfTen(1.5), assert.AssertionError);
  });
});
