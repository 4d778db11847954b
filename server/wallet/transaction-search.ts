/**
 * @module
 * Reading a wallet's transactions: one by id, or a search by text, date range, amount range,
 * category (with its descendants), tag and type, newest first, a page at a time. Done in SQL
 * on wallet_001's indexes: (wallet_id, occurred_at) orders and bounds every query, the tags
 * table's (wallet_id, tag) index answers a tag, and the category index answers a category.
 *
 * Rules.
 *  1. Only the actor's wallet is searched; another user's wallet is "not found" (404).
 *  2. Order is occurredAt descending, then id descending, a total order; a page starts
 *     strictly after the previous page's last (occurredAt, id), so pages stay stable while
 *     transactions are added: nothing already listed repeats, nothing that existed is skipped.
 *  3. Text matches the description or the counterparty as a substring, in any case (letter
 *     case folds for ASCII on SQLite, for all letters on PostgreSQL); `%` and `_` in the
 *     text are matched literally.
 *  4. `from` is inclusive and `to` exclusive; a bare date means its start (UTC) for `from`
 *     and the start of the next day for `to`, so `to=2026-03-31` includes March 31.
 *  5. Amount bounds are decimal strings in the wallet's currency, both inclusive, checked like
 *     any amount (decimals, no sign, no exponent).
 */
import assert from 'node:assert/strict';
import { Op, type WhereOptions } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { categorySubtreeIds, getCategory } from './categories.ts';
import {
  walletModels,
  type WalletAttributes,
  type WalletTransactionAttributes,
} from './models.ts';
import { parseDecimalMinor } from './money.ts';
import type { InstantIdKey } from './page-cursors.ts';
import type { TransactionFilters } from './schemas.ts';
import { isIsoDate } from './utc-dates.ts';
import { getWallet } from './wallets.ts';

/** One day, for a bare `to` date. */
const dayMs = 24 * 60 * 60 * 1000;

/** The escape character of every LIKE pattern built here (portable to both databases). */
const likeEscape = '!';

/** A search, resolved against its wallet: bounds in minor units, categories as ids. */
export interface ResolvedSearch {
  wallet: WalletAttributes;
  where: WhereOptions<WalletTransactionAttributes>;
}

/**
 * A page of one of the actor's wallet's transactions matching `filters`.
 *
 * @param page - `limit` and the key the page starts after (null: the newest first).
 * @returns the wallet and up to `limit + 1` rows, newest first; one more than `limit` says
 *   another page follows.
 * @throws ProblemError 404 (wallet or category not the actor's), 400 (bad bound).
 * @example
 * const { rows } = await searchTransactions(ctx, actor, 7, { q: 'coffee',
 *   includeSubcategories: true }, { limit: 50, after: null });
 */
export async function searchTransactions(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  filters: TransactionFilters,
  page: { limit: number; after: InstantIdKey | null },
): Promise<{ wallet: WalletAttributes; rows: WalletTransactionAttributes[] }> {
  assert(Number.isSafeInteger(page.limit) && page.limit >= 1, 'a page holds at least one row');
  const { wallet, where } = await resolveSearch(ctx, actor, walletId, filters);
  const rows = await readPage(ctx, where, page.limit + 1, page.after);
  return { wallet, rows };
}

/**
 * One transaction of one of the actor's wallets.
 *
 * @throws ProblemError 404 when it does not exist or lies in another user's wallet.
 */
export async function getTransaction(
  ctx: AppContext,
  actor: Actor,
  transactionId: number,
): Promise<WalletTransactionAttributes> {
  const { WalletTransaction, Wallet } = walletModels(ctx.sequelize);
  const row = await WalletTransaction.findByPk(transactionId);
  const wallet = row ? await Wallet.findByPk(row.walletId, { attributes: ['userId'] }) : null;
  if (!row || !wallet || wallet.userId !== actor.userId) {
    throw notFoundProblem(`There is no transaction ${transactionId} of yours.`);
  }
  return row.get({ plain: true });
}

/**
 * Reads up to `rowsMax` rows of a resolved search, newest first, after `after`.
 */
export async function readPage(
  ctx: AppContext,
  where: WhereOptions<WalletTransactionAttributes>,
  rowsMax: number,
  after: InstantIdKey | null,
): Promise<WalletTransactionAttributes[]> {
  const { WalletTransaction } = walletModels(ctx.sequelize);
  const keyset = after === null ? [] : [{ [Op.or]: [
    { occurredAt: { [Op.lt]: after.instant } },
    { occurredAt: after.instant, id: { [Op.lt]: after.id } },
  ] }];
  const rows = await WalletTransaction.findAll({
    where: { [Op.and]: [where, ...keyset] },
    order: [['occurredAt', 'DESC'], ['id', 'DESC']],
    limit: rowsMax,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * Checks the filters against the actor's wallet and turns them into a WHERE clause.
 *
 * @throws ProblemError 404 (wallet, category), 400 (bounds).
 */
export async function resolveSearch(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  filters: TransactionFilters,
): Promise<ResolvedSearch> {
  const wallet = await getWallet(ctx, actor, walletId);
  const conditions: WhereOptions<WalletTransactionAttributes>[] = [{ walletId: wallet.id }];
  conditions.push(...timeConditions(filters));
  conditions.push(...amountConditions(filters, wallet.currency));
  if (filters.type !== undefined) conditions.push({ type: filters.type });
  if (filters.q !== undefined) conditions.push(textCondition(ctx, filters.q));
  if (filters.tag !== undefined) conditions.push(tagCondition(ctx, wallet.id, filters.tag));
  if (filters.categoryId !== undefined) {
    const categoryIds = filters.includeSubcategories
      ? await categorySubtreeIds(ctx, actor, filters.categoryId)
      : [(await getCategory(ctx, actor, filters.categoryId)).id];
    conditions.push({ categoryId: { [Op.in]: categoryIds } });
  }
  return { wallet, where: { [Op.and]: conditions } };
}

/**
 * An instant bound of a filter: an instant as given, or a date's start (UTC); for an upper
 * bound (`end`), a date means the start of the next day.
 *
 * @throws ProblemError 400 naming `path`.
 */
export function boundInstant(text: string, end: boolean, path: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!isIsoDate(text)) throw validationProblem([{ path, message: 'Is not a calendar date.' }]);
    const start = new Date(`${text}T00:00:00Z`);
    return end ? new Date(start.getTime() + dayMs) : start;
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) {
    throw validationProblem([{ path, message: 'Is not a valid instant.' }]);
  }
  return instant;
}

function timeConditions(filters: TransactionFilters): WhereOptions<WalletTransactionAttributes>[] {
  const from = filters.from === undefined ? null : boundInstant(filters.from, false, 'query.from');
  const to = filters.to === undefined ? null : boundInstant(filters.to, true, 'query.to');
  if (from && to && from >= to) {
    throw validationProblem([{ path: 'query.to', message: 'Must lie after `from`.' }]);
  }
  return [
    ...(from ? [{ occurredAt: { [Op.gte]: from } }] : []),
    ...(to ? [{ occurredAt: { [Op.lt]: to } }] : []),
  ];
}

function amountConditions(
  filters: TransactionFilters,
  currency: string,
): WhereOptions<WalletTransactionAttributes>[] {
  const min = filters.amountMin === undefined
    ? null
    : parseDecimalMinor(filters.amountMin, currency, 'query.amountMin');
  const max = filters.amountMax === undefined
    ? null
    : parseDecimalMinor(filters.amountMax, currency, 'query.amountMax');
  if (min !== null && max !== null && min > max) {
    throw validationProblem([{ path: 'query.amountMax', message: 'Must not be below amountMin.' }]);
  }
  return [
    ...(min !== null ? [{ amountMinor: { [Op.gte]: min } }] : []),
    ...(max !== null ? [{ amountMinor: { [Op.lte]: max } }] : []),
  ];
}

/** Rule 3: a case-insensitive substring of the description or the counterparty. */
function textCondition(ctx: AppContext, text: string): WhereOptions<WalletTransactionAttributes> {
  const pattern = ctx.sequelize.escape(`%${escapeLike(text.toLowerCase())}%`);
  const like = (column: string) =>
    ctx.sequelize.literal(`lower(${column}) LIKE ${pattern} ESCAPE '${likeEscape}'`);
  return { [Op.or]: [like('description'), like('counterparty')] };
}

function tagCondition(
  ctx: AppContext,
  walletId: number,
  tag: string,
): WhereOptions<WalletTransactionAttributes> {
  assert(Number.isSafeInteger(walletId), 'a wallet id is an integer');
  const subquery = `(SELECT transaction_id FROM ab_wallet_transaction_tags
    WHERE wallet_id = ${walletId} AND tag = ${ctx.sequelize.escape(tag.trim())})`;
  return { id: { [Op.in]: ctx.sequelize.literal(subquery) } };
}

/** `text` with LIKE's wildcards and the escape character matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (char) => `${likeEscape}${char}`);
}
