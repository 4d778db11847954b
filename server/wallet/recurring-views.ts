/**
 * @module
 * What `/api/recurring` sends: rules and their occurrences, camelCase, with ISO 8601 times and
 * money as `{amount: "12.34", currency: "EUR"}`. Pure functions, typed by the schemas in
 * recurring-schemas.ts, so the OpenAPI document describes exactly what is sent.
 */
import type { OccurrenceAttributes, RecurringAttributes } from './models.ts';
import { toMoney } from './money.ts';
import type { Preview } from './recurring.ts';
import type { OccurrenceJson, PreviewJson, RecurringJson } from './recurring-schemas.ts';

/** A recurring rule as the API sends it. */
export function recurringView(rule: RecurringAttributes): RecurringJson {
  return {
    id: rule.id,
    walletId: rule.walletId,
    type: rule.type,
    amount: toMoney(rule.amountMinor, rule.currency),
    categoryId: rule.categoryId,
    paymentMethodId: rule.paymentMethodId,
    description: rule.description,
    counterparty: rule.counterparty,
    tags: rule.tags,
    metadata: rule.metadata,
    rrule: rule.rrule,
    timeZone: rule.timeZone,
    startsOn: rule.startsOn,
    endsOn: rule.endsOn,
    weekendPolicy: rule.weekendPolicy,
    monthEndClamp: rule.monthEndClamp,
    requiresApproval: rule.requiresApproval,
    status: rule.status,
    pausedReason: rule.pausedReason,
    failureCount: rule.failureCount,
    nextRunAt: rule.nextRunAt?.toISOString() ?? null,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}

/** An occurrence as the API sends it. */
export function occurrenceView(occurrence: OccurrenceAttributes): OccurrenceJson {
  return {
    id: occurrence.id,
    recurringId: occurrence.recurringId,
    scheduledOn: occurrence.scheduledOn,
    dueOn: occurrence.dueOn,
    status: occurrence.status,
    transactionId: occurrence.transactionId,
    attemptCount: occurrence.attemptCount,
    nextAttemptAt: occurrence.nextAttemptAt?.toISOString() ?? null,
    lastError: occurrence.lastError,
    decidedByUserId: occurrence.decidedByUserId,
    decidedAt: occurrence.decidedAt?.toISOString() ?? null,
    createdAt: occurrence.createdAt.toISOString(),
    updatedAt: occurrence.updatedAt.toISOString(),
  };
}

/** A preview of a rule's dates as the API sends it. */
export function previewView(preview: Preview): PreviewJson {
  return { rrule: preview.rrule, timeZone: preview.timeZone, from: preview.from,
    items: preview.items.map((item) => ({ scheduledOn: item.scheduledOn, dueOn: item.dueOn })) };
}
