import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DatabaseError, QueryTypes, ValidationError, type Sequelize } from 'sequelize';
import { loadConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/database.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { createEmptyDatabase, testDialect } from '../support/test-context.ts';

/** Whether the database refused a write. */
function refused(error: unknown): boolean {
  return error instanceof DatabaseError || error instanceof ValidationError;
}

describe(`migration wallet_004 on ${testDialect}`, () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let sequelize: Sequelize;
  before(async () => {
    database = await createEmptyDatabase();
    sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
  });
  after(async () => {
    await sequelize.close();
    await database.drop();
  });

  const count = async (sql: string, replacements: Record<string, unknown> = {}) => {
    const rows = await sequelize.query<{ n: unknown }>(sql,
      { replacements, type: QueryTypes.SELECT });
    return Number(rows[0]?.n);
  };
  const insertRule = async (userId: number, walletId: number, weekendPolicy: string) => {
    await sequelize.query(`INSERT INTO ab_recurring_transactions (user_id, wallet_id, type,
        amount_minor, currency, tags, metadata, rrule, starts_on, weekend_policy, created_at,
        updated_at)
      VALUES (:userId, :walletId, 'debit', 500, 'EUR', '[]', '{}', 'FREQ=MONTHLY',
        '2026-03-01', :weekendPolicy, :now, :now)`,
    { replacements: { userId, walletId, weekendPolicy, now: new Date() } });
    const rows = await sequelize.query<{ id: unknown }>(
      'SELECT MAX(id) AS id FROM ab_recurring_transactions', { type: QueryTypes.SELECT });
    return Number(rows[0]?.id);
  };
  const insertOccurrence = (recurringId: number, scheduledOn: string) => sequelize.query(
    `INSERT INTO ab_recurring_occurrences (recurring_id, scheduled_on, due_on, status,
       created_at, updated_at)
     VALUES (:recurringId, :scheduledOn, :scheduledOn, 'pending', :now, :now)`,
    { replacements: { recurringId, scheduledOn, now: new Date() } });

  it('keeps every rule, occurrence, key and counter, and holds every weekend policy', async () => {
    const migrator = createMigrator(sequelize);
    await migrator.up({ to: 'wallet_003' });
    const now = new Date();
    await sequelize.query(`INSERT INTO ab_user (username, email, first_name, last_name, password,
        active, login_count, fail_login_count, created_on, changed_on)
      VALUES ('w4', 'w4@example.test', 'W', 'Four', 'x', :yes, 0, 0, :now, :now)`,
    { replacements: { now, yes: true } });
    const userId = await count('SELECT MAX(id) AS n FROM ab_user');
    await sequelize.query(`INSERT INTO ab_user_wallets (user_id, name, currency, created_at,
        updated_at) VALUES (:userId, 'Main', 'EUR', :now, :now)`,
    { replacements: { userId, now } });
    const walletId = await count('SELECT MAX(id) AS n FROM ab_user_wallets');
    const kept = await insertRule(userId, walletId, 'as-scheduled');
    const removed = await insertRule(userId, walletId, 'as-scheduled');
    await sequelize.query('DELETE FROM ab_recurring_transactions WHERE id = :removed',
      { replacements: { removed } });
    await insertOccurrence(kept, '2026-03-01');
    await insertOccurrence(kept, '2026-04-01');

    await migrator.up();
    assert.equal(await count('SELECT COUNT(*) AS n FROM ab_recurring_transactions'), 1);
    assert.equal(await count(
      'SELECT COUNT(*) AS n FROM ab_recurring_occurrences WHERE recurring_id = :kept',
      { kept }), 2);
    const longest = await insertRule(userId, walletId, 'previous-business-day');
    assert.ok(longest > removed, 'ids go on after the highest ever given');
    await insertRule(userId, walletId, 'next-business-day');
    await assert.rejects(insertRule(userId, walletId, 'whenever'), refused);
    await assert.rejects(insertOccurrence(kept, '2026-03-01'), refused, 'one row per date');
    await assert.rejects(insertOccurrence(999_999, '2026-03-01'), refused, 'a foreign key');
    await sequelize.query('DELETE FROM ab_recurring_transactions WHERE id = :kept',
      { replacements: { kept } });
    assert.equal(await count('SELECT COUNT(*) AS n FROM ab_recurring_occurrences'), 0,
      'occurrences still go with their rule');
  });

  it('goes down and up again cleanly', async () => {
    const migrator = createMigrator(sequelize);
    await sequelize.query(
      "UPDATE ab_recurring_transactions SET weekend_policy = 'as-scheduled'");
    await migrator.down({ to: 'wallet_004' });
    const executed = (await migrator.executed()).map((migration) => migration.name);
    assert.ok(!executed.includes('wallet_004'));
    assert.equal(await count('SELECT COUNT(*) AS n FROM ab_recurring_transactions'), 2);
    await migrator.up();
    const rows = await sequelize.query<{ id: unknown }>(
      'SELECT id FROM ab_recurring_transactions ORDER BY id', { type: QueryTypes.SELECT });
    assert.equal(rows.length, 2);
  });
});
