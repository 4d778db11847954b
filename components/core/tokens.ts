/**
 * @packageDocumentation
 * The design tokens: every colour, size and timing the elements share, as `--ab-*` custom
 * properties, in a light and a dark set.
 *
 * The values live here once. `theme.ts` turns them into a document stylesheet; elements read
 * them through {@link token}, which writes `var(--ab-name, light-value)`, so an element looks
 * right with no theme installed and follows the theme when one is.
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

/** The light token set, the default. Keys are token names without the `--ab-` prefix. */
export const lightTokens = {
  'font-family':
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  'font-size-small': '0.8125rem',
  'font-size-medium': '1rem',
  'font-size-large': '1.25rem',
  'font-weight-strong': '600',
  'line-height': '1.5',
  'space-xs': '0.25rem',
  'space-s': '0.5rem',
  'space-m': '0.75rem',
  'space-l': '1rem',
  'space-xl': '1.5rem',
  'radius-s': '4px',
  'radius-m': '8px',
  'duration-fast': '120ms',
  'focus-ring-width': '2px',
  'focus-ring-offset': '2px',
  'color-scheme': 'light',
  'color-background': '#ffffff',
  'color-surface': '#ffffff',
  'color-surface-raised': '#f4f5f7',
  'color-surface-disabled': '#eceef1',
  'color-text': '#1a1d23',
  'color-text-muted': '#515864',
  'color-border': '#7b818c',
  'color-primary': '#1d4ed8',
  'color-primary-hover': '#1e40af',
  'color-on-primary': '#ffffff',
  'color-danger': '#b42318',
  'color-danger-surface': '#fef3f2',
  'color-success': '#067647',
  'color-success-surface': '#ecfdf3',
  'color-focus-ring': '#1d4ed8',
} as const;

/** The name of a token, e.g. `color-primary` for `--ab-color-primary`. */
export type TokenName = keyof typeof lightTokens;

/** Tokens whose value differs in the dark theme; sizes and timings stay as they are. */
export type ThemedTokenName = Extract<TokenName, `color-${string}` | 'color-scheme'>;

/** The dark token set: the colours that change when `data-ab-theme="dark"` is in force. */
export const darkTokens: Readonly<Record<ThemedTokenName, string>> = {
  'color-scheme': 'dark',
  'color-background': '#0f1115',
  'color-surface': '#181b21',
  'color-surface-raised': '#20242b',
  'color-surface-disabled': '#262a31',
  'color-text': '#e8eaed',
  'color-text-muted': '#a9afb9',
  'color-border': '#6f7682',
  'color-primary': '#8ab4f8',
  'color-primary-hover': '#aecbfa',
  'color-on-primary': '#0b1a33',
  'color-danger': '#ff8a80',
  'color-danger-surface': '#3a1c1a',
  'color-success': '#6fcf97',
  'color-success-surface': '#15301f',
  'color-focus-ring': '#8ab4f8',
};

/**
 * A token reference for element styles: `var(--ab-name, light-value)`.
 *
 * @example
 * ```ts
 * static styles = css`:host { color: ${token('color-text')}; }`;
 * ```
 */
export function token(name: TokenName): CSSResult {
  return unsafeCSS(`var(--ab-${name}, ${lightTokens[name]})`);
}

/** `--ab-name: value;` for every entry, as the body of a CSS rule. */
export function declarations(tokens: Readonly<Partial<Record<TokenName, string>>>): CSSResult {
  const lines = Object.entries(tokens).map(([name, value]) => `--ab-${name}: ${value};`);
  return unsafeCSS(lines.join('\n'));
}

/**
 * The whole theme as one stylesheet: light on `:root`, dark when the root says
 * `data-ab-theme="dark"`, or when the system prefers dark and the root does not say `light`.
 */
export const themeStyles: CSSResult = css`
  :root {
    ${declarations(lightTokens)}
  }
  :root[data-ab-theme='dark'] {
    ${declarations(darkTokens)}
  }
  @media (prefers-color-scheme: dark) {
    :root:not([data-ab-theme='light']) {
      ${declarations(darkTokens)}
    }
  }
`;
