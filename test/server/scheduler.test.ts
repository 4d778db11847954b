import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { schedulerWorkerId, serverJobs } from '../../server/jobs.ts';
import { createScheduler, type ScheduledJob } from '../../server/scheduler.ts';
import { idempotencyKeyTtlMs } from '../../server/wallet/idempotency.ts';
import { workerIdLengthMax } from '../../server/wallet/recurring-scheduler.ts';
import { startTestServer, testDialect, type TestServer } from './support/test-context.ts';
import { apiUser, call, openWallet, post } from './wallet/api-support.ts';

describe('SCHEDULER_INTERVAL_SECONDS', () => {
  it('defaults to a minute and takes 0 (off) to a day', () => {
    assert.equal(loadConfig({}).schedulerIntervalSeconds, 60);
    assert.equal(loadConfig({ SCHEDULER_INTERVAL_SECONDS: '0' }).schedulerIntervalSeconds, 0);
    assert.equal(loadConfig({ SCHEDULER_INTERVAL_SECONDS: '86400' }).schedulerIntervalSeconds,
      86_400);
  });

  it('refuses anything else, naming the variable', () => {
    for (const value of ['86401', '-1', '1.5', 'often', ' 60']) {
      assert.throws(() => loadConfig({ SCHEDULER_INTERVAL_SECONDS: value }),
        (error: unknown) => error instanceof ConfigError &&
          error.problems.some((problem) => problem.startsWith('SCHEDULER_INTERVAL_SECONDS')),
        value);
    }
  });
});

describe(`the scheduler on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('runs every job of a round in order, and goes on after one that throws', async () => {
    const ran: string[] = [];
    const jobs: ScheduledJob[] = [
      { name: 'first', run: async () => { ran.push('first'); return 1; } },
      { name: 'broken', run: async () => { ran.push('broken'); throw new Error('out of order'); } },
      { name: 'last', run: async () => { ran.push('last'); return 'done'; } },
    ];
    const scheduler = createScheduler(server.ctx, jobs, { intervalMs: 0 });
    const outcomes = await scheduler.runOnce();
    assert.deepEqual(ran, ['first', 'broken', 'last']);
    assert.deepEqual(outcomes, [
      { name: 'first', ok: true, result: 1 },
      { name: 'broken', ok: false, error: 'out of order' },
      { name: 'last', ok: true, result: 'done' },
    ]);
    assert.ok(server.logLines.some((line) => line.includes('"scheduled job failed"') &&
      line.includes('"job":"broken"')));
  });

  it('joins a round asked for while one runs instead of running two at once', async () => {
    let running = 0;
    let overlapped = false;
    const slow: ScheduledJob = { name: 'slow', run: async () => {
      running += 1;
      overlapped ||= running > 1;
      await sleep(20);
      running -= 1;
    } };
    const scheduler = createScheduler(server.ctx, [slow], { intervalMs: 0 });
    const [first, second] = await Promise.all([scheduler.runOnce(), scheduler.runOnce()]);
    assert.equal(first, second);
    assert.equal(overlapped, false);
  });

  it('repeats rounds on its interval until stopped, then runs no more', async () => {
    let rounds = 0;
    const counter: ScheduledJob = { name: 'counter', run: async () => { rounds += 1; } };
    const scheduler = createScheduler(server.ctx, [counter], { intervalMs: 5 });
    scheduler.start();
    scheduler.start(); // a second start changes nothing
    for (let waited = 0; rounds < 3 && waited < 5000; waited += 10) await sleep(10);
    assert.ok(rounds >= 3, `only ${rounds} rounds`);
    await scheduler.stop();
    const stoppedAt = rounds;
    await sleep(50);
    assert.equal(rounds, stoppedAt);
  });

  it('never starts when the interval is 0', async () => {
    let rounds = 0;
    const scheduler = createScheduler(server.ctx,
      [{ name: 'never', run: async () => { rounds += 1; } }], { intervalMs: 0 });
    scheduler.start();
    await sleep(30);
    await scheduler.stop();
    assert.equal(rounds, 0);
    assert.ok(server.logLines.some((line) => line.includes('"scheduler off"')));
  });
});

describe(`the server's jobs on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const count = async (table: string) => {
    const rows = await server.ctx.sequelize.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
    return Number(rows[0]?.n);
  };

  it('gives each process a worker id that fits its column', () => {
    const first = schedulerWorkerId();
    assert.ok(first.length <= workerIdLengthMax);
    assert.match(first, new RegExp(`:${process.pid}:[0-9a-f]{8}$`));
    assert.notEqual(schedulerWorkerId(), first);
  });

  it('posts due recurring transactions and purges what ran out, on the clock', async () => {
    const client = await apiUser(server);
    const wallet = await openWallet(server, client);
    await post(server, client, wallet.id, { type: 'credit', amount: '10.00' });
    const rule = await call(server, client, 'POST', '/api/recurring', { walletId: wallet.id,
      type: 'debit', amount: '1.00', rrule: 'FREQ=WEEKLY' });
    assert.equal(rule.status, 201);
    const scheduler = createScheduler(server.ctx, serverJobs('jobs-test'), { intervalMs: 0 });
    const first = await scheduler.runOnce();
    assert.deepEqual(first.map((outcome) => outcome.name), ['recurring-transactions',
      'purge-sessions', 'purge-login-counts', 'purge-mfa-rows', 'purge-idempotency-keys']);
    assert.ok(first.every((outcome) => outcome.ok), JSON.stringify(first));
    assert.equal((first[0] as { result: { posted: number } }).result.posted, 1);
    assert.equal((first[4] as { result: number }).result, 0, 'no key has run out yet');
    const sessions = await count('ab_session');
    const keys = await count('ab_idempotency_keys');
    assert.ok(sessions >= 1);
    assert.ok(keys >= 1);
    server.clock.advance(idempotencyKeyTtlMs + 1000);
    const later = await scheduler.runOnce();
    assert.ok(later.every((outcome) => outcome.ok), JSON.stringify(later));
    assert.equal(await count('ab_session'), 0, 'every session has run out');
    assert.equal(await count('ab_idempotency_keys'), 0, 'every key has run out');
    assert.equal((later[1] as { result: number }).result, sessions);
    assert.equal((later[4] as { result: number }).result, keys);
  });
});
