/**
 * @module
 * The words of a field name, so rules can match `amountMinor`, `amount_minor` and
 * `AMOUNT-MINOR` alike. Pure: no server imports, so the browser side may import it.
 */

/** Longest field name read; past it only the first this many characters count. */
export const fieldNameLengthMax = 128;

/**
 * The lower-case words of `name`: split at `_`, `-`, spaces, digits-to-letters and
 * lower-to-upper case changes.
 *
 * @param name - a column or attribute name.
 * @returns its words, e.g. `['counter', 'amount', 'minor']` for `counterAmountMinor`.
 * @example nameWords('totp_secret') // ['totp', 'secret']
 */
export function nameWords(name: string): string[] {
  return name
    .slice(0, fieldNameLengthMax)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * Whether `name` holds one of `words`, or one of the multi-word `phrases` in a row.
 *
 * @param name - a column or attribute name.
 * @param words - single words, lower case.
 * @param phrases - word sequences written with `_`, e.g. `api_key`.
 */
export function nameHas(
  name: string,
  words: readonly string[],
  phrases: readonly string[] = [],
): boolean {
  const parts = nameWords(name);
  if (parts.some((part) => words.includes(part))) return true;
  const joined = `_${parts.join('_')}_`;
  return phrases.some((phrase) => joined.includes(`_${phrase}_`));
}
