/**
 * @module
 * One shape for a table as the database holds it and as a model expects it: columns (type,
 * nullability, default, key), indexes, unique sets and foreign keys. The readers in
 * `sqlite-tables.ts` and `postgres-tables.ts` fill it from a live database; `model-tables.ts`
 * fills it from a Sequelize model; `drift.ts` compares the two.
 */

/** A column default: a literal value, or an SQL expression the database evaluates. */
export type ColumnDefault =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; sql: string };

/** One column. */
export interface ColumnDefinition {
  name: string;
  /** The type as the database (or the model, on this dialect) writes it. */
  type: string;
  /** The values of a PostgreSQL enum type or a model's ENUM; null otherwise. */
  enumValues: string[] | null;
  nullable: boolean;
  primaryKey: boolean;
  /** The database assigns the value: serial, identity, SQLite's INTEGER PRIMARY KEY. */
  autoIncrement: boolean;
  default: ColumnDefault | null;
  /**
   * The Sequelize type as TypeScript source (`DataTypes.STRING(64)`), for generated
   * migrations; null when Sequelize has no type for it.
   */
  dataTypeSource: string | null;
}

/** One index, unique or not. */
export interface IndexDefinition {
  /** The index's name; a model's unnamed index gets the name a migration would give it. */
  name: string;
  /** Column names in order; an expression is written in parentheses. */
  columns: string[];
  unique: boolean;
}

/** One foreign key. */
export interface ForeignKeyDefinition {
  columns: string[];
  table: string;
  referencedColumns: string[];
}

/** A table. */
export interface TableDefinition {
  table: string;
  columns: ColumnDefinition[];
  /** The primary key's columns in order; empty without one. */
  primaryKey: string[];
  indexes: IndexDefinition[];
  foreignKeys: ForeignKeyDefinition[];
}

/**
 * A default as the database reports it (`'active'::character varying`, `0`, `(1)`,
 * `CURRENT_TIMESTAMP`), read as a literal where it is one.
 *
 * @param sql - the default's SQL text; null or `NULL` for none.
 * @returns the default, or null for none.
 * @example defaultFromSql("'a''b'::text") // { kind: 'literal', value: "a'b" }
 */
export function defaultFromSql(sql: string | null): ColumnDefault | null {
  if (sql === null) return null;
  let text = sql.trim();
  // Outer parentheses (SQLite keeps `(1)` as written) and casts (`::character varying`).
  while (/^\(.*\)$/s.test(text) && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  text = text.replace(/(::[a-z_ ]+(\([^)]*\))?(\[\])?)+$/i, '').trim();
  if (text === '' || /^null$/i.test(text)) return null;
  const quoted = /^'((?:[^']|'')*)'$/s.exec(text);
  if (quoted) return { kind: 'literal', value: (quoted[1] ?? '').replace(/''/g, "'") };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'literal', value: text };
  if (/^(true|false)$/i.test(text)) return { kind: 'literal', value: text.toLowerCase() };
  return { kind: 'expression', sql: text };
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const character of text) {
    if (character === '(') depth += 1;
    if (character === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Whether two defaults say the same. Literals compare by value, with `1`/`true` and
 * `0`/`false` equal for a boolean column and `0` and `0.0` equal for a number.
 */
export function sameDefault(
  expected: ColumnDefault | null,
  actual: ColumnDefault | null,
  kind: 'boolean' | 'number' | 'other',
): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (expected.kind === 'expression' || actual.kind === 'expression') {
    return expected.kind === actual.kind
      && describeDefault(expected).toLowerCase() === describeDefault(actual).toLowerCase();
  }
  const [left, right] = [expected.value, actual.value];
  if (kind === 'boolean') return truthOf(left) === truthOf(right);
  if (kind === 'number' && left !== '' && right !== '') return Number(left) === Number(right);
  return left === right;
}

function truthOf(value: string): string {
  if (value === '1' || value === 'true') return 'true';
  if (value === '0' || value === 'false') return 'false';
  return value;
}

/** A default for a report: a literal quoted (`'active'`), an expression as it is. */
export function describeDefault(value: ColumnDefault | null): string {
  if (value === null) return 'none';
  return value.kind === 'literal' ? `'${value.value.replace(/'/g, "''")}'` : value.sql;
}
