/**
 * @module
 * Money: decimal strings in the API, `bigint` minor units in code, BIGINT in the database.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/money.test.ts.
 *  1. An amount is a `bigint` count of minor units. A money amount is never held in a `number`.
 *  2. A parsed amount has no more decimals than its currency's ISO 4217 exponent: `12.345`
 *     EUR and `10.5` JPY are refused, never rounded.
 *  3. Parsing refuses every text but plain digits with at most one point: no sign, exponent,
 *     whitespace, empty string, or `number` (a JSON number may already have lost digits).
 *  4. formatMinor(parseDecimalMinor(text)) gives back `text` with exactly `exponent` decimals.
 *  5. Converting between currencies rounds once, half-even, from the exact product.
 */
import assert from 'node:assert/strict';
import { validationProblem } from '../http/problem.ts';
import { currencyExponent } from './currencies.ts';
import { assertRate, type DecimalRate } from './decimal-rate.ts';
import { divideHalfEven, powerOfTen } from './rounding.ts';

/** Largest amount one transaction may carry, in minor units; also bounds balances and limits. */
export const amountMinorMax = 10n ** 15n;

/** Longest amount text read; any valid amount is far shorter. */
export const amountTextLengthMax = 32;

/**
 * Money as the API sends it: `{amount: "12.34", currency: "EUR"}`. A type alias, not an
 * interface, so it is assignable to JSON values (the idempotency layer stores bodies).
 */
export type Money = {
  amount: string;
  currency: string;
};

/** Unsigned digits with at most one point, no leading zeros, at least one digit each side. */
const isDecimalTextRe = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * Parses a non-negative decimal amount (a limit, an overdraft) into minor units.
 *
 * @param text - the value from the request, e.g. `"12.34"`; must be a string.
 * @param currency - an ISO 4217 code from the table; fixes how many decimals are allowed.
 * @param path - where the value sat in the request (`body.amount`), named in the problem.
 * @returns 0 to {@link amountMinorMax} minor units.
 * @throws ProblemError 400 `validation` naming `path` and what is wrong.
 * @example
 * parseDecimalMinor('12.3', 'EUR'); // 1230n
 * parseDecimalMinor('1000', 'JPY'); // 1000n
 */
export function parseDecimalMinor(text: unknown, currency: string, path = 'amount'): bigint {
  const exponent = currencyExponent(currency);
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string') {
    throw refuse('must be a decimal string such as "12.34", not a JSON number.');
  }
  if (text.length === 0) throw refuse('must not be empty.');
  if (text.length > amountTextLengthMax) {
    throw refuse(`must be at most ${amountTextLengthMax} characters long.`);
  }
  if (!isDecimalTextRe.test(text)) {
    throw refuse('must be written as digits with an optional "." (no sign, exponent or spaces).');
  }
  const [whole = '', fraction = ''] = text.split('.');
  if (fraction.length > exponent) {
    throw refuse(
      exponent === 0
        ? `${currency} has no minor unit; use a whole number.`
        : `${currency} allows at most ${exponent} decimals.`,
    );
  }
  const amountMinor = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (amountMinor > amountMinorMax) {
    throw refuse(`must be at most ${formatMinor(amountMinorMax, currency)}.`);
  }
  assert(amountMinor >= 0n, 'a parsed amount is not negative');
  return amountMinor;
}

/**
 * Parses the amount of a transaction: like {@link parseDecimalMinor}, and greater than zero.
 *
 * @example
 * parseAmountMinor('0.01', 'EUR'); // 1n
 * parseAmountMinor('0', 'EUR');    // throws 400
 */
export function parseAmountMinor(text: unknown, currency: string, path = 'amount'): bigint {
  const amountMinor = parseDecimalMinor(text, currency, path);
  if (amountMinor === 0n) {
    throw validationProblem([{ path, message: 'must be greater than zero.' }]);
  }
  assert(amountMinor > 0n, 'an amount is positive');
  assert(amountMinor <= amountMinorMax, 'an amount is at most amountMinorMax');
  return amountMinor;
}

/**
 * Writes minor units as a decimal string with exactly the currency's exponent of decimals.
 *
 * @example
 * formatMinor(1234n, 'EUR'); // "12.34"
 * formatMinor(-5n, 'EUR');   // "-0.05"
 * formatMinor(1000n, 'JPY'); // "1000"
 */
export function formatMinor(amountMinor: bigint, currency: string): string {
  assert(typeof amountMinor === 'bigint', 'formatMinor takes a bigint');
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0n ? '-' : '';
  const digits = (amountMinor < 0n ? -amountMinor : amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Minor units as the API's money object. */
export function toMoney(amountMinor: bigint, currency: string): Money {
  return { amount: formatMinor(amountMinor, currency), currency };
}

/**
 * Converts an amount at `rate` (1 unit of `sourceCurrency` = `rate` units of
 * `targetCurrency`), rounding half-even once from the exact product.
 *
 * @param amountMinor - a positive amount in the source currency's minor units.
 * @returns the amount in the target currency's minor units; 0 when it is below half a unit.
 * @example
 * convertMinor(10000n, 'EUR', 'JPY', parseRate('161.25')); // 16125n (100.00 EUR -> 16125 JPY)
 */
export function convertMinor(
  amountMinor: bigint,
  sourceCurrency: string,
  targetCurrency: string,
  rate: DecimalRate,
): bigint {
  assert(typeof amountMinor === 'bigint', 'an amount is a bigint');
  assert(amountMinor > 0n, 'convertMinor converts positive amounts');
  assertRate(rate);
  const sourceExponent = currencyExponent(sourceCurrency);
  const targetExponent = currencyExponent(targetCurrency);
  // target = amount / 10^se * rate.digits / 10^scale * 10^te
  const convertedMinor = divideHalfEven(
    amountMinor * rate.digits * powerOfTen(targetExponent),
    powerOfTen(rate.scale + sourceExponent),
  );
  assert(convertedMinor >= 0n, 'a converted amount is not negative');
  return convertedMinor;
}
