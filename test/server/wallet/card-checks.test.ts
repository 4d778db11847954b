import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProblemError } from '../../../server/http/problem.ts';
import {
  cardBrandOf,
  cardExpired,
  checkCardExpiry,
  ibanRemainder,
  luhnValid,
  maskIban,
  maskNumber,
  parseAccountNumber,
  parseCardNumber,
  parseIban,
} from '../../../server/wallet/card-checks.ts';
import { throwsProblem } from './support.ts';

/** The prefix followed by the one check digit that makes it pass Luhn. */
function withCheckDigit(prefix: string): string {
  const digit = [...'0123456789'].find((candidate) => luhnValid(prefix + candidate));
  assert(digit !== undefined, 'one of ten digits completes any prefix');
  return prefix + digit;
}

/** Asserts a refusal names `path` and never repeats `secret`. */
function refusedWithout(action: () => unknown, path: string, secret: string): ProblemError {
  const problem = throwsProblem(action, 400, 'validation');
  assert.equal(problem.extensions.errors instanceof Array, true);
  assert.deepEqual((problem.extensions.errors as { path: string }[]).map((error) => error.path),
    [path]);
  const digits = secret.replace(/[^0-9A-Za-z]/g, '');
  if (digits.length >= 6) {
    assert.ok(!JSON.stringify(problem.toBody()).includes(digits), 'the number is not repeated');
  }
  return problem;
}

describe('the Luhn check', () => {
  it('accepts the published test numbers of every brand', () => {
    for (const number of ['4242424242424242', '4111111111111111', '4012888888881881',
      '5555555555554444', '2223003122003222', '378282246310005', '371449635398431',
      '6011111111111117', '3530111333300000', '36227206271667', '6200000000000005',
      '79927398713']) {
      assert.ok(luhnValid(number), number);
    }
  });

  it('refuses a changed digit and a swap of neighbours', () => {
    assert.equal(luhnValid('4242424242424241'), false);
    assert.equal(luhnValid('79927398710'), false);
    assert.equal(luhnValid('4242424242424224'), false);
    assert.equal(luhnValid('79927398731'), false);
  });

  it('doubles from the right, whatever the length', () => {
    assert.ok(luhnValid('18'));
    assert.ok(luhnValid('059'));
    assert.equal(luhnValid('95'), false);
  });
});

describe('card brands from the leading digits', () => {
  const cases: [string, string | null][] = [
    ['4000', 'visa'], ['5100', 'mastercard'], ['5599', 'mastercard'], ['2221', 'mastercard'],
    ['2720', 'mastercard'], ['2220', null], ['2721', null], ['3400', 'amex'], ['3700', 'amex'],
    ['3500', null], ['6011', 'discover'], ['6440', 'discover'], ['6490', 'discover'],
    ['6500', 'discover'], ['6430', null], ['622126', 'discover'], ['622925', 'discover'],
    ['622125', 'unionpay'], ['622926', 'unionpay'], ['6200', 'unionpay'], ['8100', 'unionpay'],
    ['8172', null], ['3528', 'jcb'], ['3589', 'jcb'], ['3527', null], ['3590', null],
    ['3000', 'diners'], ['3059', 'diners'], ['3060', null], ['3095', 'diners'], ['3600', 'diners'],
    ['3800', 'diners'], ['3900', 'diners'], ['2200', 'mir'], ['2204', 'mir'], ['2205', null],
    ['5018', 'maestro'], ['6759', 'maestro'], ['6763', 'maestro'], ['6764', null],
    ['1234', null], ['9999', null],
  ];
  for (const [prefix, brand] of cases) {
    it(`reads ${prefix}... as ${brand ?? 'no known brand'}`, () => {
      assert.equal(cardBrandOf(`${prefix}000000000000`), brand);
    });
  }
});

describe('parseCardNumber', () => {
  it('takes digits with single spaces or dashes between groups', () => {
    assert.deepEqual(parseCardNumber('4242 4242 4242 4242'),
      { digits: '4242424242424242', brand: 'visa' });
    assert.deepEqual(parseCardNumber('3782-822463-10005'),
      { digits: '378282246310005', brand: 'amex' });
    assert.deepEqual(parseCardNumber(' 2223003122003222 '),
      { digits: '2223003122003222', brand: 'mastercard' });
    assert.deepEqual(parseCardNumber(withCheckDigit('99000000000')),
      { digits: withCheckDigit('99000000000'), brand: null });
  });

  it('refuses what is not digits, naming the field and never the number', () => {
    for (const text of ['4242 4242 4242 424x', '4242  4242 4242 4242', '4242--4242424242424',
      '+4242424242424242', '', '4242.4242.4242.4242']) {
      refusedWithout(() => parseCardNumber(text), 'number', text);
    }
    throwsProblem(() => parseCardNumber(4242424242424242), 400, 'validation');
    throwsProblem(() => parseCardNumber(null), 400, 'validation');
    throwsProblem(() => parseCardNumber('4'.repeat(41)), 400, 'validation');
  });

  it('refuses fewer than 12 and more than 19 digits', () => {
    refusedWithout(() => parseCardNumber('79927398713'), 'number', '79927398713');
    const twenty = withCheckDigit('4'.repeat(19));
    refusedWithout(() => parseCardNumber(twenty), 'number', twenty);
    const twelve = withCheckDigit('99000000000');
    assert.equal(parseCardNumber(twelve).digits.length, 12);
  });

  it('refuses a wrong check digit', () => {
    const problem = refusedWithout(() => parseCardNumber('4242 4242 4242 4241'), 'number',
      '4242424242424241');
    assert.match(problem.message, /check digit/);
  });

  it('refuses a length the brand does not issue', () => {
    const visa14 = withCheckDigit('4242424242424');
    assert.match(refusedWithout(() => parseCardNumber(visa14), 'number', visa14).message,
      /Visa issues 13, 16 or 19/);
    const amex16 = withCheckDigit('378282246310005');
    assert.match(refusedWithout(() => parseCardNumber(amex16), 'number', amex16).message,
      /American Express issues 15/);
    const mastercard17 = withCheckDigit('5555555555554444');
    assert.match(refusedWithout(() => parseCardNumber(mastercard17), 'number', mastercard17)
      .message, /Mastercard issues 16/);
    const discover15 = withCheckDigit('60111111111111');
    assert.match(refusedWithout(() => parseCardNumber(discover15), 'number', discover15)
      .message, /Discover issues 16 to 19/);
    assert.equal(parseCardNumber(withCheckDigit('4242424242424242424'.slice(0, 18))).brand,
      'visa');
  });
});

describe('card expiry', () => {
  const midMarch = new Date('2026-03-15T12:00:00Z');

  it('is valid through the last instant of the expiry month, in UTC', () => {
    assert.equal(cardExpired(3, 2026, new Date('2026-03-31T23:59:59.999Z')), false);
    assert.equal(cardExpired(3, 2026, new Date('2026-04-01T00:00:00Z')), true);
    assert.equal(cardExpired(12, 2025, new Date('2026-01-01T00:00:00Z')), true);
    assert.equal(cardExpired(1, 2027, midMarch), false);
  });

  it('accepts this month and later, refuses last month as expired (422)', () => {
    checkCardExpiry(3, 2026, midMarch);
    checkCardExpiry(4, 2026, midMarch);
    checkCardExpiry(1, 2046, midMarch);
    const problem = throwsProblem(() => checkCardExpiry(2, 2026, midMarch), 422, 'card-expired');
    assert.match(problem.message, /02\/2026/);
    throwsProblem(() => checkCardExpiry(12, 2025, midMarch), 422, 'card-expired');
  });

  it('refuses a month or year out of range (400)', () => {
    for (const month of [0, 13, 1.5, '3', null]) {
      const problem = throwsProblem(() => checkCardExpiry(month, 2027, midMarch), 400,
        'validation');
      assert.deepEqual(problem.extensions.errors, [{ path: 'expiryMonth',
        message: 'must be a month from 1 to 12.' }]);
    }
    for (const year of [27, 1999, 2047, 2026.5, '2027']) {
      const problem = throwsProblem(() => checkCardExpiry(3, year, midMarch), 400, 'validation');
      assert.match(JSON.stringify(problem.extensions.errors), /expiryYear.*at most 2046/);
    }
  });
});

describe('IBANs', () => {
  const valid = ['DE89370400440532013000', 'GB82WEST12345698765432', 'GB29NWBK60161331926819',
    'NL91ABNA0417164300', 'BE68539007547034', 'FR1420041010050500013M02606', 'NO9386011117947',
    'MT84MALT011000012345MTLCAST001S', 'CH9300762011623852957'];

  it('accepts registry examples, printed in groups and in any case', () => {
    for (const iban of valid) {
      assert.equal(parseIban(iban), iban);
      assert.equal(ibanRemainder(iban), 1);
    }
    assert.equal(parseIban('de89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
    assert.equal(parseIban('  GB82 WEST 1234 5698 7654 32 '), 'GB82WEST12345698765432');
  });

  it('refuses a changed character or swapped check digits (mod 97)', () => {
    for (const iban of ['DE89370400440532013001', 'DE98370400440532013000',
      'GB82WEST12345698765433', 'NL91ABNA0417164301']) {
      const problem = refusedWithout(() => parseIban(iban), 'iban', iban);
      assert.match(problem.message, /check digits do not match/);
    }
  });

  it("refuses a length other than the country's", () => {
    assert.match(refusedWithout(() => parseIban('DE8937040044053201300'), 'iban',
      'DE8937040044053201300').message, /22 characters for DE; it has 21/);
    assert.match(refusedWithout(() => parseIban('NL91ABNA04171643001'), 'iban',
      'NL91ABNA04171643001').message, /18 characters for NL/);
  });

  it('refuses an unknown country and a malformed text', () => {
    assert.match(refusedWithout(() => parseIban('XX89370400440532013000'), 'iban',
      'XX89370400440532013000').message, /country without IBANs/);
    for (const text of ['DE89-3704-0044-0532-0130-00', '8937040044053201300000',
      'DEXX370400440532013000', 'DE89', '', 'DE89 3704 0044 0532 0130 00 !']) {
      refusedWithout(() => parseIban(text), 'iban', text || 'x');
    }
    throwsProblem(() => parseIban(12345), 400, 'validation');
    throwsProblem(() => parseIban('D'.repeat(49)), 400, 'validation');
  });
});

describe('account numbers and masks', () => {
  it('reads an account number without its separators', () => {
    assert.equal(parseAccountNumber('12-34-56 78'), '12345678');
    assert.equal(parseAccountNumber('ab123456'), 'AB123456');
    assert.equal(parseAccountNumber('1'.repeat(30)).length, 30);
  });

  it('refuses one too short, too long or with other characters', () => {
    for (const text of ['12345', '1'.repeat(31), '1234_5678', '12  345678', '']) {
      throwsProblem(() => parseAccountNumber(text), 400, 'validation');
    }
    throwsProblem(() => parseAccountNumber(12345678), 400, 'validation');
  });

  it('shows only the last four characters', () => {
    assert.equal(maskNumber('4242424242424242'), '•••• 4242');
    assert.equal(maskNumber('378282246310005'), '•••• 0005');
    assert.equal(maskNumber('123456'), '•••• 3456');
    assert.equal(maskIban('DE89370400440532013000'), 'DE•• •••• 3000');
    assert.equal(maskIban('MT84MALT011000012345MTLCAST001S'), 'MT•• •••• 001S');
  });
});
