/**
 * @packageDocumentation
 * `<ab-text-field>`: a single-line text input whose label floats above the value once it is
 * focused or filled. A form-associated control; its validity is the inner `<input>`'s, so the
 * messages are the browser's own, in the user's language.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { fieldStyles } from '../core/field-styles.ts';
import { FormControlMixin, validityFlagsOf, type ValidityResult } from '../core/form-control.ts';
import { SlotPresenceController } from '../core/slot-presence.ts';
import { token } from '../core/tokens.ts';

/** The input types the field supports: the single-line text types of `<input>`. */
export type TextFieldType = 'text' | 'email' | 'password' | 'url' | 'tel' | 'search' | 'number';

/**
 * A single-line text input whose label floats above the value once it is focused or filled.
 *
 * It submits `name=value` with its form, validates like the `<input>` it wraps (`required`,
 * `pattern`, `minlength`, `maxlength`, `min`, `max`, `step`, the type's own format) plus
 * `setCustomValidity()`, and shows the browser's message once the user has left the field
 * after editing it, or tried to submit. Enter submits the form. For `type="password"` a toggle
 * button shows and hides the password.
 *
 * @summary Text input with a floating label; a form-associated control.
 * @tag ab-text-field
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the field; used instead of the `help-text` attribute.
 * @slot prefix - Content before the input, e.g. an icon or a unit.
 * @slot suffix - Content after the input, e.g. an icon or a unit.
 *
 * @fires input - While the user edits the value. Bubbles, composed.
 * @fires change - When the user commits a value (leaves the field or presses Enter). Bubbles,
 * composed.
 * @fires invalid - When a submit or `checkValidity()` finds the value invalid. Cancelable.
 *
 * @csspart field - Box around the prefix, label, input and suffix.
 * @csspart label - The floating label.
 * @csspart input - The native `<input>`.
 * @csspart prefix - Wrapper of the `prefix` slot.
 * @csspart suffix - Wrapper of the `suffix` slot.
 * @csspart toggle - The show/hide password button (`type="password"` only).
 * @csspart help-text - The help text under the field.
 * @csspart error - The error text, shown only while invalid after interaction.
 *
 * @cssproperty --ab-field-border-color - Border colour at rest.
 * @cssproperty --ab-field-focus-color - Border and label colour while focused.
 * @cssproperty --ab-field-label-color - Label colour at rest.
 * @cssproperty --ab-field-background - Background of the field box.
 * @cssproperty --ab-field-radius - Corner radius of the field box.
 * @cssproperty --ab-field-height - Minimum height of the field box.
 */
export class AbTextField extends FormControlMixin(LitElement) {
  static override styles = [
    fieldStyles,
    css`
      .toggle {
        align-self: center;
        display: inline-flex;
        align-items: center;
        justify-content: center;
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
      .toggle:hover {
        color: ${token('color-text')};
      }
      .toggle:focus-visible {
        outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
        outline-offset: 0;
      }
      .toggle:disabled {
        cursor: not-allowed;
      }
      .toggle svg {
        width: 1.25rem;
        height: 1.25rem;
      }
    `,
  ];

  /** Focus goes to the inner input: `focus()`, a click on an outer `<label>`, `reportValidity`. */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** The kind of text: sets the keyboard, the format check and, for `password`, masking. */
  @property({ reflect: true }) type: TextFieldType = 'text';

  /** Example text shown in the empty field; the label floats while it is shown. */
  @property() placeholder = '';

  /** A regular expression the whole value must match (the `<input pattern>` syntax). */
  @property() pattern = '';

  /** The fewest characters a value the user typed may have. */
  @property({ type: Number }) minlength?: number;

  /** The most characters the user can type. */
  @property({ type: Number }) maxlength?: number;

  /** Smallest number allowed (`type="number"`); empty for no limit. */
  @property() min = '';

  /** Largest number allowed (`type="number"`); empty for no limit. */
  @property() max = '';

  /** Granularity of numbers (`type="number"`), or `any`; empty for the default, 1. */
  @property() step = '';

  /** Autofill hint, e.g. `email`, `username`, `current-password`, `one-time-code`. */
  @property() autocomplete = '';

  /** Virtual keyboard hint, e.g. `numeric`, `decimal`, `email`. */
  @property() inputmode = '';

  /** Accessible name of the show/hide password button; its pressed state says which. */
  @property({ attribute: 'password-toggle-label' }) passwordToggleLabel = 'Show password';

  /** Whether the password is shown as plain text right now. */
  @state() private passwordVisible = false;

  @query('.input') private input!: HTMLInputElement | null;

  private readonly slots = new SlotPresenceController(
    this,
    'label',
    'help-text',
    'prefix',
    'suffix',
  );

  /** The inner native input: `reportValidity` focuses it and the browser points at it. */
  protected override get validationAnchor(): HTMLInputElement | null {
    return this.input;
  }

  /** The inner input's own validity, so the constraints and messages are the browser's. */
  protected override validityOf(): ValidityResult {
    const input = this.input;
    if (!input) return super.validityOf();
    return { flags: validityFlagsOf(input.validity), message: input.validationMessage };
  }

  /** Selects the whole text, as `HTMLInputElement.select()` does. */
  select(): void {
    this.input?.select();
  }

  override render() {
    const hasLabelSlot = this.slots.has('label');
    const hasHelp = this.helpText !== '' || this.slots.has('help-text');
    const showsError = this.errorText !== '';
    const float = this.value !== '' || this.placeholder !== '' || this.input?.validity.badInput;
    const fieldClasses = {
      field: true,
      float: Boolean(float),
      invalid: showsError,
      disabled: this.isDisabled,
      readonly: this.readonly,
    };
    const describedBy = showsError ? 'error' : hasHelp ? 'help-text' : undefined;
    return html`
      <div part="field" class=${classMap(fieldClasses)} @click=${this.handleFieldClick}>
        <span part="prefix" class="affix prefix" ?hidden=${!this.slots.has('prefix')}>
          <slot name="prefix"></slot>
        </span>
        <div class="control">
          ${this.renderInput(describedBy, hasLabelSlot)}
          <label part="label" class="label" for="input" id="label">
            <slot name="label">${this.label}</slot>${this.required
              ? html`<span class="required-mark" aria-hidden="true">*</span>`
              : nothing}
          </label>
        </div>
        ${this.type === 'password' ? this.renderToggle() : nothing}
        <span part="suffix" class="affix suffix" ?hidden=${!this.slots.has('suffix')}>
          <slot name="suffix"></slot>
        </span>
      </div>
      <div part="help-text" class="help-text" id="help-text" ?hidden=${!hasHelp || showsError}>
        <slot name="help-text">${this.helpText}</slot>
      </div>
      <div part="error" class="error" id="error">${this.errorText}</div>
    `;
  }

  private renderInput(describedBy: string | undefined, hasLabelSlot: boolean) {
    const isNumber = this.type === 'number';
    const type = this.type === 'password' && this.passwordVisible ? 'text' : this.type;
    // Without a label of its own, an outer `<label for>` pointing at the host names the input.
    const outerLabel =
      this.label === '' && !hasLabelSlot ? outerLabelText(this.labels) || undefined : undefined;
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
      aria-label=${ifDefined(outerLabel)}
      aria-describedby=${ifDefined(describedBy)}
      aria-invalid=${this.errorText !== '' ? 'true' : 'false'}
      @input=${this.handleInput}
      @change=${this.handleChange}
      @keydown=${this.handleKeyDown}
    />`;
  }

  private renderToggle() {
    return html`<button
      part="toggle"
      class="toggle"
      type="button"
      aria-label=${this.passwordToggleLabel}
      aria-pressed=${this.passwordVisible ? 'true' : 'false'}
      aria-controls="input"
      ?disabled=${this.isDisabled}
      @click=${this.handleToggleClick}
    >
      ${this.passwordVisible ? eyeOffIcon : eyeIcon}
    </button>`;
  }

  private handleInput(event: Event): void {
    // The native `input` is composed and would leave the shadow root too; ours replaces it,
    // so listeners see one event whose target is the field.
    event.stopPropagation();
    this.applyUserInput((event.target as HTMLInputElement).value);
  }

  private handleChange(event: Event): void {
    event.stopPropagation();
    this.commitUserInput();
  }

  private handleKeyDown(event: KeyboardEvent): void {
    const modified = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
    if (event.key !== 'Enter' || event.isComposing || modified) return;
    // Give the browser's own `change` (fired on Enter) its turn before the form submits.
    setTimeout(() => this.submitFormImplicitly());
  }

  private handleFieldClick(event: MouseEvent): void {
    // A click anywhere in the box (a prefix, the padding) puts the caret in the input.
    const target = event.target as HTMLElement;
    if (target === this.input || target.closest('button')) return;
    this.input?.focus();
  }

  private handleToggleClick(): void {
    this.passwordVisible = !this.passwordVisible;
  }
}

/** The text of the `<label for>` elements pointing at a control, joined by spaces. */
function outerLabelText(labels: NodeList): string {
  return [...labels]
    .map((label) => label.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

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
