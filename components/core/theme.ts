/**
 * @packageDocumentation
 * Installs the design tokens (`tokens.ts`) into the document, once, when imported.
 *
 * Importing this module is the whole API for most pages: the light tokens apply at once, the
 * dark ones when `<html data-ab-theme="dark">` is set or when the system prefers dark and the
 * root does not say `data-ab-theme="light"`. Elements do not need it: they carry the light
 * values as fallbacks.
 *
 * @example
 * ```ts
 * import 'ab-elements/core/theme.js';
 * document.documentElement.dataset.abTheme = 'dark';
 * ```
 */
import { themeStyles } from './tokens.ts';

/**
 * Marks a document that already has the theme. A global symbol, so two copies of the library
 * on one page (an npm import and the bundle) still install it only once.
 */
const installedMark = Symbol.for('ab-elements.theme-installed');

type MarkedDocument = Document & { [installedMark]?: CSSStyleSheet };

/**
 * Adds the theme stylesheet to `doc`'s adopted stylesheets unless it is there already.
 *
 * @returns the adopted sheet, so a caller (a test, a story) can remove it again.
 */
export function installTheme(doc: Document = document): CSSStyleSheet {
  const marked = doc as MarkedDocument;
  const existing = marked[installedMark];
  if (existing) return existing;
  const view = doc.defaultView ?? window;
  // A sheet must be constructed in the realm of the document that adopts it.
  const sheet = new view.CSSStyleSheet();
  sheet.replaceSync(themeStyles.cssText);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  marked[installedMark] = sheet;
  return sheet;
}

/** Removes the theme from `doc` if {@link installTheme} put it there. */
export function uninstallTheme(doc: Document = document): void {
  const marked = doc as MarkedDocument;
  const sheet = marked[installedMark];
  if (!sheet) return;
  doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
  delete marked[installedMark];
}

if (typeof document !== 'undefined') installTheme(document);
