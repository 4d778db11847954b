/**
 * @packageDocumentation
 * The accessible name and role of an element as assistive technology gets them, across shadow
 * roots, computed by axe-core (already loaded for the `accessible()` audits). The test runner's
 * `a11ySnapshot` command is not registered in this project's web-test-runner config.
 */
import 'axe-core/axe.min.js';

/** The axe-core commons the helpers use; `getRole` exists at runtime but not in axe's typings. */
type Axe = typeof import('axe-core') & {
  commons: { aria: { getRole(element: Element): string | null } };
};

function axeInstance(): Axe {
  const axe = (window as unknown as { axe?: Axe }).axe;
  if (!axe) throw new Error('axe-core did not register itself on window.');
  return axe;
}

/** Runs `read` with axe's flattened tree of the document built, and tears it down after. */
function withAxeTree<T>(read: (axe: Axe) => T): T {
  const axe = axeInstance();
  axe.setup(document);
  try {
    return read(axe);
  } finally {
    axe.teardown();
  }
}

/** The accessible name of `element`, e.g. the text of the `<label>` that names an input. */
export function accessibleName(element: Element): string {
  return withAxeTree((axe) => axe.commons.text.accessibleText(element).trim());
}

/** The ARIA role of `element`, explicit or implicit (`textbox` for a text `<input>`). */
export function accessibleRole(element: Element): string | null {
  return withAxeTree((axe) => axe.commons.aria.getRole(element));
}
