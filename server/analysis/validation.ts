/**
 * @module
 * The validation rules of a column: what its type allows (nullability, length, range, enum
 * values, precision) tightened by the model's own validators (`validate: {len, isEmail, ...}`).
 *
 * Ranges follow the declared SQL type, not the storage: SQLite stores any INTEGER in 8 bytes,
 * but the same migrations run on PostgreSQL where an INTEGER holds 32 bits, and the API must
 * behave the same on both. Bounds are decimal strings, since BIGINT's exceed 2^53.
 *
 * Pure: no server imports.
 */
import type { DatabaseType } from './database-type.ts';
import type { FieldValidation, ModelRule } from './schemas.ts';

/** Most model validators read per column; the rest are ignored. */
export const modelRulesMax = 32;

/** What the rules are derived from. */
export interface ValidationInput {
  type: DatabaseType;
  nullable: boolean;
  /** The database or the model fills the value when none is given. */
  hasDefault: boolean;
  autoIncrement: boolean;
  /** A model attribute that is computed, never stored. */
  virtual: boolean;
  /** The attribute's `validate` object, as the model declares it. */
  validators: Readonly<Record<string, unknown>> | null;
}

/** Validators a browser can run as well (validator.js names, as Sequelize uses them). */
const portableRules: ReadonlySet<string> = new Set([
  'is', 'not', 'isEmail', 'isUrl', 'isIP', 'isIPv4', 'isIPv6', 'isAlpha', 'isAlphanumeric',
  'isNumeric', 'isInt', 'isFloat', 'isDecimal', 'isLowercase', 'isUppercase', 'notNull',
  'notEmpty', 'equals', 'contains', 'notContains', 'notIn', 'isIn', 'len', 'isUUID', 'isDate',
  'isAfter', 'isBefore', 'max', 'min', 'isCreditCard',
]);

/** Signed bounds of whole-number types by canonical name, and the unsigned maximum. */
const integerBounds: Readonly<Record<string, readonly [string, string, string]>> = {
  tinyint: ['-128', '127', '255'],
  smallint: ['-32768', '32767', '65535'],
  mediumint: ['-8388608', '8388607', '16777215'],
  integer: ['-2147483648', '2147483647', '4294967295'],
  bigint: ['-9223372036854775808', '9223372036854775807', '18446744073709551615'],
  'unsigned big int': ['0', '9223372036854775807', '9223372036854775807'],
  smallserial: ['1', '32767', '32767'],
  serial: ['1', '2147483647', '2147483647'],
  bigserial: ['1', '9223372036854775807', '9223372036854775807'],
  year: ['1901', '2155', '2155'],
};

const uuidPattern = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/**
 * The validation rules of one column.
 *
 * @param input - its type, nullability, default and the model's validators.
 * @returns the rules a form applies before the server applies them again.
 * @example validationOf({ type: parseDatabaseType('varchar(64)', 'postgres'), ... }).maxLength
 */
export function validationOf(input: ValidationInput): FieldValidation {
  const validation: FieldValidation = {
    required: !input.nullable && !input.hasDefault && !input.autoIncrement && !input.virtual,
    nullable: input.nullable,
    minLength: null,
    maxLength: null,
    min: null,
    max: null,
    precision: null,
    scale: null,
    enumValues: input.type.enumValues ? [...input.type.enumValues] : null,
    pattern: null,
    format: null,
    rules: [],
  };
  applyTypeRules(validation, input.type);
  applyModelRules(validation, input.validators ?? {});
  return validation;
}

function applyTypeRules(validation: FieldValidation, type: DatabaseType): void {
  switch (type.category) {
    case 'text':
    case 'long-text':
      validation.maxLength = type.length;
      return;
    case 'integer':
    case 'big-integer':
      applyIntegerBounds(validation, type);
      return;
    case 'decimal':
    case 'money':
      applyDecimalBounds(validation, type);
      return;
    case 'uuid':
      validation.pattern = uuidPattern;
      validation.format = 'uuid';
      return;
    case 'network-address':
      validation.format = type.base === 'macaddr' || type.base === 'macaddr8' ? 'mac' : 'ip';
      return;
    case 'date':
    case 'date-time':
    case 'time':
    case 'json':
      validation.format = type.category;
      return;
    default:
      return;
  }
}

function applyIntegerBounds(validation: FieldValidation, type: DatabaseType): void {
  validation.format = 'integer';
  validation.pattern = '-?[0-9]+';
  const bounds = integerBounds[type.base];
  if (!bounds) return;
  // MSSQL's TINYINT is unsigned; elsewhere UNSIGNED says so.
  const unsigned = type.unsigned || (type.base === 'tinyint' && type.dialect === 'mssql');
  validation.min = unsigned && bounds[0].startsWith('-') ? '0' : bounds[0];
  validation.max = unsigned ? bounds[2] : bounds[1];
}

function applyDecimalBounds(validation: FieldValidation, type: DatabaseType): void {
  validation.format = 'decimal';
  const fixedMoney = type.base === 'money' ? (type.dialect === 'mssql' ? [19, 4] : [19, 2])
    : type.base === 'smallmoney' ? [10, 4] : null;
  const precision = type.precision ?? fixedMoney?.[0] ?? null;
  const scale = type.scale ?? fixedMoney?.[1] ?? null;
  if (precision === null || scale === null) {
    validation.pattern = '-?[0-9]+(\\.[0-9]+)?';
    return;
  }
  validation.precision = precision;
  validation.scale = scale;
  const whole = precision - scale;
  const max = `${whole > 0 ? '9'.repeat(whole) : '0'}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
  validation.max = max;
  validation.min = type.unsigned ? '0' : `-${max}`;
  const wholeDigits = whole > 0 ? `[0-9]{1,${whole}}` : '0';
  validation.pattern = `-?${wholeDigits}${scale > 0 ? `(\\.[0-9]{1,${scale}})?` : ''}`;
}

/** Reads the model's `validate` object into `validation.rules` and tightens the bounds. */
function applyModelRules(
  validation: FieldValidation,
  validators: Readonly<Record<string, unknown>>,
): void {
  for (const [name, declared] of Object.entries(validators).slice(0, modelRulesMax)) {
    if (typeof declared === 'function') {
      validation.rules.push({ name, args: null, enforcedBy: 'server' });
      continue;
    }
    const args = ruleArguments(declared);
    const rule: ModelRule = {
      name,
      args: toJson(args),
      enforcedBy: portableRules.has(name) ? 'client-and-server' : 'server',
    };
    validation.rules.push(rule);
    tighten(validation, name, args);
  }
}

/** `{args, msg}` declares arguments and a message; anything else is the arguments. */
function ruleArguments(declared: unknown): unknown {
  if (declared !== null && typeof declared === 'object' && !Array.isArray(declared)
    && !(declared instanceof RegExp)) {
    const withArgs = declared as { args?: unknown };
    return 'args' in withArgs ? withArgs.args : true;
  }
  return declared;
}

function tighten(validation: FieldValidation, name: string, args: unknown): void {
  const numbers = (Array.isArray(args) ? args : [args]).map(Number);
  if (name === 'len') {
    const [min, max] = numbers;
    if (Number.isFinite(min) && min !== undefined) validation.minLength = min;
    if (Number.isFinite(max) && max !== undefined) {
      validation.maxLength = Math.min(validation.maxLength ?? max, max);
    }
  } else if (name === 'notEmpty' && args !== false) {
    validation.minLength = Math.max(validation.minLength ?? 1, 1);
  } else if ((name === 'min' || name === 'max') && Number.isFinite(numbers[0])) {
    validation[name] = String(numbers[0]);
  } else if (name === 'isIn' && Array.isArray(args) && Array.isArray(args[0])) {
    validation.enumValues ??= (args[0] as unknown[]).map(String);
  } else if (name === 'is' || name === 'matches') {
    const source = patternSource(args);
    if (source !== null) validation.pattern = source;
  } else {
    const format = formatOfRule[name];
    if (format) validation.format = format;
  }
}

const formatOfRule: Readonly<Record<string, string>> = {
  isEmail: 'email',
  isUrl: 'url',
  isUUID: 'uuid',
  isIP: 'ip',
  isInt: 'integer',
  isDecimal: 'decimal',
};

/** A pattern usable in `<input pattern>`: a flagless RegExp or string; null otherwise. */
function patternSource(args: unknown): string | null {
  const [pattern, flags] = Array.isArray(args) ? args : [args, undefined];
  if (pattern instanceof RegExp) {
    return pattern.flags.replace('g', '') === '' ? pattern.source : null;
  }
  if (typeof pattern === 'string' && (flags === undefined || flags === '')) return pattern;
  return null;
}

/** `value` as JSON: a regular expression becomes its `/source/flags` text. */
function toJson(value: unknown): unknown {
  if (value instanceof RegExp) return String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}
