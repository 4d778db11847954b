/**
 * @module
 * wallet_004: room for every weekend policy of a recurring rule, on SQLite and PostgreSQL.
 *
 * wallet_001 declared `ab_recurring_transactions.weekend_policy` VARCHAR(16), while its CHECK
 * allows `previous-business-day` (21 characters) and `next-business-day` (17). PostgreSQL
 * refused both; SQLite does not enforce a declared length, so only PostgreSQL showed it. This
 * widens the column to VARCHAR(32) and changes nothing else.
 *
 * PostgreSQL alters the column's type. SQLite cannot change a declared type, so it rebuilds the
 * table: a copy is made under a new name with the new declaration, the rows are copied, the old
 * table is dropped and the copy renamed. SQLite's documented way turns foreign keys off first,
 * which it ignores inside a database transaction; so the child table `ab_recurring_occurrences`
 * is rebuilt beside it (its copy referencing the new table), and the old child is dropped before
 * the old parent, which then has no children and cascades to nothing. Renaming the new parent
 * makes SQLite rewrite the child's reference to the final name. The indexes are made again from
 * their stored definitions, AUTOINCREMENT counters are carried over, and `foreign_key_check`
 * must find nothing before the commit.
 *
 * Up and down each run in one database transaction. Down narrows back to VARCHAR(16); on
 * PostgreSQL it refuses while a rule holds a longer policy.
 */
import assert from 'node:assert/strict';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Migration, MigrationContext } from '../server/migrator.ts';

const parentTable = 'ab_recurring_transactions';
const childTable = 'ab_recurring_occurrences';

/** Sets the declared type of `weekend_policy` on either database. */
async function declareWeekendPolicy(
  { sequelize, dialect }: MigrationContext,
  from: string,
  to: string,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    if (dialect === 'postgres') {
      await sequelize.query(
        `ALTER TABLE ${parentTable} ALTER COLUMN weekend_policy TYPE ${to}`, { transaction });
      return;
    }
    await rebuildSqliteTables(sequelize, transaction, (name, sql) => {
      if (name !== parentTable) return sql;
      const changed = sql.replace(`weekend_policy ${from}`, `weekend_policy ${to}`);
      assert.notEqual(changed, sql, 'the stored table declares weekend_policy as expected');
      return changed;
    });
  });
}

/** A table or index as SQLite stores its definition. */
interface StoredSchema {
  type: 'table' | 'index';
  name: string;
  sql: string;
}

/**
 * Rebuilds the recurring tables on SQLite with their definitions passed through `rewrite`,
 * keeping every row, index and AUTOINCREMENT counter (see the module comment).
 */
async function rebuildSqliteTables(
  sequelize: Sequelize,
  transaction: Transaction,
  rewrite: (table: string, sql: string) => string,
): Promise<void> {
  const query = (sql: string) => sequelize.query(sql, { transaction });
  const stored = await sequelize.query<StoredSchema>(
    `SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN (:tables) AND sql IS NOT NULL
     ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, name`,
    { replacements: { tables: [parentTable, childTable] }, type: QueryTypes.SELECT,
      transaction });
  const definition = (table: string) => {
    const found = stored.find((item) => item.type === 'table' && item.name === table);
    assert(found, `${table} exists`);
    return rewrite(table, found.sql);
  };
  const counters = await sequelize.query<{ name: string; seq: number }>(
    'SELECT name, seq FROM sqlite_sequence WHERE name IN (:tables)',
    { replacements: { tables: [parentTable, childTable] }, type: QueryTypes.SELECT,
      transaction });
  await query(renamed(definition(parentTable), parentTable));
  await query(`INSERT INTO ${parentTable}_new SELECT * FROM ${parentTable}`);
  // After a rebuild SQLite has written the reference back quoted: match both spellings.
  const childSql = renamed(definition(childTable), childTable)
    .replace(new RegExp(`REFERENCES "?${parentTable}"? \\(`), `REFERENCES ${parentTable}_new (`);
  assert.match(childSql, new RegExp(`REFERENCES ${parentTable}_new \\(`),
    'the child references the parent as expected');
  await query(childSql);
  await query(`INSERT INTO ${childTable}_new SELECT * FROM ${childTable}`);
  await query(`DROP TABLE ${childTable}`);
  await query(`DROP TABLE ${parentTable}`);
  await query(`ALTER TABLE ${parentTable}_new RENAME TO ${parentTable}`);
  await query(`ALTER TABLE ${childTable}_new RENAME TO ${childTable}`);
  for (const index of stored.filter((item) => item.type === 'index')) await query(index.sql);
  for (const counter of counters) {
    await sequelize.query('UPDATE sqlite_sequence SET seq = :seq WHERE name = :name AND seq < :seq',
      { replacements: counter, transaction });
    await sequelize.query(`INSERT INTO sqlite_sequence (name, seq) SELECT :name, :seq
      WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)`,
    { replacements: counter, transaction });
  }
  const broken = await sequelize.query('PRAGMA foreign_key_check',
    { type: QueryTypes.SELECT, transaction });
  assert.deepEqual(broken, [], 'every foreign key still holds after the rebuild');
}

/** `sql` creating `table` as `<table>_new` instead. */
function renamed(sql: string, table: string): string {
  const pattern = new RegExp(`^CREATE TABLE "?${table}"? \\(`);
  assert.match(sql, pattern, `${table} is created by a plain CREATE TABLE`);
  return sql.replace(pattern, `CREATE TABLE ${table}_new (`);
}

/** Widens `ab_recurring_transactions.weekend_policy` to hold every policy. */
export const wallet004: Migration = {
  name: 'wallet_004',
  async up(context) {
    await declareWeekendPolicy(context, 'VARCHAR(16)', 'VARCHAR(32)');
  },
  async down(context) {
    await declareWeekendPolicy(context, 'VARCHAR(32)', 'VARCHAR(16)');
  },
};
