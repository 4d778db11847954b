/**
 * @module
 * Whether a column can be listed, sorted, searched, filtered (and with which operators) or put
 * in a form, and for every place it is left out of, the reason in words.
 *
 * Two tables decide, and the first reason found for a place wins:
 *  1. {@link fieldRules}: facts about this one column (named like a secret, encrypted, computed
 *     by the model, assigned by the database, stamped by Sequelize). They come first because
 *     they hold whatever the type: a secret stays hidden even if its type could be listed.
 *  2. {@link categoryRules}: what the column's category allows at all.
 *
 * Pure: no server imports.
 */
import { nameHas, nameWords } from './field-names.ts';
import type {
  Exclusion,
  ExclusionPlace,
  FieldCategory,
  FilterOperator,
} from './schemas.ts';

/** Words that mark a column as a secret wherever they appear in its name. */
export const secretNameWords: readonly string[] = [
  'password', 'passwd', 'passphrase', 'secret', 'token',
];

/** Word pairs that mark a secret (`api_key`, `private_key`). */
export const secretNamePhrases: readonly string[] = ['api_key', 'private_key'];

/** What the capabilities of one column depend on. */
export interface CapabilityInput {
  /** The attribute name, or the column name for a table. */
  name: string;
  column: string;
  category: FieldCategory;
  /** The type as written; named in the reason when it is not recognised. */
  dbType: string;
  recognised: boolean;
  nullable: boolean;
  primaryKey: boolean;
  autoIncrement: boolean;
  /** Computed by the model (a Sequelize VIRTUAL attribute), never stored. */
  virtual: boolean;
  /** Holds keyring tokens (`server/crypto/encrypted-columns.ts`). */
  encrypted: boolean;
  /** Sequelize stamps it on create or save (`timestamps: true`). */
  timestamp: boolean;
}

/** What the analysis says a screen may do with a column. */
export interface Capabilities {
  listable: boolean;
  sortable: boolean;
  searchable: boolean;
  filterable: boolean;
  operators: FilterOperator[];
  exclusions: Exclusion[];
}

/** A rule about one column: where it excludes it and why. */
interface FieldRule {
  code: string;
  applies(input: CapabilityInput): boolean;
  reasons(input: CapabilityInput): Partial<Record<ExclusionPlace, string>>;
}

/** The first secret word in a name, for the reason text. */
function secretWord(input: CapabilityInput): string {
  const words = [...nameWords(input.name), ...nameWords(input.column)];
  return words.find((word) => secretNameWords.includes(word)) ?? secretNamePhrases.find(
    (phrase) => nameHas(input.name, [], [phrase]) || nameHas(input.column, [], [phrase]),
  ) ?? 'secret';
}

/** Rules about one column, in priority order. */
export const fieldRules: readonly FieldRule[] = [
  {
    code: 'secret-name',
    applies: (input) => nameHas(input.name, secretNameWords, secretNamePhrases)
      || nameHas(input.column, secretNameWords, secretNamePhrases),
    reasons: (input) => {
      const named = `A column named like a secret ("${secretWord(input)}")`;
      return {
        list: `${named} is never listed.`,
        sort: `${named} is not sortable: the order would tell something about its values.`,
        search: `${named} is never searched: a match would confirm its value.`,
        filter: `${named} is never filtered: a filter would confirm its value.`,
        form: `${named} is never put in a form: only the code that hashes or encrypts it ` +
          'writes it.',
      };
    },
  },
  {
    code: 'encrypted',
    applies: (input) => input.encrypted,
    reasons: () => {
      const held = 'The column holds ciphertext (keyring tokens)';
      return {
        list: `${held}, which means nothing in a list.`,
        sort: `${held}: the database cannot order what it cannot read.`,
        search: `${held}: the database cannot search what it cannot read.`,
        filter: `${held}: the database cannot compare what it cannot read.`,
        form: `${held}: a form would write plaintext where ciphertext belongs.`,
      };
    },
  },
  {
    code: 'virtual',
    applies: (input) => input.virtual,
    reasons: () => {
      const computed = 'The model computes this value; the database does not store it';
      return { sort: `${computed}, so it cannot sort by it.`,
        search: `${computed}, so it cannot search it.`,
        filter: `${computed}, so it cannot filter on it.` };
    },
  },
  {
    code: 'assigned-by-database',
    applies: (input) => input.autoIncrement,
    reasons: () => ({ form: 'The database assigns this key when a row is created.' }),
  },
  {
    code: 'timestamp',
    applies: (input) => input.timestamp,
    reasons: () => ({ form: 'Sequelize stamps this time itself when a row is saved.' }),
  },
];

/** A place a category allows, or the reason it does not. */
type Allowed = true | string;

/** What one category allows. */
interface CategoryRule {
  list: Allowed;
  sort: Allowed;
  search: Allowed;
  /** The operators, or the reason there are none. */
  filter: readonly FilterOperator[] | string;
  form: Allowed;
}

const textOperators: readonly FilterOperator[] = ['eq', 'ne', 'in', 'contains', 'startsWith'];
const numberOperators: readonly FilterOperator[] =
  ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between', 'in'];
const timeOperators: readonly FilterOperator[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'between'];
const choiceOperators: readonly FilterOperator[] = ['eq', 'ne', 'in'];

const notWords = (what: string, instead: string) =>
  `${what} are not searched as words; ${instead}.`;
const numbers: CategoryRule = {
  list: true, sort: true, form: true, filter: numberOperators,
  search: notWords('Numbers', 'filter them by value or range instead'),
};
const times: CategoryRule = {
  list: true, sort: true, form: true, filter: timeOperators,
  search: notWords('Dates and times', 'filter them by range instead'),
};
const documents = (kind: string): CategoryRule => ({
  list: true, form: true,
  sort: `${kind} columns are not sortable: the database has no order for documents.`,
  search: `${kind} documents are not searched: their text is structure, not words.`,
  filter: `${kind} documents are not filtered: filter on a column that holds the value instead.`,
});
const unknownType = (input: CapabilityInput) => input.recognised
  ? `The database type "${input.dbType}" holds values with no order, words or comparison ` +
    'that a list could use.'
  : `The database type "${input.dbType}" is not one the analyzer recognises, so it cannot ` +
    'say how to sort, search or filter it.';

/** What each category allows, with the reasons for what it does not. */
export const categoryRules: Readonly<Record<FieldCategory, CategoryRule>> = {
  'text': { list: true, sort: true, search: true, filter: textOperators, form: true },
  'long-text': { list: true, search: true, filter: ['contains'], form: true,
    sort: 'Long text is not sortable: ordering by paragraphs means little and no index ' +
      'serves it.' },
  'integer': numbers,
  'big-integer': numbers,
  'decimal': numbers,
  'money': numbers,
  'float': numbers,
  'boolean': { list: true, sort: true, filter: ['eq'], form: true,
    search: 'Yes/no values are not searched; filter on them instead.' },
  'date': times,
  'date-time': times,
  'time': times,
  'interval': { ...times, search: notWords('Durations', 'filter them by range instead') },
  'uuid': { list: true, filter: choiceOperators, form: true,
    sort: 'UUIDs are not sortable: random identifiers have no meaningful order.',
    search: 'UUIDs are not searched: only the exact value finds one; filter with eq instead.' },
  'json': documents('JSON'),
  'xml': documents('XML'),
  'enum': { list: true, sort: true, filter: choiceOperators, form: true,
    search: 'Fixed choices are not searched; filter on them instead.' },
  'array': { list: true, filter: ['contains'], form: true,
    sort: 'Arrays are not sortable: a list of values has no single place in an order.',
    search: notWords('Arrays', 'filter with contains instead') },
  'binary': { form: true,
    list: 'Binary data is never listed: bytes have no text to show in a cell.',
    sort: 'Binary data is not sortable: the order of bytes means nothing to a reader.',
    search: 'Binary data is not searched: it holds no words.',
    filter: 'Binary data is not filtered: there is no value to type in and compare.' },
  'geometry': { form: true,
    list: 'Shapes are not listed: a cell cannot draw a geometry.',
    sort: 'Shapes are not sortable: points in a plane have no single order.',
    search: 'Shapes are not searched: they hold coordinates, not words.',
    filter: 'Shapes are not filtered: that needs spatial operators this API does not offer.' },
  'range': { list: true, filter: ['contains', 'overlaps'], form: true,
    sort: 'Ranges are not sortable: overlapping ranges have no natural order.',
    search: notWords('Ranges', 'filter with contains or overlaps instead') },
  'network-address': { list: true, sort: true, filter: choiceOperators, form: true,
    search: notWords('Network addresses', 'filter them by value instead') },
  'full-text-vector': { search: true,
    list: 'A full-text vector is an index of words, not text to read; it is never listed.',
    sort: 'A full-text vector is not sortable: an index of words has no order.',
    filter: 'A full-text vector is searched (see searchable), not filtered by value.',
    form: 'A full-text vector is derived from other columns; nobody types it in a form.' },
  'bit-string': { list: true, sort: true, filter: ['eq', 'ne'], form: true,
    search: notWords('Bit strings', 'filter them by value instead') },
  'other': { list: true, form: true, sort: '', search: '', filter: '' },
};

/**
 * The capabilities of one column and the reason for each place it is left out of.
 *
 * @param input - the facts about the column.
 * @returns the flags, the filter operators and one exclusion per place it is left out of.
 * @example capabilitiesOf({ name: 'password', category: 'text', ... }).exclusions[0].reason
 */
export function capabilitiesOf(input: CapabilityInput): Capabilities {
  const exclusions: Exclusion[] = [];
  const exclude = (from: ExclusionPlace, code: string, reason: string) => {
    if (!exclusions.some((known) => known.from === from)) exclusions.push({ from, code, reason });
  };
  for (const rule of fieldRules) {
    if (!rule.applies(input)) continue;
    for (const [from, reason] of Object.entries(rule.reasons(input))) {
      exclude(from as ExclusionPlace, rule.code, reason);
    }
  }
  const category = categoryRules[input.category];
  const code = input.category === 'other' ? 'unrecognised-type' : `category-${input.category}`;
  for (const from of ['list', 'sort', 'search', 'form'] as const) {
    const allowed = category[from];
    if (allowed !== true) exclude(from, code, allowed || unknownType(input));
  }
  if (typeof category.filter === 'string') {
    exclude('filter', code, category.filter || unknownType(input));
  }
  const excluded = (from: ExclusionPlace) => exclusions.some((known) => known.from === from);
  const filterable = !excluded('filter');
  const operators = filterable && typeof category.filter !== 'string'
    ? [...category.filter, ...(input.nullable ? (['isNull', 'notNull'] as const) : [])]
    : [];
  return {
    listable: !excluded('list'),
    sortable: !excluded('sort'),
    searchable: !excluded('search'),
    filterable,
    operators,
    exclusions: orderedByPlace(exclusions),
  };
}

const placeOrder: readonly ExclusionPlace[] = ['list', 'sort', 'search', 'filter', 'form'];

function orderedByPlace(exclusions: Exclusion[]): Exclusion[] {
  return [...exclusions].sort((a, b) => placeOrder.indexOf(a.from) - placeOrder.indexOf(b.from));
}
