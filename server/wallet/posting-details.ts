/**
 * @module
 * The descriptive fields of a posting (description, counterparty, tags, metadata, occurred-at):
 * checked and normalised once, for every way a transaction is made (the API, transfers,
 * reversals, recurring rules, CSV import).
 *
 * Each field has a named limit; a value past it is a 400 naming the field, never cut short,
 * because a user should see what will be stored.
 */
import { validationProblem, type FieldError } from '../http/problem.ts';
import { canonicalJson, isJsonValue } from './canonical-json.ts';
import type { JsonValue } from './models.ts';

/** Longest description, in characters. */
export const descriptionLengthMax = 500;

/** Longest counterparty name, in characters. */
export const counterpartyLengthMax = 200;

/** Most tags on one transaction. */
export const tagsPerTransactionMax = 20;

/** Longest tag, in characters. */
export const tagLengthMax = 32;

/** Largest metadata object, as canonical JSON, in characters. */
export const metadataLengthMax = 4096;

/** Deepest nesting inside metadata (the object itself is level 1). */
export const metadataDepthMax = 5;

/** How far after the server's clock `occurredAt` may lie (clock skew, time zones). */
export const occurredAtFutureMsMax = 24 * 60 * 60 * 1000;

/** How far before the server's clock `occurredAt` may lie: ten years of back-dating. */
export const occurredAtPastMsMax = 3653 * 24 * 60 * 60 * 1000;

/** The descriptive fields as a caller sends them; everything is optional. */
export interface PostingDetailsInput {
  description?: string | null;
  counterparty?: string | null;
  tags?: readonly string[];
  metadata?: { [key: string]: JsonValue };
  /** When the money moved; an ISO 8601 instant or a Date; default now. */
  occurredAt?: string | Date;
}

/** The descriptive fields as stored. */
export interface PostingDetails {
  description: string | null;
  counterparty: string | null;
  tags: string[];
  metadata: { [key: string]: JsonValue };
  occurredAt: Date;
}

/**
 * Checks and normalises the descriptive fields: strings trimmed (empty becomes null), tags
 * trimmed and de-duplicated in their order, metadata a plain JSON object.
 *
 * @param input - the fields as sent.
 * @param now - the server's clock, for `occurredAt`'s default and bounds.
 * @param pathPrefix - prefix of the paths named in errors (`body.`).
 * @throws ProblemError 400 `validation` listing every bad field.
 */
export function normalisePostingDetails(
  input: PostingDetailsInput,
  now: Date,
  pathPrefix = '',
): PostingDetails {
  const errors: FieldError[] = [];
  const details: PostingDetails = {
    description: optionalText(
      input.description,
      descriptionLengthMax,
      `${pathPrefix}description`,
      errors,
    ),
    counterparty: optionalText(
      input.counterparty,
      counterpartyLengthMax,
      `${pathPrefix}counterparty`,
      errors,
    ),
    tags: normaliseTags(input.tags ?? [], `${pathPrefix}tags`, errors),
    metadata: normaliseMetadata(input.metadata ?? {}, `${pathPrefix}metadata`, errors),
    occurredAt: normaliseOccurredAt(input.occurredAt, now, `${pathPrefix}occurredAt`, errors),
  };
  if (errors.length > 0) throw validationProblem(errors);
  return details;
}

function optionalText(
  value: unknown,
  lengthMax: number,
  path: string,
  errors: FieldError[],
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push({ path, message: 'must be a string.' });
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length > lengthMax) {
    errors.push({ path, message: `must be at most ${lengthMax} characters long.` });
  }
  return trimmed === '' ? null : trimmed;
}

function normaliseTags(value: unknown, path: string, errors: FieldError[]): string[] {
  if (!Array.isArray(value)) {
    errors.push({ path, message: 'must be an array of strings.' });
    return [];
  }
  if (value.length > tagsPerTransactionMax) {
    errors.push({ path, message: `must hold at most ${tagsPerTransactionMax} tags.` });
    return [];
  }
  const tags: string[] = [];
  value.forEach((tag: unknown, index) => {
    const trimmed = typeof tag === 'string' ? tag.trim() : '';
    if (trimmed.length === 0 || trimmed.length > tagLengthMax) {
      const message = `must be a non-empty string of at most ${tagLengthMax} characters.`;
      errors.push({ path: `${path}.${index}`, message });
    } else if (!tags.includes(trimmed)) {
      tags.push(trimmed);
    }
  });
  return tags;
}

function normaliseMetadata(
  value: unknown,
  path: string,
  errors: FieldError[],
): { [key: string]: JsonValue } {
  const isObject =
    typeof value === 'object' && value !== null && !Array.isArray(value) && isJsonValue(value);
  if (!isObject) {
    errors.push({ path, message: 'must be a JSON object.' });
    return {};
  }
  if (depthOf(value, 0) > metadataDepthMax) {
    errors.push({ path, message: `must be nested at most ${metadataDepthMax} levels deep.` });
    return {};
  }
  if (canonicalJson(value).length > metadataLengthMax) {
    errors.push({ path, message: `must be at most ${metadataLengthMax} characters as JSON.` });
    return {};
  }
  return value as { [key: string]: JsonValue };
}

/** Levels of arrays and objects in `value`: `{}` is 1, `{a: [1]}` is 2. */
function depthOf(value: unknown, level: number): number {
  if (typeof value !== 'object' || value === null) return level;
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.reduce<number>(
    (deepest, child) => Math.max(deepest, depthOf(child, level + 1)),
    level + 1,
  );
}

function normaliseOccurredAt(
  value: unknown,
  now: Date,
  path: string,
  errors: FieldError[],
): Date {
  if (value === undefined) return now;
  const instant =
    value instanceof Date
      ? value
      : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)
        ? new Date(value)
        : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    errors.push({ path, message: 'must be an ISO 8601 instant such as 2026-03-01T09:00:00Z.' });
    return now;
  }
  const aheadMs = instant.getTime() - now.getTime();
  if (aheadMs > occurredAtFutureMsMax) {
    errors.push({ path, message: 'must not lie more than a day in the future.' });
  } else if (-aheadMs > occurredAtPastMsMax) {
    errors.push({ path, message: 'must not lie more than ten years in the past.' });
  }
  return instant;
}
