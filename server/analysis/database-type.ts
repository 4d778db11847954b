/**
 * @module
 * A database type as written (`numeric(12,2)`, `character varying(64)[]`, `_int4`,
 * `int(11) unsigned`, `enum('a','b')`, `nvarchar(max)`), read into its parts and its
 * {@link FieldCategory} with the catalog in `type-catalog.ts`.
 *
 * Pure: no server imports.
 */
import type { DatabaseDialect, FieldCategory } from './schemas.ts';
import {
  catalogEntry,
  singleLineLengthMax,
  typeNameLengthMax,
  typeParametersMax,
  type CatalogEntry,
} from './type-catalog.ts';

/** How a type was recognised. */
export type Recognition = 'catalog' | 'enum-type' | 'affinity' | 'none';

/** A written type, read. */
export interface DatabaseType {
  /** The type exactly as the database or model wrote it. */
  written: string;
  dialect: DatabaseDialect;
  /** The canonical name when recognised (`varchar` for `character varying`), else as written. */
  base: string;
  /** The raw parameters, quotes removed: `['12', '2']`, `['max']`, `['a', 'b']`. */
  parameters: string[];
  category: FieldCategory;
  recognisedBy: Recognition;
  sequelizeType: string | null;
  /** Characters (or bits, or bytes) a value may hold; null when unbounded or unknown. */
  length: number | null;
  /** Written with `(max)` or as a type without a limit that still counts as text. */
  unlimitedLength: boolean;
  precision: number | null;
  scale: number | null;
  unsigned: boolean;
  enumValues: string[] | null;
  /** The category of one element of an array, a set or a range. */
  element: FieldCategory | null;
  /** An array's element type, read the same way. */
  elementType: DatabaseType | null;
}

/** What the caller knows beyond the name: a PostgreSQL enum type's values. */
export interface TypeHints {
  enumValues?: readonly string[];
}

/**
 * Reads `written` as a type of `dialect`.
 *
 * @param written - the type as declared, in any case and spacing.
 * @param dialect - whose names apply (`timestamp` differs between MSSQL and the others).
 * @param hints - facts the name does not carry, e.g. the values of a PostgreSQL enum type.
 * @returns the parts and the category; `other` with `recognisedBy: 'none'` when unknown.
 * @example parseDatabaseType('numeric(12,2)', 'postgres').scale // 2
 */
export function parseDatabaseType(
  written: string,
  dialect: DatabaseDialect,
  hints: TypeHints = {},
): DatabaseType {
  if (written.length > typeNameLengthMax) return unknownType(written, dialect, '');
  const normalized = written.trim().replace(/\s+/g, ' ');
  const array = arrayElementName(normalized, dialect);
  if (array !== null) return arrayType(written, dialect, array);
  const { base, whole, parameters, unsigned } = splitTypeName(normalized);
  // SQLite's `UNSIGNED BIG INT` is a name of its own; elsewhere UNSIGNED is a modifier.
  const named = catalogEntry(dialect, whole);
  if (named) return refine(catalogType(written, dialect, named, parameters, false));
  const known = catalogEntry(dialect, base);
  if (known) return refine(catalogType(written, dialect, known, parameters, unsigned));
  if (hints.enumValues && hints.enumValues.length > 0) {
    return { ...unknownType(written, dialect, base), category: 'enum', recognisedBy: 'enum-type',
      sequelizeType: 'ENUM', enumValues: hints.enumValues.slice(0, typeParametersMax) };
  }
  if (dialect === 'sqlite') return sqliteAffinityType(written, base, parameters);
  return { ...unknownType(written, dialect, base), parameters };
}

/** The element's written type of an array (`int[]`, `varchar(20)[]`, `_int4`), or null. */
function arrayElementName(normalized: string, dialect: DatabaseDialect): string | null {
  const bracketed = /^(.+?)(\s*\[\d*\])+$/.exec(normalized);
  if (bracketed?.[1]) return bracketed[1];
  // PostgreSQL names an array type after its element with a leading underscore.
  if (dialect === 'postgres' && /^_[a-z]/i.test(normalized)) {
    const element = normalized.slice(1);
    if (catalogEntry('postgres', element.toLowerCase())) return element;
  }
  return null;
}

function arrayType(written: string, dialect: DatabaseDialect, elementName: string) {
  const elementType = parseDatabaseType(elementName, dialect);
  return {
    ...unknownType(written, dialect, `${elementType.base}[]`),
    category: 'array',
    recognisedBy: elementType.recognisedBy,
    sequelizeType: elementType.sequelizeType && `ARRAY(${elementType.sequelizeType})`,
    element: elementType.category,
    elementType,
  } satisfies DatabaseType;
}

/**
 * Splits `numeric(12, 2) unsigned` into its lower-case base name (`numeric`), its parameters
 * and the unsigned flag. Words after the parameters stay in the name (`timestamp(3) with time
 * zone` is `timestamp with time zone`); `signed`, `zerofill`, collations and charsets go.
 */
export function splitTypeName(normalized: string): {
  base: string;
  /** The name with its sign words still in (`unsigned big int`). */
  whole: string;
  parameters: string[];
  unsigned: boolean;
} {
  const open = normalized.indexOf('(');
  const close = open < 0 ? -1 : closingParenthesis(normalized, open);
  const inside = close < 0 ? '' : normalized.slice(open + 1, close);
  const outside = close < 0 ? normalized
    : `${normalized.slice(0, open)} ${normalized.slice(close + 1)}`;
  let base = outside.toLowerCase().replace(/"/g, '').replace(/^[a-z_][a-z0-9_]*\./, '');
  base = base.replace(/\s(collate|character set|charset)\s\S+/g, ' ');
  const whole = base.replace(/\s+/g, ' ').trim();
  const unsigned = /\bunsigned\b/.test(base);
  base = base.replace(/\b(unsigned|signed|zerofill)\b/g, ' ').replace(/\s+/g, ' ').trim();
  return { base, whole, parameters: close < 0 ? [] : splitParameters(inside), unsigned };
}

/** The index of the `)` that closes the `(` at `open`, skipping quoted text; -1 if none. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (character === "'") quoted = !quoted;
    else if (!quoted && character === '(') depth += 1;
    else if (!quoted && character === ')' && --depth === 0) return index;
  }
  return -1;
}

/** `'a','b,c'` as `['a', 'b,c']`; `12, 2` as `['12', '2']`. Doubled quotes are unescaped. */
function splitParameters(inside: string): string[] {
  const parameters: string[] = [];
  const matcher = /\s*('(?:[^']|'')*'|[^,]*)\s*(?:,|$)/g;
  let match: RegExpExecArray | null;
  while ((match = matcher.exec(inside)) !== null && parameters.length < typeParametersMax) {
    const raw = match[1] ?? '';
    parameters.push(raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw.trim());
    if (matcher.lastIndex >= inside.length) break;
  }
  return parameters;
}

function catalogType(
  written: string,
  dialect: DatabaseDialect,
  known: CatalogEntry,
  parameters: string[],
  unsigned: boolean,
): DatabaseType {
  return {
    ...unknownType(written, dialect, known.name),
    parameters,
    category: known.category,
    recognisedBy: 'catalog',
    sequelizeType: known.sequelizeType,
    length: known.lengthMax,
    unsigned,
    element: known.element,
  };
}

/** Applies what the parameters say: lengths, precision, enum values, `tinyint(1)`. */
function refine(type: DatabaseType): DatabaseType {
  const [first, second] = type.parameters;
  const firstNumber = first !== undefined && /^\d+$/.test(first) ? Number(first) : null;
  if (isBooleanByWidth(type, first)) {
    return { ...type, category: 'boolean', sequelizeType: 'BOOLEAN' };
  }
  if (type.category === 'enum' || type.base === 'set') {
    return { ...type, enumValues: type.parameters };
  }
  if (type.category === 'decimal' && firstNumber !== null) {
    const scale = second !== undefined && /^\d+$/.test(second) ? Number(second) : 0;
    return { ...type, precision: firstNumber, scale };
  }
  if (['text', 'long-text', 'binary', 'bit-string'].includes(type.category)) {
    const unlimited = first?.toLowerCase() === 'max';
    const length = unlimited ? null : (firstNumber ?? type.length);
    const long = type.category === 'text' && (unlimited || (length ?? 0) > singleLineLengthMax);
    return {
      ...type,
      length,
      unlimitedLength: unlimited,
      category: long ? 'long-text' : type.category,
    };
  }
  return type;
}

function isBooleanByWidth(type: DatabaseType, width: string | undefined): boolean {
  if (width !== '1') return false;
  if (type.base === 'tinyint') return ['sqlite', 'mysql', 'mariadb'].includes(type.dialect);
  return type.base === 'bit' && (type.dialect === 'mysql' || type.dialect === 'mariadb');
}

/** The Sequelize type that reads what each SQLite affinity stores. */
const sequelizeTypeByAffinity: Partial<Record<FieldCategory, string>> = {
  integer: 'INTEGER',
  text: 'TEXT',
  binary: 'BLOB',
  float: 'FLOAT',
  decimal: 'DECIMAL',
};

/**
 * SQLite's affinity rules for a name the catalog lacks: `INT` anywhere is an integer; `CHAR`,
 * `CLOB` or `TEXT` is text; `BLOB` is bytes; `REAL`, `FLOA` or `DOUB` is a float; any other
 * name has NUMERIC affinity; no name at all holds anything.
 */
function sqliteAffinityType(written: string, base: string, parameters: string[]): DatabaseType {
  const upper = base.toUpperCase();
  const category: FieldCategory = upper === ''
    ? 'other'
    : upper.includes('INT') ? 'integer'
      : /CHAR|CLOB|TEXT/.test(upper) ? 'text'
        : upper.includes('BLOB') ? 'binary'
          : /REAL|FLOA|DOUB/.test(upper) ? 'float'
            : 'decimal';
  const type: DatabaseType = { ...unknownType(written, 'sqlite', base), parameters, category,
    recognisedBy: category === 'other' ? 'none' : 'affinity',
    sequelizeType: sequelizeTypeByAffinity[category] ?? null };
  return refine(type);
}

function unknownType(written: string, dialect: DatabaseDialect, base: string): DatabaseType {
  return {
    written,
    dialect,
    base,
    parameters: [],
    category: 'other',
    recognisedBy: 'none',
    sequelizeType: null,
    length: null,
    unlimitedLength: false,
    precision: null,
    scale: null,
    unsigned: false,
    enumValues: null,
    element: null,
    elementType: null,
  };
}
