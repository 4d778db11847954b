/**
 * @module
 * The Sequelize models of the wallet tables created by `migrations/wallet_001.ts`.
 *
 * Models are defined per Sequelize instance with `sequelize.define`, never with `Model.init` on
 * a shared class: one process may hold several databases (every test file does), and a class
 * initialised twice would silently point at the last one. {@link walletModels} defines them
 * once per instance and hands back the same statics afterwards.
 *
 * The migration is the single source of truth for the schema; these definitions mirror it
 * column for column, which `test/server/wallet/schema.test.ts` proves on both databases.
 * Money columns read as `bigint` (see `column-values.ts`); JSON columns read as parsed values.
 */
import {
  DataTypes,
  type Attributes,
  type Model,
  type ModelAttributeColumnOptions,
  type ModelAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';
import { jsonFromColumn, minorFromColumn, nullableMinorFromColumn } from './column-values.ts';

/** A wallet's state: `frozen` refuses every posting, `closed` is final and empty. */
export type WalletStatus = 'active' | 'frozen' | 'closed';

/** The direction of an entry. */
export type TransactionType = 'credit' | 'debit';

/** What made an entry. */
export type TransactionOrigin = 'manual' | 'reversal' | 'transfer' | 'recurring' | 'import';

/** A value that JSON can hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A row of `ab_user_wallets`. */
export interface WalletAttributes {
  id: number;
  userId: number;
  name: string;
  currency: string;
  balanceMinor: bigint;
  overdraftLimitMinor: bigint;
  transactionAmountMaxMinor: bigint | null;
  dailyDebitLimitMinor: bigint | null;
  monthlyDebitLimitMinor: bigint | null;
  status: WalletStatus;
  /** How many entries the wallet holds; the last entry's `sequence`. */
  entryCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_wallet_transactions`: one immutable entry of a wallet. */
export interface WalletTransactionAttributes {
  id: number;
  walletId: number;
  /** 1, 2, 3, ... within the wallet, without gaps. */
  sequence: number;
  type: TransactionType;
  origin: TransactionOrigin;
  amountMinor: bigint;
  currency: string;
  balanceAfterMinor: bigint;
  categoryId: number | null;
  paymentMethodId: number | null;
  description: string | null;
  counterparty: string | null;
  tags: string[];
  metadata: { [key: string]: JsonValue };
  occurredAt: Date;
  postedAt: Date;
  reversalOfId: number | null;
  reversedById: number | null;
  transferId: string | null;
  counterWalletId: number | null;
  counterAmountMinor: bigint | null;
  counterCurrency: string | null;
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
  riskScore: number | null;
  riskBand: 'approve' | 'review' | 'block' | null;
  importFingerprint: string | null;
}

/** A row of `ab_wallet_transaction_tags`: one tag of one entry, for search and analytics. */
export interface TransactionTagAttributes {
  transactionId: number;
  walletId: number;
  tag: string;
}

/** A row of `ab_transaction_categories`; `userId` null marks a system category. */
export interface CategoryAttributes {
  id: number;
  userId: number | null;
  parentId: number | null;
  name: string;
  kind: 'income' | 'expense';
  systemKey: string | null;
  color: string | null;
  icon: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_payment_methods`; `detailsToken` is a keyring token, never sent out. */
export interface PaymentMethodAttributes {
  id: number;
  userId: number;
  kind: 'card' | 'bank-account' | 'other';
  label: string;
  detailsToken: string | null;
  masked: string;
  brand: string | null;
  expiryMonth: number | null;
  expiryYear: number | null;
  currency: string;
  transactionAmountMaxMinor: bigint | null;
  monthlyLimitMinor: bigint | null;
  usageCount: number;
  usageTotalMinor: bigint;
  lastUsedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_wallet_budgets`. */
export interface BudgetAttributes {
  id: number;
  userId: number;
  walletId: number | null;
  categoryId: number | null;
  name: string;
  currency: string;
  limitMinor: bigint;
  period: 'weekly' | 'monthly' | 'quarterly' | 'yearly';
  rollover: 'none' | 'surplus' | 'surplus-and-deficit';
  alertThresholdsPercent: number[];
  startsOn: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_wallet_budget_periods`: one period of a budget, stored, not recomputed. */
export interface BudgetPeriodAttributes {
  id: number;
  budgetId: number;
  startsOn: string;
  /** The first day after the period. */
  endsOn: string;
  limitMinor: bigint;
  rolloverMinor: bigint;
  spentMinor: bigint;
  rateDate: string | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_wallet_budget_alerts`: a threshold crossed once in a period. */
export interface BudgetAlertAttributes {
  id: number;
  periodId: number;
  thresholdPercent: number;
  spentMinor: bigint;
  firedAt: Date;
}

/** A row of `ab_recurring_transactions`. */
export interface RecurringAttributes {
  id: number;
  userId: number;
  walletId: number;
  type: TransactionType;
  amountMinor: bigint;
  currency: string;
  categoryId: number | null;
  paymentMethodId: number | null;
  description: string | null;
  counterparty: string | null;
  tags: string[];
  metadata: { [key: string]: JsonValue };
  rrule: string;
  timeZone: string;
  startsOn: string;
  endsOn: string | null;
  weekendPolicy: 'as-scheduled' | 'previous-business-day' | 'next-business-day';
  monthEndClamp: boolean;
  requiresApproval: boolean;
  status: 'active' | 'paused' | 'ended';
  pausedReason: string | null;
  failureCount: number;
  expandedThrough: string | null;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_recurring_occurrences`: one date of one rule, posted at most once. */
export interface OccurrenceAttributes {
  id: number;
  recurringId: number;
  scheduledOn: string;
  dueOn: string;
  status: 'pending' | 'awaiting-approval' | 'rejected' | 'posted' | 'failed' | 'skipped';
  transactionId: number | null;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  claimedBy: string | null;
  claimExpiresAt: Date | null;
  decidedByUserId: number | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `ab_wallet_audits`: one change, chained to the previous row of its chain. */
export interface AuditAttributes {
  id: number;
  chain: string;
  sequence: number;
  ownerUserId: number | null;
  actorUserId: number | null;
  action: string;
  entityType: string;
  entityId: string;
  /** Canonical JSON text, hashed as stored. */
  beforeState: string | null;
  /** Canonical JSON text, hashed as stored. */
  afterState: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: Date;
  prevHash: string;
  hash: string;
}

/** A row of `ab_wallet_audit_chains`: where a chain ends; locked to append. */
export interface AuditChainAttributes {
  chain: string;
  sequenceLast: number;
  hashLast: string;
  updatedAt: Date;
}

/** A row of `ab_idempotency_keys`. */
export interface IdempotencyKeyAttributes {
  id: number;
  scope: string;
  idempotencyKey: string;
  userId: number | null;
  requestHash: string;
  status: 'in-progress' | 'done';
  claimToken: string | null;
  claimExpiresAt: Date | null;
  responseStatus: number | null;
  responseBody: string | null;
  responseHeaders: string | null;
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date;
}

/** A row of `ab_exchange_rates`: 1 `base` = `rate` `quote` on `rateDate`. */
export interface ExchangeRateAttributes {
  id: number;
  base: string;
  quote: string;
  /** A decimal string such as `1.0823`; never a float. */
  rate: string;
  rateDate: string;
  source: 'ecb' | 'admin' | 'live';
  setByUserId: number | null;
  createdAt: Date;
}

/** A loaded row of a model with attributes `A`. */
export type Row<A extends object> = Model<A, Partial<A>> & A;

/** The wallet models of one Sequelize instance. */
export interface WalletModels {
  Wallet: ModelStatic<Row<WalletAttributes>>;
  WalletTransaction: ModelStatic<Row<WalletTransactionAttributes>>;
  TransactionTag: ModelStatic<Row<TransactionTagAttributes>>;
  Category: ModelStatic<Row<CategoryAttributes>>;
  PaymentMethod: ModelStatic<Row<PaymentMethodAttributes>>;
  Budget: ModelStatic<Row<BudgetAttributes>>;
  BudgetPeriod: ModelStatic<Row<BudgetPeriodAttributes>>;
  BudgetAlert: ModelStatic<Row<BudgetAlertAttributes>>;
  Recurring: ModelStatic<Row<RecurringAttributes>>;
  Occurrence: ModelStatic<Row<OccurrenceAttributes>>;
  Audit: ModelStatic<Row<AuditAttributes>>;
  AuditChain: ModelStatic<Row<AuditChainAttributes>>;
  IdempotencyKey: ModelStatic<Row<IdempotencyKeyAttributes>>;
  ExchangeRate: ModelStatic<Row<ExchangeRateAttributes>>;
}

const definedModels = new WeakMap<Sequelize, WalletModels>();

/**
 * The wallet models bound to `sequelize`, defined on the first call for that instance.
 *
 * @param sequelize - the database the models read and write.
 * @returns the model statics; the same objects on every call with the same instance.
 * @example
 * const { Wallet } = walletModels(ctx.sequelize);
 * const wallet = await Wallet.findByPk(id, { transaction, lock: true });
 */
export function walletModels(sequelize: Sequelize): WalletModels {
  let models = definedModels.get(sequelize);
  if (!models) {
    models = defineWalletModels(sequelize);
    definedModels.set(sequelize, models);
  }
  return models;
}

// Column builders. Each mirrors one column type of the migration.

const id = (): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  primaryKey: true,
  autoIncrement: true,
  allowNull: false,
});
const integer = (allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull,
});
const text = (length: number | null, allowNull = false): ModelAttributeColumnOptions => ({
  type: length === null ? DataTypes.TEXT : DataTypes.STRING(length),
  allowNull,
});
const char = (length: number, allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.CHAR(length),
  allowNull,
});
const instant = (allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.DATE,
  allowNull,
});
const day = (allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.DATEONLY,
  allowNull,
});
const flag = (): ModelAttributeColumnOptions => ({ type: DataTypes.BOOLEAN, allowNull: false });

/** A BIGINT of minor units that reads as `bigint` (or null when `allowNull`). */
function minor(attribute: string, allowNull = false): ModelAttributeColumnOptions {
  return {
    type: DataTypes.BIGINT,
    allowNull,
    get(this: Model) {
      const value: unknown = this.getDataValue(attribute);
      // Absent when a query did not load the column (a static update builds partial rows).
      if (value === undefined) return undefined;
      return allowNull ? nullableMinorFromColumn(value) : minorFromColumn(value);
    },
  };
}

/** A JSON column that reads as the parsed value on both databases. */
function json(attribute: string): ModelAttributeColumnOptions {
  return {
    type: DataTypes.JSON,
    allowNull: false,
    get(this: Model) {
      const value: unknown = this.getDataValue(attribute);
      return value === undefined ? undefined : jsonFromColumn(value);
    },
  };
}

/** Options shared by every wallet model: snake_case columns, times set by the services. */
function tableOptions(tableName: string) {
  return { tableName, underscored: true, timestamps: false } as const;
}

function define<A extends object>(
  sequelize: Sequelize,
  name: string,
  tableName: string,
  attributes: ModelAttributes<Row<A>, Attributes<Row<A>>>,
): ModelStatic<Row<A>> {
  return sequelize.define<Row<A>>(name, attributes, tableOptions(tableName));
}

function defineWalletModels(sequelize: Sequelize): WalletModels {
  return {
    Wallet: define<WalletAttributes>(sequelize, 'AbWallet', 'ab_user_wallets', walletColumns()),
    WalletTransaction: define<WalletTransactionAttributes>(
      sequelize,
      'AbWalletTransaction',
      'ab_wallet_transactions',
      transactionColumns(),
    ),
    TransactionTag: define<TransactionTagAttributes>(
      sequelize,
      'AbWalletTransactionTag',
      'ab_wallet_transaction_tags',
      {
        transactionId: { ...integer(), primaryKey: true },
        walletId: integer(),
        tag: { ...text(32), primaryKey: true },
      },
    ),
    Category: define<CategoryAttributes>(
      sequelize,
      'AbTransactionCategory',
      'ab_transaction_categories',
      categoryColumns(),
    ),
    PaymentMethod: define<PaymentMethodAttributes>(
      sequelize,
      'AbPaymentMethod',
      'ab_payment_methods',
      paymentMethodColumns(),
    ),
    ...defineBudgetModels(sequelize),
    ...defineRecurringModels(sequelize),
    ...defineSupportModels(sequelize),
  };
}

function walletColumns(): ModelAttributes<Row<WalletAttributes>, WalletAttributes> {
  return {
    id: id(),
    userId: integer(),
    name: text(100),
    currency: char(3),
    balanceMinor: minor('balanceMinor'),
    overdraftLimitMinor: minor('overdraftLimitMinor'),
    transactionAmountMaxMinor: minor('transactionAmountMaxMinor', true),
    dailyDebitLimitMinor: minor('dailyDebitLimitMinor', true),
    monthlyDebitLimitMinor: minor('monthlyDebitLimitMinor', true),
    status: text(16),
    entryCount: integer(),
    createdAt: instant(),
    updatedAt: instant(),
  };
}

function transactionColumns(): ModelAttributes<
  Row<WalletTransactionAttributes>,
  WalletTransactionAttributes
> {
  return {
    id: id(),
    walletId: integer(),
    sequence: integer(),
    type: text(8),
    origin: text(16),
    amountMinor: minor('amountMinor'),
    currency: char(3),
    balanceAfterMinor: minor('balanceAfterMinor'),
    categoryId: integer(true),
    paymentMethodId: integer(true),
    description: text(500, true),
    counterparty: text(200, true),
    tags: json('tags'),
    metadata: json('metadata'),
    occurredAt: instant(),
    postedAt: instant(),
    reversalOfId: integer(true),
    reversedById: integer(true),
    transferId: char(36, true),
    counterWalletId: integer(true),
    counterAmountMinor: minor('counterAmountMinor', true),
    counterCurrency: char(3, true),
    rate: text(40, true),
    rateDate: day(true),
    rateSource: text(16, true),
    riskScore: integer(true),
    riskBand: text(8, true),
    importFingerprint: char(64, true),
  };
}

function categoryColumns(): ModelAttributes<Row<CategoryAttributes>, CategoryAttributes> {
  return {
    id: id(),
    userId: integer(true),
    parentId: integer(true),
    name: text(64),
    kind: text(16),
    systemKey: text(32, true),
    color: text(7, true),
    icon: text(32, true),
    archivedAt: instant(true),
    createdAt: instant(),
    updatedAt: instant(),
  };
}

function paymentMethodColumns(): ModelAttributes<
  Row<PaymentMethodAttributes>,
  PaymentMethodAttributes
> {
  return {
    id: id(),
    userId: integer(),
    kind: text(16),
    label: text(100),
    detailsToken: text(null, true),
    masked: text(64),
    brand: text(32, true),
    expiryMonth: integer(true),
    expiryYear: integer(true),
    currency: char(3),
    transactionAmountMaxMinor: minor('transactionAmountMaxMinor', true),
    monthlyLimitMinor: minor('monthlyLimitMinor', true),
    usageCount: integer(),
    usageTotalMinor: minor('usageTotalMinor'),
    lastUsedAt: instant(true),
    archivedAt: instant(true),
    createdAt: instant(),
    updatedAt: instant(),
  };
}

function defineBudgetModels(sequelize: Sequelize) {
  const Budget = define<BudgetAttributes>(sequelize, 'AbWalletBudget', 'ab_wallet_budgets', {
    id: id(),
    userId: integer(),
    walletId: integer(true),
    categoryId: integer(true),
    name: text(100),
    currency: char(3),
    limitMinor: minor('limitMinor'),
    period: text(16),
    rollover: text(24),
    alertThresholdsPercent: json('alertThresholdsPercent'),
    startsOn: day(),
    active: flag(),
    createdAt: instant(),
    updatedAt: instant(),
  });
  const BudgetPeriod = define<BudgetPeriodAttributes>(
    sequelize,
    'AbWalletBudgetPeriod',
    'ab_wallet_budget_periods',
    {
      id: id(),
      budgetId: integer(),
      startsOn: day(),
      endsOn: day(),
      limitMinor: minor('limitMinor'),
      rolloverMinor: minor('rolloverMinor'),
      spentMinor: minor('spentMinor'),
      rateDate: day(true),
      closedAt: instant(true),
      createdAt: instant(),
      updatedAt: instant(),
    },
  );
  const BudgetAlert = define<BudgetAlertAttributes>(
    sequelize,
    'AbWalletBudgetAlert',
    'ab_wallet_budget_alerts',
    {
      id: id(),
      periodId: integer(),
      thresholdPercent: integer(),
      spentMinor: minor('spentMinor'),
      firedAt: instant(),
    },
  );
  return { Budget, BudgetPeriod, BudgetAlert };
}

function recurringColumns(): ModelAttributes<Row<RecurringAttributes>, RecurringAttributes> {
  return {
    id: id(),
    userId: integer(),
    walletId: integer(),
    type: text(8),
    amountMinor: minor('amountMinor'),
    currency: char(3),
    categoryId: integer(true),
    paymentMethodId: integer(true),
    description: text(500, true),
    counterparty: text(200, true),
    tags: json('tags'),
    metadata: json('metadata'),
    rrule: text(2000),
    timeZone: text(64),
    startsOn: day(),
    endsOn: day(true),
    // VARCHAR(32) since wallet_004 (wallet_001's 16 could not hold every policy).
    weekendPolicy: text(32),
    monthEndClamp: flag(),
    requiresApproval: flag(),
    status: text(16),
    pausedReason: text(200, true),
    failureCount: integer(),
    expandedThrough: day(true),
    nextRunAt: instant(true),
    createdAt: instant(),
    updatedAt: instant(),
  };
}

function defineRecurringModels(sequelize: Sequelize) {
  const Recurring = define<RecurringAttributes>(
    sequelize,
    'AbRecurringTransaction',
    'ab_recurring_transactions',
    recurringColumns(),
  );
  const Occurrence = define<OccurrenceAttributes>(
    sequelize,
    'AbRecurringOccurrence',
    'ab_recurring_occurrences',
    {
      id: id(),
      recurringId: integer(),
      scheduledOn: day(),
      dueOn: day(),
      status: text(20),
      transactionId: integer(true),
      attemptCount: integer(),
      nextAttemptAt: instant(true),
      lastError: text(500, true),
      claimedBy: text(64, true),
      claimExpiresAt: instant(true),
      decidedByUserId: integer(true),
      decidedAt: instant(true),
      createdAt: instant(),
      updatedAt: instant(),
    },
  );
  return { Recurring, Occurrence };
}

function defineSupportModels(sequelize: Sequelize) {
  const Audit = define<AuditAttributes>(sequelize, 'AbWalletAudit', 'ab_wallet_audits', {
    id: id(),
    chain: text(32),
    sequence: integer(),
    ownerUserId: integer(true),
    actorUserId: integer(true),
    action: text(64),
    entityType: text(32),
    entityId: text(64),
    beforeState: text(null, true),
    afterState: text(null, true),
    ip: text(64, true),
    userAgent: text(512, true),
    createdAt: instant(),
    prevHash: char(64),
    hash: char(64),
  });
  const AuditChain = define<AuditChainAttributes>(
    sequelize,
    'AbWalletAuditChain',
    'ab_wallet_audit_chains',
    {
      chain: { ...text(32), primaryKey: true },
      sequenceLast: integer(),
      hashLast: char(64),
      updatedAt: instant(),
    },
  );
  const IdempotencyKey = define<IdempotencyKeyAttributes>(
    sequelize,
    'AbIdempotencyKey',
    'ab_idempotency_keys',
    {
      id: id(),
      scope: text(64),
      idempotencyKey: text(255),
      userId: integer(true),
      requestHash: char(64),
      status: text(16),
      claimToken: char(36, true),
      claimExpiresAt: instant(true),
      responseStatus: integer(true),
      responseBody: text(null, true),
      responseHeaders: text(null, true),
      createdAt: instant(),
      completedAt: instant(true),
      expiresAt: instant(),
    },
  );
  const ExchangeRate = define<ExchangeRateAttributes>(
    sequelize,
    'AbExchangeRate',
    'ab_exchange_rates',
    {
      id: id(),
      base: char(3),
      quote: char(3),
      rate: text(40),
      rateDate: day(),
      source: text(16),
      setByUserId: integer(true),
      createdAt: instant(),
    },
  );
  return { Audit, AuditChain, IdempotencyKey, ExchangeRate };
}
