/**
 * @module
 * The jobs every server process runs on the scheduler (server/scheduler.ts): recurring
 * transactions, then the purges of rows that ran out. Each purge only shrinks its table: every
 * check compares times itself, so running one late changes no answer.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { purgeLoginCounts } from './auth/throttle.ts';
import { purgeExpiredSessions } from './auth/sessions.ts';
import { purgeExpiredMfaRows } from './mfa/housekeeping.ts';
import type { ScheduledJob } from './scheduler.ts';
import { purgeExpiredIdempotencyKeys } from './wallet/idempotency.ts';
import { runDueRecurring, workerIdLengthMax } from './wallet/recurring-scheduler.ts';

/**
 * An id for this process's scheduler, unique among processes: host, process id and a random
 * part, cut to fit the `claimed_by` column.
 */
export function schedulerWorkerId(): string {
  const random = randomUUID().slice(0, 8);
  return `${hostname()}`.slice(0, workerIdLengthMax - 20) + `:${process.pid}:${random}`;
}

/**
 * The server's jobs, in the order a round runs them.
 *
 * @param workerId - names this process in the recurring occurrences it claims.
 */
export function serverJobs(workerId: string): ScheduledJob[] {
  return [
    { name: 'recurring-transactions', run: (ctx) => runDueRecurring(ctx, { workerId }) },
    { name: 'purge-sessions', run: purgeExpiredSessions },
    { name: 'purge-login-counts', run: purgeLoginCounts },
    { name: 'purge-mfa-rows', run: purgeExpiredMfaRows },
    { name: 'purge-idempotency-keys', run: purgeExpiredIdempotencyKeys },
  ];
}
