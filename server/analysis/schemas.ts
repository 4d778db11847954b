/**
 * @module
 * Shapes of the field analysis API (`/api/analysis/*`): what a model or a live table looks like
 * to a screen builder, one entry per column, with the reason for everything left out.
 *
 * No server imports here, so elements may `import type` from this file and the routes' zod
 * schemas end up in `/api/openapi.json`.
 */
import { z } from 'zod';

/** Longest identifier the API accepts: PostgreSQL's limit on a name (63 bytes). */
export const identifierLengthMax = 63;

/** A plain SQL identifier: a letter or `_`, then letters, digits or `_`. */
export const isPlainIdentifierRe = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Most models one page of `GET /api/analysis/models` holds. */
export const modelPageSizeMax = 100;

/** Models on a page when `limit` is not given. */
export const modelPageSizeDefault = 50;

/** What a column holds, as a screen builder needs to know it. */
export const fieldCategorySchema = z
  .enum([
    'text',
    'long-text',
    'integer',
    'big-integer',
    'decimal',
    'money',
    'float',
    'boolean',
    'date',
    'date-time',
    'time',
    'interval',
    'uuid',
    'json',
    'xml',
    'enum',
    'array',
    'binary',
    'geometry',
    'range',
    'network-address',
    'full-text-vector',
    'bit-string',
    'other',
  ])
  .meta({
    description:
      'What the column holds. `long-text` is text longer than one line can show; `big-integer` ' +
      'may exceed 2^53 (send it as a string); `other` is a type the analyzer does not know.',
  });
export type FieldCategory = z.infer<typeof fieldCategorySchema>;

/** How a list may filter a column. */
export const filterOperatorSchema = z.enum([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'contains',
  'startsWith',
  'overlaps',
  'matches',
  'isNull',
  'notNull',
]);
export type FilterOperator = z.infer<typeof filterOperatorSchema>;

/** Where a column can be left out. */
export const exclusionPlaceSchema = z.enum(['list', 'sort', 'search', 'filter', 'form']);
export type ExclusionPlace = z.infer<typeof exclusionPlaceSchema>;

/** Why a column is left out of one place. */
export const exclusionSchema = z.object({
  from: exclusionPlaceSchema,
  /** A stable code, e.g. `secret-name`, so a client can look the rule up. */
  code: z.string(),
  /** The reason in words, written for the person building or using the screen. */
  reason: z.string(),
});
export type Exclusion = z.infer<typeof exclusionSchema>;

/** One validation rule the model itself declares (`validate: {...}`). */
export const modelRuleSchema = z.object({
  /** The Sequelize validator's name, e.g. `isEmail`, `len`, or a custom function's key. */
  name: z.string(),
  /** Its arguments as JSON (a regular expression as its source); null for none. */
  args: z.unknown(),
  /** `client-and-server` when a browser can check it too; `server` for code-only rules. */
  enforcedBy: z.enum(['client-and-server', 'server']),
});
export type ModelRule = z.infer<typeof modelRuleSchema>;

/** Everything a form needs to check a value before the server does. */
export const fieldValidationSchema = z.object({
  /** A form must supply a value: not nullable, no default, not assigned by the database. */
  required: z.boolean(),
  nullable: z.boolean(),
  minLength: z.number().int().nullable(),
  maxLength: z.number().int().nullable(),
  /** Smallest value, as a decimal string (bounds of BIGINT exceed a JSON number's precision). */
  min: z.string().nullable(),
  /** Largest value, as a decimal string. */
  max: z.string().nullable(),
  precision: z.number().int().nullable(),
  scale: z.number().int().nullable(),
  enumValues: z.array(z.string()).nullable(),
  /** A regular expression the whole value must match (the `<input pattern>` syntax). */
  pattern: z.string().nullable(),
  /** A well-known format: `email`, `url`, `uuid`, `ip`, `integer`, `decimal`, ... */
  format: z.string().nullable(),
  rules: z.array(modelRuleSchema),
});
export type FieldValidation = z.infer<typeof fieldValidationSchema>;

/** The element a form should use for a column. */
export const widgetSchema = z.object({
  /** A tag name: an `ab-` element, or a native `select` or `input`. */
  tag: z.string(),
  /** Attributes to set on it, as strings (a boolean attribute is present with `''`). */
  attributes: z.record(z.string(), z.string()),
  /** The choices of a `select`, in order. */
  options: z.array(z.string()).optional(),
  /** The code of the ranked rule that chose it (see `server/analysis/widgets.ts`). */
  rule: z.string(),
});
export type Widget = z.infer<typeof widgetSchema>;

/** The analysis of one column. */
export const fieldAnalysisSchema = z.object({
  /** The attribute name (a model's camelCase name; the column name for a table). */
  name: z.string(),
  column: z.string(),
  /** The Sequelize type, e.g. `STRING(64)`; null when Sequelize has none for the column. */
  sequelizeType: z.string().nullable(),
  /** The database's own type name, e.g. `character varying(64)`. */
  dbType: z.string(),
  category: fieldCategorySchema,
  nullable: z.boolean(),
  primaryKey: z.boolean(),
  /** The database assigns the value (a serial, identity or SQLite rowid key). */
  autoIncrement: z.boolean(),
  /** The default as SQL text or a literal; null without one. */
  defaultValue: z.string().nullable(),
  references: z.object({ table: z.string(), column: z.string() }).nullable(),
  listable: z.boolean(),
  sortable: z.boolean(),
  searchable: z.boolean(),
  filterable: z.boolean(),
  operators: z.array(filterOperatorSchema),
  validation: fieldValidationSchema,
  widget: widgetSchema,
  exclusions: z.array(exclusionSchema),
});
export type FieldAnalysis = z.infer<typeof fieldAnalysisSchema>;

/** Databases whose type names the analyzer knows; a live analysis is SQLite or PostgreSQL. */
export const databaseDialectSchema = z.enum(['sqlite', 'postgres', 'mysql', 'mariadb', 'mssql']);
export type DatabaseDialect = z.infer<typeof databaseDialectSchema>;

const capabilitiesSchema = z
  .array(z.string())
  .meta({
    description:
      'Capabilities the model has (timestamps, audited, soft-delete, versioned, ...). Always ' +
      'empty for now: the mixins registry that fills it does not exist yet.',
  });

/** `GET /api/analysis/models/:name` and `GET /api/analysis/tables/:table`. */
export const modelAnalysisSchema = z.object({
  /** The model's name, or the table's name when no registered model maps to it. */
  name: z.string(),
  table: z.string(),
  /** The registered model behind the analysis, or null for a table without one. */
  model: z.string().nullable(),
  dialect: databaseDialectSchema,
  capabilities: capabilitiesSchema,
  fields: z.array(fieldAnalysisSchema),
});
export type ModelAnalysis = z.infer<typeof modelAnalysisSchema>;

/** One entry of `GET /api/analysis/models`. */
export const modelSummarySchema = z.object({
  name: z.string(),
  table: z.string(),
  /** The domain that defines the model: `auth`, `wallet`, `mfa`, ... */
  domain: z.string(),
  capabilities: capabilitiesSchema,
  fieldCount: z.number().int(),
});
export type ModelSummary = z.infer<typeof modelSummarySchema>;

/** `GET /api/analysis/models`: the registered models by name. */
export const modelListSchema = z.object({
  items: z.array(modelSummarySchema),
  /** The name to pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ModelList = z.infer<typeof modelListSchema>;

const identifierSchema = z
  .string()
  .max(identifierLengthMax, `At most ${identifierLengthMax} characters.`)
  .regex(isPlainIdentifierRe,
    'A plain identifier: letters, digits and _, not starting with a digit.');

/** `:name` of `GET /api/analysis/models/:name`. */
export const modelParamsSchema = z.object({ name: identifierSchema });

/** `:table` of `GET /api/analysis/tables/:table`. */
export const tableParamsSchema = z.object({ table: identifierSchema });

/** `?limit=` and `?cursor=` of `GET /api/analysis/models`. */
export const modelListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(modelPageSizeMax).default(modelPageSizeDefault),
  /** The last name of the previous page. */
  cursor: identifierSchema.optional(),
});
export type ModelListQuery = z.infer<typeof modelListQuerySchema>;
