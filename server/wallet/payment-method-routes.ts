/**
 * @module
 * `/api/payment-methods`: a user's cards, bank accounts and other means of paying. List, add,
 * read, change the label and limits, archive. Thin: parse with `payment-method-schemas.ts`,
 * call `payment-methods.ts`, answer the masked view. A request may carry a card number or an
 * IBAN; no answer ever does.
 *
 * Adding takes no Idempotency-Key: the idempotency layer keeps a hash of the request, and a
 * hash of a card number is as good as the number (there are few enough of them to try all).
 */
import type { ApiRouter } from '../http/api-router.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import {
  createPaymentMethodBodySchema,
  paymentMethodListQuerySchema,
  paymentMethodSchema,
  updatePaymentMethodBodySchema,
  type PaymentMethodJson,
} from './payment-method-schemas.ts';
import {
  archivePaymentMethod,
  createPaymentMethod,
  getPaymentMethod,
  listPaymentMethods,
  updatePaymentMethod,
} from './payment-methods.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import { idParamsSchema, pageSchema } from './schemas.ts';
import { paymentMethodView } from './views.ts';

const tags = ['payment methods'];

/** Declares the payment method routes on `router`. */
export function paymentMethodRoutes(router: ApiRouter): void {
  listPaymentMethodsRoute(router);
  createPaymentMethodRoute(router);
  getPaymentMethodRoute(router);
  updatePaymentMethodRoute(router);
  archivePaymentMethodRoute(router);
}

function listPaymentMethodsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/payment-methods', summary: 'Your payment methods', tags,
    access: 'session',
    description: 'Your cards, bank accounts and other payment methods in id order, masked. ' +
      'Archived ones only with includeArchived=true.',
    query: paymentMethodListQuerySchema,
    responses: { 200: { description: 'A page of payment methods.',
      schema: pageSchema(paymentMethodSchema) },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden },
  }, async (c, { query }) => {
    const { ctx } = c.var;
    const rows = await listPaymentMethods(ctx, walletActorOf(c), { limit: query.limit,
      afterId: readIdCursor(query.cursor), includeArchived: query.includeArchived });
    const page = pageOf(rows, query.limit, (row) => idCursor(row.id));
    const now = ctx.clock.now();
    const items: PaymentMethodJson[] = page.rows.map((row) => paymentMethodView(row, now));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function createPaymentMethodRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/payment-methods', summary: 'Add a payment method', tags,
    access: 'session',
    description: 'A card (number checked by its Luhn digit and brand, expiry not in the ' +
      'past), a bank account (an IBAN checked by its country\'s length and mod 97, or an ' +
      'account number) or another kind (a label only), in one currency, with optional ' +
      'limits. The number and holder name are stored encrypted; the answer shows the ' +
      'masked number only.',
    body: createPaymentMethodBodySchema,
    responses: { 201: { description: 'The new payment method, masked.',
      schema: paymentMethodSchema },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    422: { description: '`/card-expired`, `/unknown-currency` or ' +
      '`/payment-method-limit-reached`.' } },
  }, async (c, { body }) => {
    const { ctx } = c.var;
    const method = await createPaymentMethod(ctx, walletActorOf(c), body);
    const view: PaymentMethodJson = paymentMethodView(method, ctx.clock.now());
    return c.json(view, 201);
  });
}

function getPaymentMethodRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/payment-methods/:id', summary: 'One payment method', tags,
    access: 'session',
    params: idParamsSchema,
    responses: { 200: { description: 'The payment method, masked.', schema: paymentMethodSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const { ctx } = c.var;
    const method = await getPaymentMethod(ctx, walletActorOf(c), params.id);
    const view: PaymentMethodJson = paymentMethodView(method, ctx.clock.now());
    return c.json(view, 200);
  });
}

function updatePaymentMethodRoute(router: ApiRouter): void {
  router.route({
    method: 'patch', path: '/payment-methods/:id', summary: 'Change a payment method', tags,
    access: 'session',
    description: 'Changes the label, the maximum per transaction and the monthly limit (null ' +
      'removes a limit), in its currency; audited. The number cannot change: add a new one.',
    params: idParamsSchema,
    body: updatePaymentMethodBodySchema,
    responses: { 200: { description: 'The payment method after the change.',
      schema: paymentMethodSchema },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound, 409: { description: '`/payment-method-archived`.' } },
  }, async (c, { params, body }) => {
    const { ctx } = c.var;
    const method = await updatePaymentMethod(ctx, walletActorOf(c), params.id, body);
    const view: PaymentMethodJson = paymentMethodView(method, ctx.clock.now());
    return c.json(view, 200);
  });
}

function archivePaymentMethodRoute(router: ApiRouter): void {
  router.route({
    method: 'delete', path: '/payment-methods/:id', summary: 'Archive a payment method', tags,
    access: 'session',
    description: 'Archives it: it stays on record (its transactions keep naming it) but pays ' +
      'nothing more and leaves the default list. Archiving it again changes nothing.',
    params: idParamsSchema,
    responses: { 200: { description: 'The archived payment method.',
      schema: paymentMethodSchema },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound },
  }, async (c, { params }) => {
    const { ctx } = c.var;
    const method = await archivePaymentMethod(ctx, walletActorOf(c), params.id);
    const view: PaymentMethodJson = paymentMethodView(method, ctx.clock.now());
    return c.json(view, 200);
  });
}
