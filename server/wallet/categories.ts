/**
 * @module
 * Categories: a tree of names for transactions. System categories (`userId` null, seeded by
 * migration wallet_002) are shared by everyone; each user adds their own, at the top or under
 * any category they can see.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/categories.test.ts.
 *  1. A user sees the system categories and their own, never another user's: another user's
 *     category is "not found" (404), so its existence is not revealed.
 *  2. System categories are read-only (403 `system-category`).
 *  3. Names are unique per owner and parent, whatever their case (the database's unique
 *     index), and a user's name may not repeat a system name under the same parent (409).
 *  4. Parent links form a forest: no category is its own ancestor (422 `category-cycle`), and
 *     no path from a top category is longer than {@link categoryDepthMax} (422
 *     `category-too-deep`).
 *  5. A child has its parent's kind, income or expense (422 `category-kind-mismatch`).
 *  6. Deleting: a category with children is refused (409 `category-has-children`: move or
 *     delete them first). One that transactions, budgets or recurring rules use is archived
 *     instead (the ledger is immutable, so its entries keep their category, and totals still
 *     count it); an archived category takes no new postings, children or budgets. An unused
 *     leaf is deleted.
 *  7. Every change is audited in its owner's chain. The chain head is locked first, which also
 *     serialises one user's category changes, so checks 3 and 4 hold until the commit.
 */
import assert from 'node:assert/strict';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, userAuditChain } from './audits.ts';
import { countFromColumn } from './column-values.ts';
import { isUniqueViolation } from './database-errors.ts';
import { walletModels, type CategoryAttributes, type Row } from './models.ts';
import { categoryNameLengthMax } from './schemas.ts';
import { writeTransaction } from './write-transaction.ts';

/** Most categories one user may own (archived ones included). */
export const categoriesPerUserMax = 200;

/** Most levels from a top category down to a leaf (a top category is level 1). */
export const categoryDepthMax = 5;

/** What a new category needs. */
export interface CreateCategoryInput {
  name: string;
  parentId?: number | null;
  kind?: CategoryAttributes['kind'];
  color?: string | null;
  icon?: string | null;
}

/** What may change; absent members stay. `parentId: null` moves it to the top. */
export interface UpdateCategoryInput {
  name?: string;
  parentId?: number | null;
  color?: string | null;
  icon?: string | null;
  archived?: boolean;
}

/** SQL: the categories `:userId` can see. */
const visibleSql = '(user_id IS NULL OR user_id = :userId)';

/**
 * A page of the categories the actor sees (system ones and their own), in id order.
 *
 * @returns up to `limit + 1` rows; one more than `limit` says another page follows.
 */
export async function listCategories(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; afterId: number | null; includeArchived: boolean },
): Promise<CategoryAttributes[]> {
  const { Category } = walletModels(ctx.sequelize);
  const rows = await Category.findAll({
    where: {
      [Op.or]: [{ userId: null }, { userId: actor.userId }],
      ...(page.afterId === null ? {} : { id: { [Op.gt]: page.afterId } }),
      ...(page.includeArchived ? {} : { archivedAt: null }),
    },
    order: [['id', 'ASC']],
    limit: page.limit + 1,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * One category the actor sees.
 *
 * @throws ProblemError 404 for a category that does not exist or is another user's.
 */
export async function getCategory(
  ctx: AppContext,
  actor: Actor,
  categoryId: number,
  options: { transaction?: Transaction } = {},
): Promise<CategoryAttributes> {
  const row = await findVisible(ctx, actor, categoryId, options.transaction);
  return row.get({ plain: true });
}

/**
 * Adds a category of the actor's.
 *
 * @throws ProblemError 400 (name), 404 (parent), 409 `category-name-taken`, 422
 *   `category-archived`, `category-kind-mismatch`, `category-too-deep`,
 *   `category-limit-reached`.
 */
export async function createCategory(
  ctx: AppContext,
  actor: Actor,
  input: CreateCategoryInput,
): Promise<CategoryAttributes> {
  const name = requireCategoryName(input.name);
  const parentId = input.parentId ?? null;
  const { Category } = walletModels(ctx.sequelize);
  return writeCategories(ctx, name, async (transaction) => {
    await lockAuditChain(ctx, transaction, userAuditChain(actor.userId));
    const owned = await Category.count({ where: { userId: actor.userId }, transaction });
    if (owned >= categoriesPerUserMax) {
      throw new ProblemError(422, 'category-limit-reached', 'Too many categories.',
        `A user may own at most ${categoriesPerUserMax} categories.`);
    }
    const parent = parentId === null ? null : await usableParent(ctx, actor, parentId, transaction);
    const kind = parent?.kind ?? input.kind ?? 'expense';
    if (parent && input.kind !== undefined && input.kind !== parent.kind) throw kindMismatch();
    if (parent) await checkDepth(ctx, parent.id, 1, transaction);
    await checkNameFree(ctx, actor, { parentId, name, exceptId: null }, transaction);
    const now = ctx.clock.now();
    const row = await Category.create({ userId: actor.userId, parentId, name, kind,
      systemKey: null, color: input.color ?? null, icon: input.icon ?? null, archivedAt: null,
      createdAt: now, updatedAt: now }, { transaction });
    const created = row.get({ plain: true });
    await auditCategory(ctx, transaction, actor, 'category.created', null, created);
    return created;
  });
}

/**
 * Renames, moves, recolours, archives or restores a category of the actor's.
 *
 * @throws ProblemError 400, 403 `system-category`, 404, 409 `category-name-taken`, 422
 *   `category-cycle`, `category-too-deep`, `category-kind-mismatch`, `category-archived`.
 */
export async function updateCategory(
  ctx: AppContext,
  actor: Actor,
  categoryId: number,
  input: UpdateCategoryInput,
): Promise<CategoryAttributes> {
  const name = input.name === undefined ? undefined : requireCategoryName(input.name);
  return writeCategories(ctx, name ?? 'this', async (transaction) => {
    await lockAuditChain(ctx, transaction, userAuditChain(actor.userId));
    const row = await findOwned(ctx, actor, categoryId, transaction);
    const before = row.get({ plain: true });
    const parentId = input.parentId === undefined ? before.parentId : input.parentId;
    if (parentId !== before.parentId && parentId !== null) {
      await checkMove(ctx, actor, before, parentId, transaction);
    }
    if (name !== undefined || parentId !== before.parentId) {
      await checkNameFree(ctx, actor, { parentId, name: name ?? before.name,
        exceptId: before.id }, transaction);
    }
    const archivedAt = input.archived === undefined
      ? before.archivedAt
      : input.archived ? (before.archivedAt ?? ctx.clock.now()) : null;
    await row.update({ name: name ?? before.name, parentId, archivedAt,
      color: input.color === undefined ? before.color : input.color,
      icon: input.icon === undefined ? before.icon : input.icon,
      updatedAt: ctx.clock.now() }, { transaction });
    const after = row.get({ plain: true });
    await auditCategory(ctx, transaction, actor, 'category.changed', before, after);
    return after;
  });
}

/**
 * Deletes an unused leaf category of the actor's, or archives one still in use.
 *
 * @returns what happened: `deleted` or `archived`.
 * @throws ProblemError 403 `system-category`, 404, 409 `category-has-children`.
 */
export async function deleteCategory(
  ctx: AppContext,
  actor: Actor,
  categoryId: number,
): Promise<{ id: number; outcome: 'deleted' | 'archived' }> {
  const { Category } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (transaction) => {
    await lockAuditChain(ctx, transaction, userAuditChain(actor.userId));
    const row = await findOwned(ctx, actor, categoryId, transaction);
    const before = row.get({ plain: true });
    const children = await Category.count({ where: { parentId: categoryId }, transaction });
    if (children > 0) {
      throw new ProblemError(409, 'category-has-children', 'Category has children.',
        `Category ${categoryId} has ${children} subcategories; move or delete them first.`);
    }
    if (await isInUse(ctx, categoryId, transaction)) {
      if (before.archivedAt === null) {
        await row.update({ archivedAt: ctx.clock.now(), updatedAt: ctx.clock.now() },
          { transaction });
      }
      const after = row.get({ plain: true });
      await auditCategory(ctx, transaction, actor, 'category.archived', before, after);
      return { id: categoryId, outcome: 'archived' as const };
    }
    await row.destroy({ transaction });
    await auditCategory(ctx, transaction, actor, 'category.deleted', before, null);
    return { id: categoryId, outcome: 'deleted' as const };
  });
}

/**
 * The ids of a category the actor sees and of every descendant they see, root first; at
 * most {@link categoryDepthMax} levels deep. Done in SQL with a recursive query.
 *
 * @throws ProblemError 404 when the root is not visible to the actor.
 */
export async function categorySubtreeIds(
  ctx: AppContext,
  actor: Actor,
  rootId: number,
  options: { transaction?: Transaction } = {},
): Promise<number[]> {
  await findVisible(ctx, actor, rootId, options.transaction);
  const rows = await ctx.sequelize.query<{ id: unknown }>(
    `WITH RECURSIVE subtree (id, depth) AS (
       SELECT id, 1 FROM ab_transaction_categories WHERE id = :rootId
       UNION ALL
       SELECT c.id, s.depth + 1 FROM ab_transaction_categories c
       JOIN subtree s ON c.parent_id = s.id
       WHERE s.depth < :depthMax AND (c.user_id IS NULL OR c.user_id = :userId)
     )
     SELECT id FROM subtree ORDER BY depth, id`,
    { replacements: { rootId, depthMax: categoryDepthMax, userId: actor.userId },
      type: QueryTypes.SELECT, transaction: options.transaction },
  );
  const ids = rows.map((row) => countFromColumn(row.id));
  assert.equal(ids[0], rootId, 'a subtree starts at its root');
  assert.equal(new Set(ids).size, ids.length, 'a subtree holds each category once: no cycle');
  return ids;
}

/** 404 for a category the actor may not see. */
export function categoryNotFound(categoryId: number): ProblemError {
  return notFoundProblem(`There is no category ${categoryId} you can see.`);
}

async function findVisible(
  ctx: AppContext,
  actor: Actor,
  categoryId: number,
  transaction: Transaction | undefined,
): Promise<Row<CategoryAttributes>> {
  const { Category } = walletModels(ctx.sequelize);
  const row = await Category.findByPk(categoryId, { transaction });
  if (!row || (row.userId !== null && row.userId !== actor.userId)) {
    throw categoryNotFound(categoryId);
  }
  return row;
}

async function findOwned(
  ctx: AppContext,
  actor: Actor,
  categoryId: number,
  transaction: Transaction,
): Promise<Row<CategoryAttributes>> {
  const row = await findVisible(ctx, actor, categoryId, transaction);
  if (row.userId === null) {
    throw new ProblemError(403, 'system-category', 'System category.',
      `Category ${categoryId} is a system category; it cannot be changed. ` +
        'Add your own category under it instead.');
  }
  assert.equal(row.userId, actor.userId, 'a user changes only their own categories');
  return row;
}

/** A parent the actor may hang a category under: visible and not archived. */
async function usableParent(
  ctx: AppContext,
  actor: Actor,
  parentId: number,
  transaction: Transaction,
): Promise<CategoryAttributes> {
  const parent = (await findVisible(ctx, actor, parentId, transaction)).get({ plain: true });
  if (parent.archivedAt !== null) {
    throw new ProblemError(422, 'category-archived', 'Category archived.',
      `Category ${parentId} is archived; restore it before adding to it.`);
  }
  return parent;
}

/** Invariants 4 and 5 for moving `category` under `parentId`. */
async function checkMove(
  ctx: AppContext,
  actor: Actor,
  category: CategoryAttributes,
  parentId: number,
  transaction: Transaction,
): Promise<void> {
  const parent = await usableParent(ctx, actor, parentId, transaction);
  const ancestors = await ancestorIds(ctx, parent.id, transaction);
  if (ancestors.includes(category.id)) {
    throw new ProblemError(422, 'category-cycle', 'Category cycle.',
      `Category ${parentId} lies under category ${category.id}; a category cannot be moved ` +
        'under itself or its own descendants.');
  }
  if (parent.kind !== category.kind) throw kindMismatch();
  const subtree = await categorySubtreeIds(ctx, actor, category.id, { transaction });
  const height = await subtreeHeight(ctx, category.id, subtree.length, transaction);
  await checkDepth(ctx, parent.id, height, transaction);
}

/** Refuses a subtree `height` levels tall under `parentId` past {@link categoryDepthMax}. */
async function checkDepth(
  ctx: AppContext,
  parentId: number,
  height: number,
  transaction: Transaction,
): Promise<void> {
  assert(height >= 1, 'a subtree is at least one level tall');
  const parentLevel = (await ancestorIds(ctx, parentId, transaction)).length;
  if (parentLevel + height > categoryDepthMax) {
    throw new ProblemError(422, 'category-too-deep', 'Category tree too deep.',
      `Categories nest at most ${categoryDepthMax} levels deep.`);
  }
}

/** `categoryId` and its ancestors up to a top category: at most one level past the limit. */
async function ancestorIds(
  ctx: AppContext,
  categoryId: number,
  transaction: Transaction,
): Promise<number[]> {
  const rows = await ctx.sequelize.query<{ id: unknown }>(
    `WITH RECURSIVE ancestors (id, parent_id, depth) AS (
       SELECT id, parent_id, 1 FROM ab_transaction_categories WHERE id = :categoryId
       UNION ALL
       SELECT c.id, c.parent_id, a.depth + 1 FROM ab_transaction_categories c
       JOIN ancestors a ON c.id = a.parent_id
       WHERE a.depth <= :depthMax
     )
     SELECT id FROM ancestors ORDER BY depth`,
    { replacements: { categoryId, depthMax: categoryDepthMax }, type: QueryTypes.SELECT,
      transaction },
  );
  return rows.map((row) => countFromColumn(row.id));
}

/** How many levels the subtree under `rootId` spans (a leaf: 1). */
async function subtreeHeight(
  ctx: AppContext,
  rootId: number,
  subtreeSize: number,
  transaction: Transaction,
): Promise<number> {
  const [row] = await ctx.sequelize.query<{ height: unknown }>(
    `WITH RECURSIVE subtree (id, depth) AS (
       SELECT id, 1 FROM ab_transaction_categories WHERE id = :rootId
       UNION ALL
       SELECT c.id, s.depth + 1 FROM ab_transaction_categories c
       JOIN subtree s ON c.parent_id = s.id WHERE s.depth <= :depthMax
     )
     SELECT MAX(depth) AS height FROM subtree`,
    { replacements: { rootId, depthMax: categoryDepthMax }, type: QueryTypes.SELECT,
      transaction },
  );
  const height = countFromColumn(row?.height ?? 1);
  assert(height <= subtreeSize, 'a subtree is no taller than it has members');
  return height;
}

/** Invariant 3, checked before the write so the answer names the clash. */
async function checkNameFree(
  ctx: AppContext,
  actor: Actor,
  wanted: { parentId: number | null; name: string; exceptId: number | null },
  transaction: Transaction,
): Promise<void> {
  const rows = await ctx.sequelize.query<{ id: unknown }>(
    `SELECT id FROM ab_transaction_categories
     WHERE ${visibleSql} AND COALESCE(parent_id, 0) = :parentId
       AND lower(name) = lower(:name) AND id <> :exceptId
     LIMIT 1`,
    { replacements: { userId: actor.userId, parentId: wanted.parentId ?? 0, name: wanted.name,
      exceptId: wanted.exceptId ?? 0 }, type: QueryTypes.SELECT, transaction },
  );
  if (rows.length > 0) throw nameTaken(wanted.name);
}

/** Whether any transaction, budget or recurring rule names the category. */
async function isInUse(
  ctx: AppContext,
  categoryId: number,
  transaction: Transaction,
): Promise<boolean> {
  const [row] = await ctx.sequelize.query<{ used: unknown }>(
    `SELECT
       (SELECT COUNT(*) FROM ab_wallet_transactions WHERE category_id = :categoryId) +
       (SELECT COUNT(*) FROM ab_wallet_budgets WHERE category_id = :categoryId) +
       (SELECT COUNT(*) FROM ab_recurring_transactions WHERE category_id = :categoryId)
       AS used`,
    { replacements: { categoryId }, type: QueryTypes.SELECT, transaction },
  );
  return countFromColumn(row?.used ?? 0) > 0;
}

/** Runs a category write; a unique violation that slipped past the check is still a 409. */
async function writeCategories<T>(
  ctx: AppContext,
  name: string,
  work: (transaction: Transaction) => Promise<T>,
): Promise<T> {
  try {
    return await writeTransaction(ctx, work);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

async function auditCategory(
  ctx: AppContext,
  transaction: Transaction,
  actor: Actor,
  action: string,
  before: CategoryAttributes | null,
  after: CategoryAttributes | null,
): Promise<void> {
  const subject = after ?? before;
  assert(subject, 'an audited change has a category');
  await appendAudit(ctx, transaction, { ownerUserId: actor.userId, actor, action,
    entityType: 'category', entityId: subject.id,
    before: before && categoryState(before), after: after && categoryState(after) });
}

function categoryState(category: CategoryAttributes): { [key: string]: string | number | null } {
  return {
    name: category.name,
    parentId: category.parentId,
    kind: category.kind,
    color: category.color,
    icon: category.icon,
    archivedAt: category.archivedAt?.toISOString() ?? null,
  };
}

function requireCategoryName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > categoryNameLengthMax) {
    throw validationProblem([{ path: 'body.name',
      message: `Must be 1 to ${categoryNameLengthMax} characters.` }]);
  }
  return trimmed;
}

function nameTaken(name: string): ProblemError {
  return new ProblemError(409, 'category-name-taken', 'Category name taken.',
    `There is already a category named "${name}" at that place in the tree.`);
}

function kindMismatch(): ProblemError {
  return new ProblemError(422, 'category-kind-mismatch', 'Kind mismatch.',
    'A subcategory has its parent\'s kind (income or expense).');
}
