/**
 * @module
 * mfa_001: multi-factor authentication, on SQLite and PostgreSQL.
 *
 * The four tables of the seed (`ab_user_mfa`, `ab_mfa_backup_codes`, `ab_mfa_verifications`,
 * `ab_mfa_policies`) plus what their rules need: the roles a policy applies to, pending TOTP
 * enrolments, SMS and email codes, remembered devices, the development outbox and the MFA's own
 * MAC key. Per-address counters live in `ab_rate_limit` (core_001), under keys `mfa:...`.
 *
 * Written as plain DDL, like wallet_001, because the rules live in CHECK constraints, which
 * SQLite accepts only inside `CREATE TABLE`. The database itself refuses:
 *  - a method, enforcement, algorithm, digit count or outcome outside its list;
 *  - a policy bound outside its range (failed attempts 1..10, TOTP window 0..2 steps, ...);
 *  - negative counters; two MFA rows for one user; two backup codes with one selector for
 *    one user; two pending enrolments for one user; two devices with one token.
 * Columns holding keyring tokens (`totp_secret`, `phone`, `secret`, `destination`,
 * `recipient`, `body`) are TEXT; `server/mfa/encrypted-columns.ts` registers them for rotation.
 *
 * The default installation gets one org-wide optional policy allowing TOTP.
 * Up and down each run in one database transaction.
 */
import type { Migration, MigrationContext } from '../server/migrator.ts';

interface Dialect {
  /** An auto-incrementing integer primary key. */
  id: string;
  /** An instant. */
  timestamp: string;
}

function dialectOf(dialect: MigrationContext['dialect']): Dialect {
  if (dialect === 'postgres') {
    return { id: 'SERIAL PRIMARY KEY', timestamp: 'TIMESTAMP WITH TIME ZONE' };
  }
  return { id: 'INTEGER PRIMARY KEY AUTOINCREMENT', timestamp: 'DATETIME' };
}

/** Tables in creation order; `down` drops them in reverse. */
const tableNames = [
  'ab_mfa_policies',
  'ab_mfa_policy_roles',
  'ab_user_mfa',
  'ab_mfa_backup_codes',
  'ab_mfa_verifications',
  'ab_mfa_totp_enrolments',
  'ab_mfa_otp_codes',
  'ab_mfa_trusted_devices',
  'ab_mfa_outbox',
  'ab_mfa_keys',
] as const;

/** `column IN ('a', 'b')`. */
function oneOf(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map((value) => `'${value}'`).join(', ')})`;
}

const primaryMethods = ['totp', 'sms', 'email'] as const;

function policiesDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_mfa_policies (
      id ${d.id},
      name VARCHAR(100) NOT NULL,
      priority INTEGER NOT NULL DEFAULT 0,
      enforcement VARCHAR(16) NOT NULL,
      allowed_methods VARCHAR(32) NOT NULL,
      grace_period_days INTEGER NULL,
      grace_prompts_max INTEGER NULL,
      setup_deadline ${d.timestamp} NULL,
      max_failed_attempts INTEGER NOT NULL DEFAULT 5,
      lockout_minutes INTEGER NOT NULL DEFAULT 15,
      totp_window_steps INTEGER NOT NULL DEFAULT 1,
      remember_device_days INTEGER NOT NULL DEFAULT 0,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_mfa_policies_name_check CHECK (length(name) >= 1),
      CONSTRAINT ab_mfa_policies_priority_check CHECK (priority BETWEEN -1000 AND 1000),
      CONSTRAINT ab_mfa_policies_enforcement_check
        CHECK (${oneOf('enforcement', ['required', 'optional'])}),
      CONSTRAINT ab_mfa_policies_methods_check CHECK (length(allowed_methods) >= 3),
      CONSTRAINT ab_mfa_policies_grace_days_check
        CHECK (grace_period_days IS NULL OR grace_period_days BETWEEN 0 AND 365),
      CONSTRAINT ab_mfa_policies_grace_prompts_check
        CHECK (grace_prompts_max IS NULL OR grace_prompts_max BETWEEN 0 AND 100),
      CONSTRAINT ab_mfa_policies_attempts_check CHECK (max_failed_attempts BETWEEN 1 AND 10),
      CONSTRAINT ab_mfa_policies_lockout_check CHECK (lockout_minutes BETWEEN 1 AND 1440),
      CONSTRAINT ab_mfa_policies_window_check CHECK (totp_window_steps BETWEEN 0 AND 2),
      CONSTRAINT ab_mfa_policies_remember_check CHECK (remember_device_days BETWEEN 0 AND 90)
    )`,
    'CREATE UNIQUE INDEX ab_mfa_policies_name_unique ON ab_mfa_policies (name)',
    `CREATE TABLE ab_mfa_policy_roles (
      id ${d.id},
      policy_id INTEGER NOT NULL REFERENCES ab_mfa_policies (id) ON DELETE CASCADE,
      role_id INTEGER NOT NULL REFERENCES ab_role (id) ON DELETE CASCADE
    )`,
    `CREATE UNIQUE INDEX ab_mfa_policy_roles_unique ON ab_mfa_policy_roles (policy_id, role_id)`,
    'CREATE INDEX ab_mfa_policy_roles_role_idx ON ab_mfa_policy_roles (role_id)',
  ];
}

function userMfaDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_user_mfa (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      totp_secret TEXT NULL,
      totp_algorithm VARCHAR(8) NULL,
      totp_digits INTEGER NULL,
      totp_period_seconds INTEGER NULL,
      totp_last_step BIGINT NULL,
      totp_enabled_at ${d.timestamp} NULL,
      phone TEXT NULL,
      sms_enabled_at ${d.timestamp} NULL,
      email VARCHAR(254) NULL,
      email_enabled_at ${d.timestamp} NULL,
      preferred_method VARCHAR(16) NULL,
      factor_version INTEGER NOT NULL DEFAULT 0,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_failure_at ${d.timestamp} NULL,
      locked_until ${d.timestamp} NULL,
      grace_started_at ${d.timestamp} NULL,
      grace_prompts_skipped INTEGER NOT NULL DEFAULT 0,
      backup_codes_generated_at ${d.timestamp} NULL,
      created_at ${d.timestamp} NOT NULL,
      updated_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_user_mfa_algorithm_check CHECK (totp_algorithm IS NULL
        OR ${oneOf('totp_algorithm', ['SHA1', 'SHA256', 'SHA512'])}),
      CONSTRAINT ab_user_mfa_digits_check CHECK (totp_digits IS NULL OR totp_digits IN (6, 8)),
      CONSTRAINT ab_user_mfa_period_check
        CHECK (totp_period_seconds IS NULL OR totp_period_seconds IN (30, 60)),
      CONSTRAINT ab_user_mfa_step_check CHECK (totp_last_step IS NULL OR totp_last_step >= 0),
      CONSTRAINT ab_user_mfa_totp_check CHECK (totp_enabled_at IS NULL
        OR (totp_secret IS NOT NULL AND totp_algorithm IS NOT NULL AND totp_digits IS NOT NULL
          AND totp_period_seconds IS NOT NULL)),
      CONSTRAINT ab_user_mfa_sms_check CHECK (sms_enabled_at IS NULL OR phone IS NOT NULL),
      CONSTRAINT ab_user_mfa_email_check CHECK (email_enabled_at IS NULL OR email IS NOT NULL),
      CONSTRAINT ab_user_mfa_preferred_check CHECK (preferred_method IS NULL
        OR ${oneOf('preferred_method', primaryMethods)}),
      CONSTRAINT ab_user_mfa_counters_check CHECK (factor_version >= 0
        AND consecutive_failures >= 0 AND grace_prompts_skipped >= 0)
    )`,
    'CREATE UNIQUE INDEX ab_user_mfa_user_unique ON ab_user_mfa (user_id)',
    `CREATE TABLE ab_mfa_backup_codes (
      id ${d.id},
      user_mfa_id INTEGER NOT NULL REFERENCES ab_user_mfa (id) ON DELETE CASCADE,
      selector VARCHAR(8) NOT NULL,
      verifier_hash VARCHAR(60) NOT NULL,
      created_at ${d.timestamp} NOT NULL,
      used_at ${d.timestamp} NULL,
      CONSTRAINT ab_mfa_backup_codes_hash_check CHECK (length(verifier_hash) = 60)
    )`,
    `CREATE UNIQUE INDEX ab_mfa_backup_codes_selector_unique
      ON ab_mfa_backup_codes (user_mfa_id, selector)`,
  ];
}

function verificationsDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_mfa_verifications (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      method VARCHAR(16) NOT NULL,
      purpose VARCHAR(16) NOT NULL,
      outcome VARCHAR(16) NOT NULL,
      reason VARCHAR(32) NULL,
      session_id_hash VARCHAR(64) NULL,
      actor_user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE SET NULL,
      ip VARCHAR(64) NULL,
      user_agent VARCHAR(512) NULL,
      created_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_mfa_verifications_method_check
        CHECK (${oneOf('method', [...primaryMethods, 'backup', 'device', 'admin'])}),
      CONSTRAINT ab_mfa_verifications_purpose_check CHECK (${oneOf('purpose', [
        'sign-in',
        'step-up',
        'enrolment',
        'unlock',
        'reset',
      ])}),
      CONSTRAINT ab_mfa_verifications_outcome_check
        CHECK (${oneOf('outcome', ['success', 'failure', 'refused'])})
    )`,
    'CREATE INDEX ab_mfa_verifications_user_idx ON ab_mfa_verifications (user_id, id)',
    `CREATE INDEX ab_mfa_verifications_session_idx
      ON ab_mfa_verifications (session_id_hash)`,
  ];
}

function codesDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_mfa_totp_enrolments (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      secret TEXT NOT NULL,
      algorithm VARCHAR(8) NOT NULL,
      digits INTEGER NOT NULL,
      period_seconds INTEGER NOT NULL,
      created_at ${d.timestamp} NOT NULL,
      expires_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_mfa_totp_enrolments_algorithm_check
        CHECK (${oneOf('algorithm', ['SHA1', 'SHA256', 'SHA512'])}),
      CONSTRAINT ab_mfa_totp_enrolments_digits_check CHECK (digits IN (6, 8)),
      CONSTRAINT ab_mfa_totp_enrolments_period_check CHECK (period_seconds IN (30, 60)),
      CONSTRAINT ab_mfa_totp_enrolments_expiry_check CHECK (expires_at > created_at)
    )`,
    'CREATE UNIQUE INDEX ab_mfa_totp_enrolments_user_unique ON ab_mfa_totp_enrolments (user_id)',
    `CREATE TABLE ab_mfa_otp_codes (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      channel VARCHAR(8) NOT NULL,
      purpose VARCHAR(16) NOT NULL,
      destination TEXT NOT NULL,
      destination_key VARCHAR(64) NOT NULL,
      code_hash VARCHAR(64) NOT NULL,
      created_at ${d.timestamp} NOT NULL,
      expires_at ${d.timestamp} NOT NULL,
      used_at ${d.timestamp} NULL,
      CONSTRAINT ab_mfa_otp_codes_channel_check CHECK (${oneOf('channel', ['sms', 'email'])}),
      CONSTRAINT ab_mfa_otp_codes_purpose_check
        CHECK (${oneOf('purpose', ['verify', 'enrolment'])}),
      CONSTRAINT ab_mfa_otp_codes_hash_check CHECK (length(code_hash) = 64),
      CONSTRAINT ab_mfa_otp_codes_expiry_check CHECK (expires_at > created_at)
    )`,
    `CREATE INDEX ab_mfa_otp_codes_user_idx ON ab_mfa_otp_codes (user_id, channel, purpose, id)`,
  ];
}

function devicesOutboxKeysDdl(d: Dialect): string[] {
  return [
    `CREATE TABLE ab_mfa_trusted_devices (
      id ${d.id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      token_hash VARCHAR(64) NOT NULL,
      factor_version INTEGER NOT NULL,
      password_changed_on ${d.timestamp} NULL,
      label VARCHAR(128) NOT NULL DEFAULT '',
      ip VARCHAR(64) NULL,
      created_at ${d.timestamp} NOT NULL,
      expires_at ${d.timestamp} NOT NULL,
      last_used_at ${d.timestamp} NULL,
      CONSTRAINT ab_mfa_trusted_devices_hash_check CHECK (length(token_hash) = 64),
      CONSTRAINT ab_mfa_trusted_devices_expiry_check CHECK (expires_at > created_at)
    )`,
    `CREATE UNIQUE INDEX ab_mfa_trusted_devices_token_unique
      ON ab_mfa_trusted_devices (token_hash)`,
    'CREATE INDEX ab_mfa_trusted_devices_user_idx ON ab_mfa_trusted_devices (user_id)',
    `CREATE TABLE ab_mfa_outbox (
      id ${d.id},
      user_id INTEGER NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      channel VARCHAR(8) NOT NULL,
      recipient TEXT NOT NULL,
      subject VARCHAR(200) NULL,
      body TEXT NOT NULL,
      created_at ${d.timestamp} NOT NULL,
      CONSTRAINT ab_mfa_outbox_channel_check CHECK (${oneOf('channel', ['sms', 'email'])})
    )`,
    'CREATE INDEX ab_mfa_outbox_user_idx ON ab_mfa_outbox (user_id, id)',
    `CREATE TABLE ab_mfa_keys (
      purpose VARCHAR(32) NOT NULL PRIMARY KEY,
      secret TEXT NOT NULL,
      created_at ${d.timestamp} NOT NULL
    )`,
  ];
}

/** The org-wide optional policy every installation starts with. */
function defaultPolicyDml(): string {
  return `INSERT INTO ab_mfa_policies (name, priority, enforcement, allowed_methods,
      max_failed_attempts, lockout_minutes, totp_window_steps, remember_device_days,
      created_at, updated_at)
    VALUES ('Default', 0, 'optional', 'totp', 5, 15, 1, 30, :now, :now)`;
}

export const mfa001: Migration = {
  name: 'mfa_001',
  async up({ sequelize, dialect }) {
    const d = dialectOf(dialect);
    const statements = [
      ...policiesDdl(d),
      ...userMfaDdl(d),
      ...verificationsDdl(d),
      ...codesDdl(d),
      ...devicesOutboxKeysDdl(d),
    ];
    await sequelize.transaction(async (transaction) => {
      for (const statement of statements) await sequelize.query(statement, { transaction });
      await sequelize.query(defaultPolicyDml(), {
        replacements: { now: new Date() },
        transaction,
      });
    });
  },
  async down({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      for (const table of [...tableNames].reverse()) await qi.dropTable(table, { transaction });
    });
  },
};
