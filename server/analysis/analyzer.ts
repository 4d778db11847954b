/**
 * @module
 * The field type analyzer: a registered Sequelize model, or a live table read through the
 * database's own catalog, becomes one {@link FieldAnalysis} per column: its Sequelize and
 * database types, its category, what a screen may do with it (and why not), its validation
 * rules and the widget a form should use.
 *
 * Both paths gather the same facts about each column ({@link ColumnFacts}) and hand them to
 * {@link analyzeFields}, so a model and its table get the same answers wherever the model
 * adds nothing (a model also knows its validators, VIRTUAL attributes and timestamps).
 * Results are not cached here; `cache.ts` does that.
 *
 * Encrypted columns are the ones registered with `server/crypto/encrypted-columns.ts` when the
 * analysis runs; `service.ts` loads every domain's registrations first.
 */
import assert from 'node:assert/strict';
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { encryptedColumns, type EncryptedColumn } from '../crypto/encrypted-columns.ts';
import { capabilitiesOf } from './capabilities.ts';
import { parseDatabaseType, type DatabaseType } from './database-type.ts';
import { liveDialectOf, readTable, type LiveDialect } from './live-tables.ts';
import {
  attributesOf,
  columnOf,
  databaseTypeOf,
  defaultOfAttribute,
  enumValuesOf,
  isVirtual,
  type AttributeLike,
} from './model-tables.ts';
import type { FieldAnalysis, ModelAnalysis } from './schemas.ts';
import { dataTypeSourceOf, describeSequelizeType } from './sequelize-types.ts';
import { describeDefault, type ColumnDefault, type TableDefinition } from './table-definition.ts';
import { catalogEntryForSequelizeKey } from './type-catalog.ts';
import { validationOf } from './validation.ts';
import { currencyFieldFor, recommendWidget } from './widgets.ts';

/** Most columns analysed at once: SQLite's default column limit (PostgreSQL allows 1600). */
export const analysisFieldsMax = 2000;

/** Everything the analysis of one column is derived from. */
export interface ColumnFacts {
  name: string;
  column: string;
  sequelizeType: string | null;
  type: DatabaseType;
  nullable: boolean;
  primaryKey: boolean;
  autoIncrement: boolean;
  default: ColumnDefault | null;
  references: { table: string; column: string } | null;
  virtual: boolean;
  timestamp: boolean;
  encrypted: boolean;
  validators: Readonly<Record<string, unknown>> | null;
}

/**
 * Analyses every column of `facts`, in order.
 *
 * @param facts - the columns of one model or table, at most {@link analysisFieldsMax}.
 * @returns one analysis per column; siblings inform each other (a money pair).
 */
export function analyzeFields(facts: readonly ColumnFacts[]): FieldAnalysis[] {
  assert(facts.length <= analysisFieldsMax, `at most ${analysisFieldsMax} columns are analysed`);
  const siblings = facts.map((fact) => fact.name);
  return facts.map((fact): FieldAnalysis => {
    const validation = validationOf({
      type: fact.type,
      nullable: fact.nullable,
      hasDefault: fact.default !== null || fact.timestamp,
      autoIncrement: fact.autoIncrement,
      virtual: fact.virtual,
      validators: fact.validators,
    });
    const capabilities = capabilitiesOf({
      name: fact.name,
      column: fact.column,
      category: fact.type.category,
      dbType: fact.type.written,
      recognised: fact.type.recognisedBy !== 'none',
      nullable: fact.nullable,
      primaryKey: fact.primaryKey,
      autoIncrement: fact.autoIncrement,
      virtual: fact.virtual,
      encrypted: fact.encrypted,
      timestamp: fact.timestamp,
    });
    const widget = recommendWidget({
      name: fact.name,
      category: fact.type.category,
      element: fact.type.element,
      enumValues: validation.enumValues,
      maxLength: validation.maxLength,
      min: validation.min,
      max: validation.max,
      pattern: validation.pattern,
      currencyField: currencyFieldFor(fact.name, siblings),
    });
    return {
      name: fact.name,
      column: fact.column,
      sequelizeType: fact.sequelizeType,
      dbType: fact.type.written,
      category: fact.type.category,
      nullable: fact.nullable,
      primaryKey: fact.primaryKey,
      autoIncrement: fact.autoIncrement,
      defaultValue: fact.default === null ? null : describeDefault(fact.default),
      references: fact.references,
      ...capabilities,
      validation,
      widget,
    };
  });
}

/**
 * The analysis of a model, from its definition alone (no query runs).
 *
 * @param model - a model defined on a SQLite or PostgreSQL instance.
 * @param encrypted - the columns that hold keyring tokens; those registered by default.
 * @example const analysis = analyzeModel(walletModels(ctx.sequelize).Wallet);
 */
export function analyzeModel(
  model: ModelStatic<Model>,
  encrypted: readonly EncryptedColumn[] = encryptedColumns(),
): ModelAnalysis {
  assert(model.sequelize, 'the model is defined on a Sequelize instance');
  const dialect = liveDialectOf(model.sequelize);
  const table = String(model.getTableName());
  const stamped = timestampAttributes(model);
  const facts = attributesOf(model).map(([name, attribute]): ColumnFacts => {
    const column = columnOf(name, attribute);
    const references = attribute.references as { model?: unknown; key?: unknown } | undefined;
    return {
      name,
      column,
      sequelizeType: describeSequelizeType(attribute.type),
      type: modelType(attribute, dialect),
      nullable: attribute.allowNull !== false && attribute.primaryKey !== true,
      primaryKey: attribute.primaryKey === true,
      autoIncrement: attribute.autoIncrement === true,
      default: defaultOfAttribute(attribute.defaultValue),
      references: typeof references?.model === 'string'
        ? { table: references.model, column: String(references.key ?? 'id') } : null,
      virtual: isVirtual(attribute),
      timestamp: stamped.has(name),
      encrypted: isEncrypted(encrypted, table, column),
      validators: (attribute.validate as Record<string, unknown> | undefined) ?? null,
    };
  });
  return { name: model.name, table, model: model.name, dialect, capabilities: [],
    fields: analyzeFields(facts) };
}

/**
 * The type of a model attribute on `dialect`: what Sequelize writes there, read through the
 * catalog. Where that name says less than the Sequelize type (an ENUM stored as TEXT, an INET
 * that SQLite would only give NUMERIC affinity), the Sequelize type decides the category.
 */
function modelType(attribute: AttributeLike, dialect: LiveDialect): DatabaseType {
  const enumValues = enumValuesOf(attribute);
  const parsed = parseDatabaseType(databaseTypeOf(attribute), dialect);
  if (enumValues) return { ...parsed, category: 'enum', enumValues, sequelizeType: 'ENUM' };
  if (parsed.recognisedBy === 'catalog' || parsed.recognisedBy === 'enum-type') return parsed;
  const described = describeSequelizeType(attribute.type);
  const key = (attribute.type as { key?: unknown } | null)?.key;
  const known = catalogEntryForSequelizeKey(described)
    ?? (typeof key === 'string' ? catalogEntryForSequelizeKey(key) : undefined);
  if (!known) return parsed;
  return { ...parsed, category: known.category, recognisedBy: 'catalog',
    sequelizeType: known.sequelizeType, element: known.element };
}

/** Attribute names Sequelize stamps itself (`timestamps: true`, `paranoid`). */
function timestampAttributes(model: ModelStatic<Model>): Set<string> {
  // Sequelize keeps the resolved names in an internal member its typings do not declare.
  const stamped = (model as unknown as { _timestampAttributes?: Record<string, unknown> })
    ._timestampAttributes ?? {};
  return new Set(Object.values(stamped).filter((name): name is string => typeof name === 'string'));
}

function isEncrypted(
  encrypted: readonly EncryptedColumn[],
  table: string,
  column: string,
): boolean {
  return encrypted.some((known) => known.table === table && known.column === column);
}

/**
 * The analysis of a live table, or null when the database has no such table.
 *
 * @param sequelize - the database, SQLite or PostgreSQL.
 * @param table - a plain identifier.
 * @param modelName - the registered model mapped to the table, if any, for the answer.
 * @param encrypted - the columns that hold keyring tokens; those registered by default.
 */
export async function analyzeTable(
  sequelize: Sequelize,
  table: string,
  modelName: string | null = null,
  encrypted: readonly EncryptedColumn[] = encryptedColumns(),
): Promise<ModelAnalysis | null> {
  const definition = await readTable(sequelize, table);
  if (definition === null) return null;
  const dialect = liveDialectOf(sequelize);
  return { name: table, table, model: modelName, dialect, capabilities: [],
    fields: analyzeFields(tableFacts(definition, dialect, encrypted)) };
}

/** The facts about each column of a live table. */
export function tableFacts(
  definition: TableDefinition,
  dialect: LiveDialect,
  encrypted: readonly EncryptedColumn[],
): ColumnFacts[] {
  return definition.columns.map((column): ColumnFacts => {
    const type = parseDatabaseType(column.type, dialect,
      { enumValues: column.enumValues ?? undefined });
    const key = definition.foreignKeys.find((candidate) => candidate.columns.length === 1
      && candidate.columns[0] === column.name);
    return {
      name: column.name,
      column: column.name,
      sequelizeType: dataTypeSourceOf(type)?.replace(/DataTypes\./g, '') ?? null,
      type,
      nullable: column.nullable,
      primaryKey: column.primaryKey,
      autoIncrement: column.autoIncrement,
      default: column.default,
      references: key ? { table: key.table, column: key.referencedColumns[0] ?? '' } : null,
      virtual: false,
      timestamp: false,
      encrypted: isEncrypted(encrypted, definition.table, column.name),
      validators: null,
    };
  });
}
