/**
 * @module
 * CSV import over HTTP: `POST /api/wallets/:id/imports/preview` (CSV as `text/csv`, or JSON
 * `{"csv": "..."}`), `GET /api/wallets/:id/imports/:previewId`, and
 * `POST /api/wallets/:id/imports/:previewId/commit` (with a required `Idempotency-Key`).
 * Thin: read the body, call `transaction-import.ts`, answer the view.
 */
import type { Context } from 'hono';
import type { ApiRouter } from '../http/api-router.ts';
import { parsePart, readJsonBody } from '../http/api-router.ts';
import type { AppEnv } from '../http/env.ts';
import { checkBudgetsAfterPosting } from './budgets.ts';
import {
  idempotencyAnswers,
  idempotencyHeaderSpec,
  respondIdempotently,
} from './idempotent-route.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import {
  idParamsSchema,
  importCommitSchema,
  importParamsSchema,
  importPreviewBodySchema,
  importPreviewSchema,
  type ImportCommitJson,
  type ImportPreviewJson,
} from './schemas.ts';
import {
  commitImport,
  getImportPreview,
  importBytesMax,
  importRowsMax,
  previewImport,
} from './transaction-import.ts';
import { importCommitView, importPreviewView } from './views.ts';

const tags = ['imports'];

/** Declares the import routes on `router`. */
export function importRoutes(router: ApiRouter): void {
  previewRoute(router);
  getPreviewRoute(router);
  commitRoute(router);
}

/** The CSV text of a preview request: the body itself, or the `csv` member of a JSON body. */
async function csvTextOf(c: Context<AppEnv>): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (/^text\/csv\b/i.test(type)) return c.req.text();
  return parsePart(importPreviewBodySchema, await readJsonBody(c), 'body').csv;
}

function previewRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/wallets/:id/imports/preview', summary: 'Preview a CSV import',
    tags, access: 'session',
    description: 'Reads a CSV (`text/csv`, or JSON `{"csv": "..."}`) with a header naming ' +
      '`occurredAt` (or `date`), `amount` and optionally `type`, `currency`, `description`, ' +
      '`counterparty`, `categoryId`, `category`, `tags` (`;`-separated); an export reads ' +
      'back as is. Each row is marked `new`, `duplicate` (the wallet holds it: same day, ' +
      'type, amount, description, counterparty) or `invalid` with reasons. Nothing is ' +
      `posted. At most ${importBytesMax} bytes and ${importRowsMax} rows; the preview can ` +
      'be committed for an hour.',
    params: idParamsSchema,
    responses: { 201: { description: 'The stored preview.', schema: importPreviewSchema },
      400: { description: '`/validation` or `/csv-malformed` (with the `line`).' },
      401: answers.noSession, 403: answers.forbidden, 404: answers.notFound,
      413: { description: '`/import-too-large`.' }, 415: answers.unsupported,
      422: { description: '`/import-preview-limit` or `/import-range-too-wide`.' } },
  }, async (c, { params }) => {
    const preview = await previewImport(c.var.ctx, walletActorOf(c), params.id,
      await csvTextOf(c));
    const view: ImportPreviewJson = importPreviewView(preview);
    c.header('Cache-Control', 'no-store');
    return c.json(view, 201);
  });
}

function getPreviewRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets/:id/imports/:previewId', summary: 'A stored preview', tags,
    access: 'session',
    params: importParamsSchema,
    responses: { 200: { description: 'The preview.', schema: importPreviewSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const preview = await getImportPreview(c.var.ctx, walletActorOf(c), params.id,
      params.previewId);
    const view: ImportPreviewJson = importPreviewView(preview);
    return c.json(view, 200);
  });
}

function commitRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/wallets/:id/imports/:previewId/commit', summary: 'Commit an import',
    tags, access: 'session',
    description: 'Posts exactly the preview\'s `new` rows, all or none, once. If the wallet ' +
      'gained a matching transaction since the preview, nothing is posted (409 ' +
      '`/import-preview-stale`); preview again. A refused row (e.g. insufficient funds) ' +
      'refuses the whole commit, naming its `line`.',
    params: importParamsSchema,
    headers: idempotencyHeaderSpec(true),
    responses: { 201: { description: 'What was posted.', schema: importCommitSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound,
      409: { description: '`/import-already-committed`, `/import-preview-stale`, or ' +
        `${idempotencyAnswers[409].description}`, headers: idempotencyAnswers[409].headers },
      410: { description: '`/import-preview-expired`.' }, 422: answers.rules,
      503: answers.busy },
  }, async (c, { params }) => {
    const { ctx } = c.var;
    const actor = walletActorOf(c);
    return respondIdempotently(c, actor, { required: true, body: null,
      afterCommit: () => checkBudgetsAfterPosting(ctx, actor, [params.id]) },
    async (transaction) => {
      const commit = await commitImport(ctx, actor, params.id, params.previewId,
        { transaction });
      const view: ImportCommitJson = importCommitView(commit);
      return { status: 201, body: view };
    });
  });
}
