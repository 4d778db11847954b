/**
 * @packageDocumentation
 * `TextControl`: the base class of the controls that wrap one native text control, the
 * `<input>` of `ab-text-field` and the `<textarea>` of `ab-textarea`. It holds what they share,
 * written once:
 *
 * - the attributes of a text control (`placeholder`, `minlength`, `maxlength`, `autocomplete`,
 *   `inputmode`, `enterkeyhint`) and of the field's look (`size`, `variant`);
 * - validity mirrored from the native control, so constraints and messages are the browser's;
 * - the user's edits turned into one `input` and one `change` from the host;
 * - the floating label, and the lines under the field: help text, error, a "checking" note while
 *   a validation rule is pending, and the character counter (`counter`), whose state is
 *   announced politely once the user pauses typing, never on every keystroke.
 *
 * It is not an element of its own. A subclass renders the field box with {@link
 * TextControl.renderLabel} and {@link TextControl.renderFooter}, puts `class="input"` and
 * `id="input"` on its native control, and wires that control's `input`/`change` events to
 * {@link TextControl.handleInput} and {@link TextControl.handleChange}.
 */
import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ClassInfo } from 'lit/directives/class-map.js';
import {
  FormControlMixin,
  formControlStrings,
  validityFlagsOf,
  type ValidityResult,
} from './form-control.ts';
import { SlotPresenceController } from './slot-presence.ts';
import { resolveStrings } from './strings.ts';

/** The heights a field comes in. */
export type FieldSize = 'small' | 'medium' | 'large';

/** The looks a field comes in: a full border, a tinted box with an underline, or round ends. */
export type FieldVariant = 'outlined' | 'filled' | 'pill';

/** How long the user must pause typing before the counter is announced, in milliseconds. */
export const counterAnnounceDelayMs = 1000;

/** The English strings every text control shows; each element's table extends these. */
export const textControlStrings = {
  ...formControlStrings,
  /** The visible counter when there is a `maxlength`. */
  counter: (used: number, max: number): string => `${used} / ${max}`,
  /** The visible counter without a `maxlength`, and its announcement. */
  characters: (used: number): string => (used === 1 ? '1 character' : `${used} characters`),
  /** Announced after a pause in typing when there is a `maxlength`. */
  remaining: (left: number): string =>
    left === 1 ? '1 character left' : `${left} characters left`,
  /** Announced after a pause in typing when a value set by code is over `maxlength`. */
  tooMany: (excess: number): string =>
    excess === 1 ? '1 character too many' : `${excess} characters too many`,
};

/** The strings of {@link textControlStrings}. */
export type TextControlStrings = typeof textControlStrings;

/** The base class of `ab-text-field` and `ab-textarea`; see the module documentation. */
export class TextControl extends FormControlMixin(LitElement) {
  /** Focus goes to the native control: `focus()`, an outer `<label>`, `reportValidity`. */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** Example text shown in the empty field; the label floats while it is shown. */
  @property() placeholder = '';

  /** The fewest characters a value the user typed may have. */
  @property({ type: Number }) minlength?: number;

  /** The most characters the user can type; the counter counts down to it. */
  @property({ type: Number }) maxlength?: number;

  /** Autofill hint, e.g. `email`, `username`, `current-password`, `one-time-code`. */
  @property() autocomplete = '';

  /** Virtual keyboard hint, e.g. `numeric`, `decimal`, `email`. */
  @property() inputmode = '';

  /** What the virtual keyboard's Enter key says: `enter`, `done`, `go`, `next`, `search`... */
  @property() enterkeyhint = '';

  /** Shows a character counter under the field (`used / maxlength`, or `used characters`). */
  @property({ type: Boolean, reflect: true }) counter = false;

  /** Height and text size of the field. */
  @property({ reflect: true }) size: FieldSize = 'medium';

  /** The field's look: `outlined` (default), `filled`, or `pill` (outlined with round ends). */
  @property({ reflect: true }) variant: FieldVariant = 'outlined';

  /** Overrides some or all of the element's English strings, e.g. for a translation. */
  @property({ attribute: false }) strings: Partial<TextControlStrings> = {};

  /** What the polite live region says about the counter; set after a pause in typing. */
  @state() private counterAnnouncement = '';

  /** The native control: `<input>` or `<textarea>`. */
  @query('.input') protected textControl!: HTMLInputElement | HTMLTextAreaElement | null;

  /** Which of the named slots the page filled. */
  protected readonly slots = new SlotPresenceController(
    this,
    'label',
    'help-text',
    'prefix',
    'suffix',
  );

  #announceTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#announceTimer);
  }

  /** The native control: `reportValidity` focuses it and the browser points at it. */
  protected override get validationAnchor(): HTMLElement | null {
    return this.textControl;
  }

  /** The native control's own validity, so the constraints and messages are the browser's. */
  protected override validityOf(): ValidityResult {
    const control = this.textControl;
    if (!control) return super.validityOf();
    return { flags: validityFlagsOf(control.validity), message: control.validationMessage };
  }

  /** Selects the whole text, as `HTMLInputElement.select()` does. */
  select(): void {
    this.textControl?.select();
  }

  /** The strings to show: the defaults, the page's `setStrings`, then `strings`. */
  protected resolvedStrings(): TextControlStrings {
    return resolveStrings(this.localName, textControlStrings, this.strings);
  }

  /** The native control's `input`: one `input` from the host instead. */
  protected handleInput(event: Event): void {
    // The native `input` is composed and would leave the shadow root too; ours replaces it,
    // so listeners see one event whose target is the host.
    event.stopPropagation();
    this.applyUserInput((event.target as HTMLInputElement | HTMLTextAreaElement).value);
    if (this.counter) this.#scheduleCounterAnnouncement();
  }

  /** The native control's `change`: one `change` from the host instead. */
  protected handleChange(event: Event): void {
    event.stopPropagation();
    this.commitUserInput();
  }

  /** A click anywhere in the field box (a prefix, the padding) puts the caret in the text. */
  protected handleFieldClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    if (target === this.textControl || target.closest('button')) return;
    this.textControl?.focus();
  }

  /** The classes of the field box for the current state. */
  protected fieldClasses(): ClassInfo {
    const float = this.value !== '' || this.placeholder !== '';
    return {
      field: true,
      float: float || Boolean(this.textControl?.validity.badInput),
      invalid: this.errorText !== '',
      disabled: this.isDisabled,
      readonly: this.readonly,
    };
  }

  /** The ids that describe the native control: the message line, then the counter. */
  protected describedBy(): string | undefined {
    const hasHelp = this.helpText !== '' || this.slots.has('help-text');
    const message =
      this.errorText !== ''
        ? 'error'
        : this.validating
          ? 'validating'
          : hasHelp
            ? 'help-text'
            : '';
    const ids = [message, this.counter ? 'counter' : ''].filter(Boolean).join(' ');
    return ids === '' ? undefined : ids;
  }

  /** The accessible name from an outer `<label for>`, when the field has no label of its own. */
  protected outerLabel(): string | undefined {
    if (this.label !== '' || this.slots.has('label')) return undefined;
    const text = [...this.labels]
      .map((label) => label.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
    return text || undefined;
  }

  /** The floating label, with the `required` mark. */
  protected renderLabel() {
    return html`<label part="label" class="label" for="input" id="label">
      <slot name="label">${this.label}</slot>${this.required
        ? html`<span class="required-mark" aria-hidden="true">*</span>`
        : nothing}
    </label>`;
  }

  /** The lines under the field: help text or error or the "checking" note, and the counter. */
  protected renderFooter(strings: TextControlStrings) {
    const showsError = this.errorText !== '';
    const validating = this.validating && !showsError;
    const hasHelp = this.helpText !== '' || this.slots.has('help-text');
    return html`<div class="footer">
        <div
          part="help-text"
          class="help-text"
          id="help-text"
          ?hidden=${!hasHelp || showsError || validating}
        >
          <slot name="help-text">${this.helpText}</slot>
        </div>
        <div part="validating" class="validating" id="validating" ?hidden=${!validating}>
          ${strings.validating}
        </div>
        <div part="error" class="error" id="error">${this.errorText}</div>
        ${this.counter ? this.#renderCounter(strings) : nothing}
      </div>
      <div class="visually-hidden" aria-live="polite">${this.counterAnnouncement}</div>`;
  }

  #renderCounter(strings: TextControlStrings) {
    const used = this.value.length;
    const max = this.maxlength;
    const hasMax = max !== undefined && max >= 0;
    const text = hasMax ? strings.counter(used, max) : strings.characters(used);
    const over = hasMax && used > max;
    return html`<div part="counter" class=${over ? 'counter over' : 'counter'} id="counter">
      ${text}
    </div>`;
  }

  /** What the counter announces: characters left (or too many), or the count. */
  #counterSentence(strings: TextControlStrings): string {
    const used = this.value.length;
    const max = this.maxlength;
    if (max === undefined || max < 0) return strings.characters(used);
    return used > max ? strings.tooMany(used - max) : strings.remaining(max - used);
  }

  #scheduleCounterAnnouncement(): void {
    // Announcing each keystroke would drown the typing itself; say it once the user pauses.
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      this.counterAnnouncement = this.#counterSentence(this.resolvedStrings());
    }, counterAnnounceDelayMs);
  }
}
