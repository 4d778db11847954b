import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DatabaseError,
  QueryTypes,
  ValidationError,
  type Model,
  type ModelStatic,
} from 'sequelize';
import { loadConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/database.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { isUniqueViolation } from '../../../server/wallet/database-errors.ts';
import { walletModels } from '../../../server/wallet/models.ts';
import {
  createEmptyDatabase,
  startTestServer,
  testDialect,
  type TestServer,
} from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

/** Every table wallet_001 creates. */
const walletTables = [
  'ab_exchange_rates', 'ab_idempotency_keys', 'ab_payment_methods', 'ab_recurring_occurrences',
  'ab_recurring_transactions', 'ab_transaction_categories', 'ab_user_wallets',
  'ab_wallet_audit_chains', 'ab_wallet_audits', 'ab_wallet_budget_alerts',
  'ab_wallet_budget_periods', 'ab_wallet_budgets', 'ab_wallet_transaction_tags',
  'ab_wallet_transactions',
];

/** The models `walletModels` defines. */
const modelNames = ['Wallet', 'WalletTransaction', 'TransactionTag', 'Category', 'PaymentMethod',
  'Budget', 'BudgetPeriod', 'BudgetAlert', 'Recurring', 'Occurrence', 'Audit', 'AuditChain',
  'IdempotencyKey', 'ExchangeRate'] as const;

/** Foreign keys each table must have: column -> referenced table. */
const foreignKeys: Record<string, Record<string, string>> = {
  ab_user_wallets: { user_id: 'ab_user' },
  ab_wallet_transactions: { wallet_id: 'ab_user_wallets', category_id: 'ab_transaction_categories',
    payment_method_id: 'ab_payment_methods', reversal_of_id: 'ab_wallet_transactions',
    reversed_by_id: 'ab_wallet_transactions', counter_wallet_id: 'ab_user_wallets' },
  ab_wallet_transaction_tags: { transaction_id: 'ab_wallet_transactions',
    wallet_id: 'ab_user_wallets' },
  ab_transaction_categories: { user_id: 'ab_user', parent_id: 'ab_transaction_categories' },
  ab_payment_methods: { user_id: 'ab_user' },
  ab_wallet_budgets: { user_id: 'ab_user', wallet_id: 'ab_user_wallets',
    category_id: 'ab_transaction_categories' },
  ab_wallet_budget_periods: { budget_id: 'ab_wallet_budgets' },
  ab_wallet_budget_alerts: { period_id: 'ab_wallet_budget_periods' },
  ab_recurring_transactions: { user_id: 'ab_user', wallet_id: 'ab_user_wallets',
    category_id: 'ab_transaction_categories', payment_method_id: 'ab_payment_methods' },
  ab_recurring_occurrences: { recurring_id: 'ab_recurring_transactions',
    transaction_id: 'ab_wallet_transactions', decided_by_user_id: 'ab_user' },
  ab_wallet_audits: { owner_user_id: 'ab_user', actor_user_id: 'ab_user' },
  ab_wallet_audit_chains: {},
  ab_idempotency_keys: { user_id: 'ab_user' },
  ab_exchange_rates: { set_by_user_id: 'ab_user' },
};

/** Whether the database refused a write (SQLite reports a CHECK as a unique error). */
function isConstraintError(error: unknown): boolean {
  return error instanceof DatabaseError || error instanceof ValidationError;
}

/** A column type in one spelling for both databases and for Sequelize's own names. */
function typeFamily(type: string): string {
  return type.toUpperCase()
    .replace('CHARACTER VARYING', 'VARCHAR')
    .replace(/^CHARACTER\(/, 'CHAR(')
    .replace('TIMESTAMP WITH TIME ZONE', 'DATETIME')
    .replace(/^BOOLEAN$/, 'TINYINT(1)');
}

/** A table's columns as the database declares them. */
interface ColumnDescription {
  type: string;
  allowNull: boolean;
  primaryKey: boolean;
}

/**
 * The columns of `table`. On SQLite this reads `PRAGMA table_info` itself: Sequelize's
 * `describeTable` fails on a table with an expression index (the case-insensitive unique
 * category names), because such an index has no plain column to report.
 */
async function describeColumns(
  server: TestServer,
  table: string,
): Promise<Record<string, ColumnDescription>> {
  if (testDialect === 'postgres') {
    return server.ctx.sequelize.getQueryInterface().describeTable(table);
  }
  const rows = await server.ctx.sequelize.query<{ name: string; type: string; notnull: number;
    pk: number }>(`PRAGMA table_info(${table})`, { type: QueryTypes.SELECT });
  return Object.fromEntries(rows.map((row) =>
    [row.name, { type: row.type, allowNull: row.notnull === 0, primaryKey: row.pk > 0 }]));
}

describe(`the wallet schema on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('has a model for every table wallet_001 creates', () => {
    assert.deepEqual(Object.keys(walletModels(server.ctx.sequelize)).sort(),
      [...modelNames].sort());
    const tables = Object.values(walletModels(server.ctx.sequelize))
      .map((model: ModelStatic<Model>) => String(model.getTableName())).sort();
    assert.deepEqual(tables, walletTables);
  });

  for (const name of modelNames) {
    it(`matches ${name}'s columns, types, nullability and keys to the table`, async () => {
      const real: ModelStatic<Model> = walletModels(server.ctx.sequelize)[name];
      const table = String(real.getTableName());
      const columns = await describeColumns(server, table);
      const attributes = Object.values(real.getAttributes());
      assert.deepEqual(attributes.map((attribute) => attribute.field).sort(),
        Object.keys(columns).sort(), `${table}: column names`);
      for (const attribute of attributes) {
        const column = columns[attribute.field ?? ''];
        assert.ok(column);
        const where = `${table}.${attribute.field}`;
        // Sequelize turns every declared type into an instance once the model is defined.
        const modelType = typeof attribute.type === 'string'
          ? attribute.type
          : (attribute.type as { toSql(): string }).toSql();
        assert.equal(typeFamily(column.type), typeFamily(modelType), `${where}: type`);
        assert.equal(column.primaryKey, attribute.primaryKey === true, `${where}: primary key`);
        // SQLite reports an INTEGER PRIMARY KEY (the rowid) as nullable; it never holds NULL.
        if (!(testDialect === 'sqlite' && attribute.primaryKey && attribute.autoIncrement)) {
          assert.equal(column.allowNull, attribute.allowNull !== false, `${where}: nullability`);
        }
      }
      const references = await server.ctx.sequelize.getQueryInterface()
        .getForeignKeyReferencesForTable(table) as
        { columnName: string; referencedTableName: string }[];
      const found = Object.fromEntries(references.map((reference) =>
        [reference.columnName, reference.referencedTableName]));
      assert.deepEqual(found, foreignKeys[table], `${table}: foreign keys`);
    });
  }

  describe('constraints the database enforces by itself', () => {
    const refuses = async (sql: string, replacements: Record<string, unknown>) => {
      await assert.rejects(server.ctx.sequelize.query(sql, { replacements }), isConstraintError);
    };
    let walletId: number;
    before(async () => {
      const actor = await createTestUser(server.ctx);
      walletId = (await openWallet(server.ctx, actor)).id;
    });
    const insertEntry = (overrides: Record<string, unknown>) => {
      const values = { walletId, sequence: 1, type: 'credit', origin: 'manual', amountMinor: 100,
        currency: 'EUR', balanceAfterMinor: 100, now: new Date(), ...overrides };
      return server.ctx.sequelize.query(
        `INSERT INTO ab_wallet_transactions (wallet_id, sequence, type, origin, amount_minor,
           currency, balance_after_minor, tags, metadata, occurred_at, posted_at)
         VALUES (:walletId, :sequence, :type, :origin, :amountMinor, :currency,
           :balanceAfterMinor, '[]', '{}', :now, :now)`,
        { replacements: values },
      );
    };

    it('refuses amounts that are not positive or above 10^15, and odd currencies', async () => {
      for (const overrides of [{ amountMinor: 0 }, { amountMinor: -5 },
        { amountMinor: '1000000000000001' }, { currency: 'eur' }, { currency: 'EU1' },
        { type: 'refund' }, { origin: 'magic' }, { sequence: 0 }]) {
        await assert.rejects(insertEntry(overrides), isConstraintError, JSON.stringify(overrides));
      }
    });

    it('refuses a second entry with one sequence in a wallet', async () => {
      await insertEntry({ sequence: 1 });
      await assert.rejects(insertEntry({ sequence: 1 }),
        (error: unknown) => isUniqueViolation(error));
    });

    it('refuses a balance below minus the overdraft, and closing with money in it', async () => {
      await refuses('UPDATE ab_user_wallets SET balance_minor = -1 WHERE id = :walletId',
        { walletId });
      await server.ctx.sequelize.query(
        `UPDATE ab_user_wallets SET overdraft_limit_minor = 500, balance_minor = -500
         WHERE id = :walletId`,
        { replacements: { walletId } });
      await refuses('UPDATE ab_user_wallets SET balance_minor = -501 WHERE id = :walletId',
        { walletId });
      await refuses("UPDATE ab_user_wallets SET status = 'closed' WHERE id = :walletId",
        { walletId });
      await refuses("UPDATE ab_user_wallets SET status = 'deleted' WHERE id = :walletId",
        { walletId });
    });

    it('keeps category names unique per owner and parent, whatever their case', async () => {
      const insert = (userId: number | null, parentId: number | null, name: string) =>
        server.ctx.sequelize.query(`INSERT INTO ab_transaction_categories
          (user_id, parent_id, name, kind, created_at, updated_at)
          VALUES (:userId, :parentId, :name, 'expense', :now, :now)`,
          { replacements: { userId, parentId, name, now: new Date() } });
      const owner = await createTestUser(server.ctx);
      await insert(null, null, 'Groceries');
      await assert.rejects(insert(null, null, 'GROCERIES'), isConstraintError);
      await insert(owner.userId, null, 'groceries');
      await assert.rejects(insert(owner.userId, null, 'Groceries'), isConstraintError);
      const { Category } = walletModels(server.ctx.sequelize);
      const parent = await Category.findOne({ where: { userId: owner.userId } });
      assert.ok(parent);
      await insert(owner.userId, parent.id, 'Groceries');
      await assert.rejects(insert(owner.userId, parent.id, 'groceries'), isConstraintError);
    });

    it('refuses a wallet of an unknown user, and a rate that is not a decimal string', async () => {
      await refuses(`INSERT INTO ab_user_wallets (user_id, name, currency, created_at, updated_at)
        VALUES (999999, 'ghost', 'EUR', :now, :now)`, { now: new Date() });
      for (const rate of ['1e3', '-1', '1.2.3', '', '1.', 'abc']) {
        await refuses(`INSERT INTO ab_exchange_rates
          (base, quote, rate, rate_date, source, created_at)
          VALUES ('EUR', 'USD', :rate, '2026-01-01', 'ecb', :now)`, { rate, now: new Date() });
      }
      await refuses(`INSERT INTO ab_exchange_rates
        (base, quote, rate, rate_date, source, created_at)
        VALUES ('EUR', 'EUR', '1', '2026-01-01', 'ecb', :now)`, { now: new Date() });
    });
  });
});

describe(`migration wallet_001 on ${testDialect}`, () => {
  it('goes down and up again cleanly, leaving the core tables alone', async () => {
    const database = await createEmptyDatabase();
    const sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
    try {
      const migrator = createMigrator(sequelize);
      await migrator.up();
      const tables = async () => (await sequelize.getQueryInterface().showAllTables())
        .map(String).filter((table) => table.startsWith('ab_')).sort();
      const all = await tables();
      for (const table of walletTables) assert.ok(all.includes(table), table);
      await migrator.down({ to: 'wallet_001' });
      const core = await tables();
      assert.deepEqual(core.filter((table) => walletTables.includes(table)), []);
      assert.ok(core.includes('ab_user'));
      await migrator.up();
      assert.deepEqual(await tables(), all);
    } finally {
      await sequelize.close();
      await database.drop();
    }
  });
});
