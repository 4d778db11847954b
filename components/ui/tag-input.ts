/**
 * @packageDocumentation
 * `<ab-tag-input>`: a list of short texts (tags) shown as chips, entered by typing or picked from
 * suggestions. A form-associated control whose every tag is its own form entry.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { fieldStyles } from '../core/field-styles.ts';
import {
  FormControlMixin,
  formControlStrings,
  nativeValueMissingMessage,
  type FormValue,
  type ValidityResult,
} from '../core/form-control.ts';
import { SlotPresenceController } from '../core/slot-presence.ts';
import { resolveStrings } from '../core/strings.ts';
import {
  SuggestionsController,
  suggestionsFromUrl,
  type SuggestionsSource,
} from '../core/suggestions.ts';
import { token } from '../core/tokens.ts';

/** Default of `max-tags`: the most tags one control holds. */
export const tagsMax = 50;

/** Default of `max-length`: the most characters one tag may have. */
export const tagLengthMax = 64;

/** The most suggestions the list shows at once; type more to narrow it. */
export const suggestionsShownMax = 10;

/** The English strings of `<ab-tag-input>`; override any of them through `strings`. */
export const tagInputStrings = {
  ...formControlStrings,
  /** Accessible name of a tag's remove button. */
  removeTag: (tag: string) => `Remove ${tag}`,
  /** Announced after tags were added. */
  added: (tags: string) => `Added: ${tags}.`,
  /** Announced after a tag was removed. */
  removed: (tag: string) => `Removed: ${tag}.`,
  /** Shown when typed or pasted tags are already in the list. */
  duplicate: (tags: string) => `Already added: ${tags}.`,
  /** Shown when free text is refused because only suggestions may be added. */
  notSuggested: (tags: string) => `Not among the suggestions: ${tags}.`,
  /** Shown (and the validation message) when a tag is longer than `max-length`. */
  tooLong: (max: number) => `A tag can have at most ${max} characters.`,
  /** Shown (and the validation message) when there would be more than `max-tags` tags. */
  tooMany: (max: number) => `You can add at most ${max} tags.`,
  /** The validation message for fewer than `min-tags` tags. */
  tooFew: (min: number) => `Add at least ${min} tags.`,
  /** Accessible name of the suggestions list. */
  suggestions: 'Suggestions',
  /** Shown when the suggestions could not be loaded. */
  suggestionsFailed: 'Suggestions could not be loaded.',
};

/** The strings `<ab-tag-input>` shows; see {@link tagInputStrings}. */
export type TagInputStrings = typeof tagInputStrings;

/** Why a candidate tag was not added, in the order the notice lists them. */
type Refusal = 'duplicate' | 'notSuggested' | 'tooLong' | 'tooMany';
const refusalOrder: readonly Refusal[] = ['duplicate', 'notSuggested', 'tooLong', 'tooMany'];

/** What separates tags in typed, pasted and attribute text. */
const separatorRe = /[,\r\n]/;

/** Splits text at commas and line breaks into trimmed, non-empty pieces. */
export function splitTags(text: string): string[] {
  return text
    .split(separatorRe)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
}

/** Tags compare without regard to case: "Lit" and "lit" are the same tag. */
function tagKey(tag: string): string {
  return tag.toLowerCase();
}

/** `items` split, trimmed, and with later case-insensitive repeats dropped. */
function normalizeTags(items: Iterable<string>): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const item of items) {
    for (const tag of splitTags(item)) {
      if (seen.has(tagKey(tag))) continue;
      seen.add(tagKey(tag));
      tags.push(tag);
    }
  }
  return tags;
}

/** The entries of `list` that contain `text`, those starting with it first. */
function matchesOf(list: readonly string[], text: string): string[] {
  const wanted = tagKey(text.trim());
  if (wanted === '') return [...list];
  const starting = list.filter((entry) => tagKey(entry).startsWith(wanted));
  const inside = list.filter((entry) => tagKey(entry).indexOf(wanted) > 0);
  return [...starting, ...inside];
}

/** Reads the comma-separated `suggestions` attribute. */
const commaListConverter = {
  fromAttribute: (text: string | null) => (text === null ? [] : splitTags(text)),
};

const TagInputBase = FormControlMixin(LitElement);

/**
 * A list of tags shown as chips. The user types a tag and presses Enter, comma or Tab (Tab only
 * adds when there is text; otherwise it moves on as usual); pastes a comma- or line-separated
 * list to add every entry; or picks a suggestion from the list under the field (the ARIA 1.2
 * combobox pattern: Down and Up move through it, Enter picks, Escape closes).
 *
 * Tags are trimmed, compared without regard to case, and refused, with a visible and announced
 * notice, when already present, longer than `max-length`, beyond `max-tags`, or (with a source
 * of suggestions and no `allow-new`) not among the suggestions.
 *
 * Removing: each chip has a remove button. Backspace in the empty input moves to the last chip
 * first, as in Material and Vaadin, and a second Backspace removes it, so holding Backspace to
 * clear the text never deletes tags too. Left and Right move between the chips and back to the
 * input; Home and End go to the first chip and to the input; Backspace, Delete, Enter or Space
 * remove the chip in focus. Arrows follow the screen: in a right-to-left layout Right moves
 * towards the first chip, as the caret does in right-to-left text.
 *
 * In a form each tag is its own entry under `name` (as with `<select multiple>`); with no tags
 * there is none. `required` means at least one tag; `min-tags` (checked once there is a tag, as
 * `minlength` is) asks for more. Enter in the empty input submits the form.
 *
 * @summary Tag input with chips and suggestions; a form-associated control.
 * @tag ab-tag-input
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the field; used instead of the `help-text` attribute.
 *
 * @fires input - When the user adds or removes tags. Bubbles, composed.
 * @fires change - When the user leaves the control (or submits with Enter) after changing its
 * tags. Bubbles, composed.
 * @fires invalid - When a submit or `checkValidity()` finds the value invalid. Cancelable.
 *
 * @csspart field - Box around the label, the chips and the input.
 * @csspart label - The floating label.
 * @csspart tags - The list of chips.
 * @csspart tag - One chip.
 * @csspart tag-label - The text of a chip.
 * @csspart tag-remove - The remove button of a chip (not shown when disabled or read-only).
 * @csspart input - The text input, the combobox.
 * @csspart listbox - The list of suggestions.
 * @csspart option - One suggestion; `aria-selected="true"` on the active one.
 * @csspart help-text - The help text under the field.
 * @csspart notice - Why typed or pasted text was not added, or that suggestions failed.
 * @csspart error - The error text, shown only while invalid after interaction.
 *
 * @cssproperty --ab-field-border-color - Border colour at rest.
 * @cssproperty --ab-field-focus-color - Border and label colour while focused.
 * @cssproperty --ab-field-label-color - Label colour at rest.
 * @cssproperty --ab-field-background - Background of the field box.
 * @cssproperty --ab-field-radius - Corner radius of the field box.
 * @cssproperty --ab-field-height - Minimum height of the field box.
 * @cssproperty --ab-tag-background - Background of a chip.
 * @cssproperty --ab-tag-color - Text colour of a chip.
 * @cssproperty --ab-tag-radius - Corner radius of a chip.
 * @cssproperty --ab-tag-input-listbox-max-height - Tallest the suggestions list grows before it
 * scrolls.
 */
export class AbTagInput extends TagInputBase {
  static override styles = [
    fieldStyles,
    css`
      .anchor {
        position: relative;
      }
      .entry {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: ${token('space-xs')};
        /* Room for the floated label above, as the shared input padding leaves it. */
        padding-block: var(--_input-padding-top, 1.375rem) var(--_input-padding-bottom, 0.375rem);
      }
      .tags {
        display: contents;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      .tag {
        display: inline-flex;
        align-items: center;
        gap: 0.125rem;
        box-sizing: border-box;
        max-width: 100%;
        min-height: 1.75rem;
        padding-inline: ${token('space-s')};
        border: 1px solid ${token('color-border')};
        border-radius: var(--ab-tag-radius, 999px);
        background: var(--ab-tag-background, ${token('color-surface-raised')});
        color: var(--ab-tag-color, ${token('color-text')});
        font-size: ${token('font-size-small')};
        cursor: default;
      }
      .tag.editable {
        padding-inline-end: 0.125rem;
      }
      .tag:has(.remove:focus-visible) {
        outline: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
        outline-offset: 1px;
      }
      .tag-label {
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
      }
      .remove {
        display: inline-flex;
        flex: none;
        align-items: center;
        justify-content: center;
        width: 1.5rem;
        height: 1.5rem;
        border-radius: 50%;
        color: ${token('color-text-muted')};
        cursor: pointer;
        outline: none;
      }
      .remove:hover,
      .remove:focus-visible {
        background: ${token('color-surface-disabled')};
        color: ${token('color-text')};
      }
      .remove svg {
        width: 0.875rem;
        height: 0.875rem;
      }
      .input {
        flex: 1 1 4rem;
        width: auto;
        min-width: 4rem;
        height: 1.75rem;
        padding: 0;
      }
      .listbox {
        position: absolute;
        z-index: 10;
        inset-inline: 0;
        top: calc(100% + ${token('space-xs')});
        box-sizing: border-box;
        max-height: var(--ab-tag-input-listbox-max-height, 16rem);
        margin: 0;
        padding: ${token('space-xs')} 0;
        overflow-y: auto;
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: ${token('color-surface')};
        box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
        list-style: none;
      }
      .listbox[hidden] {
        display: none;
      }
      .option {
        padding: ${token('space-s')} ${token('space-m')};
        cursor: pointer;
      }
      .option:hover {
        background: ${token('color-surface-raised')};
      }
      .option[aria-selected='true'] {
        background: ${token('color-primary')};
        color: ${token('color-on-primary')};
      }
      .notice {
        padding-inline: ${token('space-m')};
        color: ${token('color-danger')};
        font-size: ${token('font-size-small')};
      }
      .notice:not(:empty) {
        margin-block-start: ${token('space-xs')};
      }
    `,
  ];

  /** Focus goes to the text input: `focus()`, a click on an outer `<label>`, `reportValidity`. */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /**
   * The tags, in order, as a frozen array (the same one until the tags change). Set an array
   * (or a comma-separated string); it is trimmed, split at commas and freed of case-insensitive
   * repeats. The `value` attribute, comma-separated, is the default the form resets to.
   * Validators (`validators`) get this array as their value.
   */
  // @ts-expect-error -- FormControl types `value` as a string; a tag list is an array here,
  // stored in the mixin as its comma-joined form so reset, restore and dirtiness still work.
  override get value(): readonly string[] {
    const stored = Reflect.get(TagInputBase.prototype, 'value', this) as string;
    if (stored !== this.#parsedFrom) {
      this.#parsedFrom = stored;
      this.#parsed = Object.freeze(normalizeTags([stored]));
    }
    return this.#parsed;
  }
  // @ts-expect-error -- see the getter.
  override set value(next: readonly string[] | string) {
    const text = typeof next === 'string' ? next : normalizeTags(next ?? []).join(',');
    Reflect.set(TagInputBase.prototype, 'value', text, this);
  }

  /** The most tags the user can add; more set by script make the control invalid. */
  @property({ type: Number, attribute: 'max-tags' }) maxTags = tagsMax;

  /** The fewest tags a non-empty value may have; an empty one is judged by `required` alone. */
  @property({ type: Number, attribute: 'min-tags' }) minTags = 0;

  /** The most characters one tag may have. */
  @property({ type: Number, attribute: 'max-length' }) maxLength = tagLengthMax;

  /**
   * Free text may be added besides suggestions. Without it, a control that has suggestions (a
   * list, a URL or a `fetchSuggestions`) only accepts suggestions; one without accepts any text.
   */
  @property({ type: Boolean, attribute: 'allow-new' }) allowNew = false;

  /** Suggestions matched against the typed text; as an attribute, comma-separated. */
  @property({ converter: commaListConverter }) suggestions: string[] = [];

  /**
   * Where to fetch suggestions: `GET {url}?q={text}` with the user's cookies, answered by a JSON
   * array of strings. Asked once the user pauses typing; older answers are dropped.
   */
  @property({ attribute: 'suggestions-url' }) suggestionsUrl = '';

  /**
   * Fetches suggestions for the typed text instead of `suggestions-url`; it gets an
   * `AbortSignal` that aborts when the text changes again.
   */
  @property({ attribute: false }) fetchSuggestions?: SuggestionsSource;

  /** Example text shown in the empty input. */
  @property() placeholder = '';

  /** Overrides some or all of the element's strings, e.g. for a translation. */
  @property({ attribute: false }) strings?: Partial<TagInputStrings>;

  /** What the user has typed and not yet added. */
  @state() private text = '';

  /** Whether the suggestions list is wanted open (it shows only when it has entries). */
  @state() private open = false;

  /** The active suggestion's index, or -1. */
  @state() private activeOption = -1;

  /**
   * Whether the chips' remove buttons take focus: from the first move onto a chip until focus
   * leaves the control. Not before, so that focusing the control lands in the input; not only
   * the focused one, since a button losing `tabindex` while focused would drop focus.
   */
  @state() private chipsFocusable = false;

  /** The latest fetched suggestions. */
  @state() private fetched: string[] = [];

  /** Why text was not added, or that suggestions failed; empty when there is nothing to say. */
  @state() private notice = '';

  /** What the screen reader is told after an add or a removal. */
  @state() private announcement = '';

  @query('.input') private input!: HTMLInputElement | null;

  readonly #slots = new SlotPresenceController(this, 'label', 'help-text');

  /** The stored comma-joined text `#parsed` was read from, and the tags read from it. */
  #parsedFrom = '';
  #parsed: readonly string[] = Object.freeze([]);

  /** The suggestions shown now, derived before each render. */
  #shownOptions: string[] = [];

  /** The comma-joined tags when focus came in; `change` fires on leaving if they differ. */
  #valueAtFocus: string | undefined;

  readonly #suggestions = new SuggestionsController(this, {
    source: () => this.#source(),
    onResults: (results) => {
      this.fetched = results;
      this.activeOption = -1;
      if (this.matches(':focus-within')) this.open = true;
    },
    onError: () => {
      this.notice = this.#strings().suggestionsFailed;
    },
  });

  constructor() {
    super();
    this.addEventListener('focusin', this.#handleFocusIn);
    this.addEventListener('focusout', this.#handleFocusOut);
  }

  /** The text input: `reportValidity` focuses it and the browser points at it. */
  protected override get validationAnchor(): HTMLInputElement | null {
    return this.input;
  }

  /** Each tag as its own entry under `name`; nothing without a name. */
  protected override formValue(): FormValue {
    if (this.name === '') return null;
    const data = new FormData();
    for (const tag of this.value) data.append(this.name, tag);
    return data;
  }

  /** The comma-joined tags, which the default restore turns back into `value`. */
  protected override formState(): FormValue {
    return this.value.join(',');
  }

  protected override isValueMissing(): boolean {
    return this.value.length === 0;
  }

  protected override validityOf(): ValidityResult {
    const tags = this.value;
    const strings = this.#strings();
    if (this.required && tags.length === 0) {
      return { flags: { valueMissing: true }, message: nativeValueMissingMessage() };
    }
    if (tags.some((tag) => tag.length > this.maxLength)) {
      return { flags: { tooLong: true }, message: strings.tooLong(this.maxLength) };
    }
    if (tags.length > 0 && tags.length < this.minTags) {
      return { flags: { rangeUnderflow: true }, message: strings.tooFew(this.minTags) };
    }
    if (tags.length > this.maxTags) {
      return { flags: { rangeOverflow: true }, message: strings.tooMany(this.maxTags) };
    }
    return { flags: {}, message: '' };
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.#shownOptions = this.#optionsFor(this.text);
    if (this.activeOption >= this.#shownOptions.length) this.activeOption = -1;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('activeOption') && this.activeOption >= 0) {
      this.renderRoot
        .querySelector(`#option-${this.activeOption}`)
        ?.scrollIntoView({ block: 'nearest' });
    }
  }

  override render() {
    const tags = this.value;
    const strings = this.#strings();
    const hasHelp = this.helpText !== '' || this.#slots.has('help-text');
    const showsError = this.errorText !== '';
    const fieldClasses = {
      field: true,
      float: tags.length > 0 || this.text !== '' || this.placeholder !== '',
      invalid: showsError,
      disabled: this.isDisabled,
      readonly: this.readonly,
    };
    return html`
      <div class="anchor">
        <div part="field" class=${classMap(fieldClasses)} @click=${this.#handleFieldClick}>
          <div class="control">
            <label part="label" class="label" for="input" id="label">
              <slot name="label">${this.label}</slot>${this.required
                ? html`<span class="required-mark" aria-hidden="true">*</span>`
                : nothing}
            </label>
            <div class="entry">
              <ul part="tags" class="tags" role="list">
                ${tags.map((tag, index) => this.#renderTag(tag, index, strings))}
              </ul>
              ${this.#renderInput(showsError ? 'error' : hasHelp ? 'help-text' : undefined)}
            </div>
          </div>
        </div>
        ${this.#renderListbox(strings)}
      </div>
      <div part="help-text" class="help-text" id="help-text" ?hidden=${!hasHelp || showsError}>
        <slot name="help-text">${this.helpText}</slot>
      </div>
      <div part="notice" class="notice" id="notice" role="status">${this.notice}</div>
      <div part="error" class="error" id="error">${this.errorText}</div>
      <div class="announcer visually-hidden" role="status">${this.announcement}</div>
    `;
  }

  #renderTag(tag: string, index: number, strings: TagInputStrings) {
    const editable = this.#editable();
    return html`<li part="tag" class=${classMap({ tag: true, editable })}>
      <span part="tag-label" class="tag-label">${tag}</span>${editable
        ? html`<span
            part="tag-remove"
            class="remove"
            id="remove-${index}"
            role="button"
            aria-label=${strings.removeTag(tag)}
            tabindex=${ifDefined(this.chipsFocusable ? '-1' : undefined)}
            @click=${() => this.#removeAt(index, 'input')}
            @keydown=${(event: KeyboardEvent) => this.#handleTagKeyDown(event, index)}
            >${removeIcon}</span
          >`
        : nothing}
    </li>`;
  }

  #renderInput(describedBy: string | undefined) {
    const expanded = this.#expanded();
    const hasLabel = this.label !== '' || this.#slots.has('label');
    const outerLabel = hasLabel ? undefined : outerLabelText(this.labels) || undefined;
    const described = [describedBy, this.notice ? 'notice' : undefined].filter(Boolean);
    return html`<input
      part="input"
      class="input"
      id="input"
      type="text"
      role="combobox"
      autocomplete="off"
      aria-autocomplete="list"
      aria-expanded=${expanded ? 'true' : 'false'}
      aria-controls="listbox"
      aria-activedescendant=${ifDefined(
        expanded && this.activeOption >= 0 ? `option-${this.activeOption}` : undefined,
      )}
      aria-label=${ifDefined(outerLabel)}
      aria-describedby=${ifDefined(described.length > 0 ? described.join(' ') : undefined)}
      aria-invalid=${this.errorText !== '' ? 'true' : 'false'}
      .value=${live(this.text)}
      placeholder=${ifDefined(this.placeholder || undefined)}
      ?disabled=${this.isDisabled}
      ?readonly=${this.readonly}
      @input=${this.#handleInput}
      @change=${stopEvent}
      @keydown=${this.#handleInputKeyDown}
      @paste=${this.#handlePaste}
    />`;
  }

  #renderListbox(strings: TagInputStrings) {
    return html`<ul
      part="listbox"
      class="listbox"
      id="listbox"
      role="listbox"
      aria-label=${strings.suggestions}
      ?hidden=${!this.#expanded()}
    >
      ${this.#shownOptions.map(
        (option, index) => html`<li
          part="option"
          class="option"
          id="option-${index}"
          role="option"
          aria-selected=${index === this.activeOption ? 'true' : 'false'}
          @mousedown=${preventDefault}
          @click=${() => this.#addFromUser([option])}
        >
          ${option}
        </li>`,
      )}
    </ul>`;
  }

  #strings(): TagInputStrings {
    return resolveStrings('ab-tag-input', tagInputStrings, this.strings);
  }

  #editable(): boolean {
    return !this.isDisabled && !this.readonly;
  }

  #expanded(): boolean {
    return this.open && this.#editable() && this.#shownOptions.length > 0;
  }

  /** The fetching source: the injected one, else `suggestions-url`, else none. */
  #source(): SuggestionsSource | undefined {
    if (this.fetchSuggestions) return this.fetchSuggestions;
    return this.suggestionsUrl === '' ? undefined : suggestionsFromUrl(this.suggestionsUrl);
  }

  /** Whether any text may become a tag: with `allow-new`, or when there is nothing to pick. */
  #acceptsFreeText(): boolean {
    return this.allowNew || (this.suggestions.length === 0 && this.#source() === undefined);
  }

  /** The suggestions to show for `text`: matches (or the fetched answer) not yet added. */
  #optionsFor(text: string): string[] {
    const taken = new Set(this.value.map(tagKey));
    const pool = this.#source() ? this.fetched : matchesOf(this.suggestions, text);
    return pool.filter((option) => !taken.has(tagKey(option))).slice(0, suggestionsShownMax);
  }

  /** The suggestion equal to `text` regardless of case, so a tag takes the suggestion's case. */
  #suggestionMatching(text: string): string | undefined {
    const wanted = tagKey(text);
    return [...this.suggestions, ...this.fetched].find((option) => tagKey(option) === wanted);
  }

  /**
   * Adds what the user typed, pasted or picked. Candidates are split and trimmed; repeats among
   * them merge silently; the refused stay in the input and the notice says why.
   */
  #addFromUser(candidates: readonly string[]): number {
    const tags = this.value;
    const taken = new Set(tags.map(tagKey));
    const added: string[] = [];
    const refused = new Map<Refusal, string[]>();
    for (const candidate of normalizeTags(candidates)) {
      const tag = this.#suggestionMatching(candidate) ?? candidate;
      const reason = this.#refusalOf(tag, taken, tags.length + added.length);
      if (reason) {
        refused.set(reason, [...(refused.get(reason) ?? []), candidate]);
        continue;
      }
      added.push(tag);
      taken.add(tagKey(tag));
    }
    const strings = this.#strings();
    this.notice = refusalOrder
      .filter((reason) => refused.has(reason))
      .map((reason) => this.#refusalMessage(reason, refused.get(reason)!, strings))
      .join(' ');
    this.text = [...refused.values()].flat().join(', ');
    this.open = false;
    this.activeOption = -1;
    this.#suggestions.cancel();
    this.fetched = [];
    if (added.length > 0) {
      this.announcement = strings.added(added.join(', '));
      this.applyUserInput([...tags, ...added].join(','));
    }
    return added.length;
  }

  #refusalOf(tag: string, taken: ReadonlySet<string>, count: number): Refusal | undefined {
    if (taken.has(tagKey(tag))) return 'duplicate';
    if (!this.#acceptsFreeText() && this.#suggestionMatching(tag) === undefined) {
      return 'notSuggested';
    }
    if (tag.length > this.maxLength) return 'tooLong';
    if (count >= this.maxTags) return 'tooMany';
    return undefined;
  }

  #refusalMessage(reason: Refusal, texts: string[], strings: TagInputStrings): string {
    if (reason === 'duplicate') return strings.duplicate(texts.join(', '));
    if (reason === 'notSuggested') return strings.notSuggested(texts.join(', '));
    if (reason === 'tooLong') return strings.tooLong(this.maxLength);
    return strings.tooMany(this.maxTags);
  }

  /** Removes the tag at `index`, then focuses the chip before or after it, or the input. */
  async #removeAt(index: number, focusNext: 'previous' | 'next' | 'input'): Promise<void> {
    const tags = [...this.value];
    const [removed] = tags.splice(index, 1);
    if (removed === undefined) return;
    // The focused chip is about to leave the page, which would drop focus out of the control.
    this.input?.focus();
    this.notice = '';
    this.announcement = this.#strings().removed(removed);
    this.applyUserInput(tags.join(','));
    let target = -1;
    if (focusNext === 'previous') target = index > 0 ? index - 1 : tags.length > 0 ? 0 : -1;
    if (focusNext === 'next') target = index < tags.length ? index : -1;
    await this.#focusTag(target);
  }

  /** Moves focus to the chip at `index`, or to the input for -1. */
  async #focusTag(index: number): Promise<void> {
    if (index < 0) {
      this.input?.focus();
      return;
    }
    this.chipsFocusable = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#remove-${index}`)?.focus();
  }

  /** Whether the key moves towards the first chip: Left, or Right in right-to-left layouts. */
  #isBackwardKey(key: string): boolean {
    const rtl = getComputedStyle(this).direction === 'rtl';
    return key === (rtl ? 'ArrowRight' : 'ArrowLeft');
  }

  #isForwardKey(key: string): boolean {
    const rtl = getComputedStyle(this).direction === 'rtl';
    return key === (rtl ? 'ArrowLeft' : 'ArrowRight');
  }

  #handleInput = (event: Event): void => {
    // The inner input's own `input` would leave the shadow root; the control's `input` means
    // its tags changed, and typing alone does not change them.
    event.stopPropagation();
    const text = (event.target as HTMLInputElement).value;
    this.notice = '';
    // Typed or dropped text with a separator (a phone keyboard's comma, say) adds what precedes.
    if (separatorRe.test(text)) {
      const pieces = text.split(separatorRe);
      const rest = pieces.pop() ?? '';
      this.#addFromUser(pieces);
      this.text = [this.text, rest.trimStart()].filter(Boolean).join(', ');
      return;
    }
    this.text = text;
    this.#showSuggestionsFor(text);
  };

  /** Opens the list for `text` (local matches), or asks the source once the user pauses. */
  #showSuggestionsFor(text: string, evenEmpty = false): void {
    this.activeOption = -1;
    const wanted = evenEmpty || text.trim() !== '';
    if (!this.#source()) {
      this.open = wanted;
    } else if (wanted) {
      // The list shown stays until the answer for the new text replaces it.
      this.#suggestions.request(text.trim());
    } else {
      this.#suggestions.cancel();
      this.fetched = [];
      this.open = false;
    }
  }

  #handleInputKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing || !this.#editable()) return;
    const handled = this.#handleComboboxKey(event) || this.#handleEntryKey(event);
    if (handled) event.preventDefault();
  };

  /** Up, Down, Enter and Escape as the combobox pattern has them; true when handled. */
  #handleComboboxKey(event: KeyboardEvent): boolean {
    const options = this.#shownOptions;
    const expanded = this.#expanded();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      if (event.altKey || !expanded) {
        this.#showSuggestionsFor(this.text, true);
        // Local suggestions are known now: the arrow also moves to the first (or last) one.
        const count = this.#source() ? 0 : this.#optionsFor(this.text).length;
        if (!event.altKey && count > 0) this.activeOption = step > 0 ? 0 : count - 1;
        return true;
      }
      const from = this.activeOption < 0 && step < 0 ? options.length : this.activeOption;
      this.activeOption = (from + step + options.length) % options.length;
      return true;
    }
    if (event.key === 'Escape') {
      if (expanded) this.open = false;
      else if (this.text !== '') this.text = '';
      else return false;
      return true;
    }
    const picked = expanded && this.activeOption >= 0 ? options[this.activeOption] : undefined;
    const isPlainTab = event.key === 'Tab' && !event.shiftKey && !event.altKey && !event.ctrlKey;
    if (picked === undefined) return false;
    // Tab moves on as usual when the pick is refused (at max-tags), so it never traps focus.
    if (event.key === 'Enter') {
      this.#addFromUser([picked]);
      return true;
    }
    return isPlainTab && this.#addFromUser([picked]) > 0;
  }

  /** Enter, comma, Tab, Backspace and the backward arrow in the input; true when handled. */
  #handleEntryKey(event: KeyboardEvent): boolean {
    const input = event.target as HTMLInputElement;
    const hasText = this.text.trim() !== '';
    const modified = event.altKey || event.ctrlKey || event.metaKey;
    if (event.key === ',' || (hasText && event.key === 'Enter' && !modified)) {
      if (hasText) this.#addFromUser([this.text]);
      return true;
    }
    if (event.key === 'Tab' && hasText && !event.shiftKey && !modified) {
      // Refused text stays with its notice, and Tab moves on: focus is never trapped.
      return this.#addFromUser([this.text]) > 0;
    }
    if (event.key === 'Enter' && !modified) {
      this.#commitIfChanged();
      this.submitFormImplicitly();
      return true;
    }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const toChips =
      (event.key === 'Backspace' && this.text === '' && !event.repeat) ||
      (this.#isBackwardKey(event.key) && atStart && !modified && !event.shiftKey);
    if (toChips && this.value.length > 0) {
      void this.#focusTag(this.value.length - 1);
      return true;
    }
    return false;
  }

  #handleTagKeyDown(event: KeyboardEvent, index: number): void {
    if (event.isComposing) return;
    const last = this.value.length - 1;
    const key = event.key;
    if (this.#isBackwardKey(key)) void this.#focusTag(Math.max(0, index - 1));
    else if (this.#isForwardKey(key)) void this.#focusTag(index < last ? index + 1 : -1);
    else if (key === 'Home') void this.#focusTag(0);
    else if (key === 'End' || key === 'Escape') void this.#focusTag(-1);
    else if (key === 'Backspace') void this.#removeAt(index, 'previous');
    else if (key === 'Delete' || key === 'Enter' || key === ' ') void this.#removeAt(index, 'next');
    else return;
    event.preventDefault();
  }

  #handlePaste = (event: ClipboardEvent): void => {
    const pasted = event.clipboardData?.getData('text') ?? '';
    // Plain text without separators is pasted as usual, to be edited before it is added.
    if (!separatorRe.test(pasted) || !this.#editable()) return;
    event.preventDefault();
    const input = event.target as HTMLInputElement;
    const before = input.value.slice(0, input.selectionStart ?? input.value.length);
    const after = input.value.slice(input.selectionEnd ?? input.value.length);
    this.#addFromUser([before + pasted + after]);
  };

  #handleFieldClick = (event: MouseEvent): void => {
    // A click on the box, a chip's text or the label puts the caret in the input.
    const target = event.composedPath()[0] as HTMLElement;
    if (target === this.input || target.closest?.('[role="button"]')) return;
    this.input?.focus();
  };

  #handleFocusIn = (): void => {
    this.#valueAtFocus ??= this.value.join(',');
  };

  #handleFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    // Focus moving between the input and the chips stays inside: nothing to commit yet.
    if (next && (next === this || this.shadowRoot?.contains(next))) return;
    this.open = false;
    this.chipsFocusable = false;
    this.#commitIfChanged();
    this.#valueAtFocus = undefined;
  };

  /** Fires `change` when the tags differ from those at focus, as a native input does. */
  #commitIfChanged(): void {
    const now = this.value.join(',');
    if (this.#valueAtFocus !== undefined && this.#valueAtFocus !== now) this.commitUserInput();
    this.#valueAtFocus = now;
  }
}

function preventDefault(event: Event): void {
  // Keeps focus in the input while an option is clicked.
  event.preventDefault();
}

function stopEvent(event: Event): void {
  // The inner input's `change` concerns its text; the control fires its own for its tags.
  event.stopPropagation();
}

/** The text of the `<label for>` elements pointing at a control, joined by spaces. */
function outerLabelText(labels: NodeList): string {
  return [...labels]
    .map((label) => label.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

const removeIcon = html`<svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
  <path
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    d="M4 4l8 8M12 4l-8 8"
  />
</svg>`;

if (!customElements.get('ab-tag-input')) customElements.define('ab-tag-input', AbTagInput);

declare global {
  interface HTMLElementTagNameMap {
    'ab-tag-input': AbTagInput;
  }
}
