/**
 * @module
 * How money and JSON columns cross the database boundary.
 *
 * A BIGINT column arrives as a string from PostgreSQL (`pg` does not guess at 64-bit integers)
 * and as a `number` from SQLite (the driver has no other integer). The migration bounds every
 * stored money value to +-9 * 10^15, inside 2^53, so a SQLite number is exact; this module
 * asserts that bound on every read instead of trusting it. Writes pass `bigint` values, which
 * Sequelize binds as 64-bit integers on both databases.
 */
import assert from 'node:assert/strict';

/** The largest magnitude any stored minor-unit value may have (see migrations/wallet_001.ts). */
export const storedMinorMagnitudeMax = 9_000_000_000_000_000n;

/** An integer written in base 10, optionally negative: what `CAST(... AS TEXT)` yields. */
const isIntegerTextRe = /^-?(0|[1-9][0-9]*)$/;

/**
 * Reads a BIGINT minor-unit value as it came from either driver.
 *
 * @param value - a column value: `number` (SQLite), `string` (PostgreSQL) or `bigint`.
 * @returns the value as a `bigint`; throws through `assert` on anything else.
 * @example
 * minorFromColumn('1234'); // 1234n
 */
export function minorFromColumn(value: unknown): bigint {
  let minor: bigint;
  if (typeof value === 'bigint') {
    minor = value;
  } else if (typeof value === 'number') {
    assert(Number.isSafeInteger(value), 'a BIGINT column came back as an unsafe number');
    minor = BigInt(value);
  } else {
    assert(typeof value === 'string', 'a BIGINT column came back as neither number nor string');
    assert(isIntegerTextRe.test(value), 'a BIGINT column came back as a non-integer string');
    minor = BigInt(value);
  }
  assert(minor <= storedMinorMagnitudeMax, 'a stored minor value is above its bound');
  assert(minor >= -storedMinorMagnitudeMax, 'a stored minor value is below its bound');
  return minor;
}

/** Like {@link minorFromColumn}, but `null` stays `null`. */
export function nullableMinorFromColumn(value: unknown): bigint | null {
  return value === null || value === undefined ? null : minorFromColumn(value);
}

/**
 * Reads an integer count (COUNT(*), a sequence) from either driver: PostgreSQL sends a
 * BIGINT count as a string.
 */
export function countFromColumn(value: unknown): number {
  const count = typeof value === 'string' ? Number(value) : value;
  assert(typeof count === 'number', 'a count came back as neither number nor string');
  assert(Number.isSafeInteger(count), 'a count is not a safe integer');
  return count;
}

/**
 * Reads a JSON column: SQLite hands back the stored text, PostgreSQL the parsed value.
 */
export function jsonFromColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
