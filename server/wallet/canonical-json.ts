/**
 * @module
 * Canonical JSON: one text per value, so equal values hash equally.
 *
 * Object keys are sorted by UTF-16 code unit, no whitespace is written, and only JSON values
 * are accepted (no `undefined`, `bigint`, functions or non-finite numbers). The idempotency
 * layer hashes a request in this form, so `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are one
 * request; the audit trail stores and hashes its states in this form.
 */
import assert from 'node:assert/strict';
import type { JsonValue } from './models.ts';

/** Deepest nesting written; a value nested deeper is a programmer error here. */
export const canonicalJsonDepthMax = 32;

/**
 * The canonical JSON text of `value`.
 *
 * @param value - a JSON value, at most {@link canonicalJsonDepthMax} levels deep.
 * @returns compact JSON with sorted object keys.
 * @example
 * canonicalJson({ b: [1, 2], a: 'x' }); // '{"a":"x","b":[1,2]}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

/** Whether `value` is a JSON value that {@link canonicalJson} accepts. */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > canonicalJsonDepthMax) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

function write(value: unknown, depth: number): string {
  assert(depth <= canonicalJsonDepthMax, 'canonicalJson: value nested too deeply');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    assert(Number.isFinite(value), 'canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => write(item, depth + 1)).join(',')}]`;
  }
  assert(typeof value === 'object', `canonicalJson: ${typeof value} is not JSON`);
  assert(Object.getPrototypeOf(value) === Object.prototype, 'canonicalJson: only plain objects');
  const entries = Object.entries(value).sort(([first], [second]) =>
    first < second ? -1 : first > second ? 1 : 0,
  );
  const members = entries.map(([key, item]) => `${JSON.stringify(key)}:${write(item, depth + 1)}`);
  return `{${members.join(',')}}`;
}
