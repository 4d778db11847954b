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
 * Beyond the built-in constraints, every control takes validation rules (see `validators.ts`):
 * `validators`, functions that may answer at once or later, and `validate-url`, a debounced
 * check on the server. A refusal is a `customError` with the rule's message. While an answer is
 * outstanding the control is `validating` (also `:state(validating)`) and counts as invalid, so
 * a submit is blocked until the check has settled; submitting again then goes through (or shows
 * the refusal). Each change of validity fires `ab-validity-change`, so a summary can follow
 * answers that arrive without any user input.
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
import type { ApiClient } from './api-client.ts';
import { domainEvent } from './domain-event.ts';
import { resolveStrings } from './strings.ts';
import { ValidationRules, type Validator } from './validators.ts';

export type { Validator, ValidatorResult } from './validators.ts';

/**
 * The strings every control may show for its validation rules. An element's own strings table
 * includes these, so its `strings` property (or `setStrings(tag, ...)`) translates them too.
 */
export const formControlStrings = {
  /** The validation message while a rule's answer is outstanding. */
  validating: 'Checking…',
  /** The message for a refusal from `validate-url` that came without one. */
  rejected: 'This value is not accepted.',
};

/** The strings of {@link formControlStrings}. */
export type FormControlStrings = typeof formControlStrings;

/** The `detail` of `ab-validity-change`: the control's validity as it is now. */
export interface ValidityChangeDetail {
  /** Whether the control passes every constraint and rule. */
  valid: boolean;
  /** The validation message, `''` when valid. */
  message: string;
  /** Whether a rule's answer is still outstanding. */
  validating: boolean;
}

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
  /** Extra rules: each answers `null` to accept the value or a message to refuse it. */
  validators: Validator[];
  /** Path under the API base asked `GET ?value=&name=` whether the server accepts the value. */
  validateUrl: string;
  /** The client `validate-url` goes through; a default one for the API base when unset. */
  validationApi: ApiClient | undefined;
  /** Whether a rule's answer for the current value is still outstanding. */
  readonly validating: boolean;

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

    /**
     * Extra rules: each gets `(value, control, signal)` and answers `null` to accept the value or
     * a message to refuse it, at once or as a promise. They run for a non-empty value that passes
     * the built-in constraints; the first refusal wins. Assign a new array to change them.
     */
    @property({ attribute: false }) validators: Validator[] = [];

    /**
     * Path under the API base (e.g. `/users/available`) asked `GET ?value=...&name=...` once the
     * value has rested 300 ms; an answer `{"valid": false, "message"}` (or a 422 problem) refuses
     * the value. Never use it for a secret: the value travels in the URL.
     */
    @property({ attribute: 'validate-url' }) validateUrl = '';

    /**
     * The client `validate-url` goes through; when unset, one for the element's `api-base` (if
     * it has one) or the page-wide default. Set it to send the check elsewhere, or in tests.
     */
    @property({ attribute: false }) validationApi: ApiClient | undefined = undefined;

    /** Disabled by a `<fieldset>` (or own attribute), as the browser reports it. */
    @state() protected disabledByForm = false;

    /** Set once the user committed a value or a submit found the control invalid. */
    @state() protected interacted = false;

    /** The error text to show now: the validation message after interaction, else `''`. */
    @state() protected errorText = '';

    /** Mirrors `validating`, so an answer arriving re-renders the element. */
    @state() private rulesPending = false;

    /** The element's `ElementInternals`. */
    protected readonly internals: ElementInternals;

    readonly #rules: ValidationRules;
    /** The validity last announced with `ab-validity-change`; a new control is valid. */
    #announcedValidity = 'true||false';

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
      this.#rules = new ValidationRules(this);
      // A failed submit (or checkValidity) fires `invalid` at the control: from then on the
      // user should see why, and a server check waiting out its debounce should go now.
      this.addEventListener('invalid', () => {
        this.interacted = true;
        this.#rules.flush();
      });
    }

    /** Whether a rule's answer for the current value is still outstanding. */
    get validating(): boolean {
      return this.#rules.pending;
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
      const builtInFails = Object.values(flags).some(Boolean);
      const strings = resolveStrings(this.localName, formControlStrings, this.#instanceStrings());
      const rules = this.#rules;
      rules.update({
        value: builtInFails || !this.willValidate || this.isValueMissing() ? null : this.value,
        validators: this.validators,
        url: this.validateUrl.trim(),
        name: this.name,
        api: this.validationApi,
        apiBase: this.#apiBase(),
        rejectedMessage: strings.rejected,
      });
      this.#showPending(rules.pending);
      const custom = this.#customValidityMessage;
      const ruleFails = rules.message !== '' || rules.pending;
      const combined: ValidityStateFlags =
        custom || ruleFails ? { ...flags, customError: true } : flags;
      if (!Object.values(combined).some(Boolean)) {
        this.internals.setValidity({});
      } else {
        // As on a native input, a custom message wins over the built-in one; the rules speak
        // only for a value the built-in constraints accept.
        const ruleText = rules.message || strings.validating;
        const text = custom || (builtInFails ? message : ruleText) || nativeValueMissingMessage();
        this.internals.setValidity(combined, text, this.validationAnchor ?? undefined);
      }
      this.#announceValidity();
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
      // A value that is only waiting for an answer is not wrong (yet): no error text for it.
      const onlyWaiting = this.validating && this.#customValidityMessage === '';
      const shown =
        this.interacted && this.willValidate && !this.internals.validity.valid && !onlyWaiting;
      const errorText = shown ? this.internals.validationMessage : '';
      // Validity is only known after rendering (an inner input judges the rendered value), so the
      // error text can only follow in a second update. It changes rarely; that cost is accepted.
      if (errorText !== this.errorText) this.errorText = errorText;
    }

    /** The element's own `strings`, which include the {@link formControlStrings} keys. */
    #instanceStrings(): Partial<FormControlStrings> | undefined {
      const own = (this as { strings?: unknown }).strings;
      return typeof own === 'object' && own !== null ? own : undefined;
    }

    /** The `api-base` of an element that also has one (`ApiBaseMixin`), else `''`. */
    #apiBase(): string {
      const base = (this as { apiBase?: unknown }).apiBase;
      return typeof base === 'string' ? base.trim() : '';
    }

    /** Keeps `:state(validating)` and the re-render in step with the rules. */
    #showPending(pending: boolean): void {
      if (this.rulesPending !== pending) this.rulesPending = pending;
      try {
        if (pending) this.internals.states.add('validating');
        else this.internals.states.delete('validating');
      } catch {
        // Browsers from before `:state()` accepted only `--`-prefixed names; `validating`
        // is then exposed through the property alone.
      }
    }

    /** Fires `ab-validity-change` when the validity differs from the one last announced. */
    #announceValidity(): void {
      const detail: ValidityChangeDetail = {
        valid: this.internals.validity.valid,
        message: this.internals.validationMessage,
        validating: this.#rules.pending,
      };
      const key = `${detail.valid}|${detail.message}|${detail.validating}`;
      if (key === this.#announcedValidity) return;
      this.#announcedValidity = key;
      this.dispatchEvent(domainEvent('ab-validity-change', detail));
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
