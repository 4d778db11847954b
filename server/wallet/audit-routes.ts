/**
 * @module
 * `/api/audits`: the wallet audit trail, one's own, or every one for an Admin. Thin: parse,
 * call `audit-log.ts`, answer the view.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { listAudits } from './audit-log.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import { auditQuerySchema, auditSchema, pageSchema, type AuditJson } from './schemas.ts';
import { auditView } from './views.ts';

/** Declares the audit routes on `router`. */
export function auditRoutes(router: ApiRouter): void {
  listAuditsRoute(router);
}

function listAuditsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/audits', summary: 'The audit trail', tags: ['audits'],
    access: 'session',
    description: 'Every recorded change of your wallets, transactions, categories and budgets, ' +
      'newest first, with the state before and after; each row chained to the previous by ' +
      'its hash. An Admin reads every user\'s (and the system chain), or one `ownerUserId`\'s.',
    query: auditQuerySchema,
    responses: { 200: { description: 'A page of audit rows.', schema: pageSchema(auditSchema) },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: { description: 'Another user\'s trail, asked by a non-Admin.' } },
  }, async (c, { query }) => {
    const rows = await listAudits(c.var.ctx, walletActorOf(c), { ...query,
      beforeId: readIdCursor(query.cursor) });
    const page = pageOf(rows, query.limit, (row) => idCursor(row.id));
    const items: AuditJson[] = page.rows.map(auditView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}
