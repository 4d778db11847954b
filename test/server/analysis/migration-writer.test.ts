import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Drift } from '../../../server/analysis/drift.ts';
import {
  migrationExportName,
  migrationNameLengthMax,
  writeMigration,
} from '../../../server/analysis/migration-writer.ts';
import type { ColumnDefinition } from '../../../server/analysis/table-definition.ts';

const column = (changes: Partial<ColumnDefinition>): ColumnDefinition => ({
  name: 'c', type: 'INTEGER', enumValues: null, nullable: true, primaryKey: false,
  autoIncrement: false, default: null, dataTypeSource: 'DataTypes.INTEGER', ...changes });

const missing = (expectedColumn: ColumnDefinition): Drift => ({ kind: 'missing-column',
  table: 't', column: expectedColumn.name, expected: 'the column', actual: 'none',
  message: `t.${expectedColumn.name}: the model has this column, the database does not.`,
  expectedColumn });

describe('a generated migration', () => {
  it('exports a constant named like the project does (core_001 -> core001)', () => {
    assert.equal(migrationExportName('wallet_003'), 'wallet003');
    assert.equal(migrationExportName('add_user_nickname'), 'addUserNickname');
  });

  it(`takes a name of migrationNameLengthMax (${migrationNameLengthMax}) characters, not more`,
    () => {
      const drift = [missing(column({}))];
      const at = `m${'x'.repeat(migrationNameLengthMax - 1)}`;
      assert.equal(writeMigration(at, drift, 'sqlite').name, at);
      assert.throws(() => writeMigration(`${at}x`, drift, 'sqlite'), /at most/);
      for (const name of ['Wallet_003', '3_wallet', 'wallet-003', '']) {
        assert.throws(() => writeMigration(name, drift, 'sqlite'), /migration name/, name);
      }
    });

  it('writes defaults as typed literals, and database expressions through literal()', () => {
    const { source } = writeMigration('m_001', [
      missing(column({ name: 'flag', type: 'TINYINT(1)', dataTypeSource: 'DataTypes.BOOLEAN',
        default: { kind: 'literal', value: '1' } })),
      missing(column({ name: 'big', type: 'BIGINT', dataTypeSource: 'DataTypes.BIGINT',
        default: { kind: 'literal', value: '9007199254740993' } })),
      missing(column({ name: 'at', type: 'DATETIME', dataTypeSource: 'DataTypes.DATE',
        default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } })),
      missing(column({ name: 'odd', type: 'FOO(3)', dataTypeSource: null,
        default: { kind: 'literal', value: "it's" } })),
    ], 'sqlite');
    assert.match(source, /defaultValue: true/);
    assert.match(source, /defaultValue: '9007199254740993'/);
    assert.match(source, /defaultValue: literal\('CURRENT_TIMESTAMP'\)/);
    assert.match(source, /type: 'FOO\(3\)'/);
    assert.match(source, /defaultValue: 'it\\'s'/);
    assert.match(source, /^import \{ DataTypes, literal \} from 'sequelize';$/m);
    assert.ok(source.split('\n').every((line) => line.length <= 100));
  });

  it('leaves a changed primary key to a person, and says so', () => {
    const key: Drift = { kind: 'primary-key', table: 't', column: null, expected: '(a)',
      actual: '(b)', message: 't: the primary key differs.' };
    const migration = writeMigration('m_002', [key, missing(column({}))], 'postgres');
    assert.deepEqual(migration.unresolved, [key]);
    assert.match(migration.source,
      /Not generated; write these steps by hand:\n \* {2}- t: the primary key/);
    assert.doesNotMatch(migration.source, /On SQLite, Sequelize rebuilds/);
  });
});
