/**
 * @packageDocumentation
 * `panelStyles`: the look the MFA elements share (`ab-login`, `ab-mfa-verify`,
 * `ab-mfa-backup-codes`, `ab-mfa-setup`, `ab-mfa-manager`, `ab-mfa-policy-editor`): the host's
 * type and colours, headings and paragraphs, buttons, rows of actions, muted notes, the alert
 * and status regions, and text only screen readers get. Elements add their own rules after it
 * in `static styles`: their `max-width`, their box, and where they differ.
 *
 * The markup it expects (optional classes in brackets):
 *
 * ```html
 * <h2 part="heading">…</h2>                 (or <div role="heading" aria-level="…">)
 * <p class="[muted]">…</p>
 * <div class="actions">
 *   <button class="primary">…</button>      (the main action: filled)
 *   <button class="secondary">…</button>    (outlined; in a grid, as wide as its text)
 *   <a class="button secondary">…</a>       (a link that looks like a button)
 * </div>
 * <div class="alert" role="alert">…</div>   (hidden while empty)
 * <div class="status" role="status">…</div> (hidden while empty)
 * <span class="visually-hidden">…</span>    (read, never shown)
 * ```
 *
 * A button without a class looks like `secondary`. A button that is `disabled`, or
 * `aria-disabled="true"` while a request runs (so it keeps the focus), is dimmed. Buttons,
 * links, inputs, headings that take the focus (`role="heading"`) and scrolling regions
 * (`class="scroll"`) show the focus ring.
 */
import { css } from 'lit';
import { token } from './tokens.ts';

/**
 * Shared styles of the MFA elements; an element lists its own rules after them.
 *
 * @example
 * ```ts
 * static override styles = [
 *   panelStyles,
 *   css`:host { max-width: var(--ab-mfa-verify-max-width, 24rem); }`,
 * ];
 * ```
 */
export const panelStyles = css`
  :host {
    display: block;
    font-family: ${token('font-family')};
    line-height: ${token('line-height')};
    color: ${token('color-text')};
    color-scheme: ${token('color-scheme')};
  }

  :host([hidden]) {
    display: none;
  }

  p {
    margin: 0;
  }

  [part~='heading'],
  [role='heading'] {
    margin: 0;
    font-weight: ${token('font-weight-strong')};
  }

  [part~='heading'] {
    font-size: ${token('font-size-large')};
  }

  .muted {
    color: ${token('color-text-muted')};
    font-size: ${token('font-size-small')};
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-s')};
  }

  button,
  .button {
    min-height: 2.75rem;
    padding: 0 ${token('space-l')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-m')};
    background: transparent;
    color: ${token('color-text')};
    font: inherit;
    font-weight: ${token('font-weight-strong')};
    cursor: pointer;
  }

  .primary {
    border: 0;
    background: ${token('color-primary')};
    color: ${token('color-on-primary')};
  }

  .secondary {
    justify-self: start;
  }

  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.7;
    cursor: not-allowed;
  }

  button:focus-visible,
  a:focus-visible,
  input:focus-visible,
  [role='heading']:focus-visible,
  .scroll:focus-visible {
    outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
    outline-offset: ${token('focus-ring-offset')};
  }

  .alert:empty,
  .status:empty {
    display: none;
  }

  .alert {
    padding: ${token('space-s')} ${token('space-m')};
    border-inline-start: 4px solid ${token('color-danger')};
    border-radius: ${token('radius-s')};
    background: ${token('color-danger-surface')};
    color: ${token('color-danger')};
  }

  .status {
    color: ${token('color-success')};
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
