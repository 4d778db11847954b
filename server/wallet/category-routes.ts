/**
 * @module
 * `/api/categories`: the category tree (system and one's own), adding, renaming, moving,
 * archiving and deleting one's own, and totals per category rolled up the tree. Thin: parse,
 * call `categories.ts` or `category-totals.ts`, answer the view.
 */
import type { ApiRouter } from '../http/api-router.ts';
import {
  createCategory,
  deleteCategory,
  getCategory,
  listCategories,
  updateCategory,
} from './categories.ts';
import { categoryTotals } from './category-totals.ts';
import { idCursor, pageOf, readIdCursor } from './page-cursors.ts';
import { walletActorOf } from './request-actor.ts';
import { answers } from './route-answers.ts';
import {
  categoryDeletedSchema,
  categoryListQuerySchema,
  categorySchema,
  categoryTotalsQuerySchema,
  categoryTotalsSchema,
  createCategoryBodySchema,
  idParamsSchema,
  pageSchema,
  updateCategoryBodySchema,
  type CategoryJson,
  type CategoryTotalsJson,
} from './schemas.ts';
import { categoryTotalsView, categoryView } from './views.ts';

const tags = ['categories'];

const treeRules = '`/category-cycle` (under itself or a descendant), `/category-too-deep`, ' +
  '`/category-kind-mismatch` or `/category-archived`.';

/** Declares the category routes on `router`. */
export function categoryRoutes(router: ApiRouter): void {
  listCategoriesRoute(router);
  createCategoryRoute(router);
  // Before `/categories/:id`, so `totals` is never read as an id.
  categoryTotalsRoute(router);
  getCategoryRoute(router);
  updateCategoryRoute(router);
  deleteCategoryRoute(router);
}

function listCategoriesRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/categories', summary: 'Categories you can use', tags,
    access: 'session',
    description: 'The system categories (shared, `system: true`) and your own, in id order; ' +
      'build the tree from `parentId`. Archived ones only with includeArchived=true.',
    query: categoryListQuerySchema,
    responses: { 200: { description: 'A page of categories.', schema: pageSchema(categorySchema) },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden },
  }, async (c, { query }) => {
    const rows = await listCategories(c.var.ctx, walletActorOf(c), { limit: query.limit,
      afterId: readIdCursor(query.cursor), includeArchived: query.includeArchived });
    const page = pageOf(rows, query.limit, (row) => idCursor(row.id));
    const items: CategoryJson[] = page.rows.map(categoryView);
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
}

function createCategoryRoute(router: ApiRouter): void {
  router.route({
    method: 'post', path: '/categories', summary: 'Add a category', tags, access: 'session',
    description: 'A category of yours, at the top or under any category you can see (a ' +
      'system one included); a subcategory has its parent\'s kind. Names are unique per ' +
      'parent, whatever their case.',
    body: createCategoryBodySchema,
    responses: { 201: { description: 'The new category.', schema: categorySchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound, 409: { description: '`/category-name-taken`.' },
      422: { description: `${treeRules} Or \`/category-limit-reached\`.` } },
  }, async (c, { body }) => {
    const category = await createCategory(c.var.ctx, walletActorOf(c), body);
    const view: CategoryJson = categoryView(category);
    return c.json(view, 201);
  });
}

function categoryTotalsRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/categories/totals', summary: 'Totals per category', tags,
    access: 'session',
    description: 'Debits and credits of one wallet per category: `own` (its entries) and ' +
      '`total` (rolled up with every descendant), over an optional [from, to) range. ' +
      'Transfers and reversed entries are left out.',
    query: categoryTotalsQuerySchema,
    responses: { 200: { description: 'The totals.', schema: categoryTotalsSchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { query }) => {
    const totals = await categoryTotals(c.var.ctx, walletActorOf(c), query.walletId, query);
    const view: CategoryTotalsJson = categoryTotalsView(totals);
    return c.json(view, 200);
  });
}

function getCategoryRoute(router: ApiRouter): void {
  router.route({
    method: 'get', path: '/categories/:id', summary: 'One category', tags, access: 'session',
    params: idParamsSchema,
    responses: { 200: { description: 'The category.', schema: categorySchema },
      400: answers.invalid, 401: answers.noSession, 403: answers.forbidden,
      404: answers.notFound },
  }, async (c, { params }) => {
    const category = await getCategory(c.var.ctx, walletActorOf(c), params.id);
    const view: CategoryJson = categoryView(category);
    return c.json(view, 200);
  });
}

function updateCategoryRoute(router: ApiRouter): void {
  router.route({
    method: 'patch', path: '/categories/:id', summary: 'Change a category', tags,
    access: 'session',
    description: 'Renames, moves (`parentId`; null for the top), recolours, archives or ' +
      'restores one of your categories. System categories are read-only.',
    params: idParamsSchema,
    body: updateCategoryBodySchema,
    responses: { 200: { description: 'The category after the change.', schema: categorySchema },
      400: answers.invalid, 401: answers.noSession,
      403: { description: '`/system-category`, `/mfa-required`.' }, 404: answers.notFound,
      409: { description: '`/category-name-taken`.' }, 422: { description: treeRules } },
  }, async (c, { params, body }) => {
    const category = await updateCategory(c.var.ctx, walletActorOf(c), params.id, body);
    const view: CategoryJson = categoryView(category);
    return c.json(view, 200);
  });
}

function deleteCategoryRoute(router: ApiRouter): void {
  router.route({
    method: 'delete', path: '/categories/:id', summary: 'Delete a category', tags,
    access: 'session',
    description: 'Deletes an unused category of yours. One that has subcategories is refused ' +
      '(409 `/category-has-children`: move or delete them first). One that transactions, ' +
      'budgets or recurring rules use is archived instead (`outcome: "archived"`): posted ' +
      'transactions are immutable and keep their category.',
    params: idParamsSchema,
    responses: { 200: { description: 'What happened.', schema: categoryDeletedSchema },
      400: answers.invalid, 401: answers.noSession,
      403: { description: '`/system-category`, `/mfa-required`.' }, 404: answers.notFound,
      409: { description: '`/category-has-children`.' } },
  }, async (c, { params }) => {
    const outcome = await deleteCategory(c.var.ctx, walletActorOf(c), params.id);
    return c.json(outcome, 200);
  });
}
