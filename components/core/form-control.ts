/**
 * @packageDocumentation
 * `FormControlMixin`: what makes an element a form control, written once over
 * `ElementInternals` (`static formAssociated = true`).
 *
 * A control built on it appears in `new FormData(form)` under its `name`, blocks submit while
 * invalid, resets with its form, comes back on back-navigation, follows a disabled
 * `<fieldset>`, and answers `checkValidity`, `reportValidity`, `setCustomValidity` like a native
 * input. It shows its error text only once the user has committed a value or tried to submit.
 *
 * An element declares what differs through a few protected hooks and does not touch
 * `ElementInternals` itself:
 *
 * - {@link FormControl.formValue}: what is submitted. Default `value`; override when the
 *   control submits a `File`, several entries (`FormData`), or nothing (`null`).
 * - {@link FormControl.formState}: what back-navigation restores. Default `formValue()`;
 *   override when restoring needs more than the submitted value.
 * - {@link FormControl.restoreFormState}: puts a saved state back. Default: a string state
 *   becomes `value`; override when `formState` is not a string.
 * - {@link FormControl.isValueMissing}: "empty" for `required`. Default `value === ''`.
 * - {@link FormControl.validityOf}: the failing constraints. Default `valueMissing` when
 *   required and empty; override to mirror an inner native control or add constraints.
 * - {@link FormControl.validationAnchor}: what `reportValidity` focuses. Default none;
 *   override to return the inner element that takes focus.
 *
 * and reports the user's edits through {@link FormControl.applyUserInput} (fires `input`) and
 * {@link FormControl.commitUserInput} (fires `change`).
 *
 * Validity is recomputed after every update, so it is current once `updateComplete` resolves;
 * `checkValidity()` and `reportValidity()` also recompute it before they answer.
 *
 * @example
 * ```ts
 * class AbColorPicker extends FormControlMixin(LitElement) {
 *   protected override get validationAnchor() { return this.renderRoot.querySelector('input'); }
 *   override render() {
 *     return html`<input type="color" .value=${this.value}
 *       @input=${(e: Event) => this.applyUserInput((e.target as HTMLInputElement).value)}
 *       @change=${() => this.commitUserInput()} />`;
 *   }
 * }
 * ```
 */
import type { LitElement, PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';

/** What a control hands to `ElementInternals.setFormValue`: the submitted entry or entries. */
export type FormValue = string | File | FormData | null;

/** Why the browser restores a control: back-navigation (`restore`) or autofill. */
export type FormRestoreMode = 'restore' | 'autocomplete';

/** A control's validity: which constraints fail and the message to show for them. */
export interface ValidityResult {
  /** The failing constraints; `{}` when valid. */
  flags: ValidityStateFlags;
  /** What to tell the user; ignored when no flag is set, required when one is. */
  message: string;
}

/** The `ValidityState` flags a control can report, in the browser's order of precedence. */
const validityFlagNames = [
  'valueMissing',
  'typeMismatch',
  'patternMismatch',
  'tooLong',
  'tooShort',
  'rangeUnderflow',
  'rangeOverflow',
  'stepMismatch',
  'badInput',
  'customError',
] as const satisfies ReadonlyArray<keyof ValidityStateFlags>;

/**
 * The failing flags of a native `ValidityState`, as `setValidity` takes them; how a control
 * with an inner `<input>` mirrors it.
 */
export function validityFlagsOf(validity: ValidityState): ValidityStateFlags {
  const flags: ValidityStateFlags = {};
  for (const name of validityFlagNames) if (validity[name]) flags[name] = true;
  return flags;
}

/**
 * The browser's own "please fill out this field" message, in the user's language: read from a
 * detached required `<input>`, so a control without an inner input still speaks like a native one.
 */
export function nativeValueMissingMessage(): string {
  const probe = document.createElement('input');
  probe.required = true;
  return probe.validationMessage || 'Please fill out this field.';
}

/** The events a control fires for the user's edits: native names, crossing shadow roots. */
const userEventInit: EventInit = { bubbles: true, composed: true };

/**
 * The public and protected surface the mixin adds. Declared apart from the class so the mixin's
 * return type names it (a class expression's protected members cannot appear in a declaration).
 */
export declare class FormControl {
  /** Name under which the value is submitted with the form. */
  name: string;
  /** Current value. Setting it marks the control as changed, as on a native input. */
  value: string;
  /** The initial value, from the `value` attribute; the value returns to it on form reset. */
  defaultValue: string;
  /** The form cannot be submitted while this control is empty. */
  required: boolean;
  /** The control cannot be used, is skipped by validation and is not submitted. */
  disabled: boolean;
  /** The user cannot change the value; it is still submitted, but not validated. */
  readonly: boolean;
  /** Visible label; also the accessible name of the control. */
  label: string;
  /** Hint shown under the control while there is no error to show. */
  helpText: string;

  /** The form this control belongs to, or `null`. */
  readonly form: HTMLFormElement | null;
  /** The `<label for>` elements that point at this control. */
  readonly labels: NodeList;
  /** The control's validity, current after each update. */
  readonly validity: ValidityState;
  /** The message for the first failing constraint, `''` when valid. */
  readonly validationMessage: string;
  /** Whether the control takes part in validation (not when disabled or read-only). */
  readonly willValidate: boolean;

  /** `true` when valid; otherwise fires `invalid` and returns `false`. */
  checkValidity(): boolean;
  /** Like `checkValidity`, and shows the problem to the user, focusing the control. */
  reportValidity(): boolean;
  /** Makes the control invalid with `message` until called again with `''`. */
  setCustomValidity(message: string): void;

  /** Called by the browser when the form resets: back to {@link FormControl.defaultValue}. */
  formResetCallback(): void;
  /** Called by the browser on back-navigation or autofill with the saved state. */
  formStateRestoreCallback(state: FormValue, mode: FormRestoreMode): void;
  /** Called by the browser when the control or an ancestor `<fieldset>` is (en|dis)abled. */
  formDisabledCallback(disabled: boolean): void;

  /** The element's `ElementInternals`. */
  protected readonly internals: ElementInternals;
  /** Disabled by its own attribute or by a disabled `<fieldset>`. */
  protected get isDisabled(): boolean;
  /** Set once the user committed a value or a submit found the control invalid. */
  protected interacted: boolean;
  /** The error text to show now: the validation message after interaction, else `''`. */
  protected readonly errorText: string;
  /** The element `reportValidity` focuses and the browser points its message at. */
  protected get validationAnchor(): HTMLElement | null | undefined;

  /** The submitted value. */
  protected formValue(): FormValue;
  /** The state saved for back-navigation. */
  protected formState(): FormValue;
  /** Puts back a state saved by {@link FormControl.formState}. */
  protected restoreFormState(state: FormValue, mode: FormRestoreMode): void;
  /** Whether the control counts as empty for `required`. */
  protected isValueMissing(): boolean;
  /** The constraints the control fails now, before any custom validity. */
  protected validityOf(): ValidityResult;
  /** Recomputes validity and hands it to the browser; runs after every update. */
  protected syncValidity(): void;
  /** Reports an edit by the user: sets `value` and fires `input`. */
  protected applyUserInput(value: string): void;
  /** Reports that the user committed the value: shows errors from now on and fires `change`. */
  protected commitUserInput(): void;
  /** Submits the form as pressing Enter in a native text field would. */
  protected submitFormImplicitly(): void;
}

// TS requires a mixin's base constructor to take a single `...args: any[]` (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/**
 * Makes a `LitElement` subclass a form-associated control. See the module documentation for the
 * hooks an element overrides.
 *
 * Subclasses that override `updated` must call `super.updated(changed)`.
 */
export const FormControlMixin = <T extends Constructor<LitElement>>(Base: T) => {
  class FormControlElement extends Base {
    /** Makes the element form-associated; the browser then calls the `form*Callback`s. */
    static formAssociated = true;

    /** Name under which the value is submitted with the form. */
    @property({ reflect: true }) name = '';

    /** The form cannot be submitted while this control is empty. */
    @property({ type: Boolean, reflect: true }) required = false;

    /** The control cannot be used, is skipped by validation and is not submitted. */
    @property({ type: Boolean, reflect: true }) disabled = false;

    /** The user cannot change the value; it is still submitted, but not validated. */
    @property({ type: Boolean, reflect: true }) readonly = false;

    /** Visible label; also the accessible name of the control. */
    @property() label = '';

    /** Hint shown under the control while there is no error to show. */
    @property({ attribute: 'help-text' }) helpText = '';

    /** Disabled by a `<fieldset>` (or own attribute), as the browser reports it. */
    @state() protected disabledByForm = false;

    /** Set once the user committed a value or a submit found the control invalid. */
    @state() protected interacted = false;

    /** The error text to show now: the validation message after interaction, else `''`. */
    @state() protected errorText = '';

    /** The element's `ElementInternals`. */
    protected readonly internals: ElementInternals;

    #value = '';
    #defaultValue = '';
    /** As on a native input: once the value is set, the `value` attribute no longer moves it. */
    #valueDirty = false;
    #customValidityMessage = '';

    // TS2545 again: a mixin class constructor must take `...args: any[]`.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      super(...args);
      this.internals = this.attachInternals();
      // A failed submit (or checkValidity) fires `invalid` at the control: from then on the
      // user should see why.
      this.addEventListener('invalid', () => {
        this.interacted = true;
      });
    }

    /** Current value. Setting it marks the control as changed, as on a native input. */
    @property({ attribute: false })
    get value(): string {
      return this.#value;
    }
    set value(next: string) {
      this.#value = next ?? '';
      this.#valueDirty = true;
    }

    /**
     * The initial value, from the `value` attribute; the value returns to it on form reset.
     * Until the value is set or edited, changing this changes the value too.
     */
    @property({ attribute: 'value' })
    get defaultValue(): string {
      return this.#defaultValue;
    }
    set defaultValue(next: string) {
      this.#defaultValue = next ?? '';
      if (!this.#valueDirty) this.#setCleanValue(this.#defaultValue);
    }

    /** The form this control belongs to, or `null`. */
    get form(): HTMLFormElement | null {
      return this.internals.form;
    }

    /** The `<label for>` elements that point at this control. */
    get labels(): NodeList {
      return this.internals.labels;
    }

    /** The control's validity, current after each update. */
    get validity(): ValidityState {
      return this.internals.validity;
    }

    /** The message for the first failing constraint, `''` when valid. */
    get validationMessage(): string {
      return this.internals.validationMessage;
    }

    /** Whether the control takes part in validation (not when disabled or read-only). */
    get willValidate(): boolean {
      return this.internals.willValidate;
    }

    /** `true` when valid; otherwise fires `invalid` and returns `false`. */
    checkValidity(): boolean {
      this.syncValidity();
      return this.internals.checkValidity();
    }

    /** Like `checkValidity`, and shows the problem to the user, focusing the control. */
    reportValidity(): boolean {
      this.syncValidity();
      return this.internals.reportValidity();
    }

    /** Makes the control invalid with `message` until called again with `''`. */
    setCustomValidity(message: string): void {
      this.#customValidityMessage = message ?? '';
      this.syncValidity();
      this.requestUpdate();
    }

    /** Called by the browser when the form resets: back to the default value. */
    formResetCallback(): void {
      this.#setCleanValue(this.#defaultValue);
      this.interacted = false;
    }

    /** Called by the browser on back-navigation or autofill with the saved state. */
    formStateRestoreCallback(state: FormValue, mode: FormRestoreMode): void {
      this.restoreFormState(state, mode);
    }

    /** Called by the browser when the control or an ancestor `<fieldset>` is (en|dis)abled. */
    formDisabledCallback(disabled: boolean): void {
      this.disabledByForm = disabled;
    }

    /** Disabled by its own attribute or by a disabled `<fieldset>`. */
    protected get isDisabled(): boolean {
      return this.disabled || this.disabledByForm;
    }

    /** The element `reportValidity` focuses and the browser points its message at. */
    protected get validationAnchor(): HTMLElement | null | undefined {
      return undefined;
    }

    /** The submitted value. */
    protected formValue(): FormValue {
      return this.value;
    }

    /** The state saved for back-navigation. */
    protected formState(): FormValue {
      return this.formValue();
    }

    /** Puts back a state saved by `formState`; the default takes a string as the value. */
    protected restoreFormState(state: FormValue, _mode: FormRestoreMode): void {
      if (typeof state === 'string') this.value = state;
    }

    /** Whether the control counts as empty for `required`. */
    protected isValueMissing(): boolean {
      return this.value === '';
    }

    /** The constraints the control fails now, before any custom validity. */
    protected validityOf(): ValidityResult {
      if (this.required && this.isValueMissing()) {
        return { flags: { valueMissing: true }, message: nativeValueMissingMessage() };
      }
      return { flags: {}, message: '' };
    }

    /** Recomputes validity and hands it to the browser; runs after every update. */
    protected syncValidity(): void {
      const { flags, message } = this.validityOf();
      const custom = this.#customValidityMessage;
      const combined: ValidityStateFlags = custom ? { ...flags, customError: true } : flags;
      const anyFailing = Object.values(combined).some(Boolean);
      if (!anyFailing) {
        this.internals.setValidity({});
        return;
      }
      // As on a native input, a custom message wins over the built-in one.
      const text = custom || message || nativeValueMissingMessage();
      this.internals.setValidity(combined, text, this.validationAnchor ?? undefined);
    }

    /** Reports an edit by the user: sets `value` and fires `input`. */
    protected applyUserInput(value: string): void {
      this.value = value;
      this.dispatchEvent(new Event('input', userEventInit));
    }

    /** Reports that the user committed the value: shows errors from now on and fires `change`. */
    protected commitUserInput(): void {
      this.interacted = true;
      this.dispatchEvent(new Event('change', userEventInit));
    }

    /**
     * Submits the form as pressing Enter in a native text field would: clicks the form's default
     * button unless it is disabled, or submits directly when there is none. An inner input in a
     * shadow root has no form of its own, so it cannot do this by itself.
     */
    protected submitFormImplicitly(): void {
      const form = this.form;
      if (!form) return;
      const defaultButton = [...form.elements].find(isSubmitButton);
      if (defaultButton) {
        if (!defaultButton.disabled) defaultButton.click();
        return;
      }
      form.requestSubmit();
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      this.internals.setFormValue(this.formValue(), this.formState());
      this.syncValidity();
      const shown = this.interacted && this.willValidate && !this.internals.validity.valid;
      const errorText = shown ? this.internals.validationMessage : '';
      // Validity is only known after rendering (an inner input judges the rendered value), so the
      // error text can only follow in a second update. It changes rarely; that cost is accepted.
      if (errorText !== this.errorText) this.errorText = errorText;
    }

    /** Sets the value without marking it changed (reset, or the default value moving). */
    #setCleanValue(next: string): void {
      const old = this.#value;
      this.#value = next;
      this.#valueDirty = false;
      this.requestUpdate('value', old);
    }
  }
  // The second update above is deliberate; Lit's dev build would warn about it on every change.
  (FormControlElement as unknown as DevModeWarnings).disableWarning?.('change-in-update');
  return FormControlElement as unknown as Constructor<FormControl> & T;
};

/** Lit's dev-only warning switch, absent from production builds. */
interface DevModeWarnings {
  disableWarning?: (warning: string) => void;
}

function isSubmitButton(element: Element): element is HTMLButtonElement | HTMLInputElement {
  if (element instanceof HTMLButtonElement) return element.type === 'submit';
  if (element instanceof HTMLInputElement) {
    return element.type === 'submit' || element.type === 'image';
  }
  return false;
}
