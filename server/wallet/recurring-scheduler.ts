/**
 * @module
 * The recurring scheduler: makes the occurrences of every due rule and posts each one exactly
 * once, with several server processes running it against one database at the same time.
 *
 * One run ({@link runDueRecurring}) does, for each active rule whose `next_run_at` has come:
 *  1. Expand: with the rule row locked, insert one `pending` occurrence per date from the day
 *     after `expanded_through` (or `starts_on`) through today in the rule's time zone plus
 *     {@link weekendShiftDaysMax} days (a Sunday date due on the Friday before must exist by
 *     Friday), and move `expanded_through`, in one database transaction. Every date missed
 *     while no server ran is made, not only the last. The unique (rule, date) index makes a
 *     second row for a date impossible.
 *  2. Claim each due occurrence (`due_on` today or earlier, its retry time come) with one
 *     conditional UPDATE: `claimed_by` is set only where it is null or its lease ran out and the
 *     occurrence is still pending. Only the worker whose UPDATE changed the row goes on.
 *  3. Post it: in one database transaction, lock the rule and the occurrence, check the claim
 *     is still ours and the rule active, post through the ledger (`origin: 'recurring'`, as
 *     the owner), and mark the occurrence `posted` with its transaction id. A rule that needs
 *     approval moves the occurrence to `awaiting-approval` instead.
 *  4. A refused posting (insufficient funds, a frozen wallet, a limit...) counts an attempt and
 *     waits {@link retryDelayMs}: 1 h, 4 h, 16 h, 64 h, then at most 7 days. After
 *     {@link failuresBeforePause} failures in a row the rule pauses, the pause is audited, and
 *     the owner is emailed. A posting that succeeds resets the count.
 *  5. Set `next_run_at`: the start of tomorrow in the rule's time zone, or earlier for a retry
 *     or an expiring claim; now again when the run stopped at its limit. A rule whose dates are
 *     all made and settled ends.
 *
 * Exactly once: a posting and its `posted` mark commit together, under the occurrence's row
 * lock and only while the claim is ours, so a worker that stalls past its lease and a worker
 * that took over cannot both post. The time is the context's clock, read once per run.
 */
import assert from 'node:assert/strict';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit } from './audits.ts';
import { checkBudgetsAfterPosting } from './budgets.ts';
import { postTransactionMinor } from './ledger.ts';
import {
  walletModels,
  type OccurrenceAttributes,
  type RecurringAttributes,
  type Row,
} from './models.ts';
import { postingInputOf, ruleState, scheduleOf } from './recurring.ts';
import {
  addDays,
  calendarDateIn,
  expandSchedule,
  expandScheduledDates,
  RuleExpansionError,
  startOfDayIn,
  weekendShiftDaysMax,
} from './recurring-dates.ts';
import { notifyRulePaused } from './recurring-notices.ts';
import { writeTransaction } from './write-transaction.ts';

/** How long a claim holds before another worker may take the occurrence over. */
export const claimLeaseMs = 5 * 60 * 1000;

/** Failed postings in a row that pause a rule. */
export const failuresBeforePause = 5;

/** The wait after a first failed attempt; each next wait is {@link retryDelayFactor} times it. */
export const retryDelayFirstMs = 60 * 60 * 1000;

/** How much longer each retry waits than the one before. */
export const retryDelayFactor = 4;

/** The longest wait before a retry. */
export const retryDelayMaxMs = 7 * 24 * 60 * 60 * 1000;

/** Most rules one run looks at; the rest wait for the next run. */
export const rulesPerRunMax = 500;

/** Most occurrences one run makes, and most it posts, per rule; the rest follow next run. */
export const occurrencesPerRuleRunMax = 400;

/** Longest worker id (the `claimed_by` column). */
export const workerIdLengthMax = 64;

/** Who runs the scheduler, and for whom. */
export interface RecurringRunOptions {
  /** Names this worker in `claimed_by`; unique per process (and per run of the API). */
  workerId: string;
  /** Only this user's rules (a user's manual run); all rules when absent. */
  userId?: number;
}

/** What a run did. */
export interface RecurringRunReport {
  rules: number;
  created: number;
  posted: number;
  awaitingApproval: number;
  failed: number;
  paused: number;
  ended: number;
}

/**
 * The wait before retrying after the `attempt`-th failed attempt: 1 h, 4 h, 16 h, 64 h, then
 * at most 7 days.
 */
export function retryDelayMs(attempt: number): number {
  assert(Number.isSafeInteger(attempt) && attempt >= 1, 'attempts count from 1');
  const delayMs = retryDelayFirstMs * retryDelayFactor ** Math.min(attempt - 1, 10);
  return Math.min(delayMs, retryDelayMaxMs);
}

/**
 * Runs every due rule once: expands, claims, posts (see the module comment).
 *
 * @param ctx - the context; its clock is "now".
 * @param options - the worker's id, and the user whose rules alone run, if any.
 * @returns what the run did.
 * @example
 * await runDueRecurring(ctx, { workerId: `${hostname()}:${process.pid}` });
 */
export async function runDueRecurring(
  ctx: AppContext,
  options: RecurringRunOptions,
): Promise<RecurringRunReport> {
  assert(options.workerId.length >= 1, 'a worker has an id');
  assert(options.workerId.length <= workerIdLengthMax, 'a worker id fits its column');
  const now = ctx.clock.now();
  const { Recurring } = walletModels(ctx.sequelize);
  const rules = await Recurring.findAll({ attributes: ['id'], limit: rulesPerRunMax,
    where: { status: 'active', nextRunAt: { [Op.lte]: now },
      ...(options.userId === undefined ? {} : { userId: options.userId }) },
    order: [['nextRunAt', 'ASC'], ['id', 'ASC']] });
  const report: RecurringRunReport = { rules: 0, created: 0, posted: 0, awaitingApproval: 0,
    failed: 0, paused: 0, ended: 0 };
  for (const { id } of rules) {
    try {
      await runRule(ctx, id, options.workerId, now, report);
    } catch (error) {
      // One rule's trouble must not stop the others; its claims run out and are taken again.
      if (error instanceof ProblemError && error.slug === 'database-busy') {
        ctx.logger.warn('recurring rule run waited too long for the database', {
          recurringId: id });
      } else {
        ctx.logger.error('recurring rule run failed', { recurringId: id,
          error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    }
  }
  return report;
}

type Outcome = 'posted' | 'awaiting-approval' | 'failed' | 'paused' | 'lost';

async function runRule(
  ctx: AppContext,
  recurringId: number,
  workerId: string,
  now: Date,
  report: RecurringRunReport,
): Promise<void> {
  const expansion = await expandRule(ctx, recurringId, now);
  if (expansion === null) return;
  report.rules += 1;
  report.created += expansion.created;
  if (expansion.rule.status !== 'active') {
    report.paused += 1;
    return;
  }
  const { Occurrence } = walletModels(ctx.sequelize);
  const today = calendarDateIn(now, expansion.rule.timeZone);
  const due = await Occurrence.findAll({ attributes: ['id'], limit: occurrencesPerRuleRunMax,
    where: { recurringId, status: 'pending', dueOn: { [Op.lte]: today }, ...retryCome(now) },
    order: [['dueOn', 'ASC'], ['scheduledOn', 'ASC']] });
  for (const { id } of due) {
    if (!(await claimOccurrence(ctx, id, workerId, now))) continue;
    const outcome: Outcome = expansion.rule.requiresApproval
      ? await awaitApproval(ctx, id, workerId, now)
      : await postOccurrence(ctx, recurringId, id, workerId, now);
    if (outcome === 'posted') report.posted += 1;
    if (outcome === 'awaiting-approval') report.awaitingApproval += 1;
    if (outcome === 'failed' || outcome === 'paused') report.failed += 1;
    if (outcome === 'paused') {
      report.paused += 1;
      return;
    }
  }
  const full = expansion.more || due.length >= occurrencesPerRuleRunMax;
  if (await scheduleNextRun(ctx, recurringId, now, full)) report.ended += 1;
}

/** Pending occurrences whose retry time has come (or that never failed). */
function retryCome(now: Date) {
  return { [Op.or]: [{ nextAttemptAt: null }, { nextAttemptAt: { [Op.lte]: now } }] };
}

interface Expansion {
  rule: RecurringAttributes;
  created: number;
  /** Whether the run stopped at its limit with dates left to make. */
  more: boolean;
}

/** Step 1, under the rule's row lock. Null when the rule is no longer active. */
async function expandRule(ctx: AppContext, recurringId: number, now: Date):
Promise<Expansion | null> {
  const { Occurrence, Recurring } = walletModels(ctx.sequelize);
  const expansion = await writeTransaction(ctx, async (transaction) => {
    const row = await Recurring.findByPk(recurringId, { transaction,
      lock: transaction.LOCK.UPDATE });
    if (!row || row.status !== 'active') return null;
    const rule = row.get({ plain: true });
    const horizon = addDays(calendarDateIn(now, rule.timeZone), weekendShiftDaysMax);
    const from = rule.expandedThrough === null ? rule.startsOn : addDays(rule.expandedThrough, 1);
    if (from > horizon) return { rule, created: 0, more: false, brokenError: null };
    let dates;
    try {
      dates = expandSchedule(scheduleOf(rule), { from, to: horizon,
        limit: occurrencesPerRuleRunMax });
    } catch (error) {
      if (!(error instanceof RuleExpansionError)) throw error;
      const paused = await pauseRule(ctx, transaction, row, 'Its dates take too long to work ' +
        'out; change the rule.', now);
      return { rule: paused, created: 0, more: false, brokenError: error.message };
    }
    const more = dates.length >= occurrencesPerRuleRunMax;
    const through = more ? dates.at(-1)?.scheduledOn ?? horizon : horizon;
    // Every existing date lies on or before expanded_through (recurring.ts keeps it so when a
    // schedule changes or a rule resumes), and only this locked step makes dates: a plain
    // insert, so a second row for a date would be a bug the unique index turns into an error.
    await Occurrence.bulkCreate(dates.map((date) => ({ recurringId, ...date,
      status: 'pending' as const, transactionId: null, attemptCount: 0, nextAttemptAt: null,
      lastError: null, claimedBy: null, claimExpiresAt: null, decidedByUserId: null,
      decidedAt: null, createdAt: now, updatedAt: now })), { transaction });
    await row.update({ expandedThrough: through, updatedAt: now }, { transaction });
    return { rule: row.get({ plain: true }), created: dates.length, more, brokenError: null };
  });
  if (expansion?.brokenError) await notifyRulePaused(ctx, expansion.rule, expansion.brokenError);
  return expansion;
}

/** Step 2: takes the occurrence for this worker; false when another holds or settled it. */
async function claimOccurrence(
  ctx: AppContext,
  occurrenceId: number,
  workerId: string,
  now: Date,
): Promise<boolean> {
  const { Occurrence } = walletModels(ctx.sequelize);
  const [claimed] = await writeTransaction(ctx, (transaction) => Occurrence.update(
    { claimedBy: workerId, claimExpiresAt: new Date(now.getTime() + claimLeaseMs),
      updatedAt: now },
    { where: { id: occurrenceId, status: 'pending',
      [Op.and]: [retryCome(now),
        { [Op.or]: [{ claimedBy: null }, { claimExpiresAt: { [Op.lt]: now } }] }] },
    transaction }));
  assert(claimed === 0 || claimed === 1, 'a claim changes one row at most');
  return claimed === 1;
}

/** Step 3 for a rule that needs approval: the owner decides (recurring.ts). */
async function awaitApproval(
  ctx: AppContext,
  occurrenceId: number,
  workerId: string,
  now: Date,
): Promise<Outcome> {
  const { Occurrence } = walletModels(ctx.sequelize);
  const [moved] = await writeTransaction(ctx, (transaction) => Occurrence.update(
    { status: 'awaiting-approval', claimedBy: null, claimExpiresAt: null, updatedAt: now },
    { where: { id: occurrenceId, status: 'pending', claimedBy: workerId }, transaction }));
  return moved === 1 ? 'awaiting-approval' : 'lost';
}

/** Step 3: posts a claimed occurrence; a refusal goes to {@link recordFailure}. */
async function postOccurrence(
  ctx: AppContext,
  recurringId: number,
  occurrenceId: number,
  workerId: string,
  now: Date,
): Promise<Outcome> {
  let rule: RecurringAttributes | null;
  try {
    rule = await writeTransaction(ctx, async (transaction) => {
      const held = await lockClaimed(ctx, transaction, recurringId, occurrenceId, workerId);
      if (held === null) return null;
      const posting = await postTransactionMinor(ctx, ownerOf(held.rule),
        postingInputOf(held.rule, held.occurrence.dueOn, now), { transaction });
      await held.occurrence.update({ status: 'posted', transactionId: posting.transaction.id,
        claimedBy: null, claimExpiresAt: null, nextAttemptAt: null, lastError: null,
        updatedAt: now }, { transaction });
      if (held.rule.failureCount > 0) {
        await held.ruleRow.update({ failureCount: 0, updatedAt: now }, { transaction });
      }
      return held.rule;
    });
  } catch (error) {
    if (error instanceof ProblemError && error.slug === 'database-busy') {
      await releaseClaim(ctx, occurrenceId, workerId);
      return 'lost';
    }
    return recordFailure(ctx, recurringId, occurrenceId, workerId, now, error);
  }
  if (rule === null) {
    await releaseClaim(ctx, occurrenceId, workerId);
    return 'lost';
  }
  await checkBudgetsAfterPosting(ctx, ownerOf(rule), [rule.walletId]);
  return 'posted';
}

interface Held {
  ruleRow: Row<RecurringAttributes>;
  rule: RecurringAttributes;
  occurrence: Row<OccurrenceAttributes>;
}

/**
 * Locks the rule, then the occurrence (the order recurring.ts keeps), and returns them when
 * the rule is active and the occurrence still pending under this worker's claim.
 */
async function lockClaimed(
  ctx: AppContext,
  transaction: Transaction,
  recurringId: number,
  occurrenceId: number,
  workerId: string,
): Promise<Held | null> {
  const { Occurrence, Recurring } = walletModels(ctx.sequelize);
  const lock = { transaction, lock: transaction.LOCK.UPDATE };
  const ruleRow = await Recurring.findByPk(recurringId, lock);
  const occurrence = await Occurrence.findByPk(occurrenceId, lock);
  if (!ruleRow || ruleRow.status !== 'active') return null;
  if (!occurrence || occurrence.status !== 'pending' || occurrence.claimedBy !== workerId) {
    return null;
  }
  assert.equal(occurrence.recurringId, recurringId, 'an occurrence belongs to its rule');
  return { ruleRow, rule: ruleRow.get({ plain: true }), occurrence };
}

/** Step 4: counts the failed attempt, sets the retry, and pauses the rule at the limit. */
async function recordFailure(
  ctx: AppContext,
  recurringId: number,
  occurrenceId: number,
  workerId: string,
  now: Date,
  error: unknown,
): Promise<Outcome> {
  const lastError = describeFailure(error);
  if (!(error instanceof ProblemError)) {
    ctx.logger.error('recurring posting failed unexpectedly', { recurringId, occurrenceId,
      error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
  const paused = await writeTransaction(ctx, async (transaction) => {
    const { Occurrence, Recurring } = walletModels(ctx.sequelize);
    const lock = { transaction, lock: transaction.LOCK.UPDATE };
    const ruleRow = await Recurring.findByPk(recurringId, lock);
    const occurrence = await Occurrence.findByPk(occurrenceId, lock);
    if (!ruleRow || !occurrence || occurrence.status !== 'pending' ||
      occurrence.claimedBy !== workerId) return undefined;
    const attemptCount = occurrence.attemptCount + 1;
    await occurrence.update({ attemptCount, lastError, claimedBy: null, claimExpiresAt: null,
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(attemptCount)), updatedAt: now },
    { transaction });
    const failureCount = ruleRow.failureCount + 1;
    await ruleRow.update({ failureCount, updatedAt: now }, { transaction });
    if (failureCount < failuresBeforePause || ruleRow.status !== 'active') return null;
    return pauseRule(ctx, transaction, ruleRow, `Paused after ${failureCount} failed postings ` +
      `in a row (${slugOf(error)}).`, now);
  });
  if (paused === undefined) return 'lost';
  if (paused === null) return 'failed';
  await notifyRulePaused(ctx, paused, lastError);
  return 'paused';
}

/** Pauses a locked rule for the server, audited in the owner's chain. */
async function pauseRule(
  ctx: AppContext,
  transaction: Transaction,
  row: Row<RecurringAttributes>,
  reason: string,
  now: Date,
): Promise<RecurringAttributes> {
  const before = row.get({ plain: true });
  await row.update({ status: 'paused', pausedReason: reason.slice(0, 200), updatedAt: now },
    { transaction });
  const after = row.get({ plain: true });
  await appendAudit(ctx, transaction, { ownerUserId: after.userId, actor: null,
    action: 'recurring.paused', entityType: 'recurring', entityId: after.id,
    before: ruleState(before), after: ruleState(after) });
  return after;
}

/**
 * Step 5: when the rule runs next. Ends a rule whose dates are all made and settled.
 *
 * @param full - the run stopped at a limit, so the rule is due again at once.
 * @returns whether the rule ended.
 */
async function scheduleNextRun(
  ctx: AppContext,
  recurringId: number,
  now: Date,
  full: boolean,
): Promise<boolean> {
  const { Occurrence, Recurring } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (transaction) => {
    const row = await Recurring.findByPk(recurringId, { transaction,
      lock: transaction.LOCK.UPDATE });
    if (!row || row.status !== 'active') return false;
    const rule = row.get({ plain: true });
    const pending = await Occurrence.findAll({ transaction, attributes: ['nextAttemptAt',
      'claimExpiresAt'], where: { recurringId, status: 'pending' } });
    if (pending.length === 0 && !full && noDatesAfter(rule)) {
      await row.update({ status: 'ended', nextRunAt: null, updatedAt: now }, { transaction });
      await appendAudit(ctx, transaction, { ownerUserId: rule.userId, actor: null,
        action: 'recurring.ended', entityType: 'recurring', entityId: rule.id,
        before: ruleState(rule), after: ruleState(row.get({ plain: true })) });
      return true;
    }
    const tomorrow = addDays(calendarDateIn(now, rule.timeZone), 1);
    const candidates = [startOfDayIn(tomorrow, rule.timeZone),
      ...pending.flatMap((occurrence) => [occurrence.nextAttemptAt, occurrence.claimExpiresAt])
        .filter((instant): instant is Date => instant !== null && instant > now)];
    const nextRunAt = full ? now : new Date(Math.min(...candidates.map((at) => at.getTime())));
    await row.update({ nextRunAt, updatedAt: now }, { transaction });
    return false;
  });
}

/** Whether a rule with an end (COUNT, UNTIL, endsOn) has no date after its expansion. */
function noDatesAfter(rule: RecurringAttributes): boolean {
  const schedule = scheduleOf(rule);
  const finite = schedule.rule.count !== null || schedule.rule.untilOn !== null ||
    schedule.endsOn !== null;
  if (!finite || rule.expandedThrough === null) return false;
  try {
    return expandScheduledDates(schedule, { from: addDays(rule.expandedThrough, 1),
      to: '9999-12-31', limit: 1 }).length === 0;
  } catch (error) {
    if (error instanceof RuleExpansionError) return false;
    throw error;
  }
}

async function releaseClaim(ctx: AppContext, occurrenceId: number, workerId: string):
Promise<void> {
  const { Occurrence } = walletModels(ctx.sequelize);
  await writeTransaction(ctx, (transaction) => Occurrence.update(
    { claimedBy: null, claimExpiresAt: null },
    { where: { id: occurrenceId, claimedBy: workerId }, transaction }));
}

/** The owner of a rule, as whom the scheduler posts: no address, no Admin rights. */
function ownerOf(rule: RecurringAttributes): Actor {
  return { userId: rule.userId, isAdmin: false, ip: null, userAgent: null };
}

function slugOf(error: unknown): string {
  return error instanceof ProblemError ? error.slug : 'internal-error';
}

/** What an attempt failed with, as stored in `last_error` (never a stack). */
function describeFailure(error: unknown): string {
  const text = error instanceof ProblemError
    ? `${error.slug}: ${error.message}`
    : 'internal-error: the server could not post it; it is tried again later.';
  return text.slice(0, 500);
}
