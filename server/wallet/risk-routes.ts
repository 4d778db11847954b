/**
 * @module
 * `GET /api/wallets/:id/risk-assessments`: why the risk rules approved, flagged or blocked
 * the owner's debits on a wallet. Thin: parse, call `risk-assessments.ts`, answer the view.
 */
import type { ApiRouter } from '../http/api-router.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { listRiskAssessments } from './risk-assessments.ts';
import {
  riskAssessmentQuerySchema,
  riskAssessmentSchema,
  type RiskAssessmentJson,
} from './risk-schemas.ts';
import { answers } from './route-answers.ts';
import { idParamsSchema, pageSchema } from './schemas.ts';
import { riskAssessmentView } from './views.ts';

/** Declares the risk assessment route on `router`. */
export function riskRoutes(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/wallets/:id/risk-assessments', summary: 'Risk assessments',
    tags: ['wallets'], access: 'session',
    description: 'The assessments of the debits you made on this wallet, newest first: every ' +
      'rule with whether it fired, its points and its reason, the score and the band ' +
      '(`approve`, `review`: posted and flagged, `block`: refused, no transaction). Filter ' +
      'by band or by transactionId.',
    params: idParamsSchema,
    query: riskAssessmentQuerySchema,
    responses: { 200: { description: 'A page of assessments.',
      schema: pageSchema(riskAssessmentSchema) },
    400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
    404: answers.notFound },
  }, async (c, { params, query }) => {
    const rows = await listRiskAssessments(c.var.ctx, walletActorOf(c), params.id, {
      limit: query.limit, beforeId: readIdCursor(query.cursor),
      ...(query.band === undefined ? {} : { band: query.band }),
      ...(query.transactionId === undefined ? {} : { transactionId: query.transactionId }),
    });
    const page = pageOf(rows, query.limit, (row) => idCursor(row.id));
    const items: RiskAssessmentJson[] = page.rows.map(riskAssessmentView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}
