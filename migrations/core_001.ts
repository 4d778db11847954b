/**
 * @module
 * core_001: users, roles, sessions and the throttling counters that must live in the database
 * so several server processes share them.
 *
 * Usernames and emails are stored lower-cased (the auth models normalise them), so the plain
 * unique constraints make `Alice` and `alice` one account. Unique indexes on `lower(...)` would
 * keep the typed case, but Sequelize's SQLite `describeTable` fails on expression indexes.
 */
import { DataTypes } from 'sequelize';
import type { Migration } from '../server/migrator.ts';

export const core001: Migration = {
  name: 'core_001',
  async up({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      await qi.createTable(
        'ab_user',
        {
          id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
          username: { type: DataTypes.STRING(64), allowNull: false, unique: true },
          email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
          first_name: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
          last_name: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
          password: { type: DataTypes.STRING(100), allowNull: false },
          active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
          login_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
          fail_login_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
          last_login: { type: DataTypes.DATE, allowNull: true },
          password_changed_on: { type: DataTypes.DATE, allowNull: true },
          created_on: { type: DataTypes.DATE, allowNull: false },
          changed_on: { type: DataTypes.DATE, allowNull: false },
        },
        { transaction },
      );
      await qi.createTable(
        'ab_role',
        {
          id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
          name: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        },
        { transaction },
      );
      await qi.createTable(
        'ab_user_role',
        {
          id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
          user_id: {
            type: DataTypes.INTEGER,
            allowNull: false,
            references: { model: 'ab_user', key: 'id' },
            onDelete: 'CASCADE',
          },
          role_id: {
            type: DataTypes.INTEGER,
            allowNull: false,
            references: { model: 'ab_role', key: 'id' },
            onDelete: 'CASCADE',
          },
        },
        { transaction },
      );
      await qi.addIndex('ab_user_role', ['user_id', 'role_id'], {
        unique: true,
        name: 'ab_user_role_user_role_unique',
        transaction,
      });
      await qi.addIndex('ab_user_role', ['role_id'], {
        name: 'ab_user_role_role_idx',
        transaction,
      });
      await qi.bulkInsert('ab_role', [{ name: 'Admin' }, { name: 'User' }], { transaction });

      await qi.createTable(
        'ab_session',
        {
          // SHA-256 of the cookie's token: a database leak yields no usable session.
          // NOT NULL stated: SQLite lets a non-integer primary key hold NULL otherwise.
          id_hash: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
          user_id: {
            type: DataTypes.INTEGER,
            allowNull: false,
            references: { model: 'ab_user', key: 'id' },
            onDelete: 'CASCADE',
          },
          state: { type: DataTypes.STRING(16), allowNull: false },
          created_at: { type: DataTypes.DATE, allowNull: false },
          last_seen_at: { type: DataTypes.DATE, allowNull: false },
          expires_at: { type: DataTypes.DATE, allowNull: false },
          mfa_verified_at: { type: DataTypes.DATE, allowNull: true },
          ip: { type: DataTypes.STRING(64), allowNull: true },
          user_agent: { type: DataTypes.STRING(512), allowNull: true },
        },
        { transaction },
      );
      await qi.addIndex('ab_session', ['user_id'], { name: 'ab_session_user_idx', transaction });
      await qi.addIndex('ab_session', ['expires_at'], {
        name: 'ab_session_expires_idx',
        transaction,
      });

      await qi.createTable(
        'ab_rate_limit',
        {
          // e.g. `login:user:alice` or `login:ip:203.0.113.7`
          key: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
          failures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
          window_started_at: { type: DataTypes.DATE, allowNull: false },
          blocked_until: { type: DataTypes.DATE, allowNull: true },
        },
        { transaction },
      );
    });
  },
  async down({ queryInterface: qi, sequelize }) {
    await sequelize.transaction(async (transaction) => {
      for (const table of ['ab_rate_limit', 'ab_session', 'ab_user_role', 'ab_role', 'ab_user']) {
        await qi.dropTable(table, { transaction });
      }
    });
  },
};
