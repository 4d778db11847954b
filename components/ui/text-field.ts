/**
 * @packageDocumentation
 * `<ab-text-field>`: a single-line text input whose label floats above the value once it is
 * focused or filled. A form-associated control; its validity is the inner `<input>`'s, so the
 * messages are the browser's own, in the user's language. What it shares with `ab-textarea`
 * (label, help and error lines, counter, validity) lives in `core/text-control.ts`.
 */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { fieldStyles } from '../core/field-styles.ts';
import { resolveStrings } from '../core/strings.ts';
import { TextControl, textControlStrings } from '../core/text-control.ts';
import { token } from '../core/tokens.ts';

export type { FieldSize, FieldVariant } from '../core/text-control.ts';

/** The input types the field supports: the single-line text types of `<input>`. */
export type TextFieldType = 'text' | 'email' | 'password' | 'url' | 'tel' | 'search' | 'number';

/** The English strings of `ab-text-field`; override any of them with `strings`. */
export const textFieldStrings = {
  ...textControlStrings,
  /** Accessible name of the password button while the password is hidden. */
  showPassword: 'Show password',
  /** Accessible name of the password button while the password is shown. */
  hidePassword: 'Hide password',
  /** Accessible name of the clear button. */
  clear: 'Clear',
};

/** The strings of {@link textFieldStrings}. */
export type TextFieldStrings = typeof textFieldStrings;

/**
 * A single-line text input whose label floats above the value once it is focused or filled.
 *
 * It submits `name=value` with its form, validates like the `<input>` it wraps (`required`,
 * `pattern`, `minlength`, `maxlength`, `min`, `max`, `step`, the type's own format) plus
 * `setCustomValidity()`, `validators` and `validate-url`, and shows the message once the user
 * has left the field after editing it, or tried to submit. Enter submits the form. For
 * `type="password"` a button shows and hides the password; with `clearable` a button empties
 * the field; with `counter` the characters are counted (down to `maxlength`).
 *
 * @summary Text input with a floating label; a form-associated control.
 * @tag ab-text-field
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the field; used instead of the `help-text` attribute.
 * @slot prefix - Content before the input, e.g. an icon or a unit.
 * @slot suffix - Content after the input, e.g. an icon or a unit.
 *
 * @fires input - While the user edits the value, and when the clear button empties it.
 * Bubbles, composed.
 * @fires change - When the user commits a value (leaves the field, presses Enter, or clears
 * it). Bubbles, composed.
 * @fires invalid - When a submit or `checkValidity()` finds the value invalid. Cancelable.
 * @fires ab-validity-change - When the validity, its message or `validating` changes; detail
 * `{valid: boolean, message: string, validating: boolean}`. Bubbles, composed.
 *
 * @csspart field - Box around the prefix, label, input, buttons and suffix.
 * @csspart label - The floating label.
 * @csspart input - The native `<input>`.
 * @csspart prefix - Wrapper of the `prefix` slot.
 * @csspart suffix - Wrapper of the `suffix` slot.
 * @csspart clear - The clear button (`clearable`, while there is a value).
 * @csspart toggle - The show/hide password button (`type="password"` only).
 * @csspart help-text - The help text under the field.
 * @csspart validating - The note shown while a validation rule is checking the value.
 * @csspart error - The error text, shown only while invalid after interaction.
 * @csspart counter - The character counter (`counter` only).
 *
 * @cssproperty --ab-field-border-color - Border colour at rest.
 * @cssproperty --ab-field-focus-color - Border and label colour while focused.
 * @cssproperty --ab-field-label-color - Label colour at rest.
 * @cssproperty --ab-field-background - Background of the field box.
 * @cssproperty --ab-field-radius - Corner radius of the field box (not for `pill`).
 * @cssproperty --ab-field-height - Minimum height of the field box; each `size` sets its own.
 */
export class AbTextField extends TextControl {
  static override styles = [
    fieldStyles,
    css`
      .button {
        align-self: center;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        flex: none;
        width: 2.25rem;
        height: 2.25rem;
        margin-inline-end: calc(-1 * ${token('space-s')});
        padding: 0;
        border: 0;
        border-radius: ${token('radius-s')};
        background: transparent;
        color: ${token('color-text-muted')};
        cursor: pointer;
      }
      .button + .button {
        margin-inline-start: calc(-1 * ${token('space-s')});
      }
      .button:hover {
        color: ${token('color-text')};
      }
      .button:focus-visible {
        outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
        outline-offset: 0;
      }
      .button:disabled {
        cursor: not-allowed;
      }
      .button svg {
        width: 1.25rem;
        height: 1.25rem;
      }
    `,
  ];

  /** The kind of text: sets the keyboard, the format check and, for `password`, masking. */
  @property({ reflect: true }) type: TextFieldType = 'text';

  /** A regular expression the whole value must match (the `<input pattern>` syntax). */
  @property() pattern = '';

  /** Smallest number allowed (`type="number"`); empty for no limit. */
  @property() min = '';

  /** Largest number allowed (`type="number"`); empty for no limit. */
  @property() max = '';

  /** Granularity of numbers (`type="number"`), or `any`; empty for the default, 1. */
  @property() step = '';

  /** Shows a button that empties the field while it has a value. */
  @property({ type: Boolean, reflect: true }) clearable = false;

  /** Round ends (the pill shape) with any `variant`; `variant="pill"` is the outlined pill. */
  @property({ type: Boolean, reflect: true }) pill = false;

  /** Overrides some or all of the English strings (see `textFieldStrings`). */
  declare strings: Partial<TextFieldStrings>;

  /** Whether the password is shown as plain text right now. */
  @state() private passwordVisible = false;

  protected override resolvedStrings(): TextFieldStrings {
    return resolveStrings('ab-text-field', textFieldStrings, this.strings);
  }

  override render() {
    const strings = this.resolvedStrings();
    const clears = this.clearable && this.value !== '' && !this.isDisabled && !this.readonly;
    return html`
      <div part="field" class=${classMap(this.fieldClasses())} @click=${this.handleFieldClick}>
        <span part="prefix" class="affix prefix" ?hidden=${!this.slots.has('prefix')}>
          <slot name="prefix"></slot>
        </span>
        <div class="control">${this.renderInput()} ${this.renderLabel()}</div>
        ${clears ? this.renderClear(strings) : nothing}
        ${this.type === 'password' ? this.renderToggle(strings) : nothing}
        <span part="suffix" class="affix suffix" ?hidden=${!this.slots.has('suffix')}>
          <slot name="suffix"></slot>
        </span>
      </div>
      ${this.renderFooter(strings)}
    `;
  }

  private renderInput() {
    const isNumber = this.type === 'number';
    const type = this.type === 'password' && this.passwordVisible ? 'text' : this.type;
    return html`<input
      part="input"
      class="input"
      id="input"
      type=${type}
      .value=${live(this.value)}
      ?required=${this.required}
      ?disabled=${this.isDisabled}
      ?readonly=${this.readonly}
      placeholder=${ifDefined(this.placeholder || undefined)}
      pattern=${ifDefined(this.pattern || undefined)}
      minlength=${ifDefined(this.minlength)}
      maxlength=${ifDefined(this.maxlength)}
      min=${ifDefined(isNumber && this.min !== '' ? this.min : undefined)}
      max=${ifDefined(isNumber && this.max !== '' ? this.max : undefined)}
      step=${ifDefined(isNumber && this.step !== '' ? this.step : undefined)}
      autocomplete=${ifDefined(this.autocomplete || undefined)}
      inputmode=${ifDefined(this.inputmode || undefined)}
      enterkeyhint=${ifDefined(this.enterkeyhint || undefined)}
      aria-label=${ifDefined(this.outerLabel())}
      aria-describedby=${ifDefined(this.describedBy())}
      aria-invalid=${this.errorText !== '' ? 'true' : 'false'}
      @input=${this.handleInput}
      @change=${this.handleChange}
      @keydown=${this.handleKeyDown}
    />`;
  }

  private renderClear(strings: TextFieldStrings) {
    return html`<button
      part="clear"
      class="button clear"
      type="button"
      aria-label=${strings.clear}
      aria-controls="input"
      @click=${this.handleClearClick}
    >
      ${clearIcon}
    </button>`;
  }

  private renderToggle(strings: TextFieldStrings) {
    // The name says what a press does; it changes with the state, so no `aria-pressed` too.
    return html`<button
      part="toggle"
      class="button toggle"
      type="button"
      aria-label=${this.passwordVisible ? strings.hidePassword : strings.showPassword}
      aria-controls="input"
      ?disabled=${this.isDisabled}
      @click=${this.handleToggleClick}
    >
      ${this.passwordVisible ? eyeOffIcon : eyeIcon}
    </button>`;
  }

  private handleKeyDown(event: KeyboardEvent): void {
    const modified = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
    if (event.key !== 'Enter' || event.isComposing || modified) return;
    // Give the browser's own `change` (fired on Enter) its turn before the form submits.
    setTimeout(() => this.submitFormImplicitly());
  }

  private handleClearClick(): void {
    this.applyUserInput('');
    this.commitUserInput();
    // The button disappears with the value; focus goes back where the user was typing.
    this.textControl?.focus();
  }

  private handleToggleClick(): void {
    this.passwordVisible = !this.passwordVisible;
  }
}

const clearIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    d="M6 6l12 12M18 6L6 18"
  />
</svg>`;

const eyeIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z"
  />
  <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2" />
</svg>`;

const eyeOffIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    d="M3 3l18 18M10.6 5.1A10.8 10.8 0 0 1 12 5c6.4 0 10 7 10 7a17.6 17.6 0 0 1-3.2 4.1M6.6 6.6
      C3.8 8.4 2 12 2 12s3.6 7 10 7a10.3 10.3 0 0 0 5.4-1.6M9.9 9.9a3 3 0 0 0 4.2 4.2"
  />
</svg>`;

if (!customElements.get('ab-text-field')) customElements.define('ab-text-field', AbTextField);

declare global {
  interface HTMLElementTagNameMap {
    'ab-text-field': AbTextField;
  }
}
