import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  currencyCodes,
  currencyExponent,
  currencyExponentMax,
  isCurrencyCode,
  requireCurrencyCode,
} from '../../../server/wallet/currencies.ts';
import { throwsProblem } from './support.ts';

describe('ISO 4217 currencies', () => {
  it('gives the ISO exponent', () => {
    const expected: Record<string, number> = {
      JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, XOF: 0,
      EUR: 2, USD: 2, GBP: 2, CHF: 2, CVE: 2,
      BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3, IQD: 3, LYD: 3,
      CLF: 4, UYW: 4,
    };
    for (const [code, exponent] of Object.entries(expected)) {
      assert.equal(currencyExponent(code), exponent, code);
    }
  });

  it('does not take its exponent from Intl, which shows HUF and IDR without decimals', () => {
    for (const code of ['HUF', 'IDR']) {
      const intlDigits = new Intl.NumberFormat('en', { style: 'currency', currency: code })
        .resolvedOptions().maximumFractionDigits;
      assert.equal(intlDigits, 0);
      assert.equal(currencyExponent(code), 2);
    }
  });

  it(`holds the active codes: three capitals, exponent 0 to ${currencyExponentMax}`, () => {
    assert.ok(currencyCodes.length >= 150, `${currencyCodes.length} codes`);
    for (const code of currencyCodes) {
      assert.match(code, /^[A-Z]{3}$/);
      const exponent = currencyExponent(code);
      assert.ok(exponent >= 0 && exponent <= currencyExponentMax, code);
    }
    assert.ok(currencyCodes.some((code) => currencyExponent(code) === currencyExponentMax));
  });

  it('knows no withdrawn, metal, test or malformed code', () => {
    for (const code of ['HRK', 'DEM', 'XAU', 'XTS', 'XXX', 'eur', 'EU', 'EURO', '', ' EUR']) {
      assert.equal(isCurrencyCode(code), false, code);
      throwsProblem(() => requireCurrencyCode(code), 422, 'unknown-currency');
    }
    assert.equal(isCurrencyCode(978), false);
    assert.equal(isCurrencyCode('toString'), false);
    assert.throws(() => currencyExponent('XAU'), assert.AssertionError);
  });

  it('names the field of an unknown code', () => {
    const problem = throwsProblem(() => requireCurrencyCode('ABC', 'body.currency'), 422,
      'unknown-currency');
    assert.deepEqual((problem.extensions.errors as { path: string }[])[0]?.path, 'body.currency');
  });
});
