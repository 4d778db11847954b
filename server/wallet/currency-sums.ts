/**
 * @module
 * Sums kept per currency, converted into one currency for a report or a budget.
 *
 * Rules.
 *  1. A sum already in the target currency is taken as it is.
 *  2. Another currency's sum is converted at the rate valid on `rateOn` (the latest on or
 *     before it), rounded half-even once per sum: never per entry, so a report of many small
 *     entries does not drift.
 *  3. Each currency's rate is looked up once per converter and stated with its date, so every
 *     total across currencies can say which rates and dates it used.
 *  4. No rate on or before `rateOn`: 422 `rate-unavailable`; the caller writes nothing.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError } from '../http/problem.ts';
import { convertMinor } from './money.ts';
import { findRate, type RateQuote } from './rates.ts';

/** A rate a converter used: 1 `currency` = `rate` target units, valid from `rateDate`. */
export interface RateUsed {
  currency: string;
  rate: string;
  rateDate: string;
  source: string;
}

/** Converts per-currency sums into `target` at the rates valid on `rateOn`. */
export class SumConverter {
  private readonly quotes = new Map<string, RateQuote>();

  /**
   * @param rateOn - a calendar date (`YYYY-MM-DD`): the day whose rates apply.
   * @param transaction - the database transaction to read rates in, when there is one.
   */
  constructor(
    private readonly ctx: AppContext,
    readonly target: string,
    readonly rateOn: string,
    private readonly transaction?: Transaction,
  ) {}

  /** `minor` units of `currency` in the target currency; 0 stays 0 without a rate lookup. */
  async convert(currency: string, minor: bigint): Promise<bigint> {
    assert(minor >= 0n, 'a sum to convert is not negative');
    if (currency === this.target || minor === 0n) return minor;
    const quote = await this.quote(currency);
    return convertMinor(minor, currency, this.target, quote.rate);
  }

  /** The rates used so far, by currency. */
  ratesUsed(): RateUsed[] {
    return [...this.quotes].sort(([a], [b]) => a.localeCompare(b)).map(([currency, quote]) => ({
      currency, rate: quote.rateText, rateDate: quote.rateDate, source: quote.source }));
  }

  /** The oldest rate date used; null when nothing needed converting. */
  oldestRateDate(): string | null {
    let oldest: string | null = null;
    for (const quote of this.quotes.values()) {
      if (oldest === null || quote.rateDate < oldest) oldest = quote.rateDate;
    }
    return oldest;
  }

  private async quote(currency: string): Promise<RateQuote> {
    const known = this.quotes.get(currency);
    if (known) return known;
    const found = await findRate(this.ctx, currency, this.target, this.rateOn,
      { transaction: this.transaction });
    if (!found) {
      throw new ProblemError(422, 'rate-unavailable', 'No exchange rate.',
        `There is no ${currency}/${this.target} rate on or before ${this.rateOn}.`);
    }
    this.quotes.set(currency, found);
    return found;
  }
}
