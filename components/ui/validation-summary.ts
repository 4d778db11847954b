/**
 * @packageDocumentation
 * `<ab-validation-summary>`: the list of what is wrong in a form, each entry a link to its
 * control; the GOV.UK error summary pattern, for `ab-` controls and native inputs alike.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';

/** When the summary shows: after a submit attempt (`submit`), or whenever a control is invalid. */
export type ValidationSummaryMode = 'submit' | 'live';

/** The most entries listed; the rest are counted in one line ("and 3 more"). */
export const validationSummaryEntriesMax = 50;

/** The English strings of `ab-validation-summary`; override any of them with `strings`. */
export const validationSummaryStrings = {
  /** The heading above the list. */
  heading: 'There is a problem',
  /** One entry: the control's label and its validation message. */
  entry: (label: string, message: string): string => (label ? `${label}: ${message}` : message),
  /** The line after the list when more controls are invalid than are listed. */
  more: (count: number): string => `and ${count} more`,
  /** Announced politely when the list changes after it first appeared. */
  remaining: (count: number): string =>
    count === 1 ? '1 problem left in the form' : `${count} problems left in the form`,
  /** Announced politely when the last problem was fixed. */
  resolved: 'All problems in the form are fixed',
};

/** The strings of {@link validationSummaryStrings}. */
export type ValidationSummaryStrings = typeof validationSummaryStrings;

/** A control of a form as the summary reads it: what every listed element has. */
interface ListedControl extends HTMLElement {
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  readonly labels?: NodeList | null;
  checkValidity(): boolean;
}

/** One line of the summary. */
interface Entry {
  control: ListedControl;
  label: string;
  message: string;
}

/** The events after which the list may have changed; `invalid` and `submit` are handled apart. */
const refreshEvents = ['input', 'change', 'reset', 'ab-validity-change'] as const;

/** The attributes of controls that change which constraints apply. */
const constraintAttributes = [
  'disabled',
  'readonly',
  'required',
  'pattern',
  'min',
  'max',
  'step',
  'minlength',
  'maxlength',
  'type',
];

/**
 * Lists every invalid control of a form with its label and message; each entry is a link that
 * focuses its control.
 *
 * By default (`mode="submit"`) it appears when a submit attempt finds invalid controls: it is
 * announced as an alert and takes focus, so a keyboard or screen reader user starts from the
 * list. From then on it follows the form live: entries go as their problems are fixed, a polite
 * message says how many are left, and it hides once none are. With `mode="live"` it lists the
 * invalid controls at all times, without alert or focus.
 *
 * On a `novalidate` form the browser checks nothing on submit, so the summary does: a submit
 * with invalid controls is cancelled (and stopped before later listeners), each control is
 * asked to show its own error, and the summary appears.
 *
 * @summary Error summary of a form: invalid controls as links, after a submit or live.
 * @tag ab-validation-summary
 *
 * @slot - Extra text under the heading, e.g. what to do next.
 *
 * @csspart base - The box around the heading and the list.
 * @csspart heading - The heading.
 * @csspart list - The list of entries.
 * @csspart entry - One list item.
 * @csspart link - The link in an entry that focuses its control.
 * @csspart more - The line counting the entries past the limit.
 *
 * @cssproperty --ab-validation-summary-border-color - Colour of the box's border and heading.
 */
export class AbValidationSummary extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: ${token('font-family')};
      font-size: ${token('font-size-medium')};
      line-height: ${token('line-height')};
      color: ${token('color-text')};
      color-scheme: ${token('color-scheme')};
    }
    :host([hidden]),
    .base[hidden] {
      display: none;
    }
    .base {
      padding: ${token('space-l')} ${token('space-xl')};
      border: 3px solid var(--ab-validation-summary-border-color, ${token('color-danger')});
      border-radius: ${token('radius-m')};
      background: ${token('color-surface')};
    }
    .base:focus {
      outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
      outline-offset: ${token('focus-ring-offset')};
    }
    .heading {
      margin: 0 0 ${token('space-s')};
      color: var(--ab-validation-summary-border-color, ${token('color-danger')});
      font-size: ${token('font-size-large')};
      font-weight: ${token('font-weight-strong')};
    }
    .list {
      margin: ${token('space-s')} 0 0;
      padding-inline-start: 0;
      list-style: none;
    }
    .list li + li {
      margin-block-start: ${token('space-xs')};
    }
    .link {
      color: ${token('color-danger')};
      font-weight: ${token('font-weight-strong')};
      text-decoration: underline;
      text-underline-offset: 0.15em;
    }
    .link:hover {
      text-decoration-thickness: 2px;
    }
    .link:focus-visible {
      outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
      outline-offset: ${token('focus-ring-offset')};
      border-radius: ${token('radius-s')};
    }
    .more {
      color: ${token('color-text-muted')};
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

  /** The `id` of the form to summarize; empty for the form the summary is inside. */
  @property({ attribute: 'for' }) htmlFor = '';

  /** `submit`: appear after a submit attempt finds problems; `live`: list them at all times. */
  @property({ reflect: true }) mode: ValidationSummaryMode = 'submit';

  /** The level of the heading for assistive technology, 1 to 6. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Overrides some or all of the English strings (see `validationSummaryStrings`). */
  @property({ attribute: false }) strings: Partial<ValidationSummaryStrings> = {};

  /** The invalid controls, in form order, at most the limit. */
  @state() private entries: Entry[] = [];

  /** How many invalid controls there are beyond the listed ones. */
  @state() private hiddenCount = 0;

  /** Set by a submit attempt that found problems; cleared by a reset or a valid submit. */
  @state() private attempted = false;

  /** The summary just appeared after a submit: announce it as an alert and take focus. */
  @state() private fresh = false;

  /** The polite message about the list, after it first appeared. */
  @state() private status = '';

  #root: Document | ShadowRoot | undefined;
  #observedForm: HTMLFormElement | null = null;
  #invalidBatch = false;
  readonly #observer = new MutationObserver(() => this.requestUpdate());

  /** The form summarized: the one named by `for`, else the enclosing one. */
  get form(): HTMLFormElement | null {
    if (this.htmlFor !== '') {
      const root = this.getRootNode() as Document | ShadowRoot;
      const named = root.getElementById?.(this.htmlFor);
      return named instanceof HTMLFormElement ? named : null;
    }
    return this.closest('form');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Listening on the root, not the form: the form may be parsed after the summary, or
    // replaced, and the root sees the events of every form in it.
    const root = this.getRootNode() as Document | ShadowRoot;
    this.#root = root;
    for (const type of refreshEvents) root.addEventListener(type, this.#handleRefresh, true);
    root.addEventListener('invalid', this.#handleInvalid, true);
    root.addEventListener('submit', this.#handleSubmit, true);
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', () => this.requestUpdate(), { once: true });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const root = this.#root;
    if (root) {
      for (const type of refreshEvents) root.removeEventListener(type, this.#handleRefresh, true);
      root.removeEventListener('invalid', this.#handleInvalid, true);
      root.removeEventListener('submit', this.#handleSubmit, true);
    }
    this.#observer.disconnect();
    this.#observedForm = null;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const form = this.form;
    this.#observe(form);
    const previousCount = this.entries.length + this.hiddenCount;
    const all = form ? invalidControlsOf(form) : [];
    this.entries = all.slice(0, validationSummaryEntriesMax).map((control) => ({
      control,
      label: labelOf(control),
      message: control.validationMessage,
    }));
    this.hiddenCount = all.length - this.entries.length;
    const wasShown = previousCount > 0 && (this.mode === 'live' || this.attempted);
    if (all.length === 0) this.attempted = false;
    if (wasShown && all.length !== previousCount && !changed.has('fresh')) {
      this.#announceCount(all.length);
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('fresh') && this.fresh) {
      this.renderRoot.querySelector<HTMLElement>('.base')?.focus();
    }
  }

  override render() {
    const strings = resolveStrings('ab-validation-summary', validationSummaryStrings, this.strings);
    const count = this.entries.length;
    const shown = count > 0 && (this.mode === 'live' || this.attempted);
    const level = Math.min(6, Math.max(1, Math.floor(this.headingLevel) || 2));
    return html`
      <div
        part="base"
        class="base"
        tabindex="-1"
        role=${this.fresh ? 'alert' : 'group'}
        aria-labelledby="heading"
        ?hidden=${!shown}
      >
        <div part="heading" class="heading" id="heading" role="heading" aria-level=${level}>
          ${strings.heading}
        </div>
        <slot></slot>
        <ul part="list" class="list">
          ${this.entries.map(
            (entry) => html`<li part="entry">
              <a
                part="link"
                class="link"
                href=${entry.control.id ? `#${entry.control.id}` : '#'}
                @click=${(event: Event) => this.#focusControl(event, entry.control)}
                >${strings.entry(entry.label, entry.message)}</a
              >
            </li>`,
          )}
          ${this.hiddenCount > 0
            ? html`<li part="more" class="more">${strings.more(this.hiddenCount)}</li>`
            : nothing}
        </ul>
      </div>
      <div class="visually-hidden" aria-live="polite">${this.status}</div>
    `;
  }

  /** Once the list has shown, each change of its length is said politely; no more alerts. */
  #announceCount(count: number): void {
    const strings = resolveStrings('ab-validation-summary', validationSummaryStrings, this.strings);
    this.fresh = false;
    this.status = count === 0 ? strings.resolved : strings.remaining(count);
  }

  #observe(form: HTMLFormElement | null): void {
    if (form === this.#observedForm) return;
    this.#observer.disconnect();
    this.#observedForm = form;
    if (!form) return;
    // Controls added or removed, or constraints switched on or off, change the list silently.
    this.#observer.observe(form, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: constraintAttributes,
    });
  }

  #focusControl(event: Event, control: ListedControl): void {
    event.preventDefault();
    control.scrollIntoView({ block: 'center' });
    control.focus({ preventScroll: true });
  }

  /** Whether `event` came from the summarized form or one of its controls. */
  #concerns(event: Event): boolean {
    const form = this.form;
    if (!form) return false;
    const target = event.target as (Element & { form?: HTMLFormElement | null }) | null;
    return target === form || target?.form === form;
  }

  readonly #handleRefresh = (event: Event): void => {
    if (!this.#concerns(event)) return;
    if (event.type === 'reset') {
      this.attempted = false;
      this.fresh = false;
      this.status = '';
      // Controls reset in their own `formResetCallback`, after this event: look again then.
      setTimeout(() => this.requestUpdate());
    }
    this.requestUpdate();
  };

  /** Controls fire `invalid` one by one during a submit attempt: show the summary once. */
  readonly #handleInvalid = (event: Event): void => {
    if (!this.#concerns(event) || this.#invalidBatch) return;
    this.#invalidBatch = true;
    // A task, not a microtask: after a click, microtasks run between the `invalid` events,
    // and the browser focuses the first invalid control only after the last one. Taking focus
    // must come after that.
    setTimeout(() => {
      this.#invalidBatch = false;
      this.#showAfterAttempt();
    });
  };

  readonly #handleSubmit = (event: Event): void => {
    const form = this.form;
    if (!form || event.target !== form) return;
    const invalid = invalidControlsOf(form);
    if (invalid.length === 0) {
      this.attempted = false;
      this.fresh = false;
      return;
    }
    // Only a `novalidate` form (or a `formnovalidate` button) submits while invalid.
    event.preventDefault();
    event.stopImmediatePropagation();
    for (const control of invalid) control.checkValidity();
  };

  #showAfterAttempt(): void {
    if (this.mode !== 'submit') return;
    const form = this.form;
    if (!form || invalidControlsOf(form).length === 0) return;
    this.attempted = true;
    this.status = '';
    // A second attempt alerts and takes focus again, as the first did.
    if (this.fresh) this.renderRoot.querySelector<HTMLElement>('.base')?.focus();
    this.fresh = true;
  }
}

/** The controls of `form` that take part in validation and fail it, in form order. */
function invalidControlsOf(form: HTMLFormElement): ListedControl[] {
  const seenRadioGroups = new Set<string>();
  const invalid: ListedControl[] = [];
  for (const element of form.elements) {
    const control = element as unknown as Partial<ListedControl>;
    if (!control.validity || !control.willValidate || control.validity.valid) continue;
    // A required radio group is invalid on every radio; list the group once.
    if (element instanceof HTMLInputElement && element.type === 'radio' && element.name) {
      if (seenRadioGroups.has(element.name)) continue;
      seenRadioGroups.add(element.name);
    }
    invalid.push(element as unknown as ListedControl);
  }
  return invalid;
}

/** What the user reads as the control's name: its label, by whatever means it has one. */
function labelOf(control: ListedControl): string {
  const own = (control as { label?: unknown }).label;
  if (typeof own === 'string' && own.trim() !== '') return own.trim();
  const slotted = control.querySelector(':scope > [slot="label"]')?.textContent?.trim();
  if (slotted) return slotted;
  const outer = control.labels?.[0];
  const outerText = outer instanceof Element ? ownText(outer) : '';
  if (outerText) return outerText;
  const ariaLabel = control.getAttribute('aria-label')?.trim();
  if (ariaLabel) return ariaLabel;
  const labelledBy = control.getAttribute('aria-labelledby');
  if (labelledBy) {
    const root = control.getRootNode() as Document | ShadowRoot;
    const text = labelledBy
      .split(/\s+/)
      .map((id) => root.getElementById?.(id)?.textContent?.trim() ?? '')
      .filter(Boolean)
      .join(' ');
    if (text) return text;
  }
  return control.getAttribute('name') ?? '';
}

/** A label's own words, without the text of a control wrapped in it (a select's options). */
function ownText(label: Element): string {
  const copy = label.cloneNode(true) as Element;
  for (const control of copy.querySelectorAll('select, textarea, datalist, button, output')) {
    control.remove();
  }
  return copy.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

if (!customElements.get('ab-validation-summary')) {
  customElements.define('ab-validation-summary', AbValidationSummary);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-validation-summary': AbValidationSummary;
  }
}
