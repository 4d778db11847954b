import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../../server/wallet/actor.ts';
import { systemAuditChain } from '../../../server/wallet/audits.ts';
import {
  divideRates,
  formatRate,
  invertRate,
  parseRate,
} from '../../../server/wallet/decimal-rate.ts';
import { parseEcbXml, type EcbDay } from '../../../server/wallet/ecb-xml.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  ecbXmlProvider,
  refreshDaysMax,
  refreshRates,
  type RateProvider,
} from '../../../server/wallet/rate-provider.ts';
import {
  bundledRatesUrl,
  findRate,
  loadBundledRates,
  rateInsertBatchRowsMax,
  setRate,
  storeEuroRates,
} from '../../../server/wallet/rates.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { writeTransaction } from '../../../server/wallet/write-transaction.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, rejectsWithProblem } from './support.ts';

const bundled = parseEcbXml(readFileSync(bundledRatesUrl, 'utf8'));
const daily = readFileSync(new URL('../../fixtures/wallet/eurofxref-daily.xml', import.meta.url),
  'utf8');

function bundledRate(currency: string, date: string): string {
  const rate = bundled.days.find((day) => day.date === date)?.rates
    .find((row) => row.currency === currency)?.rate;
  assert.ok(rate, `${currency} on ${date}`);
  return rate;
}

/** `count` days with one USD rate each, from `start`. */
function fakeDays(start: string, count: number): EcbDay[] {
  return Array.from({ length: count }, (_, index) => ({
    date: new Date(Date.parse(`${start}T00:00:00Z`) + index * 86_400_000)
      .toISOString().slice(0, 10),
    rates: [{ currency: 'USD', rate: '1.2' }],
  }));
}

describe(`exchange rates on ${testDialect}`, () => {
  let server: TestServer;
  let admin: Actor;
  let user: Actor;
  before(async () => {
    server = await startTestServer();
    admin = await createTestUser(server.ctx, { name: 'admin', isAdmin: true });
    user = await createTestUser(server.ctx, { name: 'user' });
  });
  after(() => server.close());

  describe('the bundled ECB snapshot', () => {
    it('loads once, even when several starts race', async () => {
      const results = await Promise.all([1, 2, 3].map(() => loadBundledRates(server.ctx)));
      assert.equal(results.filter((result) => result.loaded).length, 1);
      const loaded = results.find((result) => result.loaded);
      assert.deepEqual(loaded, { loaded: true, days: 105, rates: 105 * 29 });
      const { ExchangeRate, Audit } = walletModels(server.ctx.sequelize);
      assert.equal(await ExchangeRate.count({ where: { source: 'ecb' } }), 105 * 29);
      assert.equal(await Audit.count({ where: { action: 'rates.loaded' } }), 1);
      assert.deepEqual(await loadBundledRates(server.ctx), { loaded: false, days: 0, rates: 0 });
    });

    it('stores each rate as its exact decimal string', async () => {
      const { ExchangeRate } = walletModels(server.ctx.sequelize);
      const row = await ExchangeRate.findOne({ where: { quote: 'IDR', rateDate: '2026-02-27' } });
      assert.equal(row?.rate, formatRate(parseRate(bundledRate('IDR', '2026-02-27'))));
      assert.equal(row?.base, 'EUR');
      assert.equal(typeof row?.rate, 'string');
    });
  });

  describe('looking a rate up', () => {
    it('takes the row of the day, or the latest before it', async () => {
      const friday = await findRate(server.ctx, 'EUR', 'USD', '2026-02-27');
      assert.equal(friday?.rateText, bundledRate('USD', '2026-02-27'));
      assert.equal(friday?.source, 'ecb');
      const sunday = await findRate(server.ctx, 'EUR', 'USD', '2026-03-01');
      assert.deepEqual(sunday, friday);
      const thursday = await findRate(server.ctx, 'EUR', 'USD', '2026-02-26');
      assert.equal(thursday?.rateDate, '2026-02-26');
      assert.equal(await findRate(server.ctx, 'EUR', 'USD', '2025-09-30'), null);
      assert.equal(await findRate(server.ctx, 'EUR', 'XCD', '2026-02-27'), null);
    });

    it('inverts a row for the other direction, rounded half-even', async () => {
      const quote = await findRate(server.ctx, 'USD', 'EUR', '2026-02-27');
      const expected = invertRate(parseRate(bundledRate('USD', '2026-02-27')));
      assert.ok(expected);
      assert.equal(quote?.rateText, formatRate(expected));
    });

    it('crosses through EUR and states the older leg\'s date', async () => {
      const quote = await findRate(server.ctx, 'USD', 'GBP', '2026-02-27');
      const expected = divideRates(parseRate(bundledRate('GBP', '2026-02-27')),
        parseRate(bundledRate('USD', '2026-02-27')));
      assert.ok(expected);
      assert.equal(quote?.rateText, formatRate(expected));
      assert.equal(quote?.rateDate, '2026-02-27');
      await setRate(server.ctx, admin, { quote: 'XCD', rate: '2.9', date: '2026-01-15' });
      const mixed = await findRate(server.ctx, 'USD', 'XCD', '2026-02-27');
      assert.equal(mixed?.rateDate, '2026-01-15');
      assert.equal(mixed?.source, 'mixed');
    });

    it('prefers a direct pair that is at least as recent as the cross rate', async () => {
      await setRate(server.ctx, admin,
        { base: 'USD', quote: 'CHF', rate: '0.8', date: '2026-02-20' });
      const older = await findRate(server.ctx, 'USD', 'CHF', '2026-02-27');
      assert.equal(older?.rateDate, '2026-02-27', 'the newer cross rate wins');
      const direct = await findRate(server.ctx, 'USD', 'CHF', '2026-02-20');
      assert.equal(direct?.rateText, '0.8');
      assert.equal(direct?.source, 'admin');
      const inverse = await findRate(server.ctx, 'CHF', 'USD', '2026-02-20');
      assert.equal(inverse?.rateText, '1.25');
    });

    it('lets an Admin rate win over the ECB on its date', async () => {
      await setRate(server.ctx, admin, { quote: 'SEK', rate: '11.5', date: '2026-02-27' });
      const quote = await findRate(server.ctx, 'EUR', 'SEK', '2026-02-27');
      assert.deepEqual([quote?.rateText, quote?.source], ['11.5', 'admin']);
      const dayBefore = await findRate(server.ctx, 'EUR', 'SEK', '2026-02-26');
      assert.equal(dayBefore?.source, 'ecb');
    });
  });

  describe('setting a rate', () => {
    it('replaces an Admin rate of the same day, audited in the system chain', async () => {
      await setRate(server.ctx, admin, { quote: 'NOK', rate: '11.70', date: '2026-02-20' });
      const replaced = await setRate(server.ctx, admin,
        { quote: 'NOK', rate: '11.8', date: '2026-02-20' });
      assert.equal(replaced.rate, '11.8');
      const { ExchangeRate, Audit } = walletModels(server.ctx.sequelize);
      assert.equal(await ExchangeRate.count({ where: { quote: 'NOK', source: 'admin' } }), 1);
      const audits = await Audit.findAll({ where: { chain: systemAuditChain, action: 'rate.set',
        entityId: String(replaced.id) }, order: [['sequence', 'ASC']] });
      assert.deepEqual(audits.map((audit) => audit.beforeState), [null, '{"rate":"11.7"}']);
      assert.equal(audits[1]?.actorUserId, admin.userId);
    });

    it('refuses a non-Admin, a future day, one currency twice, and bad values', async () => {
      const input = { quote: 'USD', rate: '1.1', date: '2026-03-01' };
      await rejectsWithProblem(setRate(server.ctx, user, input), 403, 'forbidden');
      await rejectsWithProblem(setRate(server.ctx, admin, { ...input, date: '2026-03-02' }), 422,
        'rate-date-in-future');
      await rejectsWithProblem(setRate(server.ctx, admin, { ...input, quote: 'EUR' }), 400,
        'validation');
      await rejectsWithProblem(setRate(server.ctx, admin, { ...input, quote: 'ZZZ' }), 422,
        'unknown-currency');
      for (const rate of ['0', '-1', '1e2', '1,1', '']) {
        await rejectsWithProblem(setRate(server.ctx, admin, { ...input, rate }), 400, 'validation');
      }
      await rejectsWithProblem(setRate(server.ctx, admin, { ...input, date: '2026-02-30' }), 400,
        'validation');
    });
  });

  describe('a live feed', () => {
    const provider = (days: EcbDay[]): RateProvider => ({
      name: 'fake-feed',
      fetchEuroRates: async () => days,
    });

    it('stores the feed\'s rows as live, once each', async () => {
      const days = [{ date: '2026-03-01', rates: [{ currency: 'USD', rate: '1.2001' }] }];
      assert.deepEqual(await refreshRates(server.ctx, provider(days)), { days: 1, rates: 1 });
      await refreshRates(server.ctx, provider(days));
      const { ExchangeRate } = walletModels(server.ctx.sequelize);
      assert.equal(await ExchangeRate.count({ where: { source: 'live' } }), 1);
      const quote = await findRate(server.ctx, 'EUR', 'USD', '2026-03-01');
      assert.deepEqual([quote?.rateText, quote?.source], ['1.2001', 'live']);
    });

    it('refuses a day after today and stores nothing', async () => {
      const days = [{ date: '2026-03-02', rates: [{ currency: 'GBP', rate: '0.9' }] }];
      await assert.rejects(refreshRates(server.ctx, provider(days)), /after today/);
      assert.equal(await findRate(server.ctx, 'EUR', 'GBP', '2026-03-02')
        .then((quote) => quote?.source), 'ecb');
    });

    it(`takes ${refreshDaysMax} days and refuses ${refreshDaysMax + 1}`, async () => {
      const days = fakeDays('2019-01-01', refreshDaysMax + 1);
      await assert.rejects(refreshRates(server.ctx, provider(days)), /at most 100/);
      assert.deepEqual(await refreshRates(server.ctx, provider(days.slice(1))),
        { days: refreshDaysMax, rates: refreshDaysMax });
    });

    it('reads the ECB daily XML through fetch', async () => {
      const fetched: string[] = [];
      const fakeFetch = (async (url: string | URL | Request) => {
        fetched.push(String(url));
        return new Response(daily, { status: 200 });
      }) as typeof fetch;
      const days = await ecbXmlProvider('https://rates.example/daily.xml', fakeFetch)
        .fetchEuroRates(AbortSignal.timeout(1000));
      assert.deepEqual(fetched, ['https://rates.example/daily.xml']);
      assert.equal(days[0]?.date, '2026-02-27');
      const failing = (async () => new Response('', { status: 503 })) as typeof fetch;
      await assert.rejects(ecbXmlProvider('https://rates.example/x', failing)
        .fetchEuroRates(AbortSignal.timeout(1000)), /answered 503/);
    });
  });

  it(`stores ${rateInsertBatchRowsMax} and ${rateInsertBatchRowsMax + 1} rows`, async () => {
    const { ExchangeRate } = walletModels(server.ctx.sequelize);
    for (const [start, count] of [['2010-01-01', rateInsertBatchRowsMax],
      ['2012-01-01', rateInsertBatchRowsMax + 1]] as const) {
      const before = await ExchangeRate.count();
      await writeTransaction(server.ctx, (t) =>
        storeEuroRates(server.ctx, t, fakeDays(start, count), 'live'));
      assert.equal(await ExchangeRate.count(), before + count);
    }
  });

  it('leaves an intact system audit chain', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.ok(report.chainsChecked >= 1);
  });
});
