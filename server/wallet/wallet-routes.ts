/**
 * @module
 * `/api/wallets` and `/api/wallets/:id`: list, open, read, and change limits and state. Thin:
 * each route parses with `schemas.ts`, calls `wallets.ts`, and answers with `views.ts`.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { idempotencyHeaderSpec, respondIdempotently } from './idempotent-route.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import {
  createWalletBodySchema,
  idParamsSchema,
  pageQuerySchema,
  pageSchema,
  updateWalletBodySchema,
  walletSchema,
  type WalletJson,
} from './schemas.ts';
import { walletView } from './views.ts';
import { changeWallet, createWallet, getWallet, listWalletPage } from './wallets.ts';

const tags = ['wallets'];

/** Declares the wallet routes on `router`. */
export function walletRoutes(router: ApiRouter): void {
  listWalletsRoute(router);
  createWalletRoute(router);
  getWalletRoute(router);
  changeWalletRoute(router);
}

function listWalletsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets', summary: 'Your wallets', tags, access: 'session',
    description: 'The signed-in user\'s wallets, oldest first.',
    query: pageQuerySchema,
    responses: { 200: { description: 'A page of wallets.', schema: pageSchema(walletSchema) },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden },
  }, async (c, { query }) => {
    const rows = await listWalletPage(c.var.ctx, walletActorOf(c),
      { limit: query.limit, afterId: readIdCursor(query.cursor) });
    const page = pageOf(rows, query.limit, (row) => idCursor(row.id));
    const items: WalletJson[] = page.rows.map(walletView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function createWalletRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/wallets', summary: 'Open a wallet', tags, access: 'session',
    description: 'Opens a wallet in one currency, for life, with a zero balance and optional ' +
      'limits (decimal strings in that currency). An Idempotency-Key is optional here.',
    body: createWalletBodySchema,
    headers: idempotencyHeaderSpec(false),
    responses: { 201: { description: 'The new wallet.', schema: walletSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      409: { description: '`/wallet-name-taken`, or an idempotency conflict.' },
      422: { description: '`/unknown-currency` or `/wallet-limit-reached`.' } },
  }, async (c, { body }) => {
    const actor = walletActorOf(c);
    return respondIdempotently(c, actor, { required: false, body }, async (transaction) => {
      const wallet = await createWallet(c.var.ctx, actor, body, { transaction });
      const view: WalletJson = walletView(wallet);
      return { status: 201, body: view };
    });
  });
}

function getWalletRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets/:id', summary: 'One wallet', tags, access: 'session',
    params: idParamsSchema,
    responses: { 200: { description: 'The wallet.', schema: walletSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const wallet = await getWallet(c.var.ctx, walletActorOf(c), params.id);
    const view: WalletJson = walletView(wallet);
    return c.json(view, 200);
  });
}

function changeWalletRoute(router: ApiRouter): void {
  router.route({
    method: 'patch', path: '/wallets/:id', summary: 'Change limits or state', tags,
    access: 'session',
    description: 'Changes the overdraft limit, the maximum per transaction, the daily and ' +
      'monthly debit limits (null removes one) and the state (`frozen` refuses postings; ' +
      '`closed` is final and needs a zero balance), in one step; each change is audited.',
    params: idParamsSchema,
    body: updateWalletBodySchema,
    responses: { 200: { description: 'The wallet after the change.', schema: walletSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: { description: '`/wallet-closed`: closed is final.' },
      422: { description: '`/overdraft-below-balance` or `/wallet-not-empty`.' } },
  }, async (c, { params, body }) => {
    const wallet = await changeWallet(c.var.ctx, walletActorOf(c), params.id, body);
    const view: WalletJson = walletView(wallet);
    return c.json(view, 200);
  });
}
