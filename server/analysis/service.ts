/**
 * @module
 * What the analysis routes call: the registered models in pages, one model's analysis, one
 * live table's analysis. Answers come from the cache (`cache.ts`); an unknown name is a 404.
 */
import type { AppContext } from '../context.ts';
import { encryptedColumns, type EncryptedColumn } from '../crypto/encrypted-columns.ts';
import { notFoundProblem } from '../http/problem.ts';
import { findRegisteredModel, registeredModels } from '../models-registry.ts';
import { analyzeModel, analyzeTable } from './analyzer.ts';
import { cachedAnalysis } from './cache.ts';
import type { ModelAnalysis, ModelList, ModelListQuery } from './schemas.ts';

/**
 * Every column the domains register as encrypted. The registrations are loaded here, on the
 * first analysis, rather than at start: registering is a side effect of importing each
 * domain's module, and a process that never analyses (a test of the registry itself) should
 * not get them.
 */
async function domainEncryptedColumns(): Promise<readonly EncryptedColumn[]> {
  await import('../crypto/registered-columns.ts');
  return encryptedColumns();
}

/**
 * A page of the registered models, by name, after `query.cursor`.
 *
 * @param ctx - the server's context.
 * @param query - the page size and the name the page starts after.
 */
export async function listModelSummaries(
  ctx: AppContext,
  query: ModelListQuery,
): Promise<ModelList> {
  const after = query.cursor;
  const remaining = registeredModels(ctx.sequelize)
    .filter((entry) => after === undefined || entry.name > after);
  const page = remaining.slice(0, query.limit);
  const items = [];
  for (const entry of page) {
    const analysis = await modelAnalysis(ctx, entry.name);
    items.push({ name: entry.name, table: entry.table, domain: entry.domain,
      capabilities: [...analysis.capabilities], fieldCount: analysis.fields.length });
  }
  const last = page.at(-1);
  return { items, nextCursor: remaining.length > page.length && last ? last.name : null };
}

/**
 * The analysis of the registered model `name`.
 *
 * @throws ProblemError 404 when no registered model has that name.
 */
export async function modelAnalysis(ctx: AppContext, name: string): Promise<ModelAnalysis> {
  const entry = findRegisteredModel(ctx.sequelize, name);
  if (!entry) throw notFoundProblem(`No registered model is named ${name}.`);
  const encrypted = await domainEncryptedColumns();
  const analysis = await cachedAnalysis(ctx.sequelize, `model:${name}`,
    () => analyzeModel(entry.model, encrypted));
  // A model's analysis reads no table, so it always exists.
  if (analysis === null) throw new Error(`the analysis of model ${name} came back empty`);
  return analysis;
}

/**
 * The analysis of the live table `table`.
 *
 * @throws ProblemError 404 when the database has no such table.
 */
export async function tableAnalysis(ctx: AppContext, table: string): Promise<ModelAnalysis> {
  const model = registeredModels(ctx.sequelize).find((entry) => entry.table === table);
  const encrypted = await domainEncryptedColumns();
  const analysis = await cachedAnalysis(ctx.sequelize, `table:${table}`,
    () => analyzeTable(ctx.sequelize, table, model?.name ?? null, encrypted));
  if (analysis === null) throw notFoundProblem(`The database has no table named ${table}.`);
  return analysis;
}
