/**
 * @module
 * Wallet figures for `npm run bench`, on each database given:
 *  - postings over HTTP (`POST /api/wallets/:id/transactions` with an Idempotency-Key): rate
 *    and p50/p99 on one hot wallet (every posting waits for the one before it: the wallet is
 *    locked from its checks to its commit) and spread over 100 wallets, against a bare INSERT
 *    of the same row through the same connection pool (the limit: no HTTP, no rules, no
 *    balance, no audit, no idempotency record);
 *  - the analytics reports over 1,000,000 transactions of one user (two wallets, EUR and USD,
 *    a year of entries), inserted in bulk by SQL so the figure is the reports', not the
 *    seeding's.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import {
  analyticsScope,
  categoryReport,
  seriesReport,
  summaryReport,
  topReport,
} from '../server/wallet/analytics.ts';
import { createWallet } from '../server/wallet/wallets.ts';
import { loadBundledRates } from '../server/wallet/rates.ts';
import { signedInUser } from '../test/server/support/auth-client.ts';
import { startTestServer, type TestServer } from '../test/server/support/test-context.ts';
import { listen } from './listen.ts';
import { describeLoad, LoadRecorder } from './load.ts';

type Dialect = 'sqlite' | 'postgres';

const postings = 2000;
const inFlight = 8;
const spreadWallets = 100;
const walletsPerUser = 25;
const analyticsRows = 1_000_000;

interface Owner {
  userId: number;
  cookie: string;
  walletIds: number[];
}

async function owners(server: TestServer, wallets: number): Promise<Owner[]> {
  const result: Owner[] = [];
  for (let made = 0; made < wallets; made += walletsPerUser) {
    const { user, cookie } = await signedInUser(server);
    const actor = { userId: user.id, isAdmin: false, ip: null, userAgent: 'bench' };
    const walletIds: number[] = [];
    for (let i = made; i < Math.min(wallets, made + walletsPerUser); i++) {
      walletIds.push((await createWallet(server.ctx, actor, { name: `bench ${i}`,
        currency: 'EUR' })).id);
    }
    result.push({ userId: user.id, cookie, walletIds });
  }
  return result;
}

async function postingFigures(server: TestServer, dialect: Dialect): Promise<string[]> {
  const api = await listen(server.app.fetch);
  const [hot] = await owners(server, 1);
  const spread = await owners(server, spreadWallets);
  const targets = spread.flatMap((owner) => owner.walletIds.map((walletId) =>
    ({ walletId, cookie: owner.cookie })));
  const postTo = async (walletId: number, cookie: string) => {
    const response = await fetch(`${api.origin}/api/wallets/${walletId}/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ type: 'credit', amount: '12.34', description: 'bench' }),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const hotLoad = new LoadRecorder();
  const hotOwner = hot as Owner;
  await hotLoad.batch(postings, inFlight, () =>
    postTo(hotOwner.walletIds[0] as number, hotOwner.cookie));
  const spreadLoad = new LoadRecorder();
  await spreadLoad.batch(postings, inFlight, (index) => {
    const target = targets[index % targets.length] as { walletId: number; cookie: string };
    return postTo(target.walletId, target.cookie);
  });
  await api.close();
  const bareWallet = spread[0]?.walletIds[0] as number;
  let sequence = 1_000_000;
  const bareLoad = new LoadRecorder();
  await bareLoad.batch(postings, inFlight, async () => {
    const now = server.ctx.clock.now();
    await server.ctx.sequelize.query(
      `INSERT INTO ab_wallet_transactions (wallet_id, sequence, type, origin, amount_minor,
         currency, balance_after_minor, description, tags, metadata, occurred_at, posted_at)
       VALUES (:walletId, :sequence, 'credit', 'manual', 1234, 'EUR', 1234, 'bench', '[]', '{}',
         :now, :now)`,
      { replacements: { walletId: bareWallet, sequence: sequence++, now } },
    );
    return 201;
  });
  for (const [name, load] of [['hot', hotLoad], ['spread', spreadLoad]] as const) {
    const figures = load.figures();
    if (figures.statuses[201] !== figures.requests) {
      throw new Error(`${name} postings answered ${JSON.stringify(figures.statuses)}`);
    }
  }
  const bare = bareLoad.figures();
  const ratio = (load: LoadRecorder) => (load.figures().perSecond / bare.perSecond).toFixed(3);
  return [
    `wallet postings on ${dialect} (${postings} credits each, ${inFlight} in flight)`,
    describeLoad('HTTP posting, one hot wallet', hotLoad.figures()),
    describeLoad(`HTTP posting, ${spreadWallets} wallets`, spreadLoad.figures()),
    describeLoad('bare INSERT of the same row (the limit)', bare),
    `  ratio to the bare INSERT: hot ${ratio(hotLoad)}, ${spreadWallets} wallets ` +
      `${ratio(spreadLoad)}`,
  ];
}

/** SQL that inserts `count` entries into two wallets over the year before 2026-03-01. */
function bulkInsertSql(dialect: Dialect, categoryIds: number[]): string {
  const n = dialect === 'postgres' ? 'n' : 's.n';
  const category = `CASE ${n} % ${categoryIds.length + 1} ${categoryIds.map((id, index) =>
    `WHEN ${index + 1} THEN ${id}`).join(' ')} ELSE NULL END`;
  const occurred = dialect === 'postgres'
    ? `TIMESTAMP WITH TIME ZONE '2025-03-01 00:00:00+00' + (${n} * 31) * INTERVAL '1 second'`
    : `strftime('%Y-%m-%d %H:%M:%S', '2025-03-01', '+' || (${n} * 31) || ' seconds')
         || '.000 +00:00'`;
  const columns = `SELECT CASE WHEN ${n} % 4 = 0 THEN :usdWallet ELSE :eurWallet END, ${n},
      CASE WHEN ${n} % 10 = 0 THEN 'credit' ELSE 'debit' END, 'import',
      100 + ((${n} % 20000) * 7919) % 20000, CASE WHEN ${n} % 4 = 0 THEN 'USD' ELSE 'EUR' END, 0,
      ${category}, 'Shop ' || (${n} % 200), '[]', '{}', ${occurred}, ${occurred}`;
  const insert = `INSERT INTO ab_wallet_transactions (wallet_id, sequence, type, origin,
      amount_minor, currency, balance_after_minor, category_id, counterparty, tags, metadata,
      occurred_at, posted_at)`;
  return dialect === 'postgres'
    ? `${insert} ${columns} FROM generate_series(1, :count) AS n`
    : `${insert} WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :count)
       ${columns} FROM s`;
}

async function medianMs(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] as number;
}

async function analyticsFigures(server: TestServer, dialect: Dialect): Promise<string[]> {
  const { ctx } = server;
  await loadBundledRates(ctx);
  const { user } = await signedInUser(server);
  const actor = { userId: user.id, isAdmin: false, ip: null, userAgent: 'bench' };
  const eur = await createWallet(ctx, actor, { name: 'bench EUR', currency: 'EUR' });
  const usd = await createWallet(ctx, actor, { name: 'bench USD', currency: 'USD' });
  const categories = await ctx.sequelize.query<{ id: number }>(
    'SELECT id FROM ab_transaction_categories WHERE user_id IS NULL ORDER BY id',
    { type: QueryTypes.SELECT });
  const started = performance.now();
  await ctx.sequelize.query(bulkInsertSql(dialect, categories.map((row) => Number(row.id))), {
    replacements: { count: analyticsRows, eurWallet: eur.id, usdWallet: usd.id } });
  await ctx.sequelize.query(`INSERT INTO ab_wallet_transaction_tags (transaction_id, wallet_id, tag)
    SELECT id, wallet_id, 'tag' || (id % 20) FROM ab_wallet_transactions
    WHERE id % 10 = 0 AND wallet_id IN (:eur, :usd)`, { replacements: { eur: eur.id, usd: usd.id } });
  await ctx.sequelize.query('ANALYZE');
  const loadSeconds = (performance.now() - started) / 1000;
  const scope = await analyticsScope(ctx, actor, { from: '2025-03-01', to: '2026-02-28',
    currency: 'EUR' });
  const reports: [string, () => Promise<unknown>][] = [
    ['summary (income, expense)', () => summaryReport(ctx, scope)],
    ['spending by category, rolled up', () => categoryReport(ctx, scope)],
    ['series by month', () => seriesReport(ctx, scope, 'month')],
    ['series by week', () => seriesReport(ctx, scope, 'week')],
    ['top 10 counterparties', () => topReport(ctx, scope, 'counterparty', 10)],
    ['top 10 tags', () => topReport(ctx, scope, 'tag', 10)],
  ];
  const lines = [`wallet analytics on ${dialect} over ${analyticsRows.toLocaleString('en')} ` +
    `transactions (EUR + USD converted; loaded in ${loadSeconds.toFixed(1)} s; median of 3)`];
  for (const [name, report] of reports) {
    lines.push(`  ${name.padEnd(40)} ${(await medianMs(3, report)).toFixed(0).padStart(6)} ms`);
  }
  return lines;
}

/** Runs the wallet benchmarks on fresh databases of each of `dialects`, printing each section. */
export async function walletBenchmarks(dialects: readonly Dialect[]): Promise<string[]> {
  const lines: string[] = [];
  for (const dialect of dialects) {
    for (const figures of [postingFigures, analyticsFigures]) {
      const server = await startTestServer({ LOG_LEVEL: 'warn' }, dialect);
      try {
        const section = await figures(server, dialect);
        // Printed as they come: a whole run takes minutes.
        console.log(section.join('\n'));
        lines.push(...section);
      } finally {
        await server.close();
      }
    }
  }
  return lines;
}
