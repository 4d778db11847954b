/**
 * @module
 * wallet_001: the wallet ledger and everything its rules need, on SQLite and PostgreSQL.
 *
 * The seven tables of the seed (`ab_user_wallets`, `ab_wallet_transactions`,
 * `ab_transaction_categories`, `ab_wallet_budgets`, `ab_payment_methods`,
 * `ab_recurring_transactions`, `ab_wallet_audits`) plus their support tables: tags of a
 * transaction, budget periods and alerts, recurring occurrences, the audit chain heads,
 * idempotency keys and exchange rates.
 *
 * The tables are written as plain DDL rather than `queryInterface.createTable`, because the
 * money rules live in table CHECK constraints, which SQLite accepts only inside
 * `CREATE TABLE`. The database, not only the code, refuses what must never be stored:
 *  - an amount that is not a positive count of minor units at most 10^15;
 *  - a balance below minus its overdraft limit, or a closed wallet holding money;
 *  - a currency that is not three capital letters;
 *  - two entries with one sequence number in a wallet (a lost update) or two reversals of one
 *    transaction; two audit rows with one place in a chain; two occurrences of a rule on a day.
 * Every stored money value lies within +-10^15 (or 9 * 10^15 for running totals), inside
 * 2^53, so the SQLite driver's doubles hold it exactly.
 *
 * Up and down each run in one database transaction.
 */
import type { Migration, MigrationContext } from '../server/migrator.ts';

/** The largest amount, balance or limit in minor units; `amountMinorMax` in money.ts. */
const minorMax = '1000000000000000';

/** The largest running total (usage of a payment method); still below 2^53. */
const totalMinorMax = '9000000000000000';

interface Dialect {
  /** An auto-incrementing integer primary key. */
  id: string;
  /** An instant. */
  timestamp: string;
  boolean: string;
  booleanTrue: string;
  booleanFalse: string;
  /** A check that `column` holds three capital letters. */
  isCurrency(column: string): string;
  /** A check that `column` holds an unsigned decimal such as `1.0823`. */
  isDecimal(column: string): string;
}

function dialectOf(dialect: MigrationContext['dialect']): Dialect {
  if (dialect === 'postgres') {
    return {
      id: 'SERIAL PRIMARY KEY',
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      boolean: 'BOOLEAN',
      booleanTrue: 'true',
      booleanFalse: 'false',
      isCurrency: (column) => `${column} ~ '^[A-Z]{3}$'`,
      isDecimal: (column) => `${column} ~ '^[0-9]+(\\.[0-9]+)?$'`,
    };
  }
  return {
    id: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    timestamp: 'DATETIME',
    boolean: 'TINYINT(1)',
    booleanTrue: '1',
    booleanFalse: '0',
    isCurrency: (column) => `${column} GLOB '[A-Z][A-Z][A-Z]'`,
    isDecimal: (column) =>
      `${column} GLOB '[0-9]*' AND ${column} NOT GLOB '*[^0-9.]*' ` +
      `AND ${column} NOT GLOB '*.*.*' AND ${column} NOT GLOB '*.'`,
  };
}

/** Tables in creation order; `down` drops them in reverse. */
const tableNames = [
  'ab_user_wallets',
  'ab_transaction_categories',
  'ab_payment_methods',
  'ab_wallet_transactions',
  'ab_wallet_transaction_tags',
  'ab_wallet_budgets',
  'ab_wallet_budget_periods',
  'ab_wallet_budget_alerts',
  'ab_recurring_transactions',
  'ab_recurring_occurrences',
  'ab_wallet_audits',
  'ab_wallet_audit_chains',
  'ab_idempotency_keys',
  'ab_exchange_rates',
] as const;

function walletsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_user_wallets (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE RESTRICT,
      name VARCHAR(100) NOT NULL,
      currency CHAR(3) NOT NULL,
      balance_minor BIGINT NOT NULL DEFAULT 0,
      overdraft_limit_minor BIGINT NOT NULL DEFAULT 0,
      transaction_amount_max_minor BIGINT NULL,
      daily_debit_limit_minor BIGINT NULL,
      monthly_debit_limit_minor BIGINT NULL,
      status VARCHAR(16) NOT NULL DEFAULT 'active',
      entry_count INTEGER NOT NULL DEFAULT 0,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_user_wallets_currency_check CHECK (${d.isCurrency('currency')}),
      CONSTRAINT ab_user_wallets_name_check CHECK (length(name) >= 1),
      CONSTRAINT ab_user_wallets_balance_range_check
        CHECK (balance_minor BETWEEN -${minorMax} AND ${minorMax}),
      CONSTRAINT ab_user_wallets_overdraft_range_check
        CHECK (overdraft_limit_minor BETWEEN 0 AND ${minorMax}),
      CONSTRAINT ab_user_wallets_overdraft_check CHECK (balance_minor >= -overdraft_limit_minor),
      CONSTRAINT ab_user_wallets_amount_max_check CHECK (transaction_amount_max_minor IS NULL
        OR transaction_amount_max_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_user_wallets_daily_limit_check CHECK (daily_debit_limit_minor IS NULL
        OR daily_debit_limit_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_user_wallets_monthly_limit_check CHECK (monthly_debit_limit_minor IS NULL
        OR monthly_debit_limit_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_user_wallets_status_check CHECK (status IN ('active', 'frozen', 'closed')),
      CONSTRAINT ab_user_wallets_closed_empty_check
        CHECK (status <> 'closed' OR balance_minor = 0),
      CONSTRAINT ab_user_wallets_entry_count_check CHECK (entry_count >= 0)
    )`,
    'CREATE UNIQUE INDEX ab_user_wallets_user_name_unique ON ab_user_wallets (user_id, name)',
  ];
}

function categoriesDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_transaction_categories (
      id ${d.id},
      user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      parent_id INTEGER NULL REFERENCES ab_transaction_categories (id) ON DELETE RESTRICT,
      name VARCHAR(64) NOT NULL,
      kind VARCHAR(16) NOT NULL DEFAULT 'expense',
      system_key VARCHAR(32) NULL,
      color VARCHAR(7) NULL,
      icon VARCHAR(32) NULL,
      archived_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_transaction_categories_name_check CHECK (length(name) >= 1),
      CONSTRAINT ab_transaction_categories_kind_check CHECK (kind IN ('income', 'expense')),
      CONSTRAINT ab_transaction_categories_parent_check
        CHECK (parent_id IS NULL OR parent_id <> id),
      CONSTRAINT ab_transaction_categories_system_check
        CHECK (system_key IS NULL OR user_id IS NULL)
    )`,
    // One name per owner and parent, whatever its case; a system row has owner 0 here.
    `CREATE UNIQUE INDEX ab_transaction_categories_name_unique ON ab_transaction_categories
      (COALESCE(user_id, 0), COALESCE(parent_id, 0), lower(name))`,
    `CREATE UNIQUE INDEX ab_transaction_categories_system_key_unique
      ON ab_transaction_categories (system_key)`,
    'CREATE INDEX ab_transaction_categories_parent_idx ON ab_transaction_categories (parent_id)',
  ];
}

function paymentMethodsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_payment_methods (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      kind VARCHAR(16) NOT NULL,
      label VARCHAR(100) NOT NULL,
      details_token TEXT NULL,
      masked VARCHAR(64) NOT NULL,
      brand VARCHAR(32) NULL,
      expiry_month INTEGER NULL,
      expiry_year INTEGER NULL,
      currency CHAR(3) NOT NULL,
      transaction_amount_max_minor BIGINT NULL,
      monthly_limit_minor BIGINT NULL,
      usage_count INTEGER NOT NULL DEFAULT 0,
      usage_total_minor BIGINT NOT NULL DEFAULT 0,
      last_used_at ${d.timestamp} NULL,
      archived_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_payment_methods_kind_check CHECK (kind IN ('card', 'bank-account', 'other')),
      CONSTRAINT ab_payment_methods_currency_check CHECK (${d.isCurrency('currency')}),
      CONSTRAINT ab_payment_methods_expiry_month_check
        CHECK (expiry_month IS NULL OR expiry_month BETWEEN 1 AND 12),
      CONSTRAINT ab_payment_methods_expiry_year_check
        CHECK (expiry_year IS NULL OR expiry_year BETWEEN 2000 AND 2199),
      CONSTRAINT ab_payment_methods_expiry_pair_check
        CHECK ((expiry_month IS NULL) = (expiry_year IS NULL)),
      CONSTRAINT ab_payment_methods_amount_max_check CHECK (transaction_amount_max_minor IS NULL
        OR transaction_amount_max_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_payment_methods_monthly_limit_check CHECK (monthly_limit_minor IS NULL
        OR monthly_limit_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_payment_methods_usage_count_check CHECK (usage_count >= 0),
      CONSTRAINT ab_payment_methods_usage_total_check
        CHECK (usage_total_minor BETWEEN 0 AND ${totalMinorMax})
    )`,
    'CREATE INDEX ab_payment_methods_user_idx ON ab_payment_methods (user_id)',
  ];
}

function transactionsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_wallet_transactions (
      id ${d.id},
      wallet_id INTEGER NOT NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      sequence INTEGER NOT NULL,
      type VARCHAR(8) NOT NULL,
      origin VARCHAR(16) NOT NULL,
      amount_minor BIGINT NOT NULL,
      currency CHAR(3) NOT NULL,
      balance_after_minor BIGINT NOT NULL,
      category_id INTEGER NULL REFERENCES ab_transaction_categories (id) ON DELETE RESTRICT,
      payment_method_id INTEGER NULL REFERENCES ab_payment_methods (id) ON DELETE RESTRICT,
      description VARCHAR(500) NULL,
      counterparty VARCHAR(200) NULL,
      tags JSON NOT NULL,
      metadata JSON NOT NULL,
      occurred_at ${d.timestamp} NOT NULL,
      posted_at ${d.timestamp} NOT NULL,
      reversal_of_id INTEGER NULL REFERENCES ab_wallet_transactions (id) ON DELETE RESTRICT,
      reversed_by_id INTEGER NULL REFERENCES ab_wallet_transactions (id) ON DELETE RESTRICT,
      transfer_id CHAR(36) NULL,
      counter_wallet_id INTEGER NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      counter_amount_minor BIGINT NULL,
      counter_currency CHAR(3) NULL,
      rate VARCHAR(40) NULL,
      rate_date DATE NULL,
      rate_source VARCHAR(16) NULL,
      risk_score INTEGER NULL,
      risk_band VARCHAR(8) NULL,
      import_fingerprint CHAR(64) NULL,
      ${transactionChecks(d)}
    )`,
    `CREATE UNIQUE INDEX ab_wallet_transactions_wallet_sequence_unique
      ON ab_wallet_transactions (wallet_id, sequence)`,
    `CREATE INDEX ab_wallet_transactions_wallet_occurred_idx
      ON ab_wallet_transactions (wallet_id, occurred_at)`,
    `CREATE INDEX ab_wallet_transactions_wallet_type_posted_idx
      ON ab_wallet_transactions (wallet_id, type, posted_at)`,
    `CREATE UNIQUE INDEX ab_wallet_transactions_reversal_of_unique
      ON ab_wallet_transactions (reversal_of_id)`,
    `CREATE UNIQUE INDEX ab_wallet_transactions_reversed_by_unique
      ON ab_wallet_transactions (reversed_by_id)`,
    'CREATE INDEX ab_wallet_transactions_transfer_idx ON ab_wallet_transactions (transfer_id)',
    'CREATE INDEX ab_wallet_transactions_category_idx ON ab_wallet_transactions (category_id)',
    `CREATE INDEX ab_wallet_transactions_payment_method_idx
      ON ab_wallet_transactions (payment_method_id)`,
    `CREATE INDEX ab_wallet_transactions_import_idx
      ON ab_wallet_transactions (wallet_id, import_fingerprint)`,
  ];
}

function transactionChecks(d: Dialect): string {
  const prefix = 'CONSTRAINT ab_wallet_transactions';
  return [
    `${prefix}_sequence_check CHECK (sequence >= 1)`,
    `${prefix}_type_check CHECK (type IN ('credit', 'debit'))`,
    `${prefix}_origin_check
      CHECK (origin IN ('manual', 'reversal', 'transfer', 'recurring', 'import'))`,
    `${prefix}_amount_check CHECK (amount_minor > 0 AND amount_minor <= ${minorMax})`,
    `${prefix}_currency_check CHECK (${d.isCurrency('currency')})`,
    `${prefix}_balance_after_check
      CHECK (balance_after_minor BETWEEN -${minorMax} AND ${minorMax})`,
    `${prefix}_reversal_check CHECK ((origin = 'reversal') = (reversal_of_id IS NOT NULL))`,
    `${prefix}_reversal_self_check CHECK (reversal_of_id IS NULL OR reversal_of_id <> id)`,
    `${prefix}_reversed_self_check CHECK (reversed_by_id IS NULL OR reversed_by_id <> id)`,
    `${prefix}_transfer_check CHECK (origin <> 'transfer' OR transfer_id IS NOT NULL)`,
    `${prefix}_transfer_origin_check
      CHECK (transfer_id IS NULL OR origin IN ('transfer', 'reversal'))`,
    `${prefix}_counter_wallet_check
      CHECK ((transfer_id IS NULL) = (counter_wallet_id IS NULL))`,
    `${prefix}_counter_amount_check
      CHECK ((transfer_id IS NULL) = (counter_amount_minor IS NULL))`,
    `${prefix}_counter_currency_check
      CHECK ((transfer_id IS NULL) = (counter_currency IS NULL))`,
    `${prefix}_counter_amount_range_check CHECK (counter_amount_minor IS NULL
      OR (counter_amount_minor > 0 AND counter_amount_minor <= ${minorMax}))`,
    `${prefix}_rate_date_check CHECK ((rate IS NULL) = (rate_date IS NULL))`,
    `${prefix}_rate_source_check CHECK ((rate IS NULL) = (rate_source IS NULL))`,
    `${prefix}_rate_format_check CHECK (rate IS NULL OR (${d.isDecimal('rate')}))`,
    `${prefix}_risk_score_check CHECK (risk_score IS NULL OR risk_score BETWEEN 0 AND 1000)`,
    `${prefix}_risk_band_check
      CHECK (risk_band IS NULL OR risk_band IN ('approve', 'review', 'block'))`,
  ].join(',\n      ');
}

function tagsDdl(): string[] {
  return [
    `CREATE TABLE ab_wallet_transaction_tags (
      transaction_id INTEGER NOT NULL
        REFERENCES ab_wallet_transactions (id) ON DELETE CASCADE,
      wallet_id INTEGER NOT NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      tag VARCHAR(32) NOT NULL,
      PRIMARY KEY (transaction_id, tag),
      CONSTRAINT ab_wallet_transaction_tags_tag_check CHECK (length(tag) >= 1)
    )`,
    `CREATE INDEX ab_wallet_transaction_tags_wallet_tag_idx
      ON ab_wallet_transaction_tags (wallet_id, tag)`,
  ];
}

function budgetsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_wallet_budgets (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      wallet_id INTEGER NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      category_id INTEGER NULL REFERENCES ab_transaction_categories (id) ON DELETE RESTRICT,
      name VARCHAR(100) NOT NULL,
      currency CHAR(3) NOT NULL,
      limit_minor BIGINT NOT NULL,
      period VARCHAR(16) NOT NULL,
      rollover VARCHAR(24) NOT NULL DEFAULT 'none',
      alert_thresholds_percent JSON NOT NULL,
      starts_on DATE NOT NULL,
      active ${d.boolean} NOT NULL DEFAULT ${d.booleanTrue},
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_wallet_budgets_scope_check
        CHECK (wallet_id IS NOT NULL OR category_id IS NOT NULL),
      CONSTRAINT ab_wallet_budgets_currency_check CHECK (${d.isCurrency('currency')}),
      CONSTRAINT ab_wallet_budgets_limit_check CHECK (limit_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_wallet_budgets_period_check
        CHECK (period IN ('weekly', 'monthly', 'quarterly', 'yearly')),
      CONSTRAINT ab_wallet_budgets_rollover_check
        CHECK (rollover IN ('none', 'surplus', 'surplus-and-deficit'))
    )`,
    'CREATE INDEX ab_wallet_budgets_user_idx ON ab_wallet_budgets (user_id)',
    'CREATE INDEX ab_wallet_budgets_wallet_idx ON ab_wallet_budgets (wallet_id)',
    'CREATE INDEX ab_wallet_budgets_category_idx ON ab_wallet_budgets (category_id)',
    `CREATE TABLE ab_wallet_budget_periods (
      id ${d.id},
      budget_id INTEGER NOT NULL REFERENCES ab_wallet_budgets (id) ON DELETE CASCADE,
      starts_on DATE NOT NULL,
      ends_on DATE NOT NULL,
      limit_minor BIGINT NOT NULL,
      rollover_minor BIGINT NOT NULL DEFAULT 0,
      spent_minor BIGINT NOT NULL DEFAULT 0,
      rate_date DATE NULL,
      closed_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_wallet_budget_periods_dates_check CHECK (ends_on > starts_on),
      CONSTRAINT ab_wallet_budget_periods_limit_check
        CHECK (limit_minor BETWEEN 1 AND ${minorMax}),
      CONSTRAINT ab_wallet_budget_periods_rollover_check
        CHECK (rollover_minor BETWEEN -${minorMax} AND ${minorMax}),
      CONSTRAINT ab_wallet_budget_periods_spent_check
        CHECK (spent_minor BETWEEN -${totalMinorMax} AND ${totalMinorMax})
    )`,
    `CREATE UNIQUE INDEX ab_wallet_budget_periods_budget_start_unique
      ON ab_wallet_budget_periods (budget_id, starts_on)`,
    `CREATE TABLE ab_wallet_budget_alerts (
      id ${d.id},
      period_id INTEGER NOT NULL REFERENCES ab_wallet_budget_periods (id) ON DELETE CASCADE,
      threshold_percent INTEGER NOT NULL,
      spent_minor BIGINT NOT NULL,
      fired_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_wallet_budget_alerts_threshold_check
        CHECK (threshold_percent BETWEEN 1 AND 1000),
      CONSTRAINT ab_wallet_budget_alerts_spent_check
        CHECK (spent_minor BETWEEN -${totalMinorMax} AND ${totalMinorMax})
    )`,
    `CREATE UNIQUE INDEX ab_wallet_budget_alerts_period_threshold_unique
      ON ab_wallet_budget_alerts (period_id, threshold_percent)`,
  ];
}

function recurringDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_recurring_transactions (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      wallet_id INTEGER NOT NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      type VARCHAR(8) NOT NULL,
      amount_minor BIGINT NOT NULL,
      currency CHAR(3) NOT NULL,
      category_id INTEGER NULL REFERENCES ab_transaction_categories (id) ON DELETE RESTRICT,
      payment_method_id INTEGER NULL REFERENCES ab_payment_methods (id) ON DELETE RESTRICT,
      description VARCHAR(500) NULL,
      counterparty VARCHAR(200) NULL,
      tags JSON NOT NULL,
      metadata JSON NOT NULL,
      rrule VARCHAR(2000) NOT NULL,
      time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC',
      starts_on DATE NOT NULL,
      ends_on DATE NULL,
      weekend_policy VARCHAR(16) NOT NULL DEFAULT 'as-scheduled',
      month_end_clamp ${d.boolean} NOT NULL DEFAULT ${d.booleanTrue},
      requires_approval ${d.boolean} NOT NULL DEFAULT ${d.booleanFalse},
      status VARCHAR(16) NOT NULL DEFAULT 'active',
      paused_reason VARCHAR(200) NULL,
      failure_count INTEGER NOT NULL DEFAULT 0,
      expanded_through DATE NULL,
      next_run_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_recurring_transactions_type_check CHECK (type IN ('credit', 'debit')),
      CONSTRAINT ab_recurring_transactions_amount_check
        CHECK (amount_minor > 0 AND amount_minor <= ${minorMax}),
      CONSTRAINT ab_recurring_transactions_currency_check CHECK (${d.isCurrency('currency')}),
      CONSTRAINT ab_recurring_transactions_weekend_check
        CHECK (weekend_policy IN ('as-scheduled', 'previous-business-day', 'next-business-day')),
      CONSTRAINT ab_recurring_transactions_status_check
        CHECK (status IN ('active', 'paused', 'ended')),
      CONSTRAINT ab_recurring_transactions_failures_check CHECK (failure_count >= 0),
      CONSTRAINT ab_recurring_transactions_dates_check
        CHECK (ends_on IS NULL OR ends_on >= starts_on)
    )`,
    'CREATE INDEX ab_recurring_transactions_user_idx ON ab_recurring_transactions (user_id)',
    'CREATE INDEX ab_recurring_transactions_wallet_idx ON ab_recurring_transactions (wallet_id)',
    `CREATE INDEX ab_recurring_transactions_due_idx
      ON ab_recurring_transactions (status, next_run_at)`,
    ...occurrencesDdl(d),
  ];
}

function occurrencesDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_recurring_occurrences (
      id ${d.id},
      recurring_id INTEGER NOT NULL REFERENCES ab_recurring_transactions (id) ON DELETE CASCADE,
      scheduled_on DATE NOT NULL,
      due_on DATE NOT NULL,
      status VARCHAR(20) NOT NULL,
      transaction_id INTEGER NULL REFERENCES ab_wallet_transactions (id) ON DELETE RESTRICT,
      attempt_count INTEGER NOT NULL DEFAULT 0,
      next_attempt_at ${d.timestamp} NULL,
      last_error VARCHAR(500) NULL,
      claimed_by VARCHAR(64) NULL,
      claim_expires_at ${d.timestamp} NULL,
      decided_by_user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE SET NULL,
      decided_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_recurring_occurrences_status_check CHECK (status IN
        ('pending', 'awaiting-approval', 'rejected', 'posted', 'failed', 'skipped')),
      CONSTRAINT ab_recurring_occurrences_posted_check
        CHECK ((status = 'posted') = (transaction_id IS NOT NULL)),
      CONSTRAINT ab_recurring_occurrences_attempts_check CHECK (attempt_count >= 0)
    )`,
    `CREATE UNIQUE INDEX ab_recurring_occurrences_rule_date_unique
      ON ab_recurring_occurrences (recurring_id, scheduled_on)`,
    `CREATE UNIQUE INDEX ab_recurring_occurrences_transaction_unique
      ON ab_recurring_occurrences (transaction_id)`,
    `CREATE INDEX ab_recurring_occurrences_due_idx
      ON ab_recurring_occurrences (status, next_attempt_at)`,
  ];
}

function auditsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_wallet_audits (
      id ${d.id},
      chain VARCHAR(32) NOT NULL,
      sequence INTEGER NOT NULL,
      owner_user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE RESTRICT,
      actor_user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE RESTRICT,
      action VARCHAR(64) NOT NULL,
      entity_type VARCHAR(32) NOT NULL,
      entity_id VARCHAR(64) NOT NULL,
      before_state TEXT NULL,
      after_state TEXT NULL,
      ip VARCHAR(64) NULL,
      user_agent VARCHAR(512) NULL,
      created_at ${d.timestamp} NOT NULL,
      prev_hash CHAR(64) NOT NULL,
      hash CHAR(64) NOT NULL,
      CONSTRAINT ab_wallet_audits_sequence_check CHECK (sequence >= 1)
    )`,
    `CREATE UNIQUE INDEX ab_wallet_audits_chain_sequence_unique
      ON ab_wallet_audits (chain, sequence)`,
    'CREATE UNIQUE INDEX ab_wallet_audits_hash_unique ON ab_wallet_audits (hash)',
    'CREATE INDEX ab_wallet_audits_owner_idx ON ab_wallet_audits (owner_user_id, id)',
    'CREATE INDEX ab_wallet_audits_entity_idx ON ab_wallet_audits (entity_type, entity_id)',
    'CREATE INDEX ab_wallet_audits_created_idx ON ab_wallet_audits (created_at)',
    `CREATE TABLE ab_wallet_audit_chains (
      chain VARCHAR(32) NOT NULL PRIMARY KEY,
      sequence_last INTEGER NOT NULL,
      hash_last CHAR(64) NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_wallet_audit_chains_sequence_check CHECK (sequence_last >= 0)
    )`,
  ];
}

function idempotencyDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_idempotency_keys (
      id ${d.id},
      scope VARCHAR(64) NOT NULL,
      idempotency_key VARCHAR(255) NOT NULL,
      user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      request_hash CHAR(64) NOT NULL,
      status VARCHAR(16) NOT NULL,
      claim_token CHAR(36) NULL,
      claim_expires_at ${d.timestamp} NULL,
      response_status INTEGER NULL,
      response_body TEXT NULL,
      response_headers TEXT NULL,
      created_at ${d.timestamp} NOT NULL,
      completed_at ${d.timestamp} NULL,
      expires_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_idempotency_keys_status_check CHECK (status IN ('in-progress', 'done')),
      CONSTRAINT ab_idempotency_keys_response_check
        CHECK ((status = 'done') = (response_status IS NOT NULL)),
      CONSTRAINT ab_idempotency_keys_claim_check
        CHECK ((status = 'in-progress') = (claim_token IS NOT NULL)),
      CONSTRAINT ab_idempotency_keys_response_status_check
        CHECK (response_status IS NULL OR response_status BETWEEN 100 AND 599),
      CONSTRAINT ab_idempotency_keys_expiry_check CHECK (expires_at > created_at)
    )`,
    `CREATE UNIQUE INDEX ab_idempotency_keys_scope_key_unique
      ON ab_idempotency_keys (scope, idempotency_key)`,
    'CREATE INDEX ab_idempotency_keys_expires_idx ON ab_idempotency_keys (expires_at)',
  ];
}

function ratesDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_exchange_rates (
      id ${d.id},
      base CHAR(3) NOT NULL,
      quote CHAR(3) NOT NULL,
      rate VARCHAR(40) NOT NULL,
      rate_date DATE NOT NULL,
      source VARCHAR(16) NOT NULL,
      set_by_user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE SET NULL,
      created_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_exchange_rates_base_check CHECK (${d.isCurrency('base')}),
      CONSTRAINT ab_exchange_rates_quote_check CHECK (${d.isCurrency('quote')}),
      CONSTRAINT ab_exchange_rates_pair_check CHECK (base <> quote),
      CONSTRAINT ab_exchange_rates_rate_check CHECK (${d.isDecimal('rate')}),
      CONSTRAINT ab_exchange_rates_source_check CHECK (source IN ('ecb', 'admin', 'live'))
    )`,
    `CREATE UNIQUE INDEX ab_exchange_rates_pair_date_source_unique
      ON ab_exchange_rates (base, quote, rate_date, source)`,
  ];
}

/** The wallet tables: up creates all fourteen in one database transaction, down drops them. */
export const wallet001: Migration = {
  name: 'wallet_001',
  async up({ sequelize, dialect }) {
    const d = dialectOf(dialect);
    const statements = [
      ...walletsDdl(d),
      ...categoriesDdl(d),
      ...paymentMethodsDdl(d),
      ...transactionsDdl(d),
      ...tagsDdl(),
      ...budgetsDdl(d),
      ...recurringDdl(d),
      ...auditsDdl(d),
      ...idempotencyDdl(d),
      ...ratesDdl(d),
    ];
    await sequelize.transaction(async (transaction) => {
      for (const statement of statements) await sequelize.query(statement, { transaction });
    });
  },
  async down({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      for (const table of [...tableNames].reverse()) await qi.dropTable(table, { transaction });
    });
  },
};
