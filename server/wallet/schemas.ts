/**
 * @module
 * Shapes of the wallet API: what `/api/wallets`, `/api/transactions`, `/api/transfers`,
 * `/api/categories`, `/api/budgets`, `/api/rates` and `/api/audits` read and answer.
 *
 * No server imports, so elements (`ab-transaction-form`, `ab-budget-progress`, ...) may
 * `import type` from here, and the OpenAPI document is built from the same objects the routes
 * parse with. These schemas check shape only (a string where a string belongs, a known enum
 * value, a page size in range); the services check the rules that need data (an amount's
 * decimals in its wallet's currency, a category's owner), so a rule is written once.
 *
 * Conventions: JSON keys are camelCase; times are ISO 8601 instants with an offset; calendar
 * dates are `YYYY-MM-DD`; money in a response is `{amount: "12.34", currency: "EUR"}` and in a
 * request the decimal string alone where the wallet fixes the currency; lists are
 * `{items, nextCursor}` for `?limit=1..100` (default 50) and an opaque `?cursor=`.
 */
import { z } from 'zod';

/** Most items one page of a list holds (`?limit=`). */
export const pageLimitMax = 100;

/** Items per page when `?limit=` is absent. */
export const pageLimitDefault = 50;

/** Longest `?cursor=` read; every cursor the server hands out is far shorter. */
export const cursorLengthMax = 200;

/** Largest id a path or body may name: ids are 32-bit integer columns. */
export const idMax = 2_147_483_647;

/** Longest search text (`?q=`), in characters. */
export const searchTextLengthMax = 100;

/** Longest tag filter (`?tag=`), in characters; the tag column's width. */
export const tagFilterLengthMax = 32;

/** Longest category name, in characters (the column's width). */
export const categoryNameLengthMax = 64;

/** Longest category icon name, in characters (the column's width). */
export const categoryIconLengthMax = 32;

/** Longest budget name, in characters (the column's width). */
export const budgetNameLengthMax = 100;

/** Most alert thresholds one budget may hold. */
export const alertThresholdsPerBudgetMax = 10;

/** Highest alert threshold, in percent of what the period makes available. */
export const alertThresholdPercentMax = 1000;

/** Longest audit filter value (`?action=`, `?entityType=`, `?entityId=`), in characters. */
export const auditFilterLengthMax = 64;

// ---------------------------------------------------------------------------------------------
// Building blocks.

/** Unsigned digits with at most one point: how every amount is written in a request. */
const isAmountTextRe = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/** An ISO 8601 instant with an explicit offset (`Z` or `+01:00`). */
const isInstantRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date. */
const isDateRe = /^\d{4}-\d{2}-\d{2}$/;

/** "Required." for a missing member, else `message`. */
function errorFor(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'Required.' : message);
}

/** A positive integer id in a JSON body. */
export const idSchema = z
  .number({ error: errorFor('Must be a whole number id.') })
  .int('Must be a whole number id.')
  .min(1, 'Must be a positive id.')
  .max(idMax, `Must be at most ${idMax}.`);

/** A positive integer id written in a path or query string. */
export const idTextSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'Must be a positive whole number.')
  .transform(Number)
  .pipe(z.number().max(idMax, `Must be at most ${idMax}.`));

/** `:id` in a path. */
export const idParamsSchema = z.object({ id: idTextSchema });

/** `:id` and `:previewId` in an import path. */
export const importParamsSchema = z.object({
  id: idTextSchema,
  previewId: z.string().regex(/^[0-9a-f-]{36}$/, 'Must be the id of a preview.'),
});

/** A decimal amount in a request: `"12.34"`, never a JSON number. */
export const amountTextSchema = z
  .string({ error: errorFor('Must be a decimal string such as "12.34", not a JSON number.') })
  .regex(isAmountTextRe, 'Write digits with an optional "." (no sign, exponent or spaces).')
  .meta({ description: 'A decimal string in major units, e.g. "12.34" (EUR), "1000" (JPY).' });

/** An ISO 4217 code; whether the server knows it is checked by the service (422). */
export const currencyCodeSchema = z
  .string({ error: errorFor('Must be an ISO 4217 code such as "EUR".') })
  .regex(/^[A-Z]{3}$/, 'Must be three capital letters, e.g. "EUR".');

/** An instant with its offset. */
export const instantSchema = z
  .string({ error: errorFor('Must be an ISO 8601 instant.') })
  .regex(isInstantRe, 'Must be an ISO 8601 instant with an offset, e.g. 2026-03-01T09:00:00Z.');

/** A calendar date. */
export const dateSchema = z
  .string({ error: errorFor('Must be a date written YYYY-MM-DD.') })
  .regex(isDateRe, 'Must be a date written YYYY-MM-DD.');

/** An instant or a calendar date (a filter bound). */
export const instantOrDateSchema = z
  .string()
  .refine((text) => isInstantRe.test(text) || isDateRe.test(text),
    'Must be a date (YYYY-MM-DD) or an ISO 8601 instant with an offset.');

/** Free text that may be null. */
const optionalTextSchema = z.string({ error: 'Must be text.' }).nullable().optional();

/** JSON metadata; the service bounds its size and depth. */
const metadataSchema = z.record(z.string(), z.json());

/** Money as every response carries it. */
export const moneySchema = z
  .object({
    amount: z.string().meta({ description: 'Decimal string in major units; may start with -.' }),
    currency: z.string().meta({ description: 'ISO 4217 code.' }),
  })
  .meta({ description: 'An amount of money.', example: { amount: '12.34', currency: 'EUR' } });
/** What {@link moneySchema} parses or describes, as a TypeScript type. */
export type MoneyJson = z.infer<typeof moneySchema>;

/** `?limit=1..100&cursor=...` of every list. */
export const pageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'Must be a whole number.' })
    .int('Must be a whole number.')
    .min(1, `Use 1 to ${pageLimitMax}.`)
    .max(pageLimitMax, `Use 1 to ${pageLimitMax}.`)
    .default(pageLimitDefault),
  cursor: z.string().min(1).max(cursorLengthMax, 'Use the nextCursor of a previous page.')
    .optional(),
});
/** What {@link pageQuerySchema} parses or describes, as a TypeScript type. */
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A list answer. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** `"true"` or `"false"` in a query string. */
const queryFlagSchema = z.enum(['true', 'false']).transform((flag) => flag === 'true');

// ---------------------------------------------------------------------------------------------
// Wallets.

/** The status of a wallet. */
export const walletStatusSchema = z.enum(['active', 'frozen', 'closed']);

/** A wallet in a response. */
export const walletSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  currency: z.string(),
  balance: moneySchema,
  overdraftLimit: moneySchema,
  transactionAmountMax: moneySchema.nullable(),
  dailyDebitLimit: moneySchema.nullable(),
  monthlyDebitLimit: moneySchema.nullable(),
  status: walletStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link walletSchema} parses or describes, as a TypeScript type. */
export type WalletJson = z.infer<typeof walletSchema>;

/** The limits a wallet may carry; null removes an optional limit. */
const walletLimitsShape = {
  overdraftLimit: amountTextSchema.optional(),
  transactionAmountMax: amountTextSchema.nullable().optional(),
  dailyDebitLimit: amountTextSchema.nullable().optional(),
  monthlyDebitLimit: amountTextSchema.nullable().optional(),
};

/** `POST /api/wallets`. */
export const createWalletBodySchema = z.strictObject({
  name: z.string({ error: errorFor('Must be text.') }),
  currency: currencyCodeSchema,
  ...walletLimitsShape,
});
/** What {@link createWalletBodySchema} parses or describes, as a TypeScript type. */
export type CreateWalletBody = z.infer<typeof createWalletBodySchema>;

/** `PATCH /api/wallets/:id`: limits and state; absent members stay as they are. */
export const updateWalletBodySchema = z
  .strictObject({ ...walletLimitsShape, status: walletStatusSchema.optional() })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one member to change.');
/** What {@link updateWalletBodySchema} parses or describes, as a TypeScript type. */
export type UpdateWalletBody = z.infer<typeof updateWalletBodySchema>;

// ---------------------------------------------------------------------------------------------
// Transactions and transfers.

/** The transfer side of a transaction. */
export const transferLegSchema = z.object({
  id: z.string(),
  counterWalletId: z.number().int(),
  counterAmount: moneySchema,
  rate: z.string().nullable(),
  rateDate: z.string().nullable(),
  rateSource: z.string().nullable(),
});

/** The risk score and band of a posted debit (a blocked one is never posted). */
export const transactionRiskSchema = z.object({
  score: z.number().int(),
  band: z.enum(['approve', 'review']),
});

/** A transaction in a response. */
export const transactionSchema = z.object({
  id: z.number().int(),
  walletId: z.number().int(),
  sequence: z.number().int(),
  type: z.enum(['credit', 'debit']),
  origin: z.enum(['manual', 'reversal', 'transfer', 'recurring', 'import']),
  amount: moneySchema,
  balanceAfter: moneySchema,
  description: z.string().nullable(),
  counterparty: z.string().nullable(),
  categoryId: z.number().int().nullable(),
  paymentMethodId: z.number().int().nullable(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.json()),
  occurredAt: z.string(),
  postedAt: z.string(),
  reversalOf: z.number().int().nullable(),
  reversedBy: z.number().int().nullable(),
  transfer: transferLegSchema.nullable(),
  risk: transactionRiskSchema.nullable().meta({ description: 'The risk assessment of a debit ' +
    'you made; `review` means posted but flagged. Null when not assessed (credits, ' +
    'reversals, transfers, imports, recurring). The reasons: GET ' +
    '/api/wallets/{id}/risk-assessments?transactionId=.' }),
});
/** What {@link transactionSchema} parses or describes, as a TypeScript type. */
export type TransactionJson = z.infer<typeof transactionSchema>;

/** The descriptive members shared by a transaction and a transfer. */
const postingDetailsShape = {
  description: optionalTextSchema,
  counterparty: optionalTextSchema,
  tags: z.array(z.string({ error: 'Must be text.' })).optional(),
  metadata: metadataSchema.optional(),
  occurredAt: instantSchema.optional(),
};

/** `POST /api/wallets/:id/transactions`. `currency`, when sent, must be the wallet's. */
export const postTransactionBodySchema = z.strictObject({
  type: z.enum(['credit', 'debit'], { error: 'Must be "credit" or "debit".' }),
  amount: amountTextSchema,
  currency: currencyCodeSchema.optional(),
  categoryId: idSchema.nullable().optional(),
  paymentMethodId: idSchema.nullable().optional(),
  ...postingDetailsShape,
});
/** What {@link postTransactionBodySchema} parses or describes, as a TypeScript type. */
export type PostTransactionBody = z.infer<typeof postTransactionBodySchema>;

/** `POST /api/transactions/:id/reverse` (the body is optional). */
export const reverseBodySchema = z.strictObject({ description: optionalTextSchema });
/** What {@link reverseBodySchema} parses or describes, as a TypeScript type. */
export type ReverseBody = z.infer<typeof reverseBodySchema>;

/** `POST /api/transfers`: `amount` is in the source wallet's currency. */
export const transferBodySchema = z.strictObject({
  sourceWalletId: idSchema,
  targetWalletId: idSchema,
  amount: amountTextSchema,
  ...postingDetailsShape,
});
/** What {@link transferBodySchema} parses or describes, as a TypeScript type. */
export type TransferBody = z.infer<typeof transferBodySchema>;

/** A transfer in a response: both legs and the frozen rate. */
export const transferSchema = z.object({
  id: z.string(),
  source: transactionSchema,
  target: transactionSchema,
  rate: z.string().nullable(),
  rateDate: z.string().nullable(),
  rateSource: z.string().nullable(),
});
/** What {@link transferSchema} parses or describes, as a TypeScript type. */
export type TransferJson = z.infer<typeof transferSchema>;

/** Filters of a wallet's transactions (list and CSV export). */
export const transactionFiltersSchema = z.object({
  q: z.string().trim().min(1).max(searchTextLengthMax,
    `Use at most ${searchTextLengthMax} characters.`).optional()
    .meta({ description: 'Text found in the description or the counterparty (any case).' }),
  from: instantOrDateSchema.optional()
    .meta({ description: 'Occurred at or after this instant (a date: its start, UTC).' }),
  to: instantOrDateSchema.optional()
    .meta({ description: 'Occurred before this instant (a date: up to its end, UTC).' }),
  amountMin: amountTextSchema.optional(),
  amountMax: amountTextSchema.optional(),
  categoryId: idTextSchema.optional(),
  includeSubcategories: queryFlagSchema.default(true)
    .meta({ description: 'Whether categoryId also matches its descendants (default true).' }),
  tag: z.string().min(1).max(tagFilterLengthMax).optional(),
  type: z.enum(['credit', 'debit']).optional(),
});
/** What {@link transactionFiltersSchema} parses or describes, as a TypeScript type. */
export type TransactionFilters = z.infer<typeof transactionFiltersSchema>;

/** `GET /api/wallets/:id/transactions`. */
export const transactionSearchQuerySchema = transactionFiltersSchema.extend(pageQuerySchema.shape);
/** What {@link transactionSearchQuerySchema} parses or describes, as a TypeScript type. */
export type TransactionSearchQuery = z.infer<typeof transactionSearchQuerySchema>;

// ---------------------------------------------------------------------------------------------
// CSV import.

/** `POST /api/wallets/:id/imports/preview` as JSON (the route also reads `text/csv`). */
export const importPreviewBodySchema = z.strictObject({
  csv: z.string({ error: errorFor('Must be the CSV text.') }),
});

/** One row of an import preview. */
export const importRowSchema = z.object({
  line: z.number().int().meta({ description: 'Line of the CSV the row starts on (1: header).' }),
  status: z.enum(['new', 'duplicate', 'invalid']),
  reasons: z.array(z.string()),
  transaction: z.object({
    type: z.enum(['credit', 'debit']),
    amount: moneySchema,
    occurredAt: z.string(),
    description: z.string().nullable(),
    counterparty: z.string().nullable(),
    categoryId: z.number().int().nullable(),
    tags: z.array(z.string()),
  }).nullable(),
});
/** What {@link importRowSchema} parses or describes, as a TypeScript type. */
export type ImportRowJson = z.infer<typeof importRowSchema>;

/** A stored preview: what a commit would post. */
export const importPreviewSchema = z.object({
  id: z.string(),
  walletId: z.number().int(),
  currency: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  committedAt: z.string().nullable(),
  counts: z.object({
    total: z.number().int(),
    new: z.number().int(),
    duplicate: z.number().int(),
    invalid: z.number().int(),
  }),
  rows: z.array(importRowSchema),
});
/** What {@link importPreviewSchema} parses or describes, as a TypeScript type. */
export type ImportPreviewJson = z.infer<typeof importPreviewSchema>;

/** What committing a preview posted. */
export const importCommitSchema = z.object({
  previewId: z.string(),
  walletId: z.number().int(),
  postedCount: z.number().int(),
  transactionIds: z.array(z.number().int()),
  balance: moneySchema,
});
/** What {@link importCommitSchema} parses or describes, as a TypeScript type. */
export type ImportCommitJson = z.infer<typeof importCommitSchema>;

// ---------------------------------------------------------------------------------------------
// Categories.

/** A category in a response; `system` ones are shared by everyone and read-only. */
export const categorySchema = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  kind: z.enum(['income', 'expense']),
  system: z.boolean(),
  systemKey: z.string().nullable(),
  color: z.string().nullable(),
  icon: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link categorySchema} parses or describes, as a TypeScript type. */
export type CategoryJson = z.infer<typeof categorySchema>;

const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Must be a colour like #1a2b3c.');

/** `POST /api/categories`. */
export const createCategoryBodySchema = z.strictObject({
  name: z.string({ error: errorFor('Must be text.') }),
  parentId: idSchema.nullable().optional(),
  kind: z.enum(['income', 'expense']).optional(),
  color: colorSchema.nullable().optional(),
  icon: z.string().max(categoryIconLengthMax).nullable().optional(),
});
/** What {@link createCategoryBodySchema} parses or describes, as a TypeScript type. */
export type CreateCategoryBody = z.infer<typeof createCategoryBodySchema>;

/** `PATCH /api/categories/:id`; `parentId: null` moves it to the top. */
export const updateCategoryBodySchema = z
  .strictObject({
    name: z.string({ error: 'Must be text.' }).optional(),
    parentId: idSchema.nullable().optional(),
    color: colorSchema.nullable().optional(),
    icon: z.string().max(categoryIconLengthMax).nullable().optional(),
    archived: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one member to change.');
/** What {@link updateCategoryBodySchema} parses or describes, as a TypeScript type. */
export type UpdateCategoryBody = z.infer<typeof updateCategoryBodySchema>;

/** `GET /api/categories`. */
export const categoryListQuerySchema = pageQuerySchema.extend({
  includeArchived: queryFlagSchema.default(false),
});

/** What `DELETE /api/categories/:id` did. */
export const categoryDeletedSchema = z.object({
  id: z.number().int(),
  outcome: z.enum(['deleted', 'archived'])
    .meta({ description: '`archived` when transactions, budgets or rules still use it.' }),
});

/** `GET /api/categories/totals`. */
export const categoryTotalsQuerySchema = z.object({
  walletId: idTextSchema,
  from: instantOrDateSchema.optional(),
  to: instantOrDateSchema.optional(),
});

const flowSchema = z.object({
  debits: moneySchema,
  credits: moneySchema,
  count: z.number().int(),
});

/** Totals per category of one wallet: its own entries, and rolled up with its descendants. */
export const categoryTotalsSchema = z.object({
  walletId: z.number().int(),
  currency: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  items: z.array(z.object({
    categoryId: z.number().int(),
    parentId: z.number().int().nullable(),
    name: z.string(),
    own: flowSchema,
    total: flowSchema,
  })),
  uncategorized: flowSchema,
});
/** What {@link categoryTotalsSchema} parses or describes, as a TypeScript type. */
export type CategoryTotalsJson = z.infer<typeof categoryTotalsSchema>;

// ---------------------------------------------------------------------------------------------
// Budgets.

/** How long a budget period is. */
export const budgetPeriodKindSchema = z.enum(['weekly', 'monthly', 'quarterly', 'yearly']);

/** What a period hands on to the next. */
export const rolloverSchema = z.enum(['none', 'surplus', 'surplus-and-deficit']);

const thresholdsSchema = z
  .array(z.number().int().min(1).max(alertThresholdPercentMax))
  .min(1, 'Give at least one threshold.')
  .max(alertThresholdsPerBudgetMax, `Give at most ${alertThresholdsPerBudgetMax} thresholds.`);

/** `POST /api/budgets`: a wallet, a category (with descendants), or both. */
export const createBudgetBodySchema = z.strictObject({
  name: z.string({ error: errorFor('Must be text.') }),
  walletId: idSchema.nullable().optional(),
  categoryId: idSchema.nullable().optional(),
  currency: currencyCodeSchema.optional()
    .meta({ description: 'Default the wallet\'s; required for a budget over all wallets.' }),
  limit: amountTextSchema,
  period: budgetPeriodKindSchema,
  rollover: rolloverSchema.default('none'),
  alertThresholdsPercent: thresholdsSchema.optional()
    .meta({ description: 'Default [50, 80, 100].' }),
  startsOn: dateSchema.optional()
    .meta({ description: 'A day in the first period; default today (UTC).' }),
});
/** What {@link createBudgetBodySchema} parses or describes, as a TypeScript type. */
export type CreateBudgetBody = z.infer<typeof createBudgetBodySchema>;

/** `PATCH /api/budgets/:id`; a new limit applies from the current period on. */
export const updateBudgetBodySchema = z
  .strictObject({
    name: z.string({ error: 'Must be text.' }).optional(),
    limit: amountTextSchema.optional(),
    rollover: rolloverSchema.optional(),
    alertThresholdsPercent: thresholdsSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one member to change.');
/** What {@link updateBudgetBodySchema} parses or describes, as a TypeScript type. */
export type UpdateBudgetBody = z.infer<typeof updateBudgetBodySchema>;

/** One alert a period fired. */
export const budgetAlertSchema = z.object({
  thresholdPercent: z.number().int(),
  spent: moneySchema,
  firedAt: z.string(),
});

/** One stored period of a budget. */
export const budgetPeriodSchema = z.object({
  id: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string().meta({ description: 'The first day after the period.' }),
  limit: moneySchema,
  rollover: moneySchema.meta({ description: 'Carried in from the period before.' }),
  available: moneySchema.meta({ description: 'limit + rollover.' }),
  spent: moneySchema,
  remaining: moneySchema.meta({ description: 'available - spent; negative when overspent.' }),
  rateDate: z.string().nullable(),
  closed: z.boolean(),
  closedAt: z.string().nullable(),
  alerts: z.array(budgetAlertSchema),
});
/** What {@link budgetPeriodSchema} parses or describes, as a TypeScript type. */
export type BudgetPeriodJson = z.infer<typeof budgetPeriodSchema>;

/** A budget with where its current period stands. */
export const budgetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  walletId: z.number().int().nullable(),
  categoryId: z.number().int().nullable(),
  currency: z.string(),
  limit: moneySchema,
  period: budgetPeriodKindSchema,
  rollover: rolloverSchema,
  alertThresholdsPercent: z.array(z.number().int()),
  startsOn: z.string(),
  active: z.boolean(),
  spent: moneySchema,
  remaining: moneySchema,
  percent: z.number().nullable()
    .meta({ description: 'spent / available in percent, one decimal; null if none available.' }),
  projected: moneySchema.meta({
    description: 'Spend projected at period end: spent / elapsed time x period length.' }),
  currentPeriod: budgetPeriodSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link budgetSchema} parses or describes, as a TypeScript type. */
export type BudgetJson = z.infer<typeof budgetSchema>;

/** What `DELETE /api/budgets/:id` did. */
export const budgetDeletedSchema = z.object({ id: z.number().int(), deleted: z.literal(true) });

// ---------------------------------------------------------------------------------------------
// Rates and audits.

/** `GET /api/rates`. */
export const rateQuerySchema = z.object({
  base: currencyCodeSchema,
  quote: currencyCodeSchema,
  date: dateSchema.optional().meta({ description: 'Default today (UTC).' }),
});

/** A rate: 1 `base` = `rate` `quote`, valid on `rateDate`. */
export const rateSchema = z.object({
  base: z.string(),
  quote: z.string(),
  rate: z.string(),
  rateDate: z.string(),
  source: z.string().meta({ description: 'ecb, admin, live; mixed for a cross rate.' }),
});
/** What {@link rateSchema} parses or describes, as a TypeScript type. */
export type RateJson = z.infer<typeof rateSchema>;

/** `PUT /api/rates` (Admin). */
export const setRateBodySchema = z.strictObject({
  base: currencyCodeSchema.optional().meta({ description: 'Default EUR.' }),
  quote: currencyCodeSchema,
  rate: z.string({ error: errorFor('Must be a decimal string such as "1.0823".') }),
  date: dateSchema,
});

/** `GET /api/audits`; `ownerUserId` other than one's own is for Admins. */
export const auditQuerySchema = pageQuerySchema.extend({
  ownerUserId: idTextSchema.optional(),
  action: z.string().min(1).max(auditFilterLengthMax).optional(),
  entityType: z.string().min(1).max(auditFilterLengthMax).optional(),
  entityId: z.string().min(1).max(auditFilterLengthMax).optional(),
});

/** One audit row; `before` and `after` are the recorded states. */
export const auditSchema = z.object({
  id: z.number().int(),
  chain: z.string(),
  sequence: z.number().int(),
  ownerUserId: z.number().int().nullable(),
  actorUserId: z.number().int().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
/** What {@link auditSchema} parses or describes, as a TypeScript type. */
export type AuditJson = z.infer<typeof auditSchema>;
