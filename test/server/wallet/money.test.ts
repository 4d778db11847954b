import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRate } from '../../../server/wallet/decimal-rate.ts';
import {
  amountMinorMax,
  amountTextLengthMax,
  convertMinor,
  formatMinor,
  parseAmountMinor,
  parseDecimalMinor,
  toMoney,
} from '../../../server/wallet/money.ts';
import { throwsProblem } from './support.ts';

describe('parsing an amount', () => {
  const good: [text: string, currency: string, minor: bigint][] = [
    ['12.34', 'EUR', 1234n],
    ['12.3', 'EUR', 1230n],
    ['12', 'EUR', 1200n],
    ['0.01', 'EUR', 1n],
    ['1000', 'JPY', 1000n],
    ['1.234', 'BHD', 1234n],
    ['0.001', 'KWD', 1n],
    ['0.0001', 'CLF', 1n],
    ['10000000000000.00', 'EUR', amountMinorMax],
    ['1000000000000000', 'JPY', amountMinorMax],
  ];
  for (const [text, currency, minor] of good) {
    it(`reads "${text}" ${currency} as ${minor} minor units`, () => {
      assert.equal(parseAmountMinor(text, currency), minor);
    });
  }

  const bad: [label: string, value: unknown, currency: string, message: RegExp][] = [
    ['an exponent', '1e3', 'EUR', /digits/],
    ['a negative amount', '-5', 'EUR', /no sign/],
    ['a leading plus', '+5', 'EUR', /no sign/],
    ['three decimals in EUR', '12.345', 'EUR', /at most 2 decimals/],
    ['a fraction in JPY', '10.5', 'JPY', /no minor unit/],
    ['four decimals in BHD', '1.2345', 'BHD', /at most 3 decimals/],
    ['a JSON number', 12.34, 'EUR', /not a JSON number/],
    ['a bigint', 1234n, 'EUR', /not a JSON number/],
    ['null', null, 'EUR', /decimal string/],
    ['the empty string', '', 'EUR', /must not be empty/],
    ['a leading space', ' 5', 'EUR', /no sign, exponent or spaces/],
    ['a trailing space', '5 ', 'EUR', /spaces/],
    ['an inner space', '1 000', 'EUR', /spaces/],
    ['a comma', '12,34', 'EUR', /digits/],
    ['a lone point', '.', 'EUR', /digits/],
    ['a leading point', '.5', 'EUR', /digits/],
    ['a trailing point', '5.', 'EUR', /digits/],
    ['leading zeros', '007', 'EUR', /digits/],
    ['two points', '1.2.3', 'EUR', /digits/],
    ['hexadecimal', '0x10', 'EUR', /digits/],
    ['Infinity', 'Infinity', 'EUR', /digits/],
    ['NaN', 'NaN', 'EUR', /digits/],
    ['Arabic-Indic digits', '١٢', 'EUR', /digits/],
    ['zero', '0', 'EUR', /greater than zero/],
    ['zero with decimals', '0.00', 'EUR', /greater than zero/],
    ['one minor unit past the maximum', '10000000000000.01', 'EUR', /at most 10000000000000.00/],
    ['a huge value', '99999999999999999999', 'JPY', /at most 1000000000000000/],
  ];
  for (const [label, value, currency, message] of bad) {
    it(`refuses ${label} with a 400 naming the field`, () => {
      const problem = throwsProblem(() => parseAmountMinor(value, currency, 'body.amount'), 400,
        'validation');
      const errors = problem.extensions.errors as { path: string; message: string }[];
      assert.equal(errors[0]?.path, 'body.amount');
      assert.match(errors[0]?.message ?? '', message);
    });
  }

  it(`reads a text of ${amountTextLengthMax} characters, refuses one more`, () => {
    const atLimit = `1.${'0'.repeat(amountTextLengthMax - 2)}`;
    assert.equal(atLimit.length, amountTextLengthMax);
    // At the limit the text is read, and refused only for its decimals.
    const problem = throwsProblem(() => parseAmountMinor(atLimit, 'EUR'), 400, 'validation');
    assert.match(problem.message, /at most 2 decimals/);
    const pastLimit = `${atLimit}0`;
    const past = throwsProblem(() => parseAmountMinor(pastLimit, 'EUR'), 400, 'validation');
    assert.match(past.message, new RegExp(`at most ${amountTextLengthMax} characters`));
  });

  it('accepts zero for limits, but never a sign', () => {
    assert.equal(parseDecimalMinor('0', 'EUR'), 0n);
    assert.equal(parseDecimalMinor('0.00', 'EUR'), 0n);
    throwsProblem(() => parseDecimalMinor('-0', 'EUR'), 400, 'validation');
  });
});

describe('formatting minor units', () => {
  const cases: [minor: bigint, currency: string, text: string][] = [
    [1234n, 'EUR', '12.34'],
    [5n, 'EUR', '0.05'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'EUR', '0.00'],
    [1000n, 'JPY', '1000'],
    [-1000n, 'JPY', '-1000'],
    [1234n, 'BHD', '1.234'],
    [1n, 'CLF', '0.0001'],
    [amountMinorMax, 'EUR', '10000000000000.00'],
  ];
  for (const [minor, currency, text] of cases) {
    it(`writes ${minor} ${currency} as "${text}"`, () => {
      assert.equal(formatMinor(minor, currency), text);
    });
  }

  it('gives back what was parsed, with exactly the exponent of decimals', () => {
    for (const [text, currency, normal] of [
      ['12.3', 'EUR', '12.30'], ['7', 'BHD', '7.000'], ['1000', 'JPY', '1000'],
    ]) {
      assert.equal(formatMinor(parseAmountMinor(text, currency), currency), normal);
    }
  });

  it('builds the API money object', () => {
    assert.deepEqual(toMoney(1234n, 'EUR'), { amount: '12.34', currency: 'EUR' });
  });

  it('refuses a number where a bigint belongs', () => {
    // @ts-expect-error: a number is exactly what must never reach it
    assert.throws(() => formatMinor(12, 'EUR'), assert.AssertionError);
  });
});

describe('converting between currencies', () => {
  it('rounds a tie half to even', () => {
    const rate = parseRate('100.5');
    assert.equal(convertMinor(100n, 'EUR', 'JPY', rate), 100n); // 100.5 -> 100
    assert.equal(convertMinor(300n, 'EUR', 'JPY', rate), 302n); // 301.5 -> 302
    assert.equal(convertMinor(500n, 'EUR', 'JPY', rate), 502n); // 502.5 -> 502
  });

  it('rounds a non-tie to the nearest unit', () => {
    assert.equal(convertMinor(100n, 'EUR', 'JPY', parseRate('161.255')), 161n);
    assert.equal(convertMinor(100n, 'EUR', 'JPY', parseRate('161.755')), 162n);
  });

  it('scales between exponents', () => {
    // 1000 JPY at 0.0062 EUR per JPY = 6.20 EUR = 620 minor units.
    assert.equal(convertMinor(1000n, 'JPY', 'EUR', parseRate('0.0062')), 620n);
    // 1.00 EUR at 0.412 BHD = 0.412 BHD = 412 minor units.
    assert.equal(convertMinor(100n, 'EUR', 'BHD', parseRate('0.412')), 412n);
  });

  it('yields zero below half a unit', () => {
    assert.equal(convertMinor(1n, 'IDR', 'EUR', parseRate('0.00005')), 0n);
  });

  it('refuses a non-positive amount', () => {
    assert.throws(() => convertMinor(0n, 'EUR', 'USD', parseRate('1.1')), assert.AssertionError);
  });
});
