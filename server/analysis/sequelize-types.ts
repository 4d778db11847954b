/**
 * @module
 * Sequelize data types in words and as source: a model attribute's type described for the
 * analysis (`STRING(64)`, `DECIMAL(12,2)`, `ENUM('a','b')`), and written as TypeScript for a
 * generated migration (`DataTypes.STRING(64)`), whether it comes from a model or from a live
 * column read through the type catalog.
 */
import type { DatabaseType } from './database-type.ts';

/**
 * What is read from a Sequelize data type instance. Sequelize's typings do not declare these
 * members (`key`, `options`, `values`, `type`), though every data type has them at run time.
 */
interface DataTypeLike {
  key?: unknown;
  options?: {
    length?: unknown;
    binary?: unknown;
    precision?: unknown;
    scale?: unknown;
    values?: unknown;
    subtype?: unknown;
  };
  values?: unknown;
  type?: unknown;
  _length?: unknown;
}

/** Sequelize's keys where the `DataTypes` member has another name. */
const memberByKey: Readonly<Record<string, string>> = { 'DOUBLE PRECISION': 'DOUBLE' };

/**
 * A model attribute's type in words, e.g. `STRING(64)`, `ARRAY(INTEGER)`, `ENUM('a','b')`.
 *
 * @param type - the attribute's `type`, as `model.getAttributes()` holds it.
 */
export function describeSequelizeType(type: unknown): string {
  return render(type, '') ?? String(type);
}

/**
 * A model attribute's type as TypeScript source, e.g. `DataTypes.STRING(64)`; null for a
 * type given as a string or a VIRTUAL attribute, which no migration creates.
 *
 * @param type - the attribute's `type`, as `model.getAttributes()` holds it.
 */
export function dataTypeSourceOfAttribute(type: unknown): string | null {
  if (memberOf(type) === 'VIRTUAL') return null;
  return render(type, 'DataTypes.');
}

function memberOf(type: unknown): string | null {
  if (type === null || (typeof type !== 'object' && typeof type !== 'function')) return null;
  const key = (type as DataTypeLike).key;
  if (typeof key !== 'string') return null;
  return memberByKey[key] ?? key;
}

function render(type: unknown, prefix: string): string | null {
  const member = memberOf(type);
  if (member === null) return typeof type === 'string' && prefix === '' ? type : null;
  const { options = {}, values, type: inner, _length: length } = type as DataTypeLike;
  const name = `${prefix}${member}`;
  const quote = (value: unknown) =>
    `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  switch (member) {
    case 'STRING':
    case 'CHAR':
      return `${name}(${String(length ?? options.length ?? 255)})`;
    case 'TEXT':
      return typeof options.length === 'string' ? `${name}(${quote(options.length)})` : name;
    case 'DECIMAL':
      return typeof options.precision === 'number'
        ? `${name}(${options.precision}, ${Number(options.scale ?? 0)})` : name;
    case 'ENUM': {
      const list = Array.isArray(values) ? values
        : Array.isArray(options.values) ? options.values : [];
      return `${name}(${list.map(quote).join(', ')})`;
    }
    case 'ARRAY':
      return wrap(name, render(inner, prefix));
    case 'RANGE':
      return wrap(name, render(options.subtype, prefix));
    default:
      return name;
  }
}

function wrap(name: string, inner: string | null): string | null {
  return inner === null ? null : `${name}(${inner})`;
}

/**
 * The `DataTypes` source for a type read from a live database, e.g. `DataTypes.STRING(40)`
 * for `character varying(40)`; null when Sequelize has no type for it (a generated migration
 * then writes the database's own name).
 *
 * @param type - a type read by `parseDatabaseType`.
 */
export function dataTypeSourceOf(type: DatabaseType): string | null {
  if (type.category === 'array') {
    return type.elementType ? wrap('DataTypes.ARRAY', dataTypeSourceOf(type.elementType)) : null;
  }
  const key = type.sequelizeType;
  if (key === null) return null;
  const range = /^RANGE\((\w+)\)$/.exec(key);
  if (range) return `DataTypes.RANGE(DataTypes.${range[1]})`;
  switch (key) {
    case 'STRING':
      return type.length === null ? null : `DataTypes.STRING(${type.length})`;
    case 'CHAR':
      return type.length === null ? 'DataTypes.CHAR' : `DataTypes.CHAR(${type.length})`;
    case 'DECIMAL':
      return type.precision === null ? 'DataTypes.DECIMAL'
        : `DataTypes.DECIMAL(${type.precision}, ${type.scale ?? 0})`;
    case 'ENUM':
      return type.enumValues === null ? null
        : `DataTypes.ENUM(${type.enumValues.map((value) => `'${value.replace(/'/g, "\\'")}'`)
          .join(', ')})`;
    default:
      return `DataTypes.${key}`;
  }
}
