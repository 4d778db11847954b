/**
 * @module
 * `/api/analysis/*`: the field analysis of the registered models and of live tables, for
 * screen builders (`ab-model-form`, `ab-model-view`). Admin only: the analysis shows the
 * schema, secrets' column names included.
 */
import type { ApiRouter } from '../http/api-router.ts';
import {
  modelAnalysisSchema,
  modelListQuerySchema,
  modelListSchema,
  modelParamsSchema,
  tableParamsSchema,
} from './schemas.ts';
import { listModelSummaries, modelAnalysis, tableAnalysis } from './service.ts';

const tags = ['analysis'];

const invalid = { description: 'A name that is not a plain identifier, or a bad page query.' };
const notAdmin = { description: 'No session (401), or not an Admin (403).' };

/** Declares the analysis routes on `router`. */
export function analysisRoutes(router: ApiRouter): void {
  router.route(
    {
      method: 'get',
      path: '/analysis/models',
      summary: 'Registered models',
      description: 'Every model the server registers, by name, with its table and capabilities.',
      tags,
      access: 'admin',
      query: modelListQuerySchema,
      responses: {
        200: { description: 'A page of models.', schema: modelListSchema },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
      },
    },
    async (c, { query }) => c.json(await listModelSummaries(c.var.ctx, query)),
  );
  router.route(
    {
      method: 'get',
      path: '/analysis/models/:name',
      summary: "A model's field analysis",
      description: 'Each attribute of the model: types, category, what a list and a form may ' +
        'do with it, the reason for each exclusion, validation rules and the widget.',
      tags,
      access: 'admin',
      params: modelParamsSchema,
      responses: {
        200: { description: 'The analysis.', schema: modelAnalysisSchema },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
        404: { description: 'No registered model has this name.' },
      },
    },
    async (c, { params }) => c.json(await modelAnalysis(c.var.ctx, params.name)),
  );
  router.route(
    {
      method: 'get',
      path: '/analysis/tables/:table',
      summary: "A live table's field analysis",
      description: 'Each column of the table as the database holds it, read from its catalog.',
      tags,
      access: 'admin',
      params: tableParamsSchema,
      responses: {
        200: { description: 'The analysis.', schema: modelAnalysisSchema },
        400: invalid,
        401: notAdmin,
        403: notAdmin,
        404: { description: 'The database has no table with this name.' },
      },
    },
    async (c, { params }) => c.json(await tableAnalysis(c.var.ctx, params.table)),
  );
}
