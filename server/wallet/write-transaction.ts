/**
 * @module
 * The database transaction every wallet write runs in.
 *
 * On SQLite it begins `IMMEDIATE`: the write lock is taken at BEGIN, so two writers never both
 * read a balance and then race to write it (a deferred transaction would fail its upgrade with
 * SQLITE_BUSY instead of waiting). Waiting writers queue on the connection's busy timeout.
 * On PostgreSQL it runs at READ COMMITTED and the services lock the rows they change
 * (`SELECT ... FOR UPDATE`), always wallets in ascending id order and the audit chain head
 * last, so two writers never wait on each other in a cycle.
 *
 * A caller that already holds a database transaction (the idempotency layer, which stores its
 * response in the same commit) passes it in, and the work joins it.
 *
 * A refusal worth keeping (a debit blocked by the risk rules) is thrown as an error that is a
 * {@link RecordedRefusal}: the rollback would take its record along, so the outermost
 * `writeTransaction`, the one that began the database transaction, records it once the
 * rollback is done, and then rethrows it.
 */
import { Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError } from '../http/problem.ts';

/**
 * Runs `work` in a write transaction, or inside `outer` when given.
 *
 * @param ctx - the context whose database is written.
 * @param work - the reads and writes; every query in it must pass the transaction along.
 * @param outer - a database transaction the caller holds; then no new one is begun.
 * @returns what `work` returns, after the commit.
 * @throws ProblemError 503 `database-busy` with `Retry-After: 1` when SQLite's write lock
 *   stays taken beyond the busy timeout; whatever `work` throws, after the rollback (and, for
 *   a {@link RecordedRefusal}, after its record was written).
 */
export async function writeTransaction<T>(
  ctx: AppContext,
  work: (databaseTransaction: Transaction) => Promise<T>,
  outer?: Transaction,
): Promise<T> {
  if (outer) return work(outer);
  try {
    return await ctx.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work);
  } catch (error) {
    if (isRecordedRefusal(error)) await error.recordAfterRollback(ctx);
    if (isSqliteBusy(error)) {
      throw new ProblemError(
        503,
        'database-busy',
        'The database is busy.',
        'Other writes held the database for too long; try again in a moment.',
        { headers: { 'Retry-After': '1' } },
      );
    }
    throw error;
  }
}

/**
 * An error that refuses a write and must leave a record of the refusal, which the refused
 * write's rollback would otherwise undo.
 */
export interface RecordedRefusal {
  /**
   * Writes the record in a database transaction of its own. Called once, after the rollback;
   * never throws (a failure to record is logged), so the refusal itself still reaches the
   * caller.
   */
  recordAfterRollback(ctx: AppContext): Promise<void>;
}

function isRecordedRefusal(error: unknown): error is RecordedRefusal {
  return typeof error === 'object' && error !== null && 'recordAfterRollback' in error &&
    typeof error.recordAfterRollback === 'function';
}

function isSqliteBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const parent = (error as Error & { parent?: { code?: unknown } }).parent;
  const code = (error as Error & { code?: unknown }).code ?? parent?.code;
  return code === 'SQLITE_BUSY';
}
