import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  countFromColumn,
  jsonFromColumn,
  minorFromColumn,
  nullableMinorFromColumn,
  storedMinorMagnitudeMax,
} from '../../../server/wallet/column-values.ts';

describe('reading columns from either driver', () => {
  it('reads a BIGINT as a bigint from a PostgreSQL string or a SQLite number', () => {
    assert.equal(minorFromColumn('-1234'), -1234n);
    assert.equal(minorFromColumn(1234), 1234n);
    assert.equal(minorFromColumn(0), 0n);
    assert.equal(nullableMinorFromColumn(null), null);
  });

  it(`reads magnitudes up to ${storedMinorMagnitudeMax} and asserts on one more`, () => {
    assert.equal(minorFromColumn(storedMinorMagnitudeMax.toString()), storedMinorMagnitudeMax);
    assert.equal(minorFromColumn(Number(storedMinorMagnitudeMax)), storedMinorMagnitudeMax);
    assert.equal(minorFromColumn(`-${storedMinorMagnitudeMax}`), -storedMinorMagnitudeMax);
    for (const past of [(storedMinorMagnitudeMax + 1n).toString(),
      (-storedMinorMagnitudeMax - 1n).toString()]) {
      assert.throws(() => minorFromColumn(past), assert.AssertionError);
    }
  });

  it('asserts on anything that is not an exact integer', () => {
    for (const bad of [1.5, Number.MAX_SAFE_INTEGER + 2, '1.5', '1e3', '', ' 1', null, {}]) {
      assert.throws(() => minorFromColumn(bad), assert.AssertionError, String(bad));
    }
  });

  it('reads counts and JSON from either driver', () => {
    assert.equal(countFromColumn('42'), 42);
    assert.equal(countFromColumn(42), 42);
    assert.throws(() => countFromColumn('x'), assert.AssertionError);
    assert.deepEqual(jsonFromColumn('{"a":[1]}'), { a: [1] });
    assert.deepEqual(jsonFromColumn({ a: [1] }), { a: [1] });
  });
});
