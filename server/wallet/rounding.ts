/**
 * @module
 * Integer division rounded half to even ("banker's rounding"), on `bigint`.
 *
 * Half-even is the rounding of IEEE 754 and of most accounting standards: a tie goes to the
 * even neighbour, so over many conversions the rounding errors cancel instead of drifting
 * upwards as half-up does. 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2.
 */
import assert from 'node:assert/strict';

/**
 * `numerator / denominator`, rounded half to even.
 *
 * @param numerator - any integer.
 * @param denominator - a positive integer.
 * @returns the nearest integer to the exact quotient; on a tie, the even one.
 * @example
 * divideHalfEven(5n, 2n);  // 2n
 * divideHalfEven(7n, 2n);  // 4n
 * divideHalfEven(-5n, 2n); // -2n
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  assert(denominator > 0n, 'divideHalfEven needs a positive denominator');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  // The result is within half a unit of the exact quotient.
  const errorTwice = quotient * denominator * 2n - magnitude * 2n;
  assert(errorTwice <= denominator, 'rounded up by at most half');
  assert(errorTwice >= -denominator, 'rounded down by at most half');
  return negative ? -quotient : quotient;
}

/** 10 to the power `exponent`, for `exponent` >= 0. */
export function powerOfTen(exponent: number): bigint {
  assert(Number.isInteger(exponent) && exponent >= 0, 'powerOfTen needs a natural exponent');
  return 10n ** BigInt(exponent);
}
