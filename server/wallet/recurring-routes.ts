/**
 * @module
 * `/api/recurring`: recurring transactions (make, read, change, pause, resume, end), their
 * occurrences (list, approve, reject), a preview of a rule's dates, and a manual run of the
 * scheduler. Thin: parse, call `recurring.ts` or `recurring-scheduler.ts`, answer the view.
 *
 * A manual run (`POST /api/recurring/run`) runs what is due now, as the periodic scheduler
 * would: an Admin's run takes every user's due rules, anyone else's only their own. It is safe
 * beside the scheduler and other processes, since every occurrence is claimed in the database.
 */
import { randomUUID } from 'node:crypto';
import type { ApiRouter } from '../http/api-router.ts';
import { checkBudgetsAfterPosting } from './budgets.ts';
import { idempotencyAnswers, idempotencyHeaderSpec, respondIdempotently } from
  './idempotent-route.ts';
import {
  idCursor,
  instantIdCursor,
  pageOf,
  readIdCursor,
  readInstantIdCursor,
} from './page-cursors.ts';
import {
  approveOccurrence,
  createRecurring,
  endRecurring,
  getRecurring,
  listOccurrences,
  listRecurring,
  pauseRecurring,
  previewRecurring,
  rejectOccurrence,
  resumeRecurring,
  updateRecurring,
} from './recurring.ts';
import { runDueRecurring } from './recurring-scheduler.ts';
import {
  approvedOccurrenceSchema,
  createRecurringBodySchema,
  occurrenceListQuerySchema,
  occurrenceParamsSchema,
  occurrenceSchema,
  previewQuerySchema,
  previewSchema,
  recurringSchema,
  runReportSchema,
  updateRecurringBodySchema,
  type ApprovedOccurrenceJson,
  type OccurrenceJson,
  type RecurringJson,
} from './recurring-schemas.ts';
import { occurrenceView, previewView, recurringView } from './recurring-views.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import { idParamsSchema, pageQuerySchema, pageSchema } from './schemas.ts';
import { transactionView } from './views.ts';

const tags = ['recurring'];

const ruleAnswer = { description: 'The recurring rule.', schema: recurringSchema };

const endedAnswer = { description: '`/recurring-ended`: an ended rule takes no more changes.' };

/** Declares the recurring routes on `router`. */
export function recurringRoutes(router: ApiRouter): void {
  listRoute(router);
  createRoute(router);
  // Before `/recurring/:id`, so `preview` and `run` are never read as ids.
  previewRoute(router);
  runRoute(router);
  getRoute(router);
  updateRoute(router);
  stateRoutes(router);
  occurrencesRoute(router);
  approveRoute(router);
  rejectRoute(router);
}

function listRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/recurring', summary: 'Your recurring transactions', tags,
    access: 'session', description: 'Your rules in id order, ended ones included.',
    query: pageQuerySchema,
    responses: { 200: { description: 'A page of rules.', schema: pageSchema(recurringSchema) },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden },
  }, async (c, { query }) => {
    const rows = await listRecurring(c.var.ctx, walletActorOf(c),
      { limit: query.limit, afterId: readIdCursor(query.cursor) });
    const page = pageOf(rows, query.limit, (rule) => idCursor(rule.id));
    const items: RecurringJson[] = page.rows.map(recurringView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function createRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/recurring', summary: 'Make a recurring transaction', tags,
    access: 'session',
    description: 'Posts `amount` (in the wallet\'s currency) to one of your wallets on each ' +
      'date of an RFC 5545 rule (`FREQ=MONTHLY;BYMONTHDAY=31`), from `startsOn` (default today ' +
      'in `timeZone`, at most 31 days back) to `endsOn`, COUNT or UNTIL. `monthEndClamp` ' +
      '(default true) moves the 31st to the last day of shorter months; `weekendPolicy` moves a ' +
      'Saturday or Sunday to the Friday before or the Monday after. With `requiresApproval` ' +
      'each date waits for you to approve it. Missed dates are caught up; each posts once.',
    body: createRecurringBodySchema,
    responses: { 201: ruleAnswer, 400: answers.invalid, 401: answers.noSession,
      403: answers.forbidden, 404: answers.notFound,
      409: { description: '`/wallet-closed`.' },
      422: { description: '`/unknown-category`, `/unknown-payment-method`, ' +
        '`/recurring-limit-reached`.' }, 503: answers.busy },
  }, async (c, { body }) => {
    const rule = await createRecurring(c.var.ctx, walletActorOf(c), body);
    const view: RecurringJson = recurringView(rule);
    return c.json(view, 201);
  });
}

function previewRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/recurring/preview', summary: 'The next dates of a rule', tags,
    access: 'session',
    description: 'The next `count` dates (default 10, at most 50) a rule would give, from the ' +
      'later of `startsOn` and today, each with its due day after the weekend policy. Checked ' +
      'as a new rule is; nothing is stored.',
    query: previewQuerySchema,
    responses: { 200: { description: 'The dates.', schema: previewSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden },
  }, (c, { query }) => c.json(previewView(previewRecurring(c.var.ctx, query)), 200));
}

function runRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/recurring/run', summary: 'Run due recurring transactions now', tags,
    access: 'session',
    description: 'Does now what the scheduler does periodically: makes the dates that have ' +
      'come and posts them (or marks them for approval). An Admin runs every user\'s due rules, ' +
      'anyone else only their own. Each date posts once, however many runs there are.',
    responses: { 200: { description: 'What the run did.', schema: runReportSchema },
      401: answers.noSession, 403: answers.forbidden, 503: answers.busy },
  }, async (c) => {
    const actor = walletActorOf(c);
    const report = await runDueRecurring(c.var.ctx, { workerId: `api:${process.pid}:` +
      randomUUID(), ...(actor.isAdmin ? {} : { userId: actor.userId }) });
    return c.json(report, 200);
  });
}

function getRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/recurring/:id', summary: 'One recurring transaction', tags,
    access: 'session', params: idParamsSchema,
    responses: { 200: ruleAnswer, 400: answers.invalid, 401: answers.noSession,
      403: answers.forbidden, 404: answers.notFound },
  }, async (c, { params }) => {
    const view: RecurringJson = recurringView(
      await getRecurring(c.var.ctx, walletActorOf(c), params.id));
    return c.json(view, 200);
  });
}

function updateRoute(router: ApiRouter): void {
  router.route({
    method: 'patch', path: '/recurring/:id', summary: 'Change a recurring transaction', tags,
    access: 'session',
    description: 'Absent members stay. A new amount or description applies to the dates posted ' +
      'from now on. A new schedule applies from tomorrow in the rule\'s time zone: dates not ' +
      'yet due are made again from it; past ones stay.',
    params: idParamsSchema, body: updateRecurringBodySchema,
    responses: { 200: ruleAnswer, 400: answers.invalid, 401: answers.noSession,
      403: answers.forbidden, 404: answers.notFound, 409: endedAnswer,
      422: { description: '`/unknown-category`, `/unknown-payment-method`.' },
      503: answers.busy },
  }, async (c, { params, body }) => {
    const rule = await updateRecurring(c.var.ctx, walletActorOf(c), params.id, body);
    const view: RecurringJson = recurringView(rule);
    return c.json(view, 200);
  });
}

function stateRoutes(router: ApiRouter): void {
  const changes = [
    { method: 'post', path: '/recurring/:id/pause', summary: 'Pause a recurring transaction',
      description: 'Makes no dates until resumed; dates that come meanwhile are skipped. ' +
        'Pausing a paused rule changes nothing.', service: pauseRecurring },
    { method: 'post', path: '/recurring/:id/resume', summary: 'Resume a recurring transaction',
      description: 'Active again from today; its failure count restarts and a date that was ' +
        'failing is tried again at once.', service: resumeRecurring },
    { method: 'delete', path: '/recurring/:id', summary: 'End a recurring transaction',
      description: 'Ends the rule for good; it stays with its history. Dates waiting to post ' +
        'or for approval are skipped. Ending an ended rule changes nothing.',
      service: endRecurring },
  ] as const;
  for (const change of changes) {
    router.route({
      method: change.method, path: change.path, summary: change.summary, tags,
      access: 'session', description: change.description, params: idParamsSchema,
      responses: { 200: ruleAnswer, 400: answers.invalid, 401: answers.noSession,
        403: answers.forbidden, 404: answers.notFound, 409: endedAnswer, 503: answers.busy },
    }, async (c, { params }) => {
      const view: RecurringJson = recurringView(
        await change.service(c.var.ctx, walletActorOf(c), params.id));
      return c.json(view, 200);
    });
  }
}

function occurrencesRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/recurring/:id/occurrences', summary: 'Dates of a recurring rule',
    tags, access: 'session',
    description: 'The dates the rule has made, latest first, with their state: `pending` ' +
      '(to post; `attemptCount`, `lastError` and `nextAttemptAt` after a failure), ' +
      '`awaiting-approval`, `posted` (`transactionId`), `rejected`, `skipped` or `failed`.',
    params: idParamsSchema, query: occurrenceListQuerySchema,
    responses: { 200: { description: 'A page of occurrences.',
      schema: pageSchema(occurrenceSchema) },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound },
  }, async (c, { params, query }) => {
    const rows = await listOccurrences(c.var.ctx, walletActorOf(c), params.id, {
      limit: query.limit, after: readInstantIdCursor(query.cursor),
      ...(query.status === undefined ? {} : { status: query.status }) });
    const page = pageOf(rows, query.limit, (occurrence) => instantIdCursor({
      instant: new Date(`${occurrence.scheduledOn}T00:00:00Z`), id: occurrence.id }));
    const items: OccurrenceJson[] = page.rows.map(occurrenceView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function approveRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/recurring/:id/occurrences/:occurrenceId/approve',
    summary: 'Approve a date of a recurring rule', tags, access: 'session',
    description: 'Posts a date awaiting approval now, in the wallet\'s currency, as you. A ' +
      'refusal of the ledger (422, 409) posts nothing and leaves it awaiting approval. With an ' +
      'Idempotency-Key, a retry gets the first answer again.',
    params: occurrenceParamsSchema, headers: idempotencyHeaderSpec(false),
    responses: { 200: { description: 'The occurrence and the transaction it posted.',
      schema: approvedOccurrenceSchema },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound, 409: { description: '`/occurrence-not-awaiting-approval`, ' +
      `\`/wallet-frozen\`, \`/wallet-closed\`, or ${idempotencyAnswers[409].description}`,
    headers: idempotencyAnswers[409].headers },
    422: answers.rules, 503: answers.busy },
  }, async (c, { params }) => {
    const { ctx } = c.var;
    const actor = walletActorOf(c);
    let walletIds: number[] = [];
    return respondIdempotently(c, actor, { required: false, body: null,
      afterCommit: () => checkBudgetsAfterPosting(ctx, actor, walletIds) },
    async (transaction) => {
      const approved = await approveOccurrence(ctx, actor,
        { recurringId: params.id, occurrenceId: params.occurrenceId }, { transaction });
      walletIds = [approved.posting.wallet.id];
      const view: ApprovedOccurrenceJson = { occurrence: occurrenceView(approved.occurrence),
        transaction: transactionView(approved.posting.transaction) };
      return { status: 200, body: view };
    });
  });
}

function rejectRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/recurring/:id/occurrences/:occurrenceId/reject',
    summary: 'Reject a date of a recurring rule', tags, access: 'session',
    description: 'A date awaiting approval is rejected: it never posts.',
    params: occurrenceParamsSchema,
    responses: { 200: { description: 'The occurrence.', schema: occurrenceSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: { description: '`/occurrence-not-awaiting-approval`.' },
      503: answers.busy },
  }, async (c, { params }) => {
    const occurrence = await rejectOccurrence(c.var.ctx, walletActorOf(c),
      { recurringId: params.id, occurrenceId: params.occurrenceId });
    const view: OccurrenceJson = occurrenceView(occurrence);
    return c.json(view, 200);
  });
}
