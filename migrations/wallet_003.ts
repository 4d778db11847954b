/**
 * @module
 * wallet_003: the record of the risk rules' assessments, on SQLite and PostgreSQL.
 *
 * `ab_wallet_risk_assessments` holds one row per assessed debit (a debit a user makes by
 * hand; see server/wallet/risk.ts): who, which wallet, the amount, every rule's result with
 * its points and reason (JSON), the score, the band, the IP address and user agent, and when.
 * An approved or flagged debit's row is written in the posting's database transaction and
 * names the transaction; a blocked debit posts nothing, so its row is written after the
 * posting rolled back, and names no transaction. The database holds that pairing: a row
 * names a transaction exactly when its band is not `block`.
 *
 * The indexes serve the rules and the API: (user, assessed_at) counts a user's recent debits
 * (velocity), (user, ip) finds an address used before, (wallet, id) pages a wallet's
 * assessments, and the unique transaction id finds the one of a transaction.
 *
 * Up and down each run in one database transaction.
 */
import type { Migration, MigrationContext } from '../server/migrator.ts';

/** The largest amount in minor units; `amountMinorMax` in server/wallet/money.ts. */
const minorMax = '1000000000000000';

function riskAssessmentsDdl(dialect: MigrationContext['dialect']): string[] {
  const postgres = dialect === 'postgres';
  const id = postgres ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const timestamp = postgres ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const isCurrency = postgres ? "currency ~ '^[A-Z]{3}$'" : "currency GLOB '[A-Z][A-Z][A-Z]'";
  const prefix = 'CONSTRAINT ab_wallet_risk_assessments';
  return [
    `CREATE TABLE ab_wallet_risk_assessments (
      id ${id},
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE RESTRICT,
      wallet_id INTEGER NOT NULL REFERENCES ab_user_wallets (id) ON DELETE RESTRICT,
      transaction_id INTEGER NULL REFERENCES ab_wallet_transactions (id) ON DELETE RESTRICT,
      payment_method_id INTEGER NULL REFERENCES ab_payment_methods (id) ON DELETE RESTRICT,
      amount_minor BIGINT NOT NULL,
      currency CHAR(3) NOT NULL,
      score INTEGER NOT NULL,
      band VARCHAR(8) NOT NULL,
      rules JSON NOT NULL,
      ip VARCHAR(64) NULL,
      user_agent VARCHAR(512) NULL,
      assessed_at ${timestamp} NOT NULL,
      ${prefix}_amount_check CHECK (amount_minor > 0 AND amount_minor <= ${minorMax}),
      ${prefix}_currency_check CHECK (${isCurrency}),
      ${prefix}_score_check CHECK (score BETWEEN 0 AND 1000),
      ${prefix}_band_check CHECK (band IN ('approve', 'review', 'block')),
      ${prefix}_posted_check CHECK ((band = 'block') = (transaction_id IS NULL))
    )`,
    `CREATE UNIQUE INDEX ab_wallet_risk_assessments_transaction_unique
      ON ab_wallet_risk_assessments (transaction_id)`,
    `CREATE INDEX ab_wallet_risk_assessments_wallet_idx
      ON ab_wallet_risk_assessments (wallet_id, id)`,
    `CREATE INDEX ab_wallet_risk_assessments_user_time_idx
      ON ab_wallet_risk_assessments (user_id, assessed_at)`,
    `CREATE INDEX ab_wallet_risk_assessments_user_ip_idx
      ON ab_wallet_risk_assessments (user_id, ip)`,
  ];
}

/** The risk assessments table. */
export const wallet003: Migration = {
  name: 'wallet_003',
  async up({ sequelize, dialect }) {
    await sequelize.transaction(async (transaction) => {
      for (const statement of riskAssessmentsDdl(dialect)) {
        await sequelize.query(statement, { transaction });
      }
    });
  },
  async down({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      await qi.dropTable('ab_wallet_risk_assessments', { transaction });
    });
  },
};
