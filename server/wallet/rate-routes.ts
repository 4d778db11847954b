/**
 * @module
 * `/api/rates`: the rate valid on a date, and setting one as an Admin. Thin: parse, call
 * `rates.ts`, answer the view.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { quoteRate, setRate } from './rates.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import { rateQuerySchema, rateSchema, setRateBodySchema, type RateJson } from './schemas.ts';
import { rateView, storedRateView } from './views.ts';

/** Declares the rate routes on `router`. */
export function rateRoutes(router: ApiRouter): void {
  getRateRoute(router);
  setRateRoute(router);
}

function getRateRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/rates', summary: 'The rate valid on a date', tags: ['rates'],
    access: 'session',
    description: '1 `base` = `rate` `quote`, from the latest rate on or before `date` ' +
      '(default today, UTC); between two non-euro currencies, the cross rate through EUR ' +
      '(its `rateDate` the older leg\'s). Admin rates win over live ones, live over the ECB ' +
      'snapshot, on one date.',
    query: rateQuerySchema,
    responses: { 200: { description: 'The rate and its date.', schema: rateSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: { description: '`/rate-unavailable`: no rate on or before the date.' },
      422: { description: '`/unknown-currency`.' } },
  }, async (c, { query }) => {
    const found = await quoteRate(c.var.ctx, query);
    const view: RateJson = rateView(query.base, query.quote, found);
    return c.json(view, 200);
  });
}

function setRateRoute(router: ApiRouter): void {
  router.route({
    method: 'put', path: '/rates', summary: 'Set a rate (Admin)', tags: ['rates'],
    access: 'admin',
    description: 'Sets (or replaces) the Admin rate 1 `base` (default EUR) = `rate` `quote` ' +
      'on `date` (today or earlier); audited with the old and new value.',
    body: setRateBodySchema,
    responses: { 200: { description: 'The stored rate.', schema: rateSchema },
      400: answers.invalid, 401: answers.noSession,
      403: { description: '`/forbidden`: not an Admin; or `/mfa-required`.' },
      422: { description: '`/unknown-currency` or `/rate-date-in-future`.' } },
  }, async (c, { body }) => {
    const row = await setRate(c.var.ctx, walletActorOf(c), body);
    const view: RateJson = storedRateView(row);
    return c.json(view, 200);
  });
}
