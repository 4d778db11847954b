/**
 * @module
 * A separate server process for the multi-process recurring tests: opens the database named
 * on the command line with a clock standing at NOW, prints `ready`, waits for a `go` line on
 * stdin (so every worker starts at once), runs the recurring scheduler ROUNDS times, and prints
 * what it did as one JSON line: `{"posted": n, "awaitingApproval": m, ...}`. Any failure exits
 * non-zero.
 *
 * Usage: node --import tsx recurring-worker.ts DATABASE_URL NOW ROUNDS
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ManualClock } from '../../../../server/clock.ts';
import { loadConfig } from '../../../../server/config.ts';
import { closeContext, createContext } from '../../../../server/context.ts';
import { createLogger } from '../../../../server/logger.ts';
import { runDueRecurring } from '../../../../server/wallet/recurring-scheduler.ts';
import { testSecretKey } from '../../support/test-context.ts';

const [databaseUrl, now, roundsText] = process.argv.slice(2);
if (!databaseUrl || !now || !roundsText) {
  throw new Error('usage: recurring-worker.ts DATABASE_URL NOW ROUNDS');
}
const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl,
  SECRET_KEYS: testSecretKey });
const lines: string[] = [];
const ctx = await createContext(config, { clock: new ManualClock(now),
  logger: createLogger('error', (line) => lines.push(line)) });
const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(input, 'line');
input.close();
const totals = { rules: 0, created: 0, posted: 0, awaitingApproval: 0, failed: 0, paused: 0,
  ended: 0 };
for (let round = 0; round < Number(roundsText); round += 1) {
  const report = await runDueRecurring(ctx, { workerId: `worker:${process.pid}` });
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += report[key];
}
await closeContext(ctx);
// A rule whose run failed is logged, not thrown: fail the worker so the test sees it.
if (lines.length > 0) throw new Error(`the scheduler logged errors:\n${lines.join('\n')}`);
process.stdout.write(`${JSON.stringify(totals)}\n`);
