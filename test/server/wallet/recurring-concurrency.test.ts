import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { Op, QueryTypes } from 'sequelize';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import { createRecurring } from '../../../server/wallet/recurring.ts';
import {
  claimLeaseMs,
  runDueRecurring,
  type RecurringRunReport,
} from '../../../server/wallet/recurring-scheduler.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

const workerPath = new URL('./support/recurring-worker.ts', import.meta.url).pathname;

/** One worker process, started and waiting at the barrier. */
interface Worker {
  go(): void;
  report: Promise<RecurringRunReport>;
}

/** Starts a worker process; resolves once it has opened the database and waits for `go`. */
async function startWorker(databaseUrl: string, now: Date, rounds: number): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, databaseUrl,
    now.toISOString(), String(rounds)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill(), 120_000);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const [ready] = await once(lines, 'line') as [string];
  assert.equal(ready, 'ready', stderr);
  const report = (async () => {
    const [last] = await once(lines, 'line') as [string];
    const [code] = await once(child, 'exit') as [number | null];
    clearTimeout(timer);
    assert.equal(code, 0, stderr);
    return JSON.parse(last) as RecurringRunReport;
  })();
  return { go: () => child.stdin.end('go\n'), report };
}

describe(`recurring occurrences under concurrency on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    server.clock.set('2026-04-01T06:00:00Z');
  });
  after(() => server.close());

  /** Recurring entries per wallet, and whether any occurrence holds two. */
  async function recurringEntries(walletId: number): Promise<number> {
    const rows = await server.ctx.sequelize.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ab_wallet_transactions
       WHERE wallet_id = :walletId AND origin = 'recurring'`,
      { replacements: { walletId }, type: QueryTypes.SELECT });
    return Number(rows[0]?.n);
  }

  /**
   * Owners, each with a funded wallet and a daily debit of `days` dates ending today (COUNT,
   * so the rule ends and later tests do not catch it up); the first owner's needs approval.
   */
  async function dailyRules(owners: number, days: number) {
    const made: { actor: Actor; walletId: number; recurringId: number }[] = [];
    const today = server.clock.now();
    const startsOn = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString()
      .slice(0, 10);
    for (let index = 0; index < owners; index += 1) {
      const actor = await createTestUser(server.ctx);
      const wallet = await openWallet(server.ctx, actor);
      await postTransaction(server.ctx, actor, { walletId: wallet.id, type: 'credit',
        amount: '1000.00' });
      const rule = await createRecurring(server.ctx, actor, { walletId: wallet.id,
        type: 'debit', amount: '1.25', rrule: `FREQ=DAILY;COUNT=${days}`, startsOn,
        requiresApproval: index === 0 });
      made.push({ actor, walletId: wallet.id, recurringId: rule.id });
    }
    return made;
  }

  it('posts each occurrence once when three server processes run the scheduler at once',
    async () => {
      const rules = await dailyRules(5, 10);
      const target = server.ctx.config.database;
      const databaseUrl = target.dialect === 'sqlite' ? `sqlite:${target.storage}` : target.url;
      const workers = await Promise.all([1, 2, 3].map(() =>
        startWorker(databaseUrl, server.clock.now(), 2)));
      for (const worker of workers) worker.go();
      const reports = await Promise.all(workers.map((worker) => worker.report));
      // What a worker left (a claim it gave up while the database was busy) the next run takes.
      const last = await runDueRecurring(server.ctx, { workerId: 'after-the-workers' });
      const posted = reports.reduce((sum, report) => sum + report.posted, last.posted);
      const awaiting = reports.reduce((sum, report) => sum + report.awaitingApproval,
        last.awaitingApproval);
      const failed = reports.reduce((sum, report) => sum + report.failed, last.failed);
      assert.equal(failed, 0);
      assert.equal(awaiting, 10, 'the rule needing approval waits on each of its 10 days');
      assert.equal(posted, 4 * 10, 'four rules, 10 days each');
      for (const [index, rule] of rules.entries()) {
        const expected = index === 0 ? 0 : 10;
        assert.equal(await recurringEntries(rule.walletId), expected, `rule ${index}`);
        const wallet = await getWallet(server.ctx, rule.actor, rule.walletId);
        assert.equal(wallet.balanceMinor, 100000n - 125n * BigInt(expected));
      }
      const { Occurrence } = walletModels(server.ctx.sequelize);
      const postedRows = await Occurrence.count({ where: { status: 'posted' } });
      assert.equal(postedRows, 4 * 10);
      assert.equal(await Occurrence.count({ where: { claimedBy: { [Op.ne]: null } } }), 0,
        'no claim is left behind');
    });

  it('posts each occurrence once when one process runs the scheduler four times at once',
    async () => {
      server.clock.set('2026-05-01T06:00:00Z');
      const rules = await dailyRules(3, 8);
      const reports = await Promise.all(['a', 'b', 'c', 'd'].map((name) =>
        runDueRecurring(server.ctx, { workerId: `same-process-${name}` })));
      const posted = reports.reduce((sum, report) => sum + report.posted, 0);
      assert.equal(posted, 2 * 8, 'eight days of two rules; the earlier rules have ended');
      for (const rule of rules.slice(1)) assert.equal(await recurringEntries(rule.walletId), 8);
    });

  it('leaves an occurrence a live worker holds, and takes it over once its lease ran out',
    async () => {
      server.clock.set('2026-06-01T06:00:00Z');
      const actor = await createTestUser(server.ctx);
      const wallet = await openWallet(server.ctx, actor);
      const created = await createRecurring(server.ctx, actor, { walletId: wallet.id,
        type: 'credit', amount: '1.00', rrule: 'FREQ=DAILY' });
      const rule = { actor, walletId: wallet.id, recurringId: created.id };
      // Make the occurrence, then let another worker hold it.
      await runDueRecurring(server.ctx, { workerId: 'maker', userId: rule.actor.userId });
      const { Occurrence, Recurring } = walletModels(server.ctx.sequelize);
      const tomorrow = '2026-06-02';
      server.clock.set('2026-06-02T06:00:00Z');
      await Occurrence.update({ claimedBy: 'stalled-worker',
        claimExpiresAt: new Date(server.clock.now().getTime() + claimLeaseMs) },
      { where: { recurringId: rule.recurringId, scheduledOn: tomorrow } });
      const blocked = await runDueRecurring(server.ctx, { workerId: 'live',
        userId: rule.actor.userId });
      assert.equal(blocked.posted, 0);
      const held = await Recurring.findByPk(rule.recurringId);
      assert.equal(held?.nextRunAt?.toISOString(),
        new Date(server.clock.now().getTime() + claimLeaseMs).toISOString(),
        'the rule runs again when the lease ends');
      server.clock.advance(claimLeaseMs + 1000);
      const taken = await runDueRecurring(server.ctx, { workerId: 'live',
        userId: rule.actor.userId });
      assert.equal(taken.posted, 1);
      assert.equal(await recurringEntries(rule.walletId), 2);
      const again = await runDueRecurring(server.ctx, { workerId: 'stalled-worker',
        userId: rule.actor.userId });
      assert.equal(again.posted, 0);
    });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
  });
});
