/**
 * @module
 * CSV export of a wallet's transactions, with the filters of the search.
 *
 * Rules.
 *  1. The file is RFC 4180 CSV (see csv.ts), UTF-8, with a header record naming
 *     {@link csvExportColumns}; amounts are decimal strings in the wallet's currency, times ISO
 *     8601 in UTC, tags joined by `;`.
 *  2. Every text cell passes the formula-injection guard: a description such as `=1+1` is
 *     written `'=1+1`, and the import reads it back as `=1+1`.
 *  3. Bounded: at most {@link csvExportRowsMax} rows; an export that would hold more is
 *     refused (422 `export-too-large`) before anything is sent, so a file is never cut short
 *     silently. Rows are read and sent {@link csvExportPageRowsMax} at a time (streamed), by
 *     the same keyset order as the search, so memory stays bounded.
 *  4. The export reimports as duplicates only: every row matches the entry it came from.
 */
import { Op } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { csvRecord } from './csv.ts';
import { walletModels, type WalletTransactionAttributes } from './models.ts';
import { formatMinor } from './money.ts';
import type { InstantIdKey } from './page-cursors.ts';
import type { TransactionFilters } from './schemas.ts';
import { readPage, resolveSearch } from './transaction-search.ts';

/** Most rows one export holds. */
export const csvExportRowsMax = 10_000;

/** Rows read per query while streaming. */
export const csvExportPageRowsMax = 500;

/** The columns of an export, in order; the import reads the same names. */
export const csvExportColumns = [
  'id', 'occurredAt', 'type', 'amount', 'currency', 'description', 'counterparty',
  'categoryId', 'category', 'tags', 'origin', 'balanceAfter', 'reversalOf', 'reversedBy',
] as const;

/** An export ready to send. */
export interface CsvExport {
  /** A file name for `Content-Disposition`. */
  filename: string;
  /** How many rows the body holds (the header not counted). */
  rowCount: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * Exports the actor's wallet's transactions matching `filters`, newest first.
 *
 * @throws ProblemError 404 (wallet, category), 400 (bounds), 422 `export-too-large`.
 * @example
 * const file = await exportTransactionsCsv(ctx, actor, 7, { includeSubcategories: true });
 * return new Response(file.body, { headers: { 'Content-Type': 'text/csv' } });
 */
export async function exportTransactionsCsv(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  filters: TransactionFilters,
): Promise<CsvExport> {
  const { wallet, where } = await resolveSearch(ctx, actor, walletId, filters);
  const { WalletTransaction, Category } = walletModels(ctx.sequelize);
  const rowCount = await WalletTransaction.count({ where });
  if (rowCount > csvExportRowsMax) {
    throw new ProblemError(422, 'export-too-large', 'Export too large.',
      `${rowCount} transactions match; an export holds at most ${csvExportRowsMax}. ` +
        'Narrow the date range or the filters.', { extensions: { rowCount } });
  }
  const categories = await Category.findAll({
    where: { [Op.or]: [{ userId: null }, { userId: actor.userId }] },
    attributes: ['id', 'name'],
  });
  const names = new Map(categories.map((category) => [category.id, category.name]));
  const encoder = new TextEncoder();
  let after: InstantIdKey | null = null;
  let sent = 0;
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRecord(csvExportColumns)));
        return;
      }
      const pageRowsMax = Math.min(csvExportPageRowsMax, rowCount - sent);
      const rows = pageRowsMax > 0 ? await readPage(ctx, where, pageRowsMax, after) : [];
      if (rows.length > 0) {
        const text = rows.map((row) => csvRecord(exportCells(row, names))).join('');
        controller.enqueue(encoder.encode(text));
        sent += rows.length;
        const last = rows[rows.length - 1];
        after = last ? { instant: last.occurredAt, id: last.id } : after;
      }
      if (rows.length < pageRowsMax || rows.length === 0 || sent >= rowCount) controller.close();
    },
  });
  return { filename: `wallet-${wallet.id}-transactions.csv`, rowCount, body };
}

/** One transaction as the cells of {@link csvExportColumns}. */
export function exportCells(
  entry: WalletTransactionAttributes,
  categoryNames: ReadonlyMap<number, string>,
): string[] {
  const orEmpty = (value: number | string | null) => (value === null ? '' : String(value));
  return [
    String(entry.id),
    entry.occurredAt.toISOString(),
    entry.type,
    formatMinor(entry.amountMinor, entry.currency),
    entry.currency,
    entry.description ?? '',
    entry.counterparty ?? '',
    orEmpty(entry.categoryId),
    entry.categoryId === null ? '' : (categoryNames.get(entry.categoryId) ?? ''),
    entry.tags.join(';'),
    entry.origin,
    formatMinor(entry.balanceAfterMinor, entry.currency),
    orEmpty(entry.reversalOfId),
    orEmpty(entry.reversedById),
  ];
}
