/**
 * @packageDocumentation
 * `<ab-textarea>`: multi-line text with a floating label that grows with its content between
 * `min-rows` and `max-rows`, then scrolls. A form-associated control with the same label, help,
 * error, counter and validation model as `ab-text-field`, from the same base
 * (`core/text-control.ts`).
 */
import { css, html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import { fieldStyles } from '../core/field-styles.ts';
import { resolveStrings } from '../core/strings.ts';
import { TextControl, textControlStrings } from '../core/text-control.ts';

export type { FieldSize, FieldVariant } from '../core/text-control.ts';

/**
 * How the height follows the text: `auto` grows with it between `min-rows` and `max-rows`;
 * `vertical` keeps `min-rows` and gives the user a handle to drag it up to `max-rows`; `none`
 * keeps `min-rows`. Past its height the text scrolls.
 */
export type TextareaResize = 'none' | 'vertical' | 'auto';

/** Rows shown when `min-rows` is not set. */
export const textareaMinRowsDefault = 3;

/** Rows the textarea grows to when `max-rows` is not set; past them it scrolls. */
export const textareaMaxRowsDefault = 12;

/** The English strings of `ab-textarea`; override any of them with `strings`. */
export const textareaStrings = { ...textControlStrings };

/** The strings of {@link textareaStrings}. */
export type TextareaStrings = typeof textareaStrings;

const fitStart = Symbol('fitStart');
const fitEnd = Symbol('fitEnd');

/** Textareas whose height waits to be fitted, all at once at the end of the current task. */
const pendingFits = new Set<AbTextarea>();

function scheduleFit(textarea: AbTextarea): void {
  if (pendingFits.size === 0) queueMicrotask(() => {
    const batch = [...pendingFits];
    pendingFits.clear();
    fitTogether(batch);
  });
  pendingFits.add(textarea);
}

/**
 * Fits many textareas with one layout, not one each: every write first, then every read, then
 * every write. Fitting them one by one makes each measure lay out the whole page again, so a
 * form of 500 took seconds.
 */
function fitTogether(textareas: readonly AbTextarea[]): void {
  const areas = textareas.map((textarea) => [textarea, textarea[fitStart]()] as const);
  const heights = areas.map(([, area]) => area?.scrollHeight ?? 0);
  areas.forEach(([textarea, area], index) => {
    if (area) textarea[fitEnd](area, heights[index] as number);
  });
}

/**
 * Multi-line text with a floating label, growing with its content.
 *
 * It submits `name=value` with its form and validates like the `<textarea>` it wraps
 * (`required`, `minlength`, `maxlength`) plus `setCustomValidity()`, `validators` and
 * `validate-url`, showing the message once the user has left the field after editing it, or
 * tried to submit. Enter adds a line; it never submits. With `counter` the characters are
 * counted (down to `maxlength`) and announced politely when the user pauses.
 *
 * @summary Auto-growing multi-line text with a floating label; a form-associated control.
 * @tag ab-textarea
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the field; used instead of the `help-text` attribute.
 *
 * @fires input - While the user edits the value. Bubbles, composed.
 * @fires change - When the user commits a value (leaves the field). Bubbles, composed.
 * @fires invalid - When a submit or `checkValidity()` finds the value invalid. Cancelable.
 * @fires ab-validity-change - When the validity, its message or `validating` changes; detail
 * `{valid: boolean, message: string, validating: boolean}`. Bubbles, composed.
 *
 * @csspart field - Box around the label and the textarea.
 * @csspart label - The floating label.
 * @csspart input - The native `<textarea>`.
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
export class AbTextarea extends TextControl {
  static override styles = [
    fieldStyles,
    css`
      .input {
        display: block;
        /* The text scrolls below the floated label, never under it. */
        margin-block-start: var(--_input-padding-top);
        padding-block-start: 0;
        height: calc(var(--_rows-min) * 1lh + var(--_input-padding-bottom));
        min-height: calc(var(--_rows-min) * 1lh + var(--_input-padding-bottom));
        max-height: calc(var(--_rows-max) * 1lh + var(--_input-padding-bottom));
        overflow-y: auto;
        resize: none;
      }
      :host([resize='vertical']) .input {
        resize: vertical;
      }
      .label {
        /* At rest the label sits on the first line of text, where typing starts. */
        top: calc(var(--_input-padding-top) + 0.5lh);
      }
    `,
  ];

  /** Rows shown at the least; the textarea never gets shorter. */
  @property({ type: Number, attribute: 'min-rows' }) minRows = textareaMinRowsDefault;

  /** Rows the textarea grows (or can be dragged) to at most; past them the text scrolls. */
  @property({ type: Number, attribute: 'max-rows' }) maxRows = textareaMaxRowsDefault;

  /** How the height follows the text: `auto` (grows), `vertical` (a drag handle) or `none`. */
  @property({ reflect: true }) resize: TextareaResize = 'auto';

  /** Overrides some or all of the English strings (see `textareaStrings`). */
  declare strings: Partial<TextareaStrings>;

  #resizeObserver: ResizeObserver | undefined;
  #observedWidth = 0;
  #fitTimer: ReturnType<typeof setTimeout> | undefined;
  /** The inline height `fitHeight` set last, `''` for none. */
  #fittedHeight = '';

  protected override resolvedStrings(): TextareaStrings {
    return resolveStrings('ab-textarea', textareaStrings, this.strings);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A narrower box wraps the text onto more lines: fit again when the width changes.
    this.#resizeObserver ??= new ResizeObserver((entries) => {
      const width = entries[0]?.contentRect.width ?? 0;
      if (width === this.#observedWidth) return;
      this.#observedWidth = width;
      // Not inside the callback: resizing what is observed there is a ResizeObserver loop.
      clearTimeout(this.#fitTimer);
      this.#fitTimer = setTimeout(() => this.fitHeight());
    });
    if (this.hasUpdated && this.textControl) this.#resizeObserver.observe(this.textControl);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    clearTimeout(this.#fitTimer);
  }

  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    if (this.textControl) this.#resizeObserver?.observe(this.textControl);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    scheduleFit(this);
  }

  /**
   * Sets the height that shows the whole text (`resize="auto"`), within the rows' bounds;
   * called after each update and when the width changes. Call it after showing a textarea
   * that was laid out while hidden.
   */
  fitHeight(): void {
    fitTogether([this]);
  }

  /** @internal Step 1 of a fit, writes only: clears the height a measure must not see. */
  [fitStart](): HTMLElement | null {
    const area = this.textControl;
    if (!area) return null;
    if (this.resize !== 'auto') {
      // Drop only a height set here; one the user dragged the handle to stays.
      if (this.#fittedHeight !== '' && area.style.height === this.#fittedHeight) {
        area.style.removeProperty('height');
      }
      this.#fittedHeight = '';
      return null;
    }
    // `auto` first, so the text's own height is measured, not the one set last time; the
    // stylesheet's min-height and max-height keep the result within the rows.
    area.style.height = 'auto';
    return area;
  }

  /** @internal Step 3 of a fit: sets the height step 2 measured. */
  [fitEnd](area: HTMLElement, scrollHeight: number): void {
    area.style.height = `${scrollHeight}px`;
    this.#fittedHeight = area.style.height;
  }

  override render() {
    const strings = this.resolvedStrings();
    const rowsMin = Math.max(1, Math.floor(this.minRows) || 1);
    const rowsMax = Math.max(rowsMin, Math.floor(this.maxRows) || rowsMin);
    const rows = { '--_rows-min': String(rowsMin), '--_rows-max': String(rowsMax) };
    return html`
      <div part="field" class=${classMap(this.fieldClasses())} @click=${this.handleFieldClick}>
        <div class="control">
          <textarea
            part="input"
            class="input"
            id="input"
            rows=${rowsMin}
            style=${styleMap(rows)}
            .value=${live(this.value)}
            ?required=${this.required}
            ?disabled=${this.isDisabled}
            ?readonly=${this.readonly}
            placeholder=${ifDefined(this.placeholder || undefined)}
            minlength=${ifDefined(this.minlength)}
            maxlength=${ifDefined(this.maxlength)}
            autocomplete=${ifDefined(this.autocomplete || undefined)}
            inputmode=${ifDefined(this.inputmode || undefined)}
            enterkeyhint=${ifDefined(this.enterkeyhint || undefined)}
            aria-label=${ifDefined(this.outerLabel())}
            aria-describedby=${ifDefined(this.describedBy())}
            aria-invalid=${this.errorText !== '' ? 'true' : 'false'}
            @input=${this.handleInput}
            @change=${this.handleChange}
          ></textarea>
          ${this.renderLabel()}
        </div>
      </div>
      ${this.renderFooter(strings)}
    `;
  }
}

if (!customElements.get('ab-textarea')) customElements.define('ab-textarea', AbTextarea);

declare global {
  interface HTMLElementTagNameMap {
    'ab-textarea': AbTextarea;
  }
}
