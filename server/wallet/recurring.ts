/**
 * @module
 * Recurring transactions: a rule that posts the same transaction to one of the owner's
 * wallets on the dates of an RFC 5545 rule (recurring-dates.ts), and the occurrences it makes.
 * The scheduler (recurring-scheduler.ts) posts them; this module holds what a user does: make,
 * change, pause, resume and end a rule, list its occurrences, approve or reject one.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/recurring.test.ts.
 *  1. A user reaches only their own rules and occurrences (another's is 404), over their own
 *     wallets, their categories and payment methods; the amount is in the wallet's currency.
 *  2. A rule is checked whole before anything is stored: its text, time zone, dates (startsOn
 *     from {@link startsOnPastDaysMax} days back to {@link startsOnFutureDaysMax} ahead), that
 *     it gives a date within five years, the amount and the descriptive fields. A refused
 *     rule changes nothing.
 *  3. Every change of a rule, and every decision on an occurrence, is audited in the owner's
 *     chain in the database transaction that makes it.
 *  4. Locks are taken in one order everywhere: the rule, its occurrences, the wallet (inside the
 *     ledger), the audit chain. The scheduler keeps the same order, so nothing deadlocks.
 *  5. An occurrence posts at most once: approving locks it and needs `awaiting-approval`, and
 *     the posting and the `posted` mark are one database transaction.
 *  6. States: a paused rule makes no occurrences (the dates that come while it is paused are
 *     skipped; an occurrence that was failing is retried when it resumes); an ended rule is
 *     final: its waiting occurrences are `skipped` (`failed` when they had failed attempts).
 *  7. A schedule change applies from tomorrow in the rule's time zone: occurrences not yet due
 *     are dropped and made again from the new schedule; past ones stay as they are.
 *  8. Every occurrence of a rule lies on or before its `expanded_through`, which only moves
 *     back past no occurrence (a change) and forward (a run, a resume); so the scheduler's
 *     next expansion never makes a date twice.
 */
import assert from 'node:assert/strict';
import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, userAuditChain } from './audits.ts';
import { postTransactionMinor, type Posting, type PostTransactionMinorInput } from './ledger.ts';
import {
  walletModels,
  type JsonValue,
  type OccurrenceAttributes,
  type RecurringAttributes,
  type Row,
} from './models.ts';
import { parseAmountMinor } from './money.ts';
import type { InstantIdKey } from './page-cursors.ts';
import { normalisePostingDetails, type PostingDetailsInput } from './posting-details.ts';
import {
  addDays,
  calendarDateIn,
  checkScheduleGivesDates,
  dueDateOf,
  expandSchedule,
  formatRecurrenceRule,
  parseRecurrenceRule,
  requireTimeZone,
  RuleExpansionError,
  startOfDayIn,
  type Schedule,
  type ScheduledDate,
  type WeekendPolicy,
} from './recurring-dates.ts';
import { isIsoDate, parseIsoDate } from './utc-dates.ts';
import { walletClosedProblem, walletNotFound } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** Most rules one user may hold that have not ended. */
export const recurringRulesPerUserMax = 100;

/** How far back a rule may start; its past dates are caught up at the next run. */
export const startsOnPastDaysMax = 31;

/** How far ahead a rule may start. */
export const startsOnFutureDaysMax = 5 * 366;

/** The time zone of a rule that names none. */
export const defaultTimeZone = 'UTC';

/** A rule as a user sends it. */
export interface RecurringInput extends Omit<PostingDetailsInput, 'occurredAt'> {
  walletId: number;
  type: 'credit' | 'debit';
  /** A decimal string in the wallet's currency. */
  amount: string;
  categoryId?: number | null;
  paymentMethodId?: number | null;
  rrule: string;
  timeZone?: string;
  startsOn?: string;
  endsOn?: string | null;
  weekendPolicy?: WeekendPolicy;
  monthEndClamp?: boolean;
  requiresApproval?: boolean;
}

/** What a change may send; absent members stay. The wallet and the type never change. */
export type RecurringChange = Partial<Omit<RecurringInput, 'walletId' | 'type'>>;

/** What a preview asks for. */
export interface PreviewInput {
  rrule: string;
  timeZone?: string;
  startsOn?: string;
  endsOn?: string | null;
  weekendPolicy?: WeekendPolicy;
  monthEndClamp?: boolean;
  /** How many dates. */
  count: number;
}

/** The next dates of a rule. */
export interface Preview {
  rrule: string;
  timeZone: string;
  from: string;
  items: ScheduledDate[];
}

/** An approved occurrence and what it posted. */
export interface ApprovedOccurrence {
  occurrence: OccurrenceAttributes;
  posting: Posting;
}

/**
 * Makes a rule for one of the actor's wallets. Its first run is due at once.
 *
 * @throws ProblemError 400 (rule text, dates, time zone, amount, fields), 404 (wallet), 409
 *   `wallet-closed`, 422 `unknown-category`, `unknown-payment-method`,
 *   `recurring-limit-reached`.
 */
export async function createRecurring(
  ctx: AppContext,
  actor: Actor,
  input: RecurringInput,
): Promise<RecurringAttributes> {
  const now = ctx.clock.now();
  const timing = readTiming(input, now, null);
  const details = normalisePostingDetails(input, now, 'body.');
  const { Recurring, Wallet } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (transaction) => {
    // The chain head serialises one user's changes, so the count below holds until the commit.
    await lockAuditChain(ctx, transaction, userAuditChain(actor.userId));
    const held = await Recurring.count({ where: { userId: actor.userId,
      status: { [Op.ne]: 'ended' } }, transaction });
    if (held >= recurringRulesPerUserMax) {
      throw new ProblemError(422, 'recurring-limit-reached', 'Too many recurring rules.',
        `A user may hold at most ${recurringRulesPerUserMax} recurring rules that have not ended.`);
    }
    const wallet = await Wallet.findByPk(input.walletId, { transaction });
    if (!wallet || wallet.userId !== actor.userId) throw walletNotFound(input.walletId);
    if (wallet.status === 'closed') throw walletClosedProblem(wallet.id);
    const amountMinor = parseAmountMinor(input.amount, wallet.currency, 'body.amount');
    const references = { categoryId: input.categoryId ?? null,
      paymentMethodId: input.paymentMethodId ?? null };
    await checkReferences(ctx, transaction, actor, references);
    const row = await Recurring.create({ userId: actor.userId, walletId: wallet.id,
      type: input.type, amountMinor, currency: wallet.currency, ...references,
      description: details.description, counterparty: details.counterparty, tags: details.tags,
      metadata: details.metadata, ...timing, requiresApproval: input.requiresApproval ?? false,
      status: 'active', pausedReason: null, failureCount: 0, expandedThrough: null,
      nextRunAt: now, createdAt: now, updatedAt: now }, { transaction });
    const created = row.get({ plain: true });
    await auditRule(ctx, transaction, actor, 'recurring.created', null, created);
    return created;
  });
}

/**
 * One of the actor's rules.
 *
 * @throws ProblemError 404.
 */
export async function getRecurring(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
): Promise<RecurringAttributes> {
  const { Recurring } = walletModels(ctx.sequelize);
  const row = await Recurring.findByPk(recurringId);
  if (!row || row.userId !== actor.userId) throw recurringNotFound(recurringId);
  return row.get({ plain: true });
}

/**
 * A page of the actor's rules in id order.
 *
 * @returns up to `limit + 1` rules after `afterId`; one more than `limit` says more follow.
 */
export async function listRecurring(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; afterId: number | null },
): Promise<RecurringAttributes[]> {
  const { Recurring } = walletModels(ctx.sequelize);
  const rows = await Recurring.findAll({
    where: { userId: actor.userId,
      ...(page.afterId === null ? {} : { id: { [Op.gt]: page.afterId } }) },
    order: [['id', 'ASC']],
    limit: page.limit + 1,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * Changes one of the actor's rules (invariant 7 for a schedule change).
 *
 * @throws ProblemError 400, 404, 409 `recurring-ended`, 422 `unknown-category`,
 *   `unknown-payment-method`.
 */
export async function updateRecurring(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
  change: RecurringChange,
): Promise<RecurringAttributes> {
  const now = ctx.clock.now();
  return writeTransaction(ctx, async (transaction) => {
    const row = await lockRule(ctx, transaction, actor, recurringId);
    const before = row.get({ plain: true });
    if (before.status === 'ended') throw recurringEnded(recurringId);
    const timing = readTiming({ ...timingOf(before), ...definedOf(change) }, now, before);
    const details = normalisePostingDetails({ description: before.description,
      counterparty: before.counterparty, tags: before.tags, metadata: before.metadata,
      ...definedOf(change) }, now, 'body.');
    const amountMinor = change.amount === undefined
      ? before.amountMinor
      : parseAmountMinor(change.amount, before.currency, 'body.amount');
    const references = {
      categoryId: change.categoryId === undefined ? before.categoryId : change.categoryId,
      paymentMethodId: change.paymentMethodId === undefined
        ? before.paymentMethodId : change.paymentMethodId,
    };
    await checkReferences(ctx, transaction, actor, references);
    const rescheduled = timing.rrule !== before.rrule || timing.timeZone !== before.timeZone ||
      timing.startsOn !== before.startsOn || timing.endsOn !== before.endsOn ||
      timing.weekendPolicy !== before.weekendPolicy ||
      timing.monthEndClamp !== before.monthEndClamp;
    const expandedThrough = rescheduled
      ? await dropFutureOccurrences(ctx, transaction, before, calendarDateIn(now, timing.timeZone))
      : before.expandedThrough;
    await row.update({ ...timing, ...references, amountMinor, description: details.description,
      counterparty: details.counterparty, tags: details.tags, metadata: details.metadata,
      requiresApproval: change.requiresApproval ?? before.requiresApproval, expandedThrough,
      nextRunAt: rescheduled ? now : before.nextRunAt, updatedAt: now }, { transaction });
    const after = row.get({ plain: true });
    await auditRule(ctx, transaction, actor, 'recurring.changed', before, after);
    return after;
  });
}

/**
 * Pauses one of the actor's rules: it makes no occurrences until resumed. Pausing a paused
 * rule changes nothing.
 *
 * @throws ProblemError 404, 409 `recurring-ended`.
 */
export async function pauseRecurring(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
): Promise<RecurringAttributes> {
  return changeState(ctx, actor, recurringId, async (transaction, row) => {
    if (row.status !== 'active') return false;
    await row.update({ status: 'paused', pausedReason: 'Paused by its owner.',
      updatedAt: ctx.clock.now() }, { transaction });
    return true;
  }, 'recurring.paused');
}

/**
 * Resumes one of the actor's paused rules (invariant 6): its failure count restarts, an
 * occurrence that was failing is retried at once, dates that came while it was paused are
 * skipped. Resuming an active rule changes nothing.
 *
 * @throws ProblemError 404, 409 `recurring-ended`.
 */
export async function resumeRecurring(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
): Promise<RecurringAttributes> {
  const { Occurrence } = walletModels(ctx.sequelize);
  return changeState(ctx, actor, recurringId, async (transaction, row) => {
    if (row.status !== 'paused') return false;
    const now = ctx.clock.now();
    const today = calendarDateIn(now, row.timeZone);
    const yesterday = addDays(today, -1);
    await Occurrence.update({ status: 'skipped', updatedAt: now }, { transaction,
      where: { recurringId: row.id, status: 'pending', attemptCount: 0,
        dueOn: { [Op.lt]: today } } });
    await Occurrence.update({ nextAttemptAt: now, updatedAt: now }, { transaction,
      where: { recurringId: row.id, status: 'pending', attemptCount: { [Op.gt]: 0 } } });
    const expandedThrough = row.expandedThrough !== null && row.expandedThrough > yesterday
      ? row.expandedThrough : yesterday;
    await row.update({ status: 'active', pausedReason: null, failureCount: 0, expandedThrough,
      nextRunAt: now, updatedAt: now }, { transaction });
    return true;
  }, 'recurring.resumed');
}

/**
 * Ends one of the actor's rules for good (`DELETE`): it stays, with its history, but makes and
 * posts nothing more (invariant 6). Ending an ended rule changes nothing.
 *
 * @throws ProblemError 404.
 */
export async function endRecurring(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
): Promise<RecurringAttributes> {
  const { Occurrence } = walletModels(ctx.sequelize);
  return changeState(ctx, actor, recurringId, async (transaction, row) => {
    const now = ctx.clock.now();
    const ofRule = { recurringId: row.id };
    await Occurrence.update({ status: 'failed', nextAttemptAt: null, updatedAt: now },
      { where: { ...ofRule, status: 'pending', attemptCount: { [Op.gt]: 0 } }, transaction });
    await Occurrence.update({ status: 'skipped', nextAttemptAt: null, updatedAt: now },
      { where: { ...ofRule, status: { [Op.in]: ['pending', 'awaiting-approval'] } },
        transaction });
    await row.update({ status: 'ended', pausedReason: null, nextRunAt: null, updatedAt: now },
      { transaction });
    return true;
  }, 'recurring.ended', { endedToo: true });
}

/**
 * A page of one of the actor's rules' occurrences, latest date first.
 *
 * @param page - at most `limit + 1` occurrences after the key `after` (null: from the top),
 *   of one status or all.
 * @throws ProblemError 404.
 */
export async function listOccurrences(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
  page: { limit: number; after: InstantIdKey | null; status?: OccurrenceAttributes['status'] },
): Promise<OccurrenceAttributes[]> {
  await getRecurring(ctx, actor, recurringId);
  const { Occurrence } = walletModels(ctx.sequelize);
  const after = page.after;
  const afterDate = after === null ? null : after.instant.toISOString().slice(0, 10);
  const where: WhereOptions<OccurrenceAttributes> = {
    recurringId,
    ...(page.status === undefined ? {} : { status: page.status }),
    ...(after === null || afterDate === null ? {} : { [Op.or]: [
      { scheduledOn: { [Op.lt]: afterDate } },
      { scheduledOn: afterDate, id: { [Op.lt]: after.id } },
    ] }),
  };
  const rows = await Occurrence.findAll({ where, limit: page.limit + 1,
    order: [['scheduledOn', 'DESC'], ['id', 'DESC']] });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * Approves an occurrence awaiting approval: posts it now, through the ledger, as the actor.
 *
 * @param options - `transaction`: the idempotency layer's database transaction to join.
 * @throws ProblemError 404, 409 `occurrence-not-awaiting-approval`, and whatever the ledger
 *   refuses (422 `insufficient-funds`, 409 `wallet-frozen`, ...); then nothing changes and the
 *   occurrence still awaits approval.
 */
export async function approveOccurrence(
  ctx: AppContext,
  actor: Actor,
  ids: { recurringId: number; occurrenceId: number },
  options: { transaction?: Transaction } = {},
): Promise<ApprovedOccurrence> {
  return writeTransaction(ctx, async (transaction) => {
    const rule = await lockRule(ctx, transaction, actor, ids.recurringId);
    const occurrence = await lockAwaitingOccurrence(ctx, transaction, ids);
    const now = ctx.clock.now();
    const posting = await postTransactionMinor(ctx, actor,
      postingInputOf(rule.get({ plain: true }), occurrence.dueOn, now), { transaction });
    await occurrence.update({ status: 'posted', transactionId: posting.transaction.id,
      decidedByUserId: actor.userId, decidedAt: now, updatedAt: now }, { transaction });
    const decided = occurrence.get({ plain: true });
    await auditDecision(ctx, transaction, actor, 'recurring.occurrence-approved', decided);
    return { occurrence: decided, posting };
  }, options.transaction);
}

/**
 * Rejects an occurrence awaiting approval: it never posts.
 *
 * @throws ProblemError 404, 409 `occurrence-not-awaiting-approval`.
 */
export async function rejectOccurrence(
  ctx: AppContext,
  actor: Actor,
  ids: { recurringId: number; occurrenceId: number },
): Promise<OccurrenceAttributes> {
  return writeTransaction(ctx, async (transaction) => {
    await lockRule(ctx, transaction, actor, ids.recurringId);
    const occurrence = await lockAwaitingOccurrence(ctx, transaction, ids);
    const now = ctx.clock.now();
    await occurrence.update({ status: 'rejected', decidedByUserId: actor.userId,
      decidedAt: now, updatedAt: now }, { transaction });
    const decided = occurrence.get({ plain: true });
    await auditDecision(ctx, transaction, actor, 'recurring.occurrence-rejected', decided);
    return decided;
  });
}

/**
 * The next dates of a rule, checked as a new rule would be, so an element can show them
 * before it is made.
 *
 * @throws ProblemError 400 as {@link createRecurring} for the rule and its dates.
 */
export function previewRecurring(ctx: AppContext, input: PreviewInput): Preview {
  const now = ctx.clock.now();
  const timing = readTiming(input, now, null, 'query');
  const today = calendarDateIn(now, timing.timeZone);
  const from = timing.startsOn > today ? timing.startsOn : today;
  const schedule = scheduleOf(timing);
  let items: ScheduledDate[];
  try {
    items = expandSchedule(schedule, { from, to: '9999-12-31', limit: input.count });
  } catch (error) {
    if (!(error instanceof RuleExpansionError)) throw error;
    // A rule this sparse (Feb 29 without clamping) shows the dates of the first decades.
    items = error.datesFound.map((scheduledOn) => ({ scheduledOn,
      dueOn: dueDateOf(scheduledOn, schedule.weekendPolicy) }));
  }
  return { rrule: timing.rrule, timeZone: timing.timeZone, from, items };
}

/** The schedule of a stored rule (or of its timing fields). */
export function scheduleOf(
  rule: Pick<RecurringAttributes, 'rrule' | 'startsOn' | 'endsOn' | 'weekendPolicy' |
    'monthEndClamp'>,
): Schedule {
  return { rule: parseRecurrenceRule(rule.rrule), startsOn: rule.startsOn, endsOn: rule.endsOn,
    weekendPolicy: rule.weekendPolicy, monthEndClamp: rule.monthEndClamp };
}

/**
 * What the ledger posts for one occurrence of `rule` due on `dueOn`: the rule's transaction,
 * occurred at the start of the due day in the rule's time zone (a date caught up after
 * downtime keeps its own day), never after `now`.
 */
export function postingInputOf(
  rule: RecurringAttributes,
  dueOn: string,
  now: Date,
): PostTransactionMinorInput {
  const dayStart = startOfDayIn(dueOn, rule.timeZone);
  return {
    walletId: rule.walletId, type: rule.type, amountMinor: rule.amountMinor,
    origin: 'recurring', categoryId: rule.categoryId, paymentMethodId: rule.paymentMethodId,
    description: rule.description, counterparty: rule.counterparty, tags: rule.tags,
    metadata: rule.metadata, occurredAt: dayStart < now ? dayStart : now,
  };
}

/** 404 for a rule the actor may not see. */
export function recurringNotFound(recurringId: number): ProblemError {
  return notFoundProblem(`There is no recurring rule ${recurringId} of yours.`);
}

/** The audited state of a rule: money as a minor-unit string. */
export function ruleState(rule: RecurringAttributes): { [key: string]: JsonValue } {
  return {
    walletId: rule.walletId, type: rule.type, amountMinor: rule.amountMinor.toString(),
    currency: rule.currency, categoryId: rule.categoryId, paymentMethodId: rule.paymentMethodId,
    rrule: rule.rrule, timeZone: rule.timeZone, startsOn: rule.startsOn, endsOn: rule.endsOn,
    weekendPolicy: rule.weekendPolicy, monthEndClamp: rule.monthEndClamp,
    requiresApproval: rule.requiresApproval, status: rule.status,
    pausedReason: rule.pausedReason,
  };
}

// ---------------------------------------------------------------------------------------------

/** The schedule fields of a rule as stored. */
type Timing = Pick<RecurringAttributes, 'rrule' | 'timeZone' | 'startsOn' | 'endsOn' |
  'weekendPolicy' | 'monthEndClamp'>;

/** The timing fields sent, with the stored ones under them for a change. */
interface TimingInput {
  rrule: unknown;
  timeZone?: string;
  startsOn?: string;
  endsOn?: string | null;
  weekendPolicy?: WeekendPolicy;
  monthEndClamp?: boolean;
}

/**
 * Checks a rule's schedule (invariant 2) and returns it as stored. `before` is the stored
 * rule of a change: a start it already had may lie further back than a new one may.
 */
function readTiming(
  input: TimingInput,
  now: Date,
  before: RecurringAttributes | null,
  part: 'body' | 'query' = 'body',
): Timing {
  const timeZone = requireTimeZone(input.timeZone ?? defaultTimeZone, `${part}.timeZone`);
  const rule = parseRecurrenceRule(input.rrule, `${part}.rrule`);
  const today = calendarDateIn(now, timeZone);
  const startsOn = input.startsOn === undefined
    ? today : parseIsoDate(input.startsOn, `${part}.startsOn`);
  const kept = before !== null && before.startsOn === startsOn;
  if (!kept && (startsOn < addDays(today, -startsOnPastDaysMax) ||
    startsOn > addDays(today, startsOnFutureDaysMax))) {
    throw validationProblem([{ path: `${part}.startsOn`, message: `must lie from ` +
      `${startsOnPastDaysMax} days before today to ${startsOnFutureDaysMax} days after it.` }]);
  }
  const endsOn = input.endsOn === undefined || input.endsOn === null
    ? null : parseIsoDate(input.endsOn, `${part}.endsOn`);
  if (endsOn !== null && endsOn < startsOn) {
    throw validationProblem([{ path: `${part}.endsOn`,
      message: 'must not lie before startsOn.' }]);
  }
  const timing: Timing = { rrule: formatRecurrenceRule(rule), timeZone, startsOn, endsOn,
    weekendPolicy: input.weekendPolicy ?? 'as-scheduled',
    monthEndClamp: input.monthEndClamp ?? true };
  checkScheduleGivesDates({ ...scheduleOf(timing), rule }, `${part}.rrule`);
  assert(isIsoDate(timing.startsOn), 'a start is a date');
  return timing;
}

function timingOf(rule: RecurringAttributes): TimingInput {
  return { rrule: rule.rrule, timeZone: rule.timeZone, startsOn: rule.startsOn,
    endsOn: rule.endsOn, weekendPolicy: rule.weekendPolicy, monthEndClamp: rule.monthEndClamp };
}

/** The members of `change` that were sent (a JSON body never holds `undefined`). */
function definedOf<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as
    Partial<T>;
}

/**
 * Drops the rule's occurrences that are not yet due (invariant 7) and returns the date the
 * rule is expanded through afterwards: the new schedule makes the dates after it.
 */
async function dropFutureOccurrences(
  ctx: AppContext,
  transaction: Transaction,
  rule: RecurringAttributes,
  today: string,
): Promise<string | null> {
  if (rule.expandedThrough === null) return null;
  const { Occurrence } = walletModels(ctx.sequelize);
  await Occurrence.destroy({ where: { recurringId: rule.id, status: 'pending',
    dueOn: { [Op.gt]: today } }, transaction });
  const latest = await Occurrence.findOne({ where: { recurringId: rule.id },
    order: [['scheduledOn', 'DESC']], attributes: ['scheduledOn'], transaction });
  const kept = latest !== null && latest.scheduledOn > today ? latest.scheduledOn : today;
  return kept < rule.expandedThrough ? kept : rule.expandedThrough;
}

/** Locks one of the actor's rules for the rest of the database transaction. */
async function lockRule(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  recurringId: number,
): Promise<Row<RecurringAttributes>> {
  const { Recurring } = walletModels(ctx.sequelize);
  const row = await Recurring.findByPk(recurringId, { transaction,
    lock: transaction.LOCK.UPDATE });
  if (!row || row.userId !== actor.userId) throw recurringNotFound(recurringId);
  return row;
}

async function lockAwaitingOccurrence(
  ctx: AppContext,
  transaction: Transaction,
  ids: { recurringId: number; occurrenceId: number },
): Promise<Row<OccurrenceAttributes>> {
  const { Occurrence } = walletModels(ctx.sequelize);
  const occurrence = await Occurrence.findOne({ transaction, lock: transaction.LOCK.UPDATE,
    where: { id: ids.occurrenceId, recurringId: ids.recurringId } });
  if (!occurrence) {
    throw notFoundProblem(`Recurring rule ${ids.recurringId} has no occurrence ` +
      `${ids.occurrenceId}.`);
  }
  if (occurrence.status !== 'awaiting-approval') {
    throw new ProblemError(409, 'occurrence-not-awaiting-approval', 'Not awaiting approval.',
      `Occurrence ${occurrence.id} is ${occurrence.status}; only one awaiting approval can be ` +
        'approved or rejected.', { extensions: { occurrenceStatus: occurrence.status } });
  }
  return occurrence;
}

/**
 * Runs a state change on one of the actor's rules, audited when it changed something.
 * `change` returns whether it did. An ended rule takes no change (409) unless `endedToo`, for
 * which ending again is a no-op.
 */
async function changeState(
  ctx: AppContext,
  actor: Actor,
  recurringId: number,
  change: (transaction: Transaction, row: Row<RecurringAttributes>) => Promise<boolean>,
  action: string,
  options: { endedToo?: boolean } = {},
): Promise<RecurringAttributes> {
  return writeTransaction(ctx, async (transaction) => {
    const row = await lockRule(ctx, transaction, actor, recurringId);
    const before = row.get({ plain: true });
    if (before.status === 'ended') {
      if (options.endedToo) return before;
      throw recurringEnded(recurringId);
    }
    if (!(await change(transaction, row))) return before;
    const after = row.get({ plain: true });
    await auditRule(ctx, transaction, actor, action, before, after);
    return after;
  });
}

function recurringEnded(recurringId: number): ProblemError {
  return new ProblemError(409, 'recurring-ended', 'Recurring rule ended.',
    `Recurring rule ${recurringId} has ended; it takes no more changes. Make a new one.`);
}

/** The category and payment method must be usable by the actor, as the ledger requires. */
async function checkReferences(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  references: { categoryId: number | null; paymentMethodId: number | null },
): Promise<void> {
  const { Category, PaymentMethod } = walletModels(ctx.sequelize);
  if (references.categoryId !== null) {
    const category = await Category.findByPk(references.categoryId, { transaction });
    if (!category || category.archivedAt !== null ||
      (category.userId !== null && category.userId !== actor.userId)) {
      throw new ProblemError(422, 'unknown-category', 'Unknown category.',
        `There is no category ${references.categoryId} you can use.`);
    }
  }
  if (references.paymentMethodId !== null) {
    const method = await PaymentMethod.findByPk(references.paymentMethodId, { transaction });
    if (!method || method.archivedAt !== null || method.userId !== actor.userId) {
      throw new ProblemError(422, 'unknown-payment-method', 'Unknown payment method.',
        `There is no payment method ${references.paymentMethodId} of yours.`);
    }
  }
}

async function auditRule(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  action: string,
  before: RecurringAttributes | null,
  after: RecurringAttributes,
): Promise<void> {
  assert.equal(after.userId, actor.userId, 'a user changes only their own rules');
  await appendAudit(ctx, transaction, { ownerUserId: after.userId, actor, action,
    entityType: 'recurring', entityId: after.id, before: before && ruleState(before),
    after: ruleState(after) });
}

async function auditDecision(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  action: string,
  occurrence: OccurrenceAttributes,
): Promise<void> {
  await appendAudit(ctx, transaction, { ownerUserId: actor.userId, actor, action,
    entityType: 'recurring-occurrence', entityId: occurrence.id,
    before: { recurringId: occurrence.recurringId, scheduledOn: occurrence.scheduledOn,
      status: 'awaiting-approval' },
    after: { status: occurrence.status, transactionId: occurrence.transactionId } });
}
