/**
 * @module
 * A live exchange-rate feed: the {@link RateProvider} interface the context will carry, a
 * provider that reads the ECB's daily XML, and {@link refreshRates}, which stores what a
 * provider returns as `live` rows.
 *
 * The provider is an edge of the world, so tests pass a fake; nothing here opens a connection
 * unless a provider does.
 */
import assert from 'node:assert/strict';
import type { AppContext } from '../context.ts';
import { appendAudit } from './audits.ts';
import { parseEcbXml, type EcbDay } from './ecb-xml.ts';
import { storeEuroRates } from './rates.ts';
import { utcDateOf } from './utc-dates.ts';
import { writeTransaction } from './write-transaction.ts';

/** How long one fetch of a provider may take. */
export const rateFetchTimeoutMs = 10_000;

/** Most days one refresh stores (a daily feed sends one; a 90-day feed about 64). */
export const refreshDaysMax = 100;

/** A source of current euro reference rates. */
export interface RateProvider {
  /** A short name for logs and the audit trail, e.g. `ecb-daily`. */
  readonly name: string;
  /**
   * The latest published rates: one or more days, each 1 EUR = `rate` units of `currency`,
   * with rates as decimal strings.
   *
   * @param signal - aborted after {@link rateFetchTimeoutMs}.
   */
  fetchEuroRates(signal: AbortSignal): Promise<EcbDay[]>;
}

/** The ECB's daily reference rates. */
export const ecbDailyRatesUrl = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';

/**
 * A provider that reads a document in the ECB format over HTTP.
 *
 * @param url - where the XML lives; default the ECB's daily rates.
 * @param fetchImpl - the fetch to use; default the global one.
 * @example
 * const provider = ecbXmlProvider();
 * await refreshRates(ctx, provider);
 */
export function ecbXmlProvider(
  url: string = ecbDailyRatesUrl,
  fetchImpl: typeof fetch = fetch,
): RateProvider {
  return {
    name: 'ecb-xml',
    async fetchEuroRates(signal) {
      const response = await fetchImpl(url, { signal, headers: { Accept: 'application/xml' } });
      if (!response.ok) throw new Error(`ECB rates: ${url} answered ${response.status}.`);
      return parseEcbXml(await response.text()).days;
    },
  };
}

/**
 * Fetches the provider's rates and stores them as `live` rows (a row already stored for the
 * same pair and date is kept). Days after today by the context's clock are refused: a feed
 * cannot know tomorrow's rate.
 *
 * @returns how many days and rates were offered for storage.
 * @throws whatever the provider throws (a timeout, a bad document); nothing is stored then.
 */
export async function refreshRates(
  ctx: AppContext,
  provider: RateProvider,
): Promise<{ days: number; rates: number }> {
  const days = await provider.fetchEuroRates(AbortSignal.timeout(rateFetchTimeoutMs));
  if (days.length > refreshDaysMax) {
    throw new Error(`${provider.name} sent ${days.length} days; at most ${refreshDaysMax}.`);
  }
  const today = utcDateOf(ctx.clock.now());
  const future = days.find((day) => day.date > today);
  if (future) throw new Error(`${provider.name} sent rates for ${future.date}, after today.`);
  return writeTransaction(ctx, async (databaseTransaction) => {
    const rates = await storeEuroRates(ctx, databaseTransaction, days, 'live');
    assert(rates >= 0, 'a count is not negative');
    await appendAudit(ctx, databaseTransaction, { ownerUserId: null, actor: null,
      action: 'rates.refreshed', entityType: 'exchange-rate', entityId: provider.name, before: null,
      after: { days: days.length, rates } });
    return { days: days.length, rates };
  });
}
