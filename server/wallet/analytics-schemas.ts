/**
 * @module
 * Shapes of `/api/analytics/*`: what the reports read and answer. Like schemas.ts, no server
 * imports, so elements (`ab-expense-chart`, `ab-wallet-dashboard`) may `import type` from here.
 * Every answer states its scope, the currency of its totals and the rates (with their dates)
 * used to convert other currencies into it.
 */
import { z } from 'zod';
import {
  currencyCodeSchema,
  idTextSchema,
  instantOrDateSchema,
  moneySchema,
} from './schemas.ts';

/** Most rows a top list answers (`?limit=`). */
export const topLimitMax = 50;

/** What every report reads. */
export const analyticsQuerySchema = z.object({
  walletId: idTextSchema.optional()
    .meta({ description: 'One of your wallets; all of them when absent.' }),
  from: instantOrDateSchema.optional()
    .meta({ description: 'Start, inclusive; a year before `to` when absent.' }),
  to: instantOrDateSchema.optional()
    .meta({ description: 'End, exclusive (a date means the end of that day); now when absent.' }),
  currency: currencyCodeSchema.optional()
    .meta({ description: 'Currency of the totals; your first wallet\'s when absent.' }),
});

/** `GET /api/analytics/series`. */
export const seriesQuerySchema = analyticsQuerySchema.extend({
  interval: z.enum(['day', 'week', 'month']).default('month')
    .meta({ description: 'UTC days, weeks starting on Monday, or months.' }),
});

/** `GET /api/analytics/top`. */
export const topQuerySchema = analyticsQuerySchema.extend({
  by: z.enum(['counterparty', 'tag']).default('counterparty'),
  limit: z.coerce.number({ error: 'Must be a whole number.' }).int('Must be a whole number.')
    .min(1, `Use 1 to ${topLimitMax}.`).max(topLimitMax, `Use 1 to ${topLimitMax}.`).default(10),
});

const rateUsedSchema = z.object({
  currency: z.string(),
  rate: z.string().meta({ description: '1 unit of `currency` in the report\'s currency.' }),
  rateDate: z.string().meta({ description: 'The date of the rate used (YYYY-MM-DD).' }),
  source: z.string(),
});

const flowSchema = z.object({
  income: moneySchema.meta({ description: 'Credits.' }),
  expense: moneySchema.meta({ description: 'Debits.' }),
  net: moneySchema.meta({ description: 'Income minus expense; may be negative.' }),
  count: z.number().int(),
});

const scopeShape = {
  walletId: z.number().int().nullable(),
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  rates: z.array(rateUsedSchema)
    .meta({ description: 'The rate of every other currency converted, with its date.' }),
};

/** `GET /api/analytics/summary`. */
export const summaryReportSchema = z.object({ ...scopeShape, totals: flowSchema });

/** `GET /api/analytics/categories`. */
export const categoryReportSchema = z.object({
  ...scopeShape,
  items: z.array(flowSchema.extend({
    categoryId: z.number().int(),
    parentId: z.number().int().nullable(),
    name: z.string(),
  })).meta({ description: 'Each category with its descendants\' entries, largest expense first.' }),
  uncategorized: flowSchema,
});

/** `GET /api/analytics/series`. */
export const seriesReportSchema = z.object({
  ...scopeShape,
  interval: z.enum(['day', 'week', 'month']),
  items: z.array(flowSchema.extend({
    period: z.string().meta({ description: 'First day of the period (YYYY-MM-DD).' }),
    cumulativeNet: moneySchema.meta({ description: 'Cash flow: the net since `from`.' }),
  })).meta({ description: 'Periods with entries, oldest first.' }),
});

/** `GET /api/analytics/top`. */
export const topReportSchema = z.object({
  ...scopeShape,
  by: z.enum(['counterparty', 'tag']),
  items: z.array(z.object({ key: z.string(), expense: moneySchema, count: z.number().int() })),
});

/** What {@link summaryReportSchema} describes, as a TypeScript type. */
export type SummaryReportJson = z.infer<typeof summaryReportSchema>;
/** What {@link categoryReportSchema} describes, as a TypeScript type. */
export type CategoryReportJson = z.infer<typeof categoryReportSchema>;
/** What {@link seriesReportSchema} describes, as a TypeScript type. */
export type SeriesReportJson = z.infer<typeof seriesReportSchema>;
/** What {@link topReportSchema} describes, as a TypeScript type. */
export type TopReportJson = z.infer<typeof topReportSchema>;
