/**
 * @module
 * What the wallet API sends: wallets, transactions, transfers, categories, budgets, import
 * previews, rates, audit rows, payment methods (masked) and risk assessments, camelCase, with
 * ISO 8601 times and money as `{amount: "12.34", currency: "EUR"}`. Pure functions, so a route
 * and the idempotency layer (which stores the body it answers) produce the same JSON. Each view
 * is typed by its schema, so the OpenAPI document describes exactly what is sent.
 */
import type { BudgetState, StoredPeriod } from './budgets.ts';
import { cardExpired } from './card-checks.ts';
import type { CategoryTotals, Flow } from './category-totals.ts';
import type {
  AuditAttributes,
  BudgetAttributes,
  CategoryAttributes,
  ExchangeRateAttributes,
  JsonValue,
  PaymentMethodAttributes,
  WalletAttributes,
  WalletTransactionAttributes,
} from './models.ts';
import { toMoney, type Money } from './money.ts';
import type { PaymentMethodJson } from './payment-method-schemas.ts';
import type { RateQuote } from './rates.ts';
import type { RiskAssessmentAttributes } from './risk-assessments.ts';
import type { RiskAssessmentJson } from './risk-schemas.ts';
import type {
  AuditJson,
  BudgetJson,
  BudgetPeriodJson,
  CategoryJson,
  CategoryTotalsJson,
  ImportCommitJson,
  ImportPreviewJson,
  RateJson,
  TransferJson,
} from './schemas.ts';
import type { ImportCommit, ImportPreview } from './transaction-import.ts';
import type { Transfer } from './transfers.ts';

/** A wallet in a response. */
export type WalletView = {
  id: number;
  name: string;
  currency: string;
  balance: Money;
  overdraftLimit: Money;
  transactionAmountMax: Money | null;
  dailyDebitLimit: Money | null;
  monthlyDebitLimit: Money | null;
  status: WalletAttributes['status'];
  createdAt: string;
  updatedAt: string;
};

/** The transfer side of a transaction in a response. */
export type TransferView = {
  id: string;
  counterWalletId: number;
  counterAmount: Money;
  /** 1 unit of the transfer's source currency = `rate` target units; null in one currency. */
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
};

/** A transaction in a response. */
export type TransactionView = {
  id: number;
  walletId: number;
  sequence: number;
  type: WalletTransactionAttributes['type'];
  origin: WalletTransactionAttributes['origin'];
  amount: Money;
  balanceAfter: Money;
  description: string | null;
  counterparty: string | null;
  categoryId: number | null;
  paymentMethodId: number | null;
  tags: string[];
  metadata: { [key: string]: JsonValue };
  occurredAt: string;
  postedAt: string;
  reversalOf: number | null;
  reversedBy: number | null;
  transfer: TransferView | null;
  /** The risk assessment's score and band, for a debit the user made; else null. */
  risk: { score: number; band: 'approve' | 'review' } | null;
};

/** A wallet as the API sends it. */
export function walletView(wallet: WalletAttributes): WalletView {
  const money = (minor: bigint | null) => (minor === null ? null : toMoney(minor, wallet.currency));
  return {
    id: wallet.id,
    name: wallet.name,
    currency: wallet.currency,
    balance: toMoney(wallet.balanceMinor, wallet.currency),
    overdraftLimit: toMoney(wallet.overdraftLimitMinor, wallet.currency),
    transactionAmountMax: money(wallet.transactionAmountMaxMinor),
    dailyDebitLimit: money(wallet.dailyDebitLimitMinor),
    monthlyDebitLimit: money(wallet.monthlyDebitLimitMinor),
    status: wallet.status,
    createdAt: wallet.createdAt.toISOString(),
    updatedAt: wallet.updatedAt.toISOString(),
  };
}

/** A transaction as the API sends it. */
export function transactionView(entry: WalletTransactionAttributes): TransactionView {
  return {
    id: entry.id,
    walletId: entry.walletId,
    sequence: entry.sequence,
    type: entry.type,
    origin: entry.origin,
    amount: toMoney(entry.amountMinor, entry.currency),
    balanceAfter: toMoney(entry.balanceAfterMinor, entry.currency),
    description: entry.description,
    counterparty: entry.counterparty,
    categoryId: entry.categoryId,
    paymentMethodId: entry.paymentMethodId,
    tags: entry.tags,
    metadata: entry.metadata,
    occurredAt: entry.occurredAt.toISOString(),
    postedAt: entry.postedAt.toISOString(),
    reversalOf: entry.reversalOfId,
    reversedBy: entry.reversedById,
    transfer: transferView(entry),
    risk: riskView(entry),
  };
}

function riskView(entry: WalletTransactionAttributes): TransactionView['risk'] {
  const { riskScore, riskBand } = entry;
  if (riskScore === null || riskBand === null || riskBand === 'block') return null;
  return { score: riskScore, band: riskBand };
}

function transferView(entry: WalletTransactionAttributes): TransferView | null {
  if (entry.transferId === null) return null;
  const { counterWalletId, counterAmountMinor, counterCurrency } = entry;
  if (counterWalletId === null || counterAmountMinor === null || counterCurrency === null) {
    return null;
  }
  return {
    id: entry.transferId,
    counterWalletId,
    counterAmount: toMoney(counterAmountMinor, counterCurrency),
    rate: entry.rate,
    rateDate: entry.rateDate,
    rateSource: entry.rateSource,
  };
}

/** A transfer as the API sends it: both legs and the frozen rate. */
export function transferResultView(transfer: Transfer): TransferJson {
  return {
    id: transfer.transferId,
    source: transactionView(transfer.source),
    target: transactionView(transfer.target),
    rate: transfer.rate,
    rateDate: transfer.rateDate,
    rateSource: transfer.rateSource,
  };
}

/** A category as the API sends it. */
export function categoryView(category: CategoryAttributes): CategoryJson {
  return {
    id: category.id,
    parentId: category.parentId,
    name: category.name,
    kind: category.kind,
    system: category.userId === null,
    systemKey: category.systemKey,
    color: category.color,
    icon: category.icon,
    archived: category.archivedAt !== null,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

/** A category totals report as the API sends it. */
export function categoryTotalsView(totals: CategoryTotals): CategoryTotalsJson {
  const { currency } = totals.wallet;
  const flow = (value: Flow) => ({ debits: toMoney(value.debitMinor, currency),
    credits: toMoney(value.creditMinor, currency), count: value.count });
  return {
    walletId: totals.wallet.id,
    currency,
    from: totals.from?.toISOString() ?? null,
    to: totals.to?.toISOString() ?? null,
    items: totals.items.map((item) => ({ categoryId: item.categoryId, parentId: item.parentId,
      name: item.name, own: flow(item.own), total: flow(item.total) })),
    uncategorized: flow(totals.uncategorized),
  };
}

/** A stored budget period and its alerts as the API sends them. */
export function budgetPeriodView(budget: BudgetAttributes, stored: StoredPeriod): BudgetPeriodJson {
  const { period, alerts } = stored;
  const money = (minor: bigint) => toMoney(minor, budget.currency);
  const availableMinor = period.limitMinor + period.rolloverMinor;
  return {
    id: period.id,
    startsOn: period.startsOn,
    endsOn: period.endsOn,
    limit: money(period.limitMinor),
    rollover: money(period.rolloverMinor),
    available: money(availableMinor),
    spent: money(period.spentMinor),
    remaining: money(availableMinor - period.spentMinor),
    rateDate: period.rateDate,
    closed: period.closedAt !== null,
    closedAt: period.closedAt?.toISOString() ?? null,
    alerts: alerts.map((alert) => ({ thresholdPercent: alert.thresholdPercent,
      spent: money(alert.spentMinor), firedAt: alert.firedAt.toISOString() })),
  };
}

/** A budget and its running period as the API sends them. */
export function budgetView(state: BudgetState): BudgetJson {
  const { budget, period, figures } = state;
  const money = (minor: bigint) => toMoney(minor, budget.currency);
  return {
    id: budget.id,
    name: budget.name,
    walletId: budget.walletId,
    categoryId: budget.categoryId,
    currency: budget.currency,
    limit: money(budget.limitMinor),
    period: budget.period,
    rollover: budget.rollover,
    alertThresholdsPercent: budget.alertThresholdsPercent,
    startsOn: budget.startsOn,
    active: budget.active,
    spent: money(period.spentMinor),
    remaining: money(figures.remainingMinor),
    percent: figures.percent,
    projected: money(figures.projectedMinor),
    currentPeriod: budgetPeriodView(budget, { period, alerts: state.alerts }),
    createdAt: budget.createdAt.toISOString(),
    updatedAt: budget.updatedAt.toISOString(),
  };
}

/** An import preview as the API sends it. */
export function importPreviewView(preview: ImportPreview): ImportPreviewJson {
  const { currency } = preview.wallet;
  const count = (status: string) => preview.rows.filter((row) => row.status === status).length;
  return {
    id: preview.id,
    walletId: preview.wallet.id,
    currency,
    createdAt: preview.createdAt.toISOString(),
    expiresAt: preview.expiresAt.toISOString(),
    committedAt: preview.committedAt?.toISOString() ?? null,
    counts: { total: preview.rows.length, new: count('new'), duplicate: count('duplicate'),
      invalid: count('invalid') },
    rows: preview.rows.map((row) => ({
      line: row.line,
      status: row.status,
      reasons: row.reasons,
      transaction: row.draft && {
        type: row.draft.type,
        amount: toMoney(row.draft.amountMinor, currency),
        occurredAt: row.draft.occurredAt.toISOString(),
        description: row.draft.description,
        counterparty: row.draft.counterparty,
        categoryId: row.draft.categoryId,
        tags: row.draft.tags,
      },
    })),
  };
}

/** What a committed import posted, as the API sends it. */
export function importCommitView(commit: ImportCommit): ImportCommitJson {
  return {
    previewId: commit.previewId,
    walletId: commit.wallet.id,
    postedCount: commit.transactionIds.length,
    transactionIds: commit.transactionIds,
    balance: toMoney(commit.wallet.balanceMinor, commit.wallet.currency),
  };
}

/** A rate quote as the API sends it. */
export function rateView(base: string, quote: string, rate: RateQuote): RateJson {
  return { base, quote, rate: rate.rateText, rateDate: rate.rateDate, source: rate.source };
}

/** A stored rate row as the API sends it. */
export function storedRateView(row: ExchangeRateAttributes): RateJson {
  return { base: row.base, quote: row.quote, rate: row.rate, rateDate: row.rateDate,
    source: row.source };
}

/** An audit row as the API sends it; the states are parsed back from their canonical JSON. */
export function auditView(row: AuditAttributes): AuditJson {
  const state = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
  return {
    id: row.id,
    chain: row.chain,
    sequence: row.sequence,
    ownerUserId: row.ownerUserId,
    actorUserId: row.actorUserId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: state(row.beforeState),
    after: state(row.afterState),
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * A payment method as the API sends it: the masked number, never the number itself.
 *
 * @param now - the context clock's instant, for `expired`.
 */
export function paymentMethodView(method: PaymentMethodAttributes, now: Date): PaymentMethodJson {
  const money = (minor: bigint | null) => (minor === null ? null : toMoney(minor, method.currency));
  const expired = method.expiryMonth !== null && method.expiryYear !== null &&
    cardExpired(method.expiryMonth, method.expiryYear, now);
  return {
    id: method.id,
    kind: method.kind,
    label: method.label,
    masked: method.masked === '' ? null : method.masked,
    brand: method.brand,
    expiryMonth: method.expiryMonth,
    expiryYear: method.expiryYear,
    expired,
    currency: method.currency,
    transactionAmountMax: money(method.transactionAmountMaxMinor),
    monthlyLimit: money(method.monthlyLimitMinor),
    usageCount: method.usageCount,
    usageTotal: toMoney(method.usageTotalMinor, method.currency),
    lastUsedAt: method.lastUsedAt?.toISOString() ?? null,
    archived: method.archivedAt !== null,
    archivedAt: method.archivedAt?.toISOString() ?? null,
    createdAt: method.createdAt.toISOString(),
    updatedAt: method.updatedAt.toISOString(),
  };
}

/** A stored risk assessment as the API sends it, every rule's result included. */
export function riskAssessmentView(assessment: RiskAssessmentAttributes): RiskAssessmentJson {
  return {
    id: assessment.id,
    walletId: assessment.walletId,
    transactionId: assessment.transactionId,
    paymentMethodId: assessment.paymentMethodId,
    amount: toMoney(assessment.amountMinor, assessment.currency),
    score: assessment.score,
    band: assessment.band,
    rules: assessment.rules.map(({ rule, fired, points, reason }) =>
      ({ rule, fired, points, reason })),
    ip: assessment.ip,
    userAgent: assessment.userAgent,
    assessedAt: assessment.assessedAt.toISOString(),
  };
}
