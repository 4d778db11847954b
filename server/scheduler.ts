/**
 * @module
 * The periodic runner of background jobs (recurring postings, purges of expired rows): every
 * `SCHEDULER_INTERVAL_SECONDS` (0 turns it off), it runs each registered job once, one after
 * the other.
 *
 * Invariants:
 *  1. Rounds never overlap: the next round is timed from the end of the one before, so a slow
 *     round delays the next instead of running beside it.
 *  2. A job that throws is logged and the round goes on with the next job; the scheduler keeps
 *     running.
 *  3. The jobs keep no state in the process: what they claim or delete is in the database, so
 *     every server process runs the scheduler and they share the work (recurring occurrences
 *     are claimed row by row; see server/wallet/recurring-scheduler.ts).
 *  4. The timer never keeps the process alive, and `stop()` waits for a running round, so the
 *     database is closed only after it.
 *
 * Tests call {@link Scheduler.runOnce} with a manual clock in the context instead of waiting
 * for the timer.
 */
import type { AppContext } from './context.ts';

/** One job of a round. */
export interface ScheduledJob {
  /** Names the job in the log. */
  name: string;
  /** Does the job's work once; "now" is the context's clock. */
  run(ctx: AppContext): Promise<unknown>;
}

/** How one job of a round went. */
export type JobOutcome =
  | { name: string; ok: true; result: unknown }
  | { name: string; ok: false; error: string };

/** Runs jobs in rounds. */
export interface Scheduler {
  /** Runs one round now: every job once, in order. */
  runOnce(): Promise<JobOutcome[]>;
  /** Starts the rounds: the first at once, the next `intervalMs` after each ends. */
  start(): void;
  /** Stops the rounds and waits for a running one to end. */
  stop(): Promise<void>;
}

/**
 * Makes a scheduler of `jobs` over `ctx`.
 *
 * @param options - `intervalMs`: the pause between rounds; 0 or less never starts them
 *   (`runOnce` still works).
 * @example
 * const scheduler = createScheduler(ctx, serverJobs(workerId), { intervalMs: 60_000 });
 * scheduler.start();
 * // on shutdown:
 * await scheduler.stop();
 */
export function createScheduler(
  ctx: AppContext,
  jobs: readonly ScheduledJob[],
  options: { intervalMs: number },
): Scheduler {
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<JobOutcome[]> | null = null;
  let stopped = true;

  const runOnce = (): Promise<JobOutcome[]> => {
    // Invariant 1: a round asked for while one runs joins it.
    round ??= runRound(ctx, jobs).finally(() => {
      round = null;
    });
    return round;
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(function schedulerTick() {
      timer = null;
      void runOnce().then(() => {
        if (!stopped) schedule(options.intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  return {
    runOnce,
    start() {
      if (!stopped) return;
      if (options.intervalMs <= 0) {
        ctx.logger.info('scheduler off', { jobs: jobs.map((job) => job.name) });
        return;
      }
      stopped = false;
      ctx.logger.info('scheduler started', { intervalMs: options.intervalMs,
        jobs: jobs.map((job) => job.name) });
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await round;
    },
  };
}

async function runRound(ctx: AppContext, jobs: readonly ScheduledJob[]): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    try {
      const result = await job.run(ctx);
      ctx.logger.debug('scheduled job done', { job: job.name, result });
      outcomes.push({ name: job.name, ok: true, result });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.logger.error('scheduled job failed', { job: job.name,
        error: error instanceof Error ? error.stack ?? message : message });
      outcomes.push({ name: job.name, ok: false, error: message });
    }
  }
  return outcomes;
}
