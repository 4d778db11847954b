/**
 * @module
 * Lists of the MFA API: `{items, nextCursor}`, where the cursor is the id of the last item of
 * the page and the next page holds the items after it in the list's order.
 */
import assert from 'node:assert/strict';
import type { PageQuery } from './schemas.ts';

/** The id the page starts after (the cursor), or null for the first page. */
export function pageStart(query: PageQuery): number | null {
  if (query.cursor === undefined) return null;
  const id = Number(query.cursor);
  assert(Number.isSafeInteger(id) && id > 0, 'the schema admits only positive whole cursors');
  return id;
}

/**
 * A page of `items`; `more` says whether items follow the last one.
 *
 * @returns `{items, nextCursor}`, the cursor being the last item's id when more follow.
 */
export function pageOf<T extends { id: number }>(
  items: T[],
  more: boolean,
): { items: T[]; nextCursor: string | null } {
  const last = items.at(-1);
  return { items, nextCursor: more && last !== undefined ? String(last.id) : null };
}
