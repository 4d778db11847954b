/**
 * @module
 * Exchange rates as exact decimals: a `bigint` of digits and a scale, never a float.
 *
 * `1.0823` is `{digits: 10823n, scale: 4}`. Rates are parsed from and written back to decimal
 * strings (the form the ECB publishes and the database stores). Rates made by arithmetic (an
 * inverse, a cross rate through EUR) are rounded half-even to {@link derivedRateScale}
 * decimals, and that rounded rate is the one used and frozen on a transfer's entries, so
 * anyone can repeat the conversion from what is stored.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/decimal-rate.test.ts.
 *  1. A rate is positive: digits > 0.
 *  2. A rate is normalised: its digits do not end in 0 unless its scale is 0, so one value
 *     has one representation and one string.
 *  3. A rate's scale is at most {@link rateScaleMax}, and below 10^{@link rateIntegerDigitsMax}.
 */
import assert from 'node:assert/strict';
import { validationProblem } from '../http/problem.ts';
import { divideHalfEven, powerOfTen } from './rounding.ts';

/** A positive exact decimal: `digits / 10^scale`. */
export interface DecimalRate {
  readonly digits: bigint;
  readonly scale: number;
}

/** Most decimals a rate may have, parsed or derived. */
export const rateScaleMax = 12;

/** Decimals a derived rate (an inverse or a cross rate) is rounded to. */
export const derivedRateScale = 12;

/** Most digits before the decimal point: a rate is below 10^12. */
export const rateIntegerDigitsMax = 12;

/** Longest rate text read; `rateIntegerDigitsMax + 1 + rateScaleMax` fits. */
export const rateTextLengthMax = 40;

/** An unsigned decimal: digits, optionally one point and more digits; no leading zeros. */
const isRateTextRe = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** The rate 1, used between a currency and itself. */
export const rateOne: DecimalRate = Object.freeze({ digits: 1n, scale: 0 });

/**
 * Parses a rate written as a decimal string.
 *
 * @param text - e.g. `"1.0823"`; a number, a sign, an exponent or spaces are refused.
 * @param path - where the value sat in the request, for the problem's `errors`.
 * @returns the normalised rate.
 * @throws ProblemError 400 `validation` for anything but a positive decimal within the limits.
 */
export function parseRate(text: unknown, path = 'rate'): DecimalRate {
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string') throw refuse('must be a decimal string such as "1.0823".');
  if (text.length > rateTextLengthMax) {
    throw refuse(`must be at most ${rateTextLengthMax} characters long.`);
  }
  if (!isRateTextRe.test(text)) throw refuse('must be a decimal such as "1.0823".');
  const [whole = '', fraction = ''] = text.split('.');
  if (whole.length > rateIntegerDigitsMax) {
    throw refuse(`must be below 10^${rateIntegerDigitsMax}.`);
  }
  if (fraction.length > rateScaleMax) throw refuse(`must have at most ${rateScaleMax} decimals.`);
  const digits = BigInt(whole + fraction);
  if (digits === 0n) throw refuse('must be greater than zero.');
  return normaliseRate(digits, fraction.length);
}

/**
 * Writes a rate as the shortest decimal string that holds it.
 *
 * @example
 * formatRate({ digits: 10823n, scale: 4 }); // "1.0823"
 */
export function formatRate(rate: DecimalRate): string {
  assertRate(rate);
  const text = rate.digits.toString().padStart(rate.scale + 1, '0');
  if (rate.scale === 0) return text;
  return `${text.slice(0, -rate.scale)}.${text.slice(-rate.scale)}`;
}

/**
 * `numerator / denominator`, rounded half-even to {@link derivedRateScale} decimals.
 *
 * @returns the quotient, or null when it rounds to zero (no usable rate).
 * @example
 * divideRates(parseRate('160.5'), parseRate('1.07')); // JPY per USD through EUR
 */
export function divideRates(numerator: DecimalRate, denominator: DecimalRate): DecimalRate | null {
  assertRate(numerator);
  assertRate(denominator);
  // (n / 10^ns) / (d / 10^ds) scaled by 10^s = n * 10^(ds + s) / (d * 10^ns)
  const scaled = divideHalfEven(
    numerator.digits * powerOfTen(denominator.scale + derivedRateScale),
    denominator.digits * powerOfTen(numerator.scale),
  );
  if (scaled === 0n) return null;
  if (scaled >= powerOfTen(rateIntegerDigitsMax + derivedRateScale)) return null;
  return normaliseRate(scaled, derivedRateScale);
}

/** `1 / rate`, rounded half-even; null when it rounds to zero. */
export function invertRate(rate: DecimalRate): DecimalRate | null {
  return divideRates(rateOne, rate);
}

/** Whether two rates are the same value (both are normalised, so fields compare). */
export function ratesEqual(first: DecimalRate, second: DecimalRate): boolean {
  return first.digits === second.digits && first.scale === second.scale;
}

/** Asserts the invariants of a rate; for rates that did not come from this module. */
export function assertRate(rate: DecimalRate): void {
  assert(typeof rate.digits === 'bigint', 'rate digits are a bigint');
  assert(rate.digits > 0n, 'a rate is positive');
  assert(Number.isInteger(rate.scale), 'a rate scale is an integer');
  assert(rate.scale >= 0 && rate.scale <= rateScaleMax, 'a rate has at most rateScaleMax decimals');
  assert(rate.scale === 0 || rate.digits % 10n !== 0n, 'a rate is normalised');
  assert(rate.digits < powerOfTen(rateIntegerDigitsMax + rate.scale), 'a rate is below 10^12');
}

function normaliseRate(digits: bigint, scale: number): DecimalRate {
  let normalDigits = digits;
  let normalScale = scale;
  while (normalScale > 0 && normalDigits % 10n === 0n) {
    normalDigits /= 10n;
    normalScale -= 1;
  }
  const rate = { digits: normalDigits, scale: normalScale };
  assertRate(rate);
  return Object.freeze(rate);
}
