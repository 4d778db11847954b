/**
 * @module
 * Reading an imported CSV into transaction drafts: each row is checked like a posting and
 * marked `new`, `duplicate` or `invalid` with its reasons. Pure functions; the import service
 * (transaction-import.ts) supplies the wallet's categories and existing entries.
 *
 * The file. A header record names the columns, in any order and any case: `occurredAt` (or
 * `date`) and `amount` are required; `type`, `currency`, `description` (or `memo`),
 * `counterparty` (or `payee`), `categoryId`, `category` (a name) and `tags` (joined by `;`) are
 * read when present; other columns (an export's `id`, `balanceAfter`, ...) are ignored. So an
 * export (transaction-export.ts) imports back as it is.
 *
 * A row:
 *  - `occurredAt`: an ISO 8601 instant with an offset, or a date (its start, UTC);
 *  - `type` and an unsigned `amount`, or, without a type, a signed amount (`-12.50` a debit);
 *  - the amount in the wallet's currency, with its decimals; `currency`, when given, equal to
 *    the wallet's;
 *  - a category the user can use, by id, or by a name that only one such category has.
 * Cells pass through the formula guard's inverse, so `'=SUM(1)` reads back as `=SUM(1)`.
 *
 * Duplicates. Two transactions are the same when they have the same type, amount, UTC day of
 * `occurredAt`, and description and counterparty (trimmed, spaces collapsed, any case). Each
 * existing entry of the wallet matches at most one imported row, so a file
 * with two identical coffees against a wallet holding one gets one duplicate and one new row,
 * and importing an export of a wallet into it again gets only duplicates.
 */
import { createHash } from 'node:crypto';
import { ProblemError } from '../http/problem.ts';
import { canonicalJson } from './canonical-json.ts';
import { CsvError, parseCsv, unguardCell, type CsvRecord } from './csv.ts';
import { parseAmountMinor } from './money.ts';
import type { TransactionType } from './models.ts';
import { normalisePostingDetails } from './posting-details.ts';
import { utcDateOf } from './utc-dates.ts';

/** Largest CSV text one preview reads, in bytes of UTF-8. */
export const importBytesMax = 512 * 1024;

/** Most data rows one import holds (the header not counted). */
export const importRowsMax = 1000;

/** Most columns one import row may have. */
export const importFieldsMax = 32;

/** Longest cell, in characters. */
export const importFieldLengthMax = 1000;

/** A row's verdict. */
export type ImportStatus = 'new' | 'duplicate' | 'invalid';

/** A row that can be posted, in minor units. */
export interface ImportDraft {
  type: TransactionType;
  amountMinor: bigint;
  occurredAt: Date;
  description: string | null;
  counterparty: string | null;
  categoryId: number | null;
  tags: string[];
}

/** One data row, read and judged. */
export interface ImportedRow {
  line: number;
  status: ImportStatus;
  reasons: string[];
  /** Null for an invalid row. */
  draft: ImportDraft | null;
  /** The duplicate key (SHA-256 hex); null for an invalid row. */
  key: string | null;
}

/** A category an import may name. */
export interface ImportCategory {
  id: number;
  name: string;
}

/** What reading needs besides the text. */
export interface ImportContext {
  currency: string;
  now: Date;
  /** The categories the user can post to (visible, not archived). */
  categories: readonly ImportCategory[];
}

/** The fields of a transaction that decide whether two are the same. */
export interface DuplicateFields {
  type: TransactionType;
  amountMinor: bigint;
  occurredAt: Date;
  description: string | null;
  counterparty: string | null;
}

type Column = 'occurredAt' | 'type' | 'amount' | 'currency' | 'description' | 'counterparty' |
  'categoryId' | 'category' | 'tags';

/** Header names (lower case, without spaces, `_` or `-`) and the column they name. */
const columnAliases: Readonly<Record<string, Column>> = {
  occurredat: 'occurredAt', date: 'occurredAt', type: 'type', amount: 'amount',
  currency: 'currency', description: 'description', memo: 'description',
  counterparty: 'counterparty', payee: 'counterparty', categoryid: 'categoryId',
  category: 'category', tags: 'tags',
};

/**
 * Reads a CSV import; every row is `new` or `invalid` (duplicates are marked by
 * {@link markDuplicates}).
 *
 * @throws ProblemError 400 `csv-malformed` when the text is not CSV, has no header, lacks a
 *   required column, or holds more than {@link importRowsMax} rows.
 */
export function readImportRows(csvText: string, context: ImportContext): ImportedRow[] {
  const [header, ...records] = parseRecords(csvText);
  if (!header) throw malformed('The file is empty; it needs a header record.', 1);
  const columns = mapHeader(header);
  return records.map((record) => readRow(record, header.fields.length, columns, context));
}

/**
 * Marks rows whose key an existing entry has as duplicates, each existing entry absorbing at
 * most one row, in file order.
 *
 * @param existingKeys - the keys of the wallet's existing entries.
 */
export function markDuplicates(rows: ImportedRow[], existingKeys: readonly string[]): void {
  const available = new Map<string, number>();
  for (const key of existingKeys) available.set(key, (available.get(key) ?? 0) + 1);
  for (const row of rows) {
    if (row.status === 'invalid' || row.key === null) continue;
    const count = available.get(row.key) ?? 0;
    if (count > 0) {
      available.set(row.key, count - 1);
      row.status = 'duplicate';
      row.reasons = ['The wallet already holds this transaction (same day, type, amount, ' +
        'description and counterparty).'];
    } else {
      row.status = 'new';
      row.reasons = [];
    }
  }
}

/** The duplicate key of a transaction: SHA-256 of what makes two the same. */
export function duplicateKey(fields: DuplicateFields): string {
  const text = (value: string | null) => (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
  const material = canonicalJson([fields.type, fields.amountMinor.toString(),
    utcDateOf(fields.occurredAt), text(fields.description), text(fields.counterparty)]);
  return createHash('sha256').update(material).digest('hex');
}

function parseRecords(csvText: string): CsvRecord[] {
  try {
    return parseCsv(csvText, { recordsMax: importRowsMax + 1, fieldsMax: importFieldsMax,
      fieldLengthMax: importFieldLengthMax });
  } catch (error) {
    if (error instanceof CsvError) {
      const message = error.reason.includes('records')
        ? `The file holds more than ${importRowsMax} rows; split it.`
        : error.reason;
      throw malformed(message, error.line);
    }
    throw error;
  }
}

function mapHeader(header: CsvRecord): Map<Column, number> {
  const columns = new Map<Column, number>();
  header.fields.forEach((name, index) => {
    const column = columnAliases[name.trim().toLowerCase().replace(/[\s_-]/g, '')];
    if (column !== undefined && !columns.has(column)) columns.set(column, index);
  });
  for (const required of ['occurredAt', 'amount'] as const) {
    if (!columns.has(required)) {
      throw malformed(`The header has no "${required}" column.`, header.line);
    }
  }
  return columns;
}

function readRow(
  record: CsvRecord,
  width: number,
  columns: Map<Column, number>,
  context: ImportContext,
): ImportedRow {
  const invalid = (reasons: string[]): ImportedRow =>
    ({ line: record.line, status: 'invalid', reasons, draft: null, key: null });
  if (record.fields.length !== width) {
    return invalid([`Has ${record.fields.length} fields; the header has ${width}.`]);
  }
  const cell = (column: Column) => {
    const index = columns.get(column);
    return index === undefined ? '' : unguardCell(record.fields[index] ?? '').trim();
  };
  const reasons: string[] = [];
  const money = readMoney(cell('type'), cell('amount'), cell('currency'), context, reasons);
  const categoryId = readCategory(cell('categoryId'), cell('category'), context, reasons);
  const occurredAt = readOccurredAt(cell('occurredAt'), reasons);
  const details = readDetails({ description: cell('description'),
    counterparty: cell('counterparty'), tags: cell('tags') }, occurredAt, context, reasons);
  if (reasons.length > 0 || !money || !details || occurredAt === null) return invalid(reasons);
  const draft: ImportDraft = { ...money, ...details, categoryId };
  return { line: record.line, status: 'new', reasons: [], draft, key: duplicateKey(draft) };
}

function readMoney(
  typeText: string,
  amountText: string,
  currencyText: string,
  context: ImportContext,
  reasons: string[],
): { type: TransactionType; amountMinor: bigint } | null {
  if (currencyText !== '' && currencyText.toUpperCase() !== context.currency) {
    reasons.push(`currency: ${currencyText} is not the wallet's ${context.currency}.`);
    return null;
  }
  let type: TransactionType;
  let unsigned = amountText;
  if (typeText === '') {
    type = amountText.startsWith('-') ? 'debit' : 'credit';
    unsigned = amountText.replace(/^[-+]/, '');
  } else if (typeText.toLowerCase() === 'credit' || typeText.toLowerCase() === 'debit') {
    type = typeText.toLowerCase() as TransactionType;
  } else {
    reasons.push('type: must be "credit" or "debit".');
    return null;
  }
  try {
    return { type, amountMinor: parseAmountMinor(unsigned, context.currency, 'amount') };
  } catch (error) {
    reasons.push(...problemMessages(error));
    return null;
  }
}

function readCategory(
  idText: string,
  nameText: string,
  context: ImportContext,
  reasons: string[],
): number | null {
  if (idText !== '') {
    const id = /^[1-9][0-9]{0,9}$/.test(idText) ? Number(idText) : Number.NaN;
    if (context.categories.some((category) => category.id === id)) return id;
    reasons.push(`categoryId: there is no category ${idText} you can use.`);
    return null;
  }
  if (nameText === '') return null;
  const matches = context.categories.filter(
    (category) => category.name.toLowerCase() === nameText.toLowerCase());
  if (matches.length === 1 && matches[0]) return matches[0].id;
  reasons.push(matches.length === 0
    ? `category: there is no category named "${nameText}" you can use.`
    : `category: several categories are named "${nameText}"; use categoryId.`);
  return null;
}

function readOccurredAt(text: string, reasons: string[]): Date | null {
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const isInstant = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})$/.test(text);
  const instant = isDate ? new Date(`${text}T00:00:00Z`) : isInstant ? new Date(text) : null;
  if (instant === null || Number.isNaN(instant.getTime()) ||
    (isDate && utcDateOf(instant) !== text)) {
    reasons.push('occurredAt: must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset.');
    return null;
  }
  return instant;
}

function readDetails(
  texts: { description: string; counterparty: string; tags: string },
  occurredAt: Date | null,
  context: ImportContext,
  reasons: string[],
): Pick<ImportDraft, 'description' | 'counterparty' | 'tags' | 'occurredAt'> | null {
  const tags = texts.tags.split(';').map((tag) => tag.trim()).filter((tag) => tag !== '');
  try {
    const details = normalisePostingDetails({ description: texts.description,
      counterparty: texts.counterparty, tags, occurredAt: occurredAt ?? context.now },
    context.now);
    return { description: details.description, counterparty: details.counterparty,
      tags: details.tags, occurredAt: details.occurredAt };
  } catch (error) {
    reasons.push(...problemMessages(error));
    return null;
  }
}

/** The messages of a validation problem, `path: message` each. */
function problemMessages(error: unknown): string[] {
  if (!(error instanceof ProblemError)) throw error;
  const errors = error.extensions.errors;
  if (!Array.isArray(errors)) return [error.message];
  return errors.map((entry: { path?: unknown; message?: unknown }) =>
    `${String(entry.path)}: ${String(entry.message)}`);
}

function malformed(message: string, line: number): ProblemError {
  return new ProblemError(400, 'csv-malformed', 'The CSV cannot be read.',
    `line ${line}: ${message}`, { extensions: { line } });
}
