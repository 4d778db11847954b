/**
 * @module
 * Postings over HTTP: `POST /api/wallets/:id/transactions`, `POST /api/transfers` (both with a
 * required `Idempotency-Key`) and `POST /api/transactions/:id/reverse`; reading them back:
 * `GET /api/wallets/:id/transactions` (search, pages), `GET /api/wallets/:id/transactions.csv`
 * (export) and `GET /api/transactions/:id`. Thin: parse, call the service, answer the view.
 * After a fresh posting commits, the budgets over its wallets are brought up to date.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { parsePart, readJsonBody } from '../http/api-router.ts';
import { checkBudgetsAfterPosting } from './budgets.ts';
import {
  idempotencyAnswers,
  idempotencyHeaderSpec,
  respondIdempotently,
} from './idempotent-route.ts';
import { postTransaction } from './ledger.ts';
import { instantIdCursor, pageOf, readInstantIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { reverseTransaction } from './reversals.ts';
import { answers } from './route-answers.ts';
import {
  idParamsSchema,
  pageSchema,
  postTransactionBodySchema,
  reverseBodySchema,
  transactionFiltersSchema,
  transactionSchema,
  transactionSearchQuerySchema,
  transferBodySchema,
  transferSchema,
  type ReverseBody,
  type TransactionJson,
  type TransferJson,
} from './schemas.ts';
import { exportTransactionsCsv } from './transaction-export.ts';
import { getTransaction, searchTransactions } from './transaction-search.ts';
import { transferBetweenWallets } from './transfers.ts';
import { transactionView, transferResultView } from './views.ts';

const tags = ['transactions'];

/** Declares the transaction and transfer routes on `router`. */
export function transactionRoutes(router: ApiRouter): void {
  postTransactionRoute(router);
  searchTransactionsRoute(router);
  exportTransactionsRoute(router);
  getTransactionRoute(router);
  reverseTransactionRoute(router);
  transferRoute(router);
}

function postTransactionRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/wallets/:id/transactions', summary: 'Post a transaction', tags,
    access: 'session',
    description: 'Posts a credit or a debit in the wallet\'s currency. `amount` is a decimal ' +
      'string ("12.34"; "1000" for JPY); a debit below the overdraft limit, past a daily or ' +
      'monthly limit, or above the maximum per transaction posts nothing (422). Exactly once ' +
      'per Idempotency-Key.',
    params: idParamsSchema,
    body: postTransactionBodySchema,
    headers: idempotencyHeaderSpec(true),
    responses: { 201: { description: 'The posted transaction.', schema: transactionSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: { description: '`/wallet-frozen`, `/wallet-closed`, or ' +
        `${idempotencyAnswers[409].description}`, headers: idempotencyAnswers[409].headers },
      422: answers.rules, 503: answers.busy },
  }, async (c, { params, body }) => {
    const { ctx } = c.var;
    const actor = walletActorOf(c);
    return respondIdempotently(c, actor, { required: true, body,
      afterCommit: () => checkBudgetsAfterPosting(ctx, actor, [params.id]) },
    async (transaction) => {
      const posting = await postTransaction(ctx, actor, { ...body, walletId: params.id },
        { transaction });
      const view: TransactionJson = transactionView(posting.transaction);
      return { status: 201, body: view };
    });
  });
}

function searchTransactionsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets/:id/transactions', summary: 'Search transactions', tags,
    access: 'session',
    description: 'The wallet\'s transactions, newest first (occurredAt, then id), filtered by ' +
      'text, dates, amounts, category (with its descendants unless includeSubcategories is ' +
      'false), tag and type. Pages are stable while transactions are added.',
    params: idParamsSchema,
    query: transactionSearchQuerySchema,
    responses: { 200: { description: 'A page of transactions.',
      schema: pageSchema(transactionSchema) },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound },
  }, async (c, { params, query }) => {
    const { limit, cursor, ...filters } = query;
    const { rows } = await searchTransactions(c.var.ctx, walletActorOf(c), params.id, filters,
      { limit, after: readInstantIdCursor(cursor) });
    const page = pageOf(rows, limit, (row) => instantIdCursor({ instant: row.occurredAt,
      id: row.id }));
    const items: TransactionJson[] = page.rows.map(transactionView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function exportTransactionsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets/:id/transactions.csv', summary: 'Export as CSV', tags,
    access: 'session',
    description: 'The transactions the same filters find, as RFC 4180 CSV (UTF-8, CRLF), ' +
      'newest first. Cells that a spreadsheet would run as a formula (starting with = + - @) ' +
      'are prefixed with a quote. At most 10000 rows (422 `/export-too-large` beyond).',
    params: idParamsSchema,
    query: transactionFiltersSchema,
    responses: { 200: { description: 'The CSV file (text/csv).',
      headers: { 'Content-Disposition': 'attachment; filename="wallet-<id>-transactions.csv"',
        'X-Row-Count': 'How many rows the file holds.' } },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound, 422: { description: '`/export-too-large`.' } },
  }, async (c, { params, query }) => {
    const file = await exportTransactionsCsv(c.var.ctx, walletActorOf(c), params.id, query);
    return c.body(file.body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'X-Row-Count': String(file.rowCount),
      'Cache-Control': 'no-store',
    });
  });
}

function getTransactionRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/transactions/:id', summary: 'One transaction', tags,
    access: 'session',
    params: idParamsSchema,
    responses: { 200: { description: 'The transaction.', schema: transactionSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const entry = await getTransaction(c.var.ctx, walletActorOf(c), params.id);
    const view: TransactionJson = transactionView(entry);
    return c.json(view, 200);
  });
}

function reverseTransactionRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/transactions/:id/reverse', summary: 'Reverse a transaction', tags,
    access: 'session',
    description: 'Posts the opposite entry and links both ways; a transfer\'s two legs are ' +
      'reversed together. A second reversal is 409 `/already-reversed`. The JSON body ' +
      '`{"description"}` is optional; so is an Idempotency-Key.',
    params: idParamsSchema,
    headers: idempotencyHeaderSpec(false),
    responses: { 201: { description: 'The reversing transaction.', schema: transactionSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: { description: '`/already-reversed`, `/wallet-frozen`, ' +
        '`/wallet-closed`, or an idempotency conflict.' },
      415: answers.unsupported, 422: { description: '`/not-reversible` (a reversal), ' +
        '`/insufficient-funds` (the credit was already spent).' }, 503: answers.busy },
  }, async (c, { params }) => {
    const { ctx } = c.var;
    const actor = walletActorOf(c);
    const hasBody = c.req.header('content-type') !== undefined;
    const body: ReverseBody = hasBody
      ? parsePart(reverseBodySchema, await readJsonBody(c), 'body')
      : {};
    let walletIds: number[] = [];
    return respondIdempotently(c, actor, { required: false, body,
      afterCommit: () => checkBudgetsAfterPosting(ctx, actor, walletIds) },
    async (transaction) => {
      const reversal = await reverseTransaction(ctx, actor, { transactionId: params.id,
        description: body.description ?? null }, { transaction });
      walletIds = [reversal.reversal.walletId, ...(reversal.counterReversal
        ? [reversal.counterReversal.walletId] : [])];
      const view: TransactionJson = transactionView(reversal.reversal);
      return { status: 201, body: view };
    });
  });
}

function transferRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/transfers', summary: 'Transfer between your wallets', tags,
    access: 'session',
    description: 'Debits the source and credits the target in one step. Between currencies ' +
      'the amount converts at the rate valid on the transfer date (half-even), frozen on both ' +
      'legs. `amount` is in the source wallet\'s currency. Exactly once per Idempotency-Key.',
    body: transferBodySchema,
    headers: idempotencyHeaderSpec(true),
    responses: { 201: { description: 'Both legs and the rate.', schema: transferSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: idempotencyAnswers[409],
      422: { description: '`/same-wallet`, `/rate-unavailable`, `/amount-too-small`, or a ' +
        'posting rule.' }, 503: answers.busy },
  }, async (c, { body }) => {
    const { ctx } = c.var;
    const actor = walletActorOf(c);
    return respondIdempotently(c, actor, { required: true, body,
      afterCommit: () => checkBudgetsAfterPosting(ctx, actor,
        [body.sourceWalletId, body.targetWalletId]) },
    async (transaction) => {
      const transfer = await transferBetweenWallets(ctx, actor, body, { transaction });
      const view: TransferJson = transferResultView(transfer);
      return { status: 201, body: view };
    });
  });
}
