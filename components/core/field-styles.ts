/**
 * @packageDocumentation
 * `fieldStyles`: the look every form control shares: the field box, the floating label, help
 * and error text, focus ring, disabled and read-only states. Elements add their own rules after
 * it in `static styles`.
 *
 * The markup it expects (parts in brackets):
 *
 * ```html
 * <div class="field [float] [invalid]" part="field">
 *   <span class="affix" part="prefix">…</span>
 *   <div class="control">
 *     <input class="input" part="input" />
 *     <label class="label" part="label">…</label>
 *   </div>
 *   <span class="affix" part="suffix">…</span>
 * </div>
 * <div class="help-text" part="help-text">…</div>
 * <div class="error" part="error">…</div>
 * ```
 *
 * Text controls wrap the lines under the box in `<div class="footer">`, which also holds the
 * `validating` note and the `counter`, and may add a `visually-hidden` live region.
 *
 * Every colour and size reads an element-level property first (`--ab-field-*`, documented on
 * each element), then the theme token, then the light value, so a control looks right with or
 * without the theme.
 *
 * Looks and sizes follow host attributes, so any control that reflects them gets them:
 * `variant="filled"` (tinted box, underline), `variant="pill"` or `pill` (round ends), and
 * `size="small|medium|large"` (height, text size and label position).
 */
import { css } from 'lit';
import { token } from './tokens.ts';

/** Shared styles of form controls. */
export const fieldStyles = css`
  :host {
    /* Per size: box height, the input's padding above and below the text, the floated label. */
    --_field-height: 3.5rem;
    --_input-padding-top: 1.375rem;
    --_input-padding-bottom: 0.375rem;
    --_label-top: 0.375rem;
    display: block;
    font-family: ${token('font-family')};
    font-size: ${token('font-size-medium')};
    line-height: ${token('line-height')};
    color: ${token('color-text')};
    color-scheme: ${token('color-scheme')};
  }

  :host([size='small']) {
    --_field-height: 2.75rem;
    --_input-padding-top: 1.125rem;
    --_input-padding-bottom: 0.125rem;
    --_label-top: 0.1875rem;
    font-size: 0.875rem;
  }

  :host([size='large']) {
    --_field-height: 4rem;
    --_input-padding-top: 1.625rem;
    --_input-padding-bottom: 0.5rem;
    --_label-top: 0.5rem;
    font-size: ${token('font-size-large')};
  }

  :host([hidden]) {
    display: none;
  }

  .field {
    position: relative;
    display: flex;
    align-items: stretch;
    gap: ${token('space-s')};
    box-sizing: border-box;
    min-height: var(--ab-field-height, var(--_field-height));
    padding-inline: ${token('space-m')};
    border: 1px solid var(--ab-field-border-color, ${token('color-border')});
    border-radius: var(--ab-field-radius, ${token('radius-m')});
    background: var(--ab-field-background, ${token('color-surface')});
    cursor: text;
    transition:
      border-color ${token('duration-fast')},
      box-shadow ${token('duration-fast')};
  }

  .field:focus-within {
    border-color: var(--ab-field-focus-color, ${token('color-primary')});
    box-shadow: 0 0 0 ${token('focus-ring-width')} ${token('color-focus-ring')};
  }

  .field.invalid {
    border-color: ${token('color-danger')};
  }

  .field.invalid:focus-within {
    box-shadow: 0 0 0 ${token('focus-ring-width')} ${token('color-danger')};
  }

  .control {
    position: relative;
    flex: 1 1 auto;
    min-width: 0;
  }

  .input {
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    margin: 0;
    padding: var(--_input-padding-top) 0 var(--_input-padding-bottom);
    border: 0;
    outline: none;
    background: transparent;
    color: inherit;
    font: inherit;
  }

  .input::placeholder {
    color: ${token('color-text-muted')};
    opacity: 1;
  }

  .label {
    position: absolute;
    inset-inline-start: 0;
    top: 50%;
    max-width: 100%;
    overflow: hidden;
    transform: translateY(-50%);
    transform-origin: left top;
    color: var(--ab-field-label-color, ${token('color-text-muted')});
    white-space: nowrap;
    text-overflow: ellipsis;
    pointer-events: none;
    transition:
      top ${token('duration-fast')},
      transform ${token('duration-fast')},
      font-size ${token('duration-fast')};
  }

  .field:focus-within .label,
  .field.float .label {
    top: var(--_label-top);
    transform: none;
    font-size: ${token('font-size-small')};
  }

  .field:focus-within .label {
    color: var(--ab-field-focus-color, ${token('color-primary')});
  }

  .field.invalid .label {
    color: ${token('color-danger')};
  }

  .required-mark {
    margin-inline-start: 0.125em;
  }

  .affix {
    display: flex;
    align-items: center;
    color: ${token('color-text-muted')};
  }

  .affix[hidden] {
    display: none;
  }

  .help-text,
  .error {
    margin-block-start: ${token('space-xs')};
    padding-inline: ${token('space-m')};
    font-size: ${token('font-size-small')};
  }

  .help-text {
    color: ${token('color-text-muted')};
  }

  .error {
    color: ${token('color-danger')};
  }

  .help-text[hidden],
  .error:empty {
    display: none;
  }

  .footer {
    display: flex;
    align-items: flex-start;
  }

  .footer > .help-text,
  .footer > .validating,
  .footer > .error {
    flex: 1 1 auto;
    min-width: 0;
  }

  .validating,
  .counter {
    margin-block-start: ${token('space-xs')};
    padding-inline: ${token('space-m')};
    color: ${token('color-text-muted')};
    font-size: ${token('font-size-small')};
  }

  .validating[hidden] {
    display: none;
  }

  .counter {
    flex: none;
    margin-inline-start: auto;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .counter.over {
    color: ${token('color-danger')};
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  :host([variant='filled']) .field {
    border-width: 0 0 1px;
    border-end-start-radius: 0;
    border-end-end-radius: 0;
    background: var(--ab-field-background, ${token('color-surface-raised')});
  }

  :host([variant='pill']) .field,
  :host([pill]) .field {
    border-radius: calc(var(--ab-field-height, var(--_field-height)) / 2);
    padding-inline: ${token('space-l')};
  }

  :host(:disabled) .field,
  .field.disabled {
    background: ${token('color-surface-disabled')};
    border-style: dashed;
    cursor: not-allowed;
  }

  :host(:disabled) .input,
  .field.disabled .input {
    cursor: not-allowed;
  }

  .field.readonly {
    background: ${token('color-surface-raised')};
  }

  @media (prefers-reduced-motion: reduce) {
    .field,
    .label {
      transition: none;
    }
  }
`;
