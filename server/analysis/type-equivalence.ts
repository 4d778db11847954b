/**
 * @module
 * When two written types store the same thing: `DECIMAL(12,2)` and `numeric(12,2)`,
 * `VARCHAR(64)` and `character varying(64)`, `TIMESTAMP WITH TIME ZONE` and `timestamptz`,
 * and on PostgreSQL `FLOAT` and `double precision` (which is what PostgreSQL makes of it).
 * `drift.ts` compares a model's types with the live ones through {@link typeSignature}.
 */
import type { DatabaseType } from './database-type.ts';

/** PostgreSQL's own name for a type it stores as another: `serial` is an `integer`. */
function storedBase(type: DatabaseType): string {
  if (type.dialect !== 'postgres') return type.base;
  switch (type.base) {
    case 'float': {
      // FLOAT(p) is a real up to 24 bits of precision, a double precision beyond or unsaid.
      const bits = Number(type.parameters[0]);
      return Number.isFinite(bits) && bits <= 24 ? 'real' : 'double precision';
    }
    case 'serial':
      return 'integer';
    case 'bigserial':
      return 'bigint';
    case 'smallserial':
      return 'smallint';
    default:
      return type.base;
  }
}

/**
 * A type in one spelling per stored type: the canonical name, plus the length of text and
 * bytes, the precision and scale of a decimal, the values of an enum, the element of an
 * array. Time precision and display widths are left out: they do not change what is stored.
 *
 * @example typeSignature(parseDatabaseType('character varying(64)', 'postgres')) // varchar(64)
 */
export function typeSignature(type: DatabaseType): string {
  if (type.category === 'array') {
    return `${type.elementType ? typeSignature(type.elementType) : type.base}[]`;
  }
  if (type.category === 'enum') return `enum(${(type.enumValues ?? []).join(',')})`;
  const base = storedBase(type);
  if (type.category === 'boolean') return base === 'tinyint' ? 'tinyint(1)' : base;
  if (['text', 'long-text', 'binary', 'bit-string'].includes(type.category)) {
    if (type.unlimitedLength) return `${base}(max)`;
    return type.length === null ? base : `${base}(${type.length})`;
  }
  if (type.category === 'decimal' && type.precision !== null) {
    return `${base}(${type.precision},${type.scale ?? 0})`;
  }
  return base;
}

/** Whether `expected` and `actual` store the same thing. */
export function sameStoredType(expected: DatabaseType, actual: DatabaseType): boolean {
  return typeSignature(expected) === typeSignature(actual);
}
