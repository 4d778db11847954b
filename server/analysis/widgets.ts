/**
 * @module
 * The one ranked table that maps a field (its category plus hints from its name and its
 * siblings) to the element a form should use, with that element's attributes. The first rule
 * that matches wins, so specific rules (a money pair, a colour, tags) sit above the general
 * ones (a number, a line of text).
 *
 * Pure data and pure functions, with no server imports: `ab-model-form` and
 * `ab-form-renderer` may import this file as it is, so the server and the browser always
 * pick the same widget.
 *
 * @example
 * ```ts
 * recommendWidget({ ...fieldOf('color', 'text'), maxLength: 7 });
 * // { tag: 'ab-color-picker', attributes: { format: 'hex' }, rule: 'colour' }
 * ```
 */
import { nameHas, nameWords } from './field-names.ts';
import type { FieldCategory, Widget } from './schemas.ts';

/** What the choice of a widget depends on. */
export interface WidgetInput {
  /** The attribute (or column) name; words in it are hints (`color`, `email`, `tags`). */
  name: string;
  category: FieldCategory;
  /** The category of one element of an array or a range. */
  element: FieldCategory | null;
  enumValues: readonly string[] | null;
  maxLength: number | null;
  min: string | null;
  max: string | null;
  pattern: string | null;
  /** The sibling field naming this amount's currency (see {@link currencyFieldFor}). */
  currencyField: string | null;
}

/** One row of the ranked table. */
export interface WidgetRule {
  /** A stable code, reported as `widget.rule`. */
  code: string;
  /** When the rule applies, in words. */
  description: string;
  matches(input: WidgetInput): boolean;
  widget(input: WidgetInput): Omit<Widget, 'rule'>;
}

/** Last words of an amount held in minor units (`amount_minor`, `price_cents`). */
const minorUnitWords: readonly string[] = ['minor', 'cents'];

/** Words of an amount held in major units that pairs with a currency column. */
const amountWords: readonly string[] = ['amount', 'price', 'balance', 'cost', 'total', 'fee'];

const numeric: readonly FieldCategory[] = ['integer', 'big-integer', 'decimal'];

const textField = (attributes: Record<string, string>) => ({ tag: 'ab-text-field', attributes });

/** Attributes for the present ones among `entries` (null and undefined left out). */
function present(entries: Record<string, string | number | null | undefined>) {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== null && value !== undefined) attributes[key] = String(value);
  }
  return attributes;
}

/** Whether a name ends in a minor-unit word (`amount_minor`, `price_cents`). */
function isMinorUnit(name: string): boolean {
  return minorUnitWords.includes(nameWords(name).at(-1) ?? '');
}

function isMoney(input: WidgetInput): boolean {
  if (input.category === 'money') return true;
  if (!numeric.includes(input.category) || input.currencyField === null) return false;
  const words = nameWords(input.name);
  return minorUnitWords.includes(words.at(-1) ?? '') || words.some((w) => amountWords.includes(w));
}

const isWordElement = (element: FieldCategory | null) =>
  element === 'text' || element === 'long-text' || element === 'enum';

const isText = (input: WidgetInput) => input.category === 'text' || input.category === 'long-text';

/** The ranked table: the first matching rule picks the widget. */
export const widgetRules: readonly WidgetRule[] = [
  { code: 'enum', description: 'A fixed list of choices: a select.',
    matches: (input) => input.category === 'enum' || (isText(input) && input.enumValues !== null),
    widget: (input) => ({ tag: 'select', attributes: {},
      options: [...(input.enumValues ?? [])] }) },
  { code: 'money', description: 'A money amount, or an amount paired with a currency column.',
    matches: isMoney,
    widget: (input) => ({ tag: 'ab-currency-input', attributes: present({
      'currency-field': input.currencyField,
      'amount-unit': isMinorUnit(input.name) ? 'minor' : 'major',
    }) }) },
  { code: 'colour', description: 'Text named color or colour: a colour picker.',
    matches: (input) => input.category === 'text' && nameHas(input.name, ['color', 'colour']),
    widget: () => ({ tag: 'ab-color-picker', attributes: { format: 'hex' } }) },
  { code: 'tags', description: 'A list of words: an array of text, a set, or JSON named tags.',
    matches: (input) => (input.category === 'array' && isWordElement(input.element))
      || (input.category === 'json' && nameHas(input.name, ['tags'])),
    widget: (input) => ({ tag: 'ab-tag-input', attributes: present({
      suggestions: input.enumValues?.join(','), 'allow-new': input.enumValues ? null : '' }) }) },
  { code: 'array', description: 'Any other array: an array editor.',
    matches: (input) => input.category === 'array',
    widget: () => ({ tag: 'ab-array-editor', attributes: {} }) },
  { code: 'date-range', description: 'A range of dates or instants.',
    matches: (input) => input.category === 'range'
      && (input.element === 'date' || input.element === 'date-time'),
    widget: (input) => ({ tag: 'ab-datetime-range',
      attributes: present({ 'with-time': input.element === 'date-time' ? '' : null }) }) },
  { code: 'boolean', description: 'Yes or no: a checkbox.',
    matches: (input) => input.category === 'boolean',
    widget: () => ({ tag: 'input', attributes: { type: 'checkbox' } }) },
  { code: 'binary', description: 'Bytes: a file upload.',
    matches: (input) => input.category === 'binary',
    widget: () => ({ tag: 'ab-file-upload', attributes: {} }) },
  { code: 'document', description: 'A JSON document or a shape (as GeoJSON): a JSON editor.',
    matches: (input) => input.category === 'json' || input.category === 'geometry',
    widget: () => ({ tag: 'ab-json-editor', attributes: {} }) },
  { code: 'long-text', description: 'Text longer than a line, or XML: a growing textarea.',
    matches: (input) => input.category === 'long-text' || input.category === 'xml',
    widget: (input) => ({ tag: 'ab-textarea',
      attributes: present({ maxlength: input.maxLength }) }) },
  ...typedTextRules(),
  ...numberAndTimeRules(),
  { code: 'text', description: 'Anything else: a line of text.',
    matches: () => true,
    widget: (input) => textField(present({ maxlength: input.maxLength, pattern: input.pattern })) },
];

function typedTextRules(): WidgetRule[] {
  const typed = (code: string, words: readonly string[], type: string): WidgetRule => ({
    code, description: `Text named ${words.join(' or ')}: a text field of type ${type}.`,
    matches: (input) => input.category === 'text' && nameHas(input.name, words),
    widget: (input) => textField(present({ type, maxlength: input.maxLength })),
  });
  return [
    typed('email', ['email', 'mail'], 'email'),
    typed('url', ['url', 'website', 'homepage', 'link'], 'url'),
    typed('phone', ['phone', 'mobile', 'tel', 'telephone'], 'tel'),
  ];
}

function numberAndTimeRules(): WidgetRule[] {
  const native = (code: string, category: FieldCategory, type: string): WidgetRule => ({
    code, description: `A ${category}: a native input of type ${type}.`,
    matches: (input) => input.category === category,
    widget: () => ({ tag: 'input', attributes: { type } }),
  });
  return [
    { code: 'integer', description: 'A whole number within 2^53: a number field.',
      matches: (input) => input.category === 'integer',
      widget: (input) => textField(present({ type: 'number', step: '1', min: input.min,
        max: input.max })) },
    { code: 'exact-number', description: 'A BIGINT or a decimal: text with a numeric keyboard, ' +
        'since a number field would round past 2^53 or lose trailing digits.',
      matches: (input) => ['big-integer', 'decimal', 'money'].includes(input.category),
      widget: (input) => textField(present({ type: 'text',
        inputmode: input.category === 'big-integer' ? 'numeric' : 'decimal',
        pattern: input.pattern })) },
    { code: 'float', description: 'A floating-point number: a number field with any step.',
      matches: (input) => input.category === 'float',
      widget: () => textField({ type: 'number', step: 'any' }) },
    native('date', 'date', 'date'),
    native('date-time', 'date-time', 'datetime-local'),
    native('time', 'time', 'time'),
  ];
}

/**
 * The widget for a field: the first rule of {@link widgetRules} that matches.
 *
 * @param input - the field's category and hints.
 * @returns the tag, its attributes (and a select's options), and the rule's code.
 */
export function recommendWidget(input: WidgetInput): Widget {
  const rule = widgetRules.find((candidate) => candidate.matches(input));
  // The last rule matches everything, so a rule is always found.
  const chosen = rule ?? widgetRules[widgetRules.length - 1];
  if (!chosen) throw new Error('the widget table is empty');
  return { ...chosen.widget(input), rule: chosen.code };
}

/**
 * The sibling that holds the currency of an amount field, or null: for `counterAmountMinor`
 * the first of `counterAmountCurrency`, `counterCurrency`, `currency` that exists (compared by
 * words, so snake and camel case both match). Only amounts (by the words in
 * {@link minorUnitWords} and {@link amountWords}) have one.
 *
 * @param name - the amount's name.
 * @param siblings - every field name of the same model or table.
 */
export function currencyFieldFor(name: string, siblings: readonly string[]): string | null {
  const words = nameWords(name);
  const isAmount = minorUnitWords.includes(words.at(-1) ?? '')
    || words.some((word) => amountWords.includes(word));
  if (!isAmount) return null;
  const stem = minorUnitWords.includes(words.at(-1) ?? '') ? words.slice(0, -1) : words;
  const byWords = new Map(siblings.map((sibling) => [nameWords(sibling).join('_'), sibling]));
  for (let length = stem.length; length >= 0; length -= 1) {
    const candidate = [...stem.slice(0, length), 'currency'].join('_');
    const found = byWords.get(candidate);
    if (found !== undefined) return found;
  }
  return null;
}
