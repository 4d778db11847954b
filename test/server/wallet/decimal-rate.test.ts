import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertRate,
  derivedRateScale,
  divideRates,
  formatRate,
  invertRate,
  parseRate,
  rateIntegerDigitsMax,
  rateScaleMax,
  rateTextLengthMax,
  ratesEqual,
} from '../../../server/wallet/decimal-rate.ts';
import { throwsProblem } from './support.ts';

describe('decimal rates', () => {
  it('reads a rate exactly and writes it back normalised', () => {
    assert.deepEqual(parseRate('1.0823'), { digits: 10823n, scale: 4 });
    assert.deepEqual(parseRate('1.0800'), { digits: 108n, scale: 2 });
    assert.deepEqual(parseRate('161'), { digits: 161n, scale: 0 });
    assert.equal(formatRate(parseRate('1.0800')), '1.08');
    assert.equal(formatRate(parseRate('0.000057')), '0.000057');
    assert.equal(formatRate(parseRate('19385.00')), '19385');
  });

  it('refuses what is not a positive decimal string', () => {
    for (const bad of [1.08, '', '-1.2', '+1.2', '1e3', ' 1.2', '1,2', '.5', '5.', '0', '0.000',
      'NaN', '01.5']) {
      throwsProblem(() => parseRate(bad), 400, 'validation');
    }
  });

  it(`reads ${rateScaleMax} decimals and refuses ${rateScaleMax + 1}`, () => {
    assert.equal(parseRate(`0.${'0'.repeat(rateScaleMax - 1)}1`).scale, rateScaleMax);
    throwsProblem(() => parseRate(`0.${'0'.repeat(rateScaleMax)}1`), 400, 'validation');
  });

  it(`reads ${rateIntegerDigitsMax} integer digits and refuses ${rateIntegerDigitsMax + 1}`, () => {
    assert.equal(parseRate('9'.repeat(rateIntegerDigitsMax)).scale, 0);
    throwsProblem(() => parseRate(`1${'0'.repeat(rateIntegerDigitsMax)}`), 400, 'validation');
  });

  it(`reads a text of ${rateTextLengthMax} characters and refuses ${rateTextLengthMax + 1}`, () => {
    const atLimit = `1.${'0'.repeat(rateTextLengthMax - 2)}`;
    // At the limit the text is read and refused only for its scale.
    const problem = throwsProblem(() => parseRate(atLimit), 400, 'validation');
    assert.match(problem.message, /decimals/);
    const past = throwsProblem(() => parseRate(`${atLimit}0`), 400, 'validation');
    assert.match(past.message, new RegExp(`at most ${rateTextLengthMax} characters`));
  });

  it(`inverts and divides, rounding half-even to ${derivedRateScale} decimals`, () => {
    assert.equal(formatRate(invertRate(parseRate('4')) ?? parseRate('1')), '0.25');
    assert.equal(formatRate(invertRate(parseRate('3')) ?? parseRate('1')), '0.333333333333');
    // 2/3 = 0.666...6|66 rounds up at the twelfth decimal.
    assert.equal(formatRate(divideRates(parseRate('2'), parseRate('3')) ?? parseRate('1')),
      '0.666666666667');
    // USD->JPY through EUR: 161.25 / 1.075 = 150.
    assert.equal(formatRate(divideRates(parseRate('161.25'), parseRate('1.075')) ?? parseRate('1')),
      '150');
  });

  it('answers null when a derived rate rounds to zero or grows past its bound', () => {
    assert.equal(divideRates(parseRate('0.000000000001'), parseRate('3')), null);
    assert.equal(formatRate(invertRate(parseRate('999999999999')) ?? parseRate('1')),
      '0.000000000001');
    assert.equal(divideRates(parseRate('999999999999'), parseRate('0.000000000001')), null);
  });

  it('compares by value and asserts its invariants', () => {
    assert.ok(ratesEqual(parseRate('1.50'), parseRate('1.5')));
    assert.throws(() => assertRate({ digits: 150n, scale: 2 }), assert.AssertionError);
    assert.throws(() => assertRate({ digits: 0n, scale: 0 }), assert.AssertionError);
    assert.throws(() => assertRate({ digits: 1n, scale: rateScaleMax + 1 }), assert.AssertionError);
  });
});
