/**
 * @packageDocumentation
 * Translatable strings. Each element exports its English defaults (`textareaStrings`) and has a
 * `strings` property taking any subset of them; a page can also override strings for every
 * instance of a tag at once with {@link setStrings}. An element reads its strings with
 * {@link resolveStrings} while rendering, so a changed `strings` property re-renders it.
 *
 * A string that needs values is a function (`(count: number) => string`), so translations can
 * place the values where their grammar wants them.
 */

/** A table of strings: plain text or a function of the values it shows. */
export type StringTable = Record<string, string | ((...values: never[]) => string)>;

const pageOverrides = new Map<string, Partial<StringTable>>();

/**
 * Overrides strings for every instance of `tag` on this page, e.g. for a translation.
 * Applies to renders from now on; call it before the elements are created.
 *
 * @example setStrings('ab-textarea', { counter: (used, max) => `${used} von ${max}` });
 */
export function setStrings<T extends StringTable>(tag: string, overrides: Partial<T>): void {
  pageOverrides.set(tag, { ...pageOverrides.get(tag), ...overrides });
}

/** The strings an instance shows: defaults, then the page's overrides, then the instance's. */
export function resolveStrings<T extends StringTable>(
  tag: string,
  defaults: T,
  instance: Partial<T> | undefined,
): T {
  return { ...defaults, ...(pageOverrides.get(tag) as Partial<T> | undefined), ...instance };
}
