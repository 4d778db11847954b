/**
 * @module
 * Checks on the numbers a payment method carries, before anything is stored: a card number
 * (digits, the Luhn check digit, a length its brand issues), a card's expiry, an IBAN
 * (ISO 13616: its country's length and the ISO 7064 mod-97 check), a plain account number,
 * and the masked forms that are all the API ever shows of them.
 *
 * Pure functions of their input (and of the instant passed in for the expiry). A failed check
 * is reported as a problem naming the field and what is wrong with it; a message never
 * repeats the number itself, so a refused request leaves no card number in a log line.
 *
 * Invariants. Each is tested in test/server/wallet/card-checks.test.ts.
 *  1. A normalised card number is 12 to 19 digits ({@link cardDigitsMin}, {@link cardDigitsMax})
 *     and passes the Luhn check; when its leading digits name a brand, its length is one that
 *     brand issues.
 *  2. A card is valid through the last day of its expiry month, in UTC.
 *  3. A normalised IBAN is upper case without spaces, has its country's registered length and
 *     leaves remainder 1 under mod 97.
 *  4. A masked form shows at most the last four characters of a number (and an IBAN's country
 *     code); nothing else of the number.
 */
import assert from 'node:assert/strict';
import { ProblemError, validationProblem } from '../http/problem.ts';

/** Fewest digits of a card number (ISO/IEC 7812 allows short Maestro numbers). */
export const cardDigitsMin = 12;

/** Most digits of a card number (ISO/IEC 7812). */
export const cardDigitsMax = 19;

/** Longest card number text read, separators included; any real number is far shorter. */
export const cardNumberTextLengthMax = 40;

/** Longest IBAN text read, spaces included. */
export const ibanTextLengthMax = 48;

/** Fewest characters of a plain bank account number (without an IBAN). */
export const accountNumberLengthMin = 6;

/** Most characters of a plain bank account number: an IBAN's BBAN is at most 30. */
export const accountNumberLengthMax = 30;

/** How many years ahead an expiry may lie; cards are issued for a few years at most. */
export const cardExpiryYearsAheadMax = 20;

/** How many characters of a number a masked form shows. */
export const maskedVisibleLength = 4;

/** The character that stands for each hidden one in a masked form. */
export const maskCharacter = '•';

/** The card brands recognised from the leading digits (the issuer identification number). */
export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'discover'
  | 'jcb'
  | 'diners'
  | 'unionpay'
  | 'maestro'
  | 'mir';

/** A brand: which leading digits it owns and which lengths it issues. */
interface BrandRange {
  brand: CardBrand;
  /** Inclusive ranges of leading digits; both ends have the same number of digits. */
  prefixes: readonly (readonly [from: string, to: string])[];
  lengths: readonly number[];
}

const lengthsFrom = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/**
 * The issuer ranges, most specific first: the first brand with a matching prefix wins, so a
 * narrow range (Maestro's 6759) is listed before the wide one it lies in.
 */
const brandRanges: readonly BrandRange[] = [
  { brand: 'amex', prefixes: [['34', '34'], ['37', '37']], lengths: [15] },
  { brand: 'mir', prefixes: [['2200', '2204']], lengths: lengthsFrom(16, 19) },
  { brand: 'mastercard', prefixes: [['51', '55'], ['2221', '2720']], lengths: [16] },
  { brand: 'maestro', prefixes: [['5018', '5018'], ['5020', '5020'], ['5038', '5038'],
    ['5893', '5893'], ['6304', '6304'], ['6759', '6759'], ['6761', '6763']],
  lengths: lengthsFrom(12, 19) },
  { brand: 'discover', prefixes: [['6011', '6011'], ['644', '649'], ['65', '65'],
    ['622126', '622925']], lengths: lengthsFrom(16, 19) },
  { brand: 'unionpay', prefixes: [['62', '62'], ['8100', '8171']], lengths: lengthsFrom(16, 19) },
  { brand: 'jcb', prefixes: [['3528', '3589']], lengths: lengthsFrom(16, 19) },
  { brand: 'diners', prefixes: [['300', '305'], ['3095', '3095'], ['36', '36'], ['38', '39']],
    lengths: lengthsFrom(14, 19) },
  { brand: 'visa', prefixes: [['4', '4']], lengths: [13, 16, 19] },
];

/** The display name of each brand, for labels and messages. */
export const cardBrandNames: Readonly<Record<CardBrand, string>> = Object.freeze({
  visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover',
  jcb: 'JCB', diners: 'Diners Club', unionpay: 'UnionPay', maestro: 'Maestro', mir: 'Mir',
});

/** Registered IBAN lengths by country (SWIFT IBAN registry). */
const ibanLengths: Readonly<Record<string, number>> = Object.freeze({
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29,
  BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29,
  ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20,
  LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19,
  MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24,
  SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
  YE: 30,
});

/** Digits, optionally grouped by single spaces or dashes, as people type card numbers. */
const isCardNumberTextRe = /^[0-9]+([ -][0-9]+)*$/;

/** Letters and digits, optionally grouped by spaces, as IBANs are printed. */
const isIbanTextRe = /^[A-Za-z0-9]+( +[A-Za-z0-9]+)*$/;

/** A normalised IBAN: country, check digits, then 11 to 30 letters or digits. */
const isIbanShapeRe = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/** A plain account number: digits and capital letters, possibly grouped by spaces or dashes. */
const isAccountNumberTextRe = /^[A-Za-z0-9]+([ -][A-Za-z0-9]+)*$/;

/**
 * Whether a string of digits passes the Luhn (mod 10) check.
 *
 * @param digits - only the characters 0-9, at least two of them.
 * @example
 * luhnValid('4242424242424242'); // true
 * luhnValid('4242424242424241'); // false
 */
export function luhnValid(digits: string): boolean {
  assert(/^[0-9]{2,}$/.test(digits), 'luhnValid takes at least two digits');
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    // Every second digit from the right, starting with the one before the check digit, doubles.
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The brand whose issuer range holds the number's leading digits, or null for none known.
 *
 * @param digits - a card number, digits only.
 * @example
 * cardBrandOf('2221000000000009'); // 'mastercard' (the 2-series)
 */
export function cardBrandOf(digits: string): CardBrand | null {
  return brandRangeOf(digits)?.brand ?? null;
}

function brandRangeOf(digits: string): BrandRange | null {
  for (const range of brandRanges) {
    for (const [from, to] of range.prefixes) {
      assert.equal(from.length, to.length, 'a prefix range has ends of one length');
      const head = digits.slice(0, from.length);
      if (head.length === from.length && head >= from && head <= to) return range;
    }
  }
  return null;
}

/** A card number that passed {@link parseCardNumber}. */
export interface CardNumber {
  /** The digits alone. */
  digits: string;
  brand: CardBrand | null;
}

/**
 * Reads a card number as a person types it: digits, optionally grouped by spaces or dashes.
 *
 * @param text - the value from the request.
 * @param path - where it sat in the request, named in the problem.
 * @throws ProblemError 400 `validation` when it is not digits, has too few or too many, fails
 *   the Luhn check, or has a length its brand does not issue. The message never quotes it.
 */
export function parseCardNumber(text: unknown, path = 'number'): CardNumber {
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string' || text.length > cardNumberTextLengthMax ||
    !isCardNumberTextRe.test(text.trim())) {
    throw refuse('must be the card\'s digits, optionally grouped by spaces or dashes.');
  }
  const digits = text.replace(/[ -]/g, '');
  if (digits.length < cardDigitsMin || digits.length > cardDigitsMax) {
    throw refuse(`must have ${cardDigitsMin} to ${cardDigitsMax} digits.`);
  }
  if (!luhnValid(digits)) {
    throw refuse('is not a valid card number: its check digit is wrong (a typing mistake?).');
  }
  const range = brandRangeOf(digits);
  if (range && !range.lengths.includes(digits.length)) {
    throw refuse(`is not a valid ${cardBrandNames[range.brand]} number: ` +
      `it has ${digits.length} digits, ${cardBrandNames[range.brand]} issues ` +
      `${describeLengths(range.lengths)}.`);
  }
  return { digits, brand: range?.brand ?? null };
}

function describeLengths(lengths: readonly number[]): string {
  const first = lengths[0];
  const last = lengths.at(-1);
  assert(first !== undefined && last !== undefined, 'a brand issues some length');
  if (lengths.length === 1) return String(first);
  if (last - first + 1 === lengths.length) return `${first} to ${last}`;
  return `${lengths.slice(0, -1).join(', ')} or ${last}`;
}

/**
 * Checks a card's expiry against `now`: a card is valid through the last day of its month.
 *
 * @param month - 1 to 12.
 * @param year - four digits.
 * @param now - the context clock's instant.
 * @throws ProblemError 400 `validation` for a month or year out of range (more than
 *   {@link cardExpiryYearsAheadMax} years ahead included), 422 `card-expired` for a month in
 *   the past.
 */
export function checkCardExpiry(month: unknown, year: unknown, now: Date): void {
  if (typeof month !== 'number' || !Number.isInteger(month) || month < 1 || month > 12) {
    throw validationProblem([{ path: 'expiryMonth', message: 'must be a month from 1 to 12.' }]);
  }
  const thisYear = now.getUTCFullYear();
  const lastYear = thisYear + cardExpiryYearsAheadMax;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > lastYear) {
    throw validationProblem([{ path: 'expiryYear',
      message: `must be the four-digit year printed on the card, at most ${lastYear}.` }]);
  }
  if (cardExpired(month, year, now)) {
    throw new ProblemError(422, 'card-expired', 'Card expired.',
      `A card that expired in ${String(month).padStart(2, '0')}/${year} cannot be added.`);
  }
}

/** Whether a card expiring at the end of `month`/`year` has expired by `now` (UTC). */
export function cardExpired(month: number, year: number, now: Date): boolean {
  assert(Number.isInteger(month) && month >= 1 && month <= 12, 'a month is 1 to 12');
  assert(Number.isInteger(year), 'a year is an integer');
  const thisYear = now.getUTCFullYear();
  const thisMonth = now.getUTCMonth() + 1;
  return year < thisYear || (year === thisYear && month < thisMonth);
}

/**
 * Reads an IBAN as it is printed (groups of four, any case) and checks it.
 *
 * @throws ProblemError 400 `validation` for a bad shape, an unknown country, a length other
 *   than the country's, or a failed mod-97 check. The message never quotes the IBAN.
 * @example
 * parseIban('de89 3704 0044 0532 0130 00'); // 'DE89370400440532013000'
 */
export function parseIban(text: unknown, path = 'iban'): string {
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string' || text.length > ibanTextLengthMax ||
    !isIbanTextRe.test(text.trim())) {
    throw refuse('must be an IBAN: letters and digits, optionally grouped by spaces.');
  }
  const iban = text.replace(/ /g, '').toUpperCase();
  if (!isIbanShapeRe.test(iban)) {
    throw refuse('must start with a two-letter country code and two check digits.');
  }
  const country = iban.slice(0, 2);
  const length = ibanLengths[country];
  if (length === undefined) throw refuse(`names ${country}, a country without IBANs.`);
  if (iban.length !== length) {
    throw refuse(`must have ${length} characters for ${country}; it has ${iban.length}.`);
  }
  if (ibanRemainder(iban) !== 1) {
    throw refuse('is not a valid IBAN: its check digits do not match (a typing mistake?).');
  }
  return iban;
}

/**
 * The ISO 7064 mod-97-10 remainder of an IBAN: the first four characters moved to the end,
 * letters read as 10 to 35. A valid IBAN leaves 1.
 */
export function ibanRemainder(iban: string): number {
  assert(/^[A-Z0-9]+$/.test(iban), 'an IBAN is normalised before its remainder is taken');
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    // A letter stands for two digits (A = 10); a digit for itself.
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

/**
 * Reads a bank account number that is not an IBAN: letters and digits, optionally grouped.
 *
 * @returns the characters without separators, upper case.
 * @throws ProblemError 400 `validation`.
 */
export function parseAccountNumber(text: unknown, path = 'accountNumber'): string {
  const refuse = (message: string) => validationProblem([{ path, message }]);
  if (typeof text !== 'string' || text.length > ibanTextLengthMax ||
    !isAccountNumberTextRe.test(text.trim())) {
    throw refuse('must be letters and digits, optionally grouped by spaces or dashes.');
  }
  const account = text.replace(/[ -]/g, '').toUpperCase();
  if (account.length < accountNumberLengthMin || account.length > accountNumberLengthMax) {
    throw refuse(`must have ${accountNumberLengthMin} to ${accountNumberLengthMax} characters.`);
  }
  return account;
}

/**
 * The masked form of a card or account number: four hidden characters, then the last four.
 *
 * @example
 * maskNumber('4242424242424242'); // '•••• 4242'
 */
export function maskNumber(value: string): string {
  assert(value.length > maskedVisibleLength, 'a masked number is longer than what it shows');
  return `${maskCharacter.repeat(4)} ${value.slice(-maskedVisibleLength)}`;
}

/**
 * The masked form of an IBAN: its country code, then hidden characters, then the last four.
 *
 * @example
 * maskIban('DE89370400440532013000'); // 'DE•• •••• 3000'
 */
export function maskIban(iban: string): string {
  assert(isIbanShapeRe.test(iban), 'an IBAN is normalised before it is masked');
  return `${iban.slice(0, 2)}${maskCharacter.repeat(2)} ${maskCharacter.repeat(4)} ` +
    iban.slice(-maskedVisibleLength);
}
