/**
 * @module
 * What a Sequelize model expects of its table, in the {@link TableDefinition} shape the live
 * readers produce: its stored attributes as columns (typed as Sequelize would create them on
 * this dialect), its primary key, and the indexes, unique sets and foreign keys it declares
 * (`indexes`, `unique`, `references`, and those its associations add).
 */
import type { Model, ModelStatic } from 'sequelize';
import type { LiveDialect } from './live-tables.ts';
import { dataTypeSourceOfAttribute } from './sequelize-types.ts';
import type {
  ColumnDefault,
  ColumnDefinition,
  ForeignKeyDefinition,
  IndexDefinition,
  TableDefinition,
} from './table-definition.ts';

/** A model attribute, as `getAttributes()` holds it after Sequelize has processed it. */
export interface AttributeLike {
  type: unknown;
  field?: string;
  allowNull?: boolean;
  primaryKey?: boolean;
  autoIncrement?: boolean;
  defaultValue?: unknown;
  unique?: unknown;
  references?: unknown;
  validate?: unknown;
}

/** The attributes of `model`, in declaration order. */
export function attributesOf(model: ModelStatic<Model>): [string, AttributeLike][] {
  // Sequelize's attribute type is generic over the model; only these members are read.
  return Object.entries(model.getAttributes() as Record<string, AttributeLike>);
}

/** Whether an attribute is computed by the model (VIRTUAL) rather than stored. */
export function isVirtual(attribute: AttributeLike): boolean {
  const key = (attribute.type as { key?: unknown } | null)?.key;
  return key === 'VIRTUAL';
}

/** The column name of an attribute (its `field`, else its name). */
export function columnOf(name: string, attribute: AttributeLike): string {
  return attribute.field ?? name;
}

/**
 * The type an attribute creates on `dialect`, as Sequelize writes it (`VARCHAR(64)`,
 * `TIMESTAMP WITH TIME ZONE`); a type given as a string is taken as it is.
 */
export function databaseTypeOf(attribute: AttributeLike): string {
  const type = attribute.type;
  if (typeof type === 'string') return type;
  const withSql = type as { toSql?: () => unknown; key?: unknown };
  return typeof withSql.toSql === 'function' ? String(withSql.toSql()) : String(withSql.key);
}

/** The values of an ENUM attribute, else null. */
export function enumValuesOf(attribute: AttributeLike): string[] | null {
  const type = attribute.type as { key?: unknown; values?: unknown } | null;
  return type?.key === 'ENUM' && Array.isArray(type.values) ? type.values.map(String) : null;
}

/**
 * A model default as a column default: a literal for a string, number, boolean or bigint;
 * an expression for anything Sequelize computes (`NOW`, `UUIDV4`, `fn(...)`).
 */
export function defaultOfAttribute(value: unknown): ColumnDefault | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') {
    return { kind: 'literal', value: String(value) };
  }
  if (typeof value === 'string') return { kind: 'literal', value };
  const key = (value as { key?: unknown }).key;
  return { kind: 'expression', sql: typeof key === 'string' ? key : 'computed by Sequelize' };
}

/**
 * The table `model` expects on `dialect`.
 *
 * @param model - a registered model.
 * @param dialect - the live database's dialect; types are written as Sequelize would there.
 */
export function expectedTable(model: ModelStatic<Model>, dialect: LiveDialect): TableDefinition {
  const attributes = attributesOf(model).filter(([, attribute]) => !isVirtual(attribute));
  const column = (name: string) => {
    const found = model.getAttributes()[name] as AttributeLike | undefined;
    return found ? columnOf(name, found) : name;
  };
  const columns = attributes.map(([name, attribute]): ColumnDefinition => ({
    name: columnOf(name, attribute),
    type: databaseTypeOf(attribute),
    // A PostgreSQL ENUM is a type of its own; SQLite stores the values as TEXT.
    enumValues: dialect === 'postgres' ? enumValuesOf(attribute) : null,
    nullable: attribute.allowNull !== false && attribute.primaryKey !== true,
    primaryKey: attribute.primaryKey === true,
    autoIncrement: attribute.autoIncrement === true,
    default: defaultOfAttribute(attribute.defaultValue),
    dataTypeSource: dataTypeSourceOfAttribute(attribute.type),
  }));
  const table = String(model.getTableName());
  return {
    table,
    columns,
    primaryKey: columns.filter((each) => each.primaryKey).map((each) => each.name),
    indexes: [...uniqueSets(model, table, column), ...declaredIndexes(model, table, column)],
    foreignKeys: declaredForeignKeys(attributes),
  };
}

/** `unique: true` or `unique: 'name'` attributes, grouped by name. */
function uniqueSets(
  model: ModelStatic<Model>,
  table: string,
  column: (name: string) => string,
): IndexDefinition[] {
  const sets = new Map<string, string[]>();
  for (const [name, attribute] of attributesOf(model)) {
    const unique = attribute.unique;
    if (unique === undefined || unique === false) continue;
    const group = typeof unique === 'string' ? unique
      : typeof unique === 'object' && unique !== null && 'name' in unique
        ? String((unique as { name: unknown }).name) : `${table}_${column(name)}_unique`;
    sets.set(group, [...(sets.get(group) ?? []), column(name)]);
  }
  return [...sets].map(([name, columns]) => ({ name, columns, unique: true }));
}

/** The model's `indexes` option, with attribute names turned into column names. */
function declaredIndexes(
  model: ModelStatic<Model>,
  table: string,
  column: (name: string) => string,
): IndexDefinition[] {
  const declared = (model.options.indexes ?? []) as {
    name?: string;
    unique?: boolean;
    fields?: (string | { name?: string; attribute?: string })[];
  }[];
  return declared.map((index) => {
    const columns = (index.fields ?? []).map((field) =>
      column(typeof field === 'string' ? field : (field.attribute ?? field.name ?? '')));
    const suffix = index.unique ? 'unique' : 'idx';
    return {
      name: index.name ?? `${table}_${columns.join('_')}_${suffix}`,
      columns,
      unique: index.unique === true,
    };
  });
}

/** Attributes with `references` (declared, or added by `belongsTo`/`hasMany`). */
function declaredForeignKeys(attributes: [string, AttributeLike][]): ForeignKeyDefinition[] {
  const keys: ForeignKeyDefinition[] = [];
  for (const [name, attribute] of attributes) {
    const references = attribute.references as { model?: unknown; key?: unknown } | undefined;
    if (!references || references.model === undefined) continue;
    const target = references.model;
    const table = typeof target === 'string' ? target
      : typeof target === 'object' && target !== null && 'tableName' in target
        ? String((target as { tableName: unknown }).tableName)
        : String((target as { getTableName?: () => unknown }).getTableName?.() ?? target);
    keys.push({
      columns: [columnOf(name, attribute)],
      table,
      referencedColumns: [typeof references.key === 'string' ? references.key : 'id'],
    });
  }
  return keys;
}
