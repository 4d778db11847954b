/**
 * @module
 * `/api/budgets`: budgets with their running period (spent, remaining, percent, projected),
 * their stored periods, and changes. Thin: parse, call `budgets.ts`, answer the view.
 */
import type { ApiRouter } from '../http/api-router.ts';
import {
  createBudget,
  deleteBudget,
  getBudget,
  listBudgetPeriods,
  listBudgets,
  updateBudget,
} from './budgets.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import {
  budgetDeletedSchema,
  budgetPeriodSchema,
  budgetSchema,
  createBudgetBodySchema,
  idParamsSchema,
  pageQuerySchema,
  pageSchema,
  updateBudgetBodySchema,
  type BudgetJson,
  type BudgetPeriodJson,
} from './schemas.ts';
import { budgetPeriodView, budgetView } from './views.ts';

const tags = ['budgets'];

const rateAnswer = { description: '`/rate-unavailable`: a budget over wallets in several ' +
  'currencies lacks a rate.' };

/** Declares the budget routes on `router`. */
export function budgetRoutes(router: ApiRouter): void {
  listBudgetsRoute(router);
  createBudgetRoute(router);
  getBudgetRoute(router);
  updateBudgetRoute(router);
  deleteBudgetRoute(router);
  listPeriodsRoute(router);
}

function listBudgetsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/budgets', summary: 'Your budgets', tags, access: 'session',
    description: 'Your budgets in id order, each with its running period brought up to date.',
    query: pageQuerySchema,
    responses: { 200: { description: 'A page of budgets.', schema: pageSchema(budgetSchema) },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden, 422: rateAnswer },
  }, async (c, { query }) => {
    const { states, more } = await listBudgets(c.var.ctx, walletActorOf(c),
      { limit: query.limit, afterId: readIdCursor(query.cursor) });
    const last = states.at(-1);
    const items: BudgetJson[] = states.map(budgetView);
    return c.json({ items, nextCursor: more && last ? idCursor(last.budget.id) : null }, 200);
  });
}

function createBudgetRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/budgets', summary: 'Create a budget', tags, access: 'session',
    description: 'A limit per calendar period (UTC; weeks start on Monday) for a wallet, a ' +
      'category with its descendants, or both. Without a wallet it spans all your wallets, ' +
      'converted into `currency` at the period\'s rate. Alerts fire once per period at each ' +
      'threshold (default 50, 80, 100 %). Rollover `surplus` carries what is left into the ' +
      'next period; `surplus-and-deficit` carries an overspend too.',
    body: createBudgetBodySchema,
    responses: { 201: { description: 'The budget and its first period.', schema: budgetSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound,
      422: { description: '`/unknown-currency`, `/currency-mismatch`, `/category-archived`, ' +
        '`/budget-start-out-of-range`, `/budget-limit-reached`, `/rate-unavailable`.' } },
  }, async (c, { body }) => {
    const state = await createBudget(c.var.ctx, walletActorOf(c), body);
    const view: BudgetJson = budgetView(state);
    return c.json(view, 201);
  });
}

function getBudgetRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/budgets/:id', summary: 'One budget and its status', tags,
    access: 'session',
    description: '`spent`, `remaining` (limit + rollover - spent), `percent` and `projected` ' +
      '(spent / elapsed time x period length) of the running period.',
    params: idParamsSchema,
    responses: { 200: { description: 'The budget.', schema: budgetSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 422: rateAnswer },
  }, async (c, { params }) => {
    const state = await getBudget(c.var.ctx, walletActorOf(c), params.id);
    const view: BudgetJson = budgetView(state);
    return c.json(view, 200);
  });
}

function updateBudgetRoute(router: ApiRouter): void {
  router.route({
    method: 'patch', path: '/budgets/:id', summary: 'Change a budget', tags, access: 'session',
    description: 'A new limit applies to the running period and the next; closed periods ' +
      'keep theirs. An inactive budget fires no alerts.',
    params: idParamsSchema,
    body: updateBudgetBodySchema,
    responses: { 200: { description: 'The budget after the change.', schema: budgetSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 422: rateAnswer },
  }, async (c, { params, body }) => {
    const state = await updateBudget(c.var.ctx, walletActorOf(c), params.id, body);
    const view: BudgetJson = budgetView(state);
    return c.json(view, 200);
  });
}

function deleteBudgetRoute(router: ApiRouter): void {
  router.route({
    method: 'delete', path: '/budgets/:id', summary: 'Delete a budget', tags,
    access: 'session',
    description: 'Deletes the budget with its periods and alerts; audited.',
    params: idParamsSchema,
    responses: { 200: { description: 'Deleted.', schema: budgetDeletedSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const { id } = await deleteBudget(c.var.ctx, walletActorOf(c), params.id);
    return c.json({ id, deleted: true as const }, 200);
  });
}

function listPeriodsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/budgets/:id/periods', summary: 'A budget\'s periods', tags,
    access: 'session',
    description: 'The stored periods, newest first, with what each carried in (`rollover`), ' +
      'spent, and the alerts it fired. Closed periods are frozen.',
    params: idParamsSchema,
    query: pageQuerySchema,
    responses: { 200: { description: 'A page of periods.',
      schema: pageSchema(budgetPeriodSchema) },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound, 422: rateAnswer },
  }, async (c, { params, query }) => {
    const { budget, periods } = await listBudgetPeriods(c.var.ctx, walletActorOf(c), params.id,
      { limit: query.limit, afterId: readIdCursor(query.cursor) });
    const page = pageOf(periods, query.limit, (stored) => idCursor(stored.period.id));
    const items: BudgetPeriodJson[] = page.rows.map((stored) => budgetPeriodView(budget, stored));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}
