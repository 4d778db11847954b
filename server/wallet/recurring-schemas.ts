/**
 * @module
 * Shapes of `/api/recurring`: recurring rules, their occurrences, the preview of a rule's
 * dates and the report of a run. Like schemas.ts, no server imports, so elements may
 * `import type` from here; these check shape only, and the services check the rules (the
 * RRULE text, the amount in the wallet's currency, the time zone, whose wallet it is).
 */
import { z } from 'zod';
import {
  amountTextSchema,
  dateSchema,
  idSchema,
  idTextSchema,
  moneySchema,
  pageQuerySchema,
  transactionSchema,
} from './schemas.ts';

/** Most dates one preview lists. */
export const previewDatesMax = 50;

/** Dates a preview lists when `count` is absent. */
export const previewDatesDefault = 10;

const weekendPolicySchema = z.enum(['as-scheduled', 'previous-business-day',
  'next-business-day'], { error: 'Must be as-scheduled, previous-business-day or ' +
  'next-business-day.' })
  .meta({ description: 'Where a date on a Saturday or Sunday goes: stays, the Friday before, ' +
    'or the Monday after. Public holidays are not considered.' });

const rruleSchema = z.string({ error: 'Must be the text of an RRULE.' })
  .meta({ description: 'An RFC 5545 RRULE, e.g. `FREQ=MONTHLY;BYMONTHDAY=31`: FREQ DAILY, ' +
    'WEEKLY, MONTHLY or YEARLY, with INTERVAL, COUNT or UNTIL, BYMONTH, BYMONTHDAY, BYDAY, ' +
    'BYSETPOS, WKST.', example: 'FREQ=MONTHLY;BYMONTHDAY=1' });

const timeZoneSchema = z.string({ error: 'Must be an IANA time zone.' })
  .meta({ description: 'IANA time zone whose calendar decides when a date has come; ' +
    'default UTC.', example: 'Europe/Berlin' });

const optionalTextSchema = z.string({ error: 'Must be text.' }).nullable().optional();

/** The members a rule shares with a posting, and its schedule, all optional. */
const ruleShape = {
  amount: amountTextSchema,
  categoryId: idSchema.nullable().optional(),
  paymentMethodId: idSchema.nullable().optional(),
  description: optionalTextSchema,
  counterparty: optionalTextSchema,
  tags: z.array(z.string({ error: 'Must be text.' })).optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  rrule: rruleSchema,
  timeZone: timeZoneSchema.optional(),
  startsOn: dateSchema.optional(),
  endsOn: dateSchema.nullable().optional(),
  weekendPolicy: weekendPolicySchema.optional(),
  monthEndClamp: z.boolean({ error: 'Must be true or false.' }).optional(),
  requiresApproval: z.boolean({ error: 'Must be true or false.' }).optional(),
};

/** `POST /api/recurring`. */
export const createRecurringBodySchema = z.strictObject({
  walletId: idSchema,
  type: z.enum(['credit', 'debit'], { error: 'Must be "credit" or "debit".' }),
  ...ruleShape,
  startsOn: dateSchema.optional()
    .meta({ description: 'First day a date may fall on; default today in timeZone.' }),
  monthEndClamp: z.boolean({ error: 'Must be true or false.' }).optional()
    .meta({ description: 'Default true: the 31st falls on the last day of shorter months.' }),
});
/** What {@link createRecurringBodySchema} parses or describes, as a TypeScript type. */
export type CreateRecurringBody = z.infer<typeof createRecurringBodySchema>;

/** `PATCH /api/recurring/:id`: absent members stay; schedule changes apply from tomorrow. */
export const updateRecurringBodySchema = z
  .strictObject({ ...ruleShape, amount: amountTextSchema.optional(),
    rrule: rruleSchema.optional() })
  .refine((body) => Object.keys(body).length > 0, 'Send at least one member to change.');
/** What {@link updateRecurringBodySchema} parses or describes, as a TypeScript type. */
export type UpdateRecurringBody = z.infer<typeof updateRecurringBodySchema>;

/** A rule's state. */
export const recurringStatusSchema = z.enum(['active', 'paused', 'ended']);

/** A recurring rule in a response. */
export const recurringSchema = z.object({
  id: z.number().int(),
  walletId: z.number().int(),
  type: z.enum(['credit', 'debit']),
  amount: moneySchema,
  categoryId: z.number().int().nullable(),
  paymentMethodId: z.number().int().nullable(),
  description: z.string().nullable(),
  counterparty: z.string().nullable(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.json()),
  rrule: z.string().meta({ description: 'The rule in canonical form.' }),
  timeZone: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  weekendPolicy: weekendPolicySchema,
  monthEndClamp: z.boolean(),
  requiresApproval: z.boolean(),
  status: recurringStatusSchema,
  pausedReason: z.string().nullable(),
  failureCount: z.number().int()
    .meta({ description: 'Failed postings in a row; the rule pauses at 5.' }),
  nextRunAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link recurringSchema} parses or describes, as a TypeScript type. */
export type RecurringJson = z.infer<typeof recurringSchema>;

/** An occurrence's state. */
export const occurrenceStatusSchema = z.enum(['pending', 'awaiting-approval', 'rejected',
  'posted', 'failed', 'skipped']);

/** One date of a rule. */
export const occurrenceSchema = z.object({
  id: z.number().int(),
  recurringId: z.number().int(),
  scheduledOn: z.string().meta({ description: 'The date the rule gives.' }),
  dueOn: z.string().meta({ description: 'scheduledOn after the weekend policy.' }),
  status: occurrenceStatusSchema,
  transactionId: z.number().int().nullable(),
  attemptCount: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  decidedByUserId: z.number().int().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** What {@link occurrenceSchema} parses or describes, as a TypeScript type. */
export type OccurrenceJson = z.infer<typeof occurrenceSchema>;

/** `:id` and `:occurrenceId` in a path. */
export const occurrenceParamsSchema = z.object({ id: idTextSchema, occurrenceId: idTextSchema });

/** `GET /api/recurring/:id/occurrences`. */
export const occurrenceListQuerySchema = pageQuerySchema.extend({
  status: occurrenceStatusSchema.optional(),
});

/** What approving an occurrence did: the occurrence and the transaction it posted. */
export const approvedOccurrenceSchema = z.object({
  occurrence: occurrenceSchema,
  transaction: transactionSchema,
});
/** What {@link approvedOccurrenceSchema} parses or describes, as a TypeScript type. */
export type ApprovedOccurrenceJson = z.infer<typeof approvedOccurrenceSchema>;

/** `GET /api/recurring/preview`. */
export const previewQuerySchema = z.object({
  rrule: rruleSchema,
  startsOn: dateSchema.optional().meta({ description: 'Default today in timeZone.' }),
  endsOn: dateSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  weekendPolicy: weekendPolicySchema.optional(),
  monthEndClamp: z.enum(['true', 'false']).transform((flag) => flag === 'true').optional()
    .meta({ description: 'Default true.' }),
  count: z.coerce.number({ error: 'Must be a whole number.' }).int('Must be a whole number.')
    .min(1, `Use 1 to ${previewDatesMax}.`).max(previewDatesMax, `Use 1 to ${previewDatesMax}.`)
    .default(previewDatesDefault),
});

/** The next dates of a rule. */
export const previewSchema = z.object({
  rrule: z.string().meta({ description: 'The rule in canonical form.' }),
  timeZone: z.string(),
  from: z.string().meta({ description: 'The first day listed dates may fall on: the later of ' +
    'startsOn and today.' }),
  items: z.array(z.object({ scheduledOn: z.string(), dueOn: z.string() })),
});
/** What {@link previewSchema} parses or describes, as a TypeScript type. */
export type PreviewJson = z.infer<typeof previewSchema>;

/** What a run of the scheduler did. */
export const runReportSchema = z.object({
  rules: z.number().int().meta({ description: 'Rules that were due and looked at.' }),
  created: z.number().int().meta({ description: 'Occurrences made (dates that came).' }),
  posted: z.number().int(),
  awaitingApproval: z.number().int(),
  failed: z.number().int().meta({ description: 'Postings refused; retried later.' }),
  paused: z.number().int().meta({ description: 'Rules paused after repeated failures.' }),
  ended: z.number().int().meta({ description: 'Rules with no dates left.' }),
});
/** What {@link runReportSchema} parses or describes, as a TypeScript type. */
export type RunReportJson = z.infer<typeof runReportSchema>;
