/**
 * @module
 * Exchange rates: dated rows with their source, and the lookup of the rate valid on a date.
 *
 * Where rates come from (the `source` of a row):
 *  - `ecb`: the bundled snapshot of the ECB euro reference rates, loaded on first start
 *    ({@link loadBundledRates});
 *  - `live`: what a live feed returned (see rate-provider.ts);
 *  - `admin`: rates an Admin sets ({@link setRate}).
 * On one date, `admin` wins over `live`, which wins over `ecb`.
 *
 * A row says 1 `base` = `rate` `quote` on `rateDate`. The rate valid on a date is the latest
 * row on or before it; an inverse row serves too (rounded half-even, see decimal-rate.ts).
 * Between two currencies that are not the euro, the rate is the cross rate through EUR
 * (EUR->target / EUR->source), unless a direct row is at least as recent. A quote states the
 * rate date used: for a cross rate, the older of its two legs.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/rates.test.ts.
 *  1. A rate is a decimal string in the database and a {@link DecimalRate} in code; never a
 *     float.
 *  2. A lookup never uses a row dated after the date asked for.
 *  3. One (base, quote, date, source) has one row; setting an Admin rate again replaces it,
 *     audited with its old and new value.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { forbiddenProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, systemAuditChain } from './audits.ts';
import { requireCurrencyCode } from './currencies.ts';
import {
  assertRate,
  divideRates,
  formatRate,
  invertRate,
  parseRate,
  rateOne,
  type DecimalRate,
} from './decimal-rate.ts';
import { parseEcbXml, type EcbDay } from './ecb-xml.ts';
import { walletModels, type ExchangeRateAttributes } from './models.ts';
import { parseIsoDate, utcDateOf } from './utc-dates.ts';
import { writeTransaction } from './write-transaction.ts';

/** Where a stored rate came from. */
export type RateSource = ExchangeRateAttributes['source'];

/** The rate valid between two currencies on a date. */
export interface RateQuote {
  /** 1 unit of the source currency = `rate` units of the target currency. */
  rate: DecimalRate;
  /** The rate as the decimal string frozen on entries. */
  rateText: string;
  /** The date of the rate used; for a cross rate, the older leg's. */
  rateDate: string;
  /** `ecb`, `admin` or `live`; `mixed` for a cross rate whose legs differ; `identity`. */
  source: string;
}

/** Rows written per INSERT when loading many rates. */
export const rateInsertBatchRowsMax = 500;

/** The bundled snapshot of the ECB reference rates, in their XML format. */
export const bundledRatesUrl = new URL('./data/eurofxref-hist-sample.xml', import.meta.url);

/** Which source wins when several have a rate for one pair on one date. */
const sourcePrecedenceSql = "CASE source WHEN 'admin' THEN 0 WHEN 'live' THEN 1 ELSE 2 END";

/**
 * The rate valid on `onDate` (the latest on or before it) from `sourceCurrency` to
 * `targetCurrency`.
 *
 * @param onDate - a calendar date, `YYYY-MM-DD`.
 * @returns the quote, or null when no rate on or before the date exists.
 * @example
 * const quote = await findRate(ctx, 'USD', 'JPY', '2026-02-27'); // cross rate through EUR
 */
export async function findRate(
  ctx: AppContext,
  sourceCurrency: string,
  targetCurrency: string,
  onDate: string,
  options: { transaction?: Transaction } = {},
): Promise<RateQuote | null> {
  assert(parseIsoDate(onDate) === onDate, 'findRate takes a calendar date');
  if (sourceCurrency === targetCurrency) {
    return { rate: rateOne, rateText: '1', rateDate: onDate, source: 'identity' };
  }
  const direct = await findLeg(ctx, sourceCurrency, targetCurrency, onDate, options.transaction);
  if (sourceCurrency === 'EUR' || targetCurrency === 'EUR') return direct;
  const cross = await findCrossRate(
    ctx,
    sourceCurrency,
    targetCurrency,
    onDate,
    options.transaction,
  );
  if (direct && (!cross || direct.rateDate >= cross.rateDate)) return direct;
  return cross;
}

async function findCrossRate(
  ctx: AppContext,
  sourceCurrency: string,
  targetCurrency: string,
  onDate: string,
  databaseTransaction: Transaction | undefined,
): Promise<RateQuote | null> {
  const toSource = await findLeg(ctx, 'EUR', sourceCurrency, onDate, databaseTransaction);
  const toTarget = await findLeg(ctx, 'EUR', targetCurrency, onDate, databaseTransaction);
  if (!toSource || !toTarget) return null;
  const rate = divideRates(toTarget.rate, toSource.rate);
  if (!rate) return null;
  return {
    rate,
    rateText: formatRate(rate),
    rateDate: toSource.rateDate < toTarget.rateDate ? toSource.rateDate : toTarget.rateDate,
    source: toSource.source === toTarget.source ? toSource.source : 'mixed',
  };
}

/** The newest of the direct row (base->quote) and the inverted row (quote->base). */
async function findLeg(
  ctx: AppContext,
  base: string,
  quote: string,
  onDate: string,
  databaseTransaction: Transaction | undefined,
): Promise<RateQuote | null> {
  const direct = await latestRow(ctx, base, quote, onDate, databaseTransaction);
  const inverse = await latestRow(ctx, quote, base, onDate, databaseTransaction);
  if (direct && (!inverse || direct.rateDate >= inverse.rateDate)) {
    const rate = rateFromColumn(direct.rate);
    return { rate, rateText: formatRate(rate), rateDate: direct.rateDate, source: direct.source };
  }
  if (!inverse) return null;
  const rate = invertRate(rateFromColumn(inverse.rate));
  if (!rate) return null;
  return { rate, rateText: formatRate(rate), rateDate: inverse.rateDate, source: inverse.source };
}

async function latestRow(
  ctx: AppContext,
  base: string,
  quote: string,
  onDate: string,
  databaseTransaction: Transaction | undefined,
): Promise<ExchangeRateAttributes | null> {
  const { ExchangeRate } = walletModels(ctx.sequelize);
  const row = await ExchangeRate.findOne({
    where: { base, quote, rateDate: { [Op.lte]: onDate } },
    order: [['rateDate', 'DESC'], [ctx.sequelize.literal(sourcePrecedenceSql), 'ASC']],
    transaction: databaseTransaction,
  });
  if (!row) return null;
  assert(row.rateDate <= onDate, 'a lookup never uses a rate from after its date');
  return row.get({ plain: true });
}

function rateFromColumn(text: string): DecimalRate {
  const rate = parseRate(text);
  assertRate(rate);
  return rate;
}

/**
 * The rate valid on a date as a user asks for it: checked codes, the date defaulting to today.
 *
 * @throws ProblemError 400 (date), 422 `unknown-currency`, 404 `rate-unavailable`.
 */
export async function quoteRate(
  ctx: AppContext,
  input: { base: string; quote: string; date?: string },
): Promise<RateQuote> {
  const base = requireCurrencyCode(input.base, 'query.base');
  const quote = requireCurrencyCode(input.quote, 'query.quote');
  const date = input.date === undefined
    ? utcDateOf(ctx.clock.now())
    : parseIsoDate(input.date, 'query.date');
  const found = await findRate(ctx, base, quote, date);
  if (!found) {
    throw new ProblemError(404, 'rate-unavailable', 'No exchange rate.',
      `There is no ${base}/${quote} rate on or before ${date}.`);
  }
  return found;
}

/** What an Admin sends to set a rate: 1 `base` (default EUR) = `rate` `quote` on `date`. */
export interface SetRateInput {
  base?: string;
  quote: string;
  rate: string;
  date: string;
}

/**
 * Sets (or replaces) an Admin rate for a pair on a date; audited in the `system` chain.
 *
 * @throws ProblemError 403 for a non-Admin, 400 for a bad rate or date or base = quote,
 *   422 `unknown-currency`, 422 `rate-date-in-future`.
 */
export async function setRate(
  ctx: AppContext,
  actor: Actor,
  input: SetRateInput,
  options: { transaction?: Transaction } = {},
): Promise<ExchangeRateAttributes> {
  if (!actor.isAdmin) throw forbiddenProblem('Only an Admin may set exchange rates.');
  const base = requireCurrencyCode(input.base ?? 'EUR', 'base');
  const quote = requireCurrencyCode(input.quote, 'quote');
  if (base === quote) {
    throw validationProblem([{ path: 'quote', message: 'must differ from base.' }]);
  }
  const rateText = formatRate(parseRate(input.rate));
  const rateDate = parseIsoDate(input.date);
  if (rateDate > utcDateOf(ctx.clock.now())) {
    throw new ProblemError(422, 'rate-date-in-future', 'Rate date in the future.',
      `A rate can be set for today or an earlier day, not ${rateDate}.`);
  }
  const { ExchangeRate } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    // The system chain's head serialises Admin rate changes, so find-then-write is safe.
    await lockAuditChain(ctx, databaseTransaction, systemAuditChain);
    const where = { base, quote, rateDate, source: 'admin' as const };
    const existing = await ExchangeRate.findOne({ where, transaction: databaseTransaction });
    const before = existing ? { rate: existing.rate } : null;
    if (existing) {
      await existing.update({ rate: rateText, setByUserId: actor.userId },
        { transaction: databaseTransaction });
    }
    const row = existing ?? await ExchangeRate.create(
      { ...where, rate: rateText, setByUserId: actor.userId, createdAt: ctx.clock.now() },
      { transaction: databaseTransaction },
    );
    await appendAudit(ctx, databaseTransaction, { ownerUserId: null, actor, action: 'rate.set',
      entityType: 'exchange-rate', entityId: row.id, before,
      after: { base, quote, rateDate, rate: rateText } });
    return row.get({ plain: true });
  }, options.transaction);
}

/**
 * Stores published euro rates (1 EUR = rate quote), skipping any (pair, date, source) already
 * stored; in batches of {@link rateInsertBatchRowsMax}.
 *
 * @returns how many rows were offered.
 */
export async function storeEuroRates(
  ctx: AppContext,
  databaseTransaction: Transaction,
  days: readonly EcbDay[],
  source: Exclude<RateSource, 'admin'>,
): Promise<number> {
  const { ExchangeRate } = walletModels(ctx.sequelize);
  const createdAt = ctx.clock.now();
  const rows = days.flatMap((day) => day.rates.map((rate) => ({
    base: 'EUR', quote: rate.currency, rate: formatRate(parseRate(rate.rate)),
    rateDate: parseIsoDate(day.date), source, setByUserId: null, createdAt,
  })));
  for (let start = 0; start < rows.length; start += rateInsertBatchRowsMax) {
    const batch = rows.slice(start, start + rateInsertBatchRowsMax);
    await ExchangeRate.bulkCreate(batch,
      { ignoreDuplicates: true, transaction: databaseTransaction });
  }
  return rows.length;
}

/**
 * Loads the bundled ECB snapshot on first start: when no `ecb` rate is stored yet.
 * Several processes starting at once store each row once.
 *
 * @param options - `xml`: another document in the ECB format (tests).
 * @returns whether it loaded, and how many days and rates.
 */
export async function loadBundledRates(
  ctx: AppContext,
  options: { xml?: string } = {},
): Promise<{ loaded: boolean; days: number; rates: number }> {
  const { ExchangeRate } = walletModels(ctx.sequelize);
  if ((await ExchangeRate.count({ where: { source: 'ecb' } })) > 0) {
    return { loaded: false, days: 0, rates: 0 };
  }
  const { days } = parseEcbXml(options.xml ?? readFileSync(bundledRatesUrl, 'utf8'));
  return writeTransaction(ctx, async (databaseTransaction) => {
    // The system chain's head serialises loaders in several processes: one loads, the rest see.
    await lockAuditChain(ctx, databaseTransaction, systemAuditChain);
    const stored = await ExchangeRate.count(
      { where: { source: 'ecb' }, transaction: databaseTransaction });
    if (stored > 0) return { loaded: false, days: 0, rates: 0 };
    const rates = await storeEuroRates(ctx, databaseTransaction, days, 'ecb');
    const dates = days.map((day) => day.date).sort();
    await appendAudit(ctx, databaseTransaction, { ownerUserId: null, actor: null,
      action: 'rates.loaded', entityType: 'exchange-rate', entityId: 'ecb-bundled', before: null,
      after: { days: days.length, rates, oldest: dates[0] ?? null,
        newest: dates.at(-1) ?? null } });
    return { loaded: true, days: days.length, rates };
  });
}
