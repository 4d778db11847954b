/**
 * @module
 * wallet_002: what the wallet API adds to wallet_001, on SQLite and PostgreSQL.
 *
 *  - `ab_wallet_import_previews`: a CSV import's preview, kept in the database so that the
 *    commit may reach another server process than the preview did (processes are stateless).
 *    A preview holds the parsed rows as JSON text, expires, and is committed at most once.
 *  - The system categories, shared by every user (`user_id` NULL, a stable `system_key`):
 *    twelve top categories and a few children each. The list is written out here rather than
 *    imported, so this migration does the same thing forever, whatever the code says later.
 *
 * wallet_001's indexes already cover the API's queries: transactions by (wallet, occurred_at)
 * for search pages and budgets, by category, by (wallet, tag), by (wallet, import
 * fingerprint); budget periods by (budget, start); audits by (owner, id).
 *
 * Up and down each run in one database transaction. Down refuses (foreign keys) while
 * transactions, budgets or user categories still use a system category.
 */
import type { Sequelize, Transaction } from 'sequelize';
import type { Migration, MigrationContext } from '../server/migrator.ts';

/** A system category: its key, its name, and its children's keys and names. */
interface SeedCategory {
  key: string;
  name: string;
  kind: 'income' | 'expense';
  children: [key: string, name: string][];
}

const systemCategories: SeedCategory[] = [
  { key: 'income', name: 'Income', kind: 'income', children: [
    ['income.salary', 'Salary'], ['income.interest', 'Interest'], ['income.gifts', 'Gifts']] },
  { key: 'housing', name: 'Housing', kind: 'expense', children: [
    ['housing.rent', 'Rent'], ['housing.maintenance', 'Maintenance']] },
  { key: 'food', name: 'Food and drink', kind: 'expense', children: [
    ['food.groceries', 'Groceries'], ['food.restaurants', 'Restaurants']] },
  { key: 'transport', name: 'Transport', kind: 'expense', children: [
    ['transport.fuel', 'Fuel'], ['transport.public', 'Public transport']] },
  { key: 'utilities', name: 'Utilities', kind: 'expense', children: [
    ['utilities.electricity', 'Electricity'], ['utilities.internet', 'Internet and phone']] },
  { key: 'health', name: 'Health', kind: 'expense', children: [
    ['health.pharmacy', 'Pharmacy'], ['health.doctor', 'Doctor']] },
  { key: 'entertainment', name: 'Entertainment', kind: 'expense', children: [
    ['entertainment.streaming', 'Streaming'], ['entertainment.events', 'Events']] },
  { key: 'shopping', name: 'Shopping', kind: 'expense', children: [
    ['shopping.clothing', 'Clothing'], ['shopping.electronics', 'Electronics']] },
  { key: 'travel', name: 'Travel', kind: 'expense', children: [
    ['travel.lodging', 'Lodging'], ['travel.flights', 'Flights']] },
  { key: 'education', name: 'Education', kind: 'expense', children: [
    ['education.courses', 'Courses'], ['education.books', 'Books']] },
  { key: 'savings', name: 'Savings', kind: 'expense', children: [] },
  { key: 'other', name: 'Other', kind: 'expense', children: [] },
];

function importPreviewsDdl(dialect: MigrationContext['dialect']): string[] {
  const timestamp = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  return [
    `CREATE TABLE ab_wallet_import_previews (
      id CHAR(36) NOT NULL PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES ab_user (id) ON DELETE CASCADE,
      wallet_id INTEGER NOT NULL REFERENCES ab_user_wallets (id) ON DELETE CASCADE,
      rows_json TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      new_count INTEGER NOT NULL,
      created_at ${timestamp} NOT NULL,
      expires_at ${timestamp} NOT NULL,
      committed_at ${timestamp} NULL,
      CONSTRAINT ab_wallet_import_previews_counts_check
        CHECK (row_count >= 0 AND new_count >= 0 AND new_count <= row_count),
      CONSTRAINT ab_wallet_import_previews_expiry_check CHECK (expires_at > created_at)
    )`,
    `CREATE INDEX ab_wallet_import_previews_wallet_idx
      ON ab_wallet_import_previews (wallet_id)`,
    `CREATE INDEX ab_wallet_import_previews_expires_idx
      ON ab_wallet_import_previews (expires_at)`,
  ];
}

async function seedSystemCategories(sequelize: Sequelize, transaction: Transaction) {
  const now = new Date();
  const insert = `INSERT INTO ab_transaction_categories
    (user_id, parent_id, name, kind, system_key, color, icon, archived_at, created_at, updated_at)
    VALUES (NULL, :parentId, :name, :kind, :key, NULL, NULL, NULL, :now, :now)`;
  const options = { transaction };
  for (const top of systemCategories) {
    await sequelize.query(insert, { ...options,
      replacements: { parentId: null, name: top.name, kind: top.kind, key: top.key, now } });
    const [rows] = await sequelize.query(
      'SELECT id FROM ab_transaction_categories WHERE system_key = :key',
      { ...options, replacements: { key: top.key } });
    const parentId = Number((rows as { id: unknown }[])[0]?.id);
    if (!Number.isSafeInteger(parentId)) throw new Error(`wallet_002: ${top.key} not stored`);
    for (const [key, name] of top.children) {
      await sequelize.query(insert, { ...options,
        replacements: { parentId, name, kind: top.kind, key, now } });
    }
  }
}

/** Import previews and the system categories. */
export const wallet002: Migration = {
  name: 'wallet_002',
  async up({ sequelize, dialect }) {
    await sequelize.transaction(async (transaction) => {
      for (const statement of importPreviewsDdl(dialect)) {
        await sequelize.query(statement, { transaction });
      }
      await seedSystemCategories(sequelize, transaction);
    });
  },
  async down({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      await sequelize.query(`DELETE FROM ab_transaction_categories
        WHERE system_key IS NOT NULL AND parent_id IS NOT NULL`, { transaction });
      await sequelize.query(
        'DELETE FROM ab_transaction_categories WHERE system_key IS NOT NULL', { transaction });
      await qi.dropTable('ab_wallet_import_previews', { transaction });
    });
  },
};
