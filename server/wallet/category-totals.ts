/**
 * @module
 * Totals per category of one wallet, rolled up the category tree, computed in SQL: a
 * recursive query pairs every category the owner sees with each of its descendants, and the
 * wallet's entries are summed per pair, so a parent's total holds its own entries and all of
 * its descendants'.
 *
 * Rules.
 *  1. Only the actor's wallet (404 otherwise), in its own currency: no conversion.
 *  2. Counted: entries that stand (a reversed entry and its reversal cancel, so neither is
 *     counted) and are not transfers (moving money between one's wallets is neither income
 *     nor spending). Debits and credits are summed apart.
 *  3. `own` is what a category holds itself; `total` adds every descendant's `own`.
 *     Categories without any counted entry in their subtree are left out; entries without a
 *     category are summed under `uncategorized`.
 *  4. The optional range is [from, to) on `occurredAt`, as in the search.
 */
import { QueryTypes } from 'sequelize';
import type { AppContext } from '../context.ts';
import { validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { categoryDepthMax } from './categories.ts';
import { countFromColumn, minorFromColumn } from './column-values.ts';
import type { WalletAttributes } from './models.ts';
import { boundInstant } from './transaction-search.ts';
import { getWallet } from './wallets.ts';

/** Debits and credits of a set of entries. */
export interface Flow {
  debitMinor: bigint;
  creditMinor: bigint;
  count: number;
}

/** One category's line of the report. */
export interface CategoryTotal {
  categoryId: number;
  parentId: number | null;
  name: string;
  own: Flow;
  total: Flow;
}

/** The report. */
export interface CategoryTotals {
  wallet: WalletAttributes;
  from: Date | null;
  to: Date | null;
  items: CategoryTotal[];
  uncategorized: Flow;
}

/**
 * `WITH RECURSIVE ... closure (ancestor_id, descendant_id, depth)`: every category the user
 * `:userId` sees paired with itself and each of its descendants, down to `:depthMax` levels.
 * Joining entries on `descendant_id` and grouping by `ancestor_id` rolls totals up the tree.
 */
export const categoryClosureSql = `WITH RECURSIVE visible AS (
       SELECT id, parent_id FROM ab_transaction_categories
       WHERE user_id IS NULL OR user_id = :userId
     ), closure (ancestor_id, descendant_id, depth) AS (
       SELECT id, id, 1 FROM visible
       UNION ALL
       SELECT c.ancestor_id, v.id, c.depth + 1 FROM closure c
       JOIN visible v ON v.parent_id = c.descendant_id WHERE c.depth < :depthMax
     )`;

type FlowRow = { category_id: unknown; debit_minor: unknown; credit_minor: unknown;
  entries: unknown };

/** What is summed per entry, with rule 2's exclusions. */
const sumsSql = `
  CAST(COALESCE(SUM(CASE WHEN t.type = 'debit' THEN t.amount_minor ELSE 0 END), 0) AS TEXT)
    AS debit_minor,
  CAST(COALESCE(SUM(CASE WHEN t.type = 'credit' THEN t.amount_minor ELSE 0 END), 0) AS TEXT)
    AS credit_minor,
  COUNT(t.id) AS entries`;

/**
 * Sums one of the actor's wallets per category, rolled up to the ancestors.
 *
 * @param range - `from` and `to` as in the search (instants or dates).
 * @throws ProblemError 404 (wallet), 400 (range).
 */
export async function categoryTotals(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  range: { from?: string; to?: string },
): Promise<CategoryTotals> {
  const wallet = await getWallet(ctx, actor, walletId);
  const from = range.from === undefined ? null : boundInstant(range.from, false, 'query.from');
  const to = range.to === undefined ? null : boundInstant(range.to, true, 'query.to');
  if (from && to && from >= to) {
    throw validationProblem([{ path: 'query.to', message: 'Must lie after `from`.' }]);
  }
  const entryFilter = `t.wallet_id = :walletId AND t.reversed_by_id IS NULL
    AND t.origin NOT IN ('reversal', 'transfer')
    ${from ? 'AND t.occurred_at >= :from' : ''} ${to ? 'AND t.occurred_at < :to' : ''}`;
  const replacements = { walletId: wallet.id, userId: actor.userId, from, to,
    depthMax: categoryDepthMax };
  const rolled = await ctx.sequelize.query<FlowRow & { name: string; parent_id: unknown }>(
    `${categoryClosureSql}
     SELECT c.ancestor_id AS category_id, k.name AS name, k.parent_id AS parent_id, ${sumsSql}
     FROM closure c
     JOIN ab_transaction_categories k ON k.id = c.ancestor_id
     JOIN ab_wallet_transactions t ON t.category_id = c.descendant_id AND ${entryFilter}
     GROUP BY c.ancestor_id, k.name, k.parent_id
     ORDER BY c.ancestor_id`,
    { replacements, type: QueryTypes.SELECT },
  );
  const own = await ctx.sequelize.query<FlowRow>(
    `SELECT t.category_id AS category_id, ${sumsSql} FROM ab_wallet_transactions t
     WHERE ${entryFilter} GROUP BY t.category_id`,
    { replacements, type: QueryTypes.SELECT },
  );
  const ownById = new Map(own.map((row) => [row.category_id === null ? null
    : countFromColumn(row.category_id), flowOf(row)]));
  const empty: Flow = { debitMinor: 0n, creditMinor: 0n, count: 0 };
  const items = rolled.map((row) => {
    const categoryId = countFromColumn(row.category_id);
    return { categoryId, name: row.name, own: ownById.get(categoryId) ?? empty,
      parentId: row.parent_id === null ? null : countFromColumn(row.parent_id),
      total: flowOf(row) };
  });
  return { wallet, from, to, items, uncategorized: ownById.get(null) ?? empty };
}

function flowOf(row: FlowRow): Flow {
  return { debitMinor: minorFromColumn(row.debit_minor),
    creditMinor: minorFromColumn(row.credit_minor), count: countFromColumn(row.entries) };
}
