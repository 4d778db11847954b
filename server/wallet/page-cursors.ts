/**
 * @module
 * Pages of the wallet API's lists: `{items, nextCursor}` with an opaque cursor.
 *
 * A cursor is the sort key of the last item of a page, written as base64url JSON so clients
 * treat it as opaque. The next page holds the items strictly after that key in the list's
 * order (keyset pagination), so an item inserted meanwhile never shifts a page: nothing is
 * shown twice and nothing that existed is skipped.
 *
 * Two keys are used: an id alone (lists in id order), and an instant with an id (transactions,
 * newest first by `occurredAt`, ties broken by id).
 */
import assert from 'node:assert/strict';
import { validationProblem } from '../http/problem.ts';
import { cursorLengthMax, idMax } from './schemas.ts';

/** A page of a list, as the API answers it. */
export type Page<T> = { items: T[]; nextCursor: string | null };

/** The sort key of a transaction list: newest first, then highest id. */
export interface InstantIdKey {
  instant: Date;
  id: number;
}

/**
 * Cuts the rows of a query that asked for `limit + 1` rows into a page.
 *
 * @param rows - at most `limit + 1` rows in the list's order; one more than `limit` means
 *   another page follows.
 * @param limit - the page size.
 * @param cursorOf - the cursor of a row.
 * @returns the first `limit` rows and the cursor of the last one when more follow.
 */
export function pageOf<R>(rows: R[], limit: number, cursorOf: (row: R) => string): {
  rows: R[];
  nextCursor: string | null;
} {
  assert(Number.isSafeInteger(limit) && limit >= 1, 'a page holds at least one row');
  assert(rows.length <= limit + 1, 'a page query asks for at most limit + 1 rows');
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { rows: kept, nextCursor: more && last !== undefined ? cursorOf(last) : null };
}

/** The cursor after the item with this id. */
export function idCursor(id: number): string {
  assert(Number.isSafeInteger(id) && id >= 1, 'an id cursor holds a positive id');
  return encode([id]);
}

/** The cursor after the item with this instant and id. */
export function instantIdCursor(key: InstantIdKey): string {
  assert(!Number.isNaN(key.instant.getTime()), 'a cursor instant is valid');
  return encode([key.instant.getTime(), key.id]);
}

/**
 * Reads an id cursor.
 *
 * @returns the id the page starts after, or null for the first page.
 * @throws ProblemError 400 for anything the server did not hand out.
 */
export function readIdCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const parts = decode(cursor);
  const [id] = parts;
  if (parts.length !== 1 || !isId(id)) throw badCursor();
  return id;
}

/**
 * Reads an instant-and-id cursor.
 *
 * @returns the key the page starts after, or null for the first page.
 * @throws ProblemError 400 for anything the server did not hand out.
 */
export function readInstantIdCursor(cursor: string | undefined): InstantIdKey | null {
  if (cursor === undefined) return null;
  const parts = decode(cursor);
  const [instantMs, id] = parts;
  const isInstant = typeof instantMs === 'number' && Number.isSafeInteger(instantMs) &&
    !Number.isNaN(new Date(instantMs).getTime());
  if (parts.length !== 2 || !isInstant || !isId(id)) throw badCursor();
  return { instant: new Date(instantMs), id };
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= idMax;
}

function encode(parts: readonly number[]): string {
  const cursor = Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
  assert(cursor.length <= cursorLengthMax, 'a cursor fits the length the API reads');
  return cursor;
}

function decode(cursor: string): unknown[] {
  if (cursor.length > cursorLengthMax || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parts)) throw badCursor();
    return parts;
  } catch {
    throw badCursor();
  }
}

function badCursor() {
  return validationProblem([{ path: 'query.cursor',
    message: 'Use the nextCursor of a previous page of this list.' }]);
}
