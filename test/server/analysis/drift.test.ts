import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DataTypes, type Model, type ModelStatic } from 'sequelize';
import { compareTables, findDrift, type DriftKind } from '../../../server/analysis/drift.ts';
import { runSchemaCheck, runSchemaGenerate } from '../../../server/analysis/schema-commands.ts';
import type { TableDefinition } from '../../../server/analysis/table-definition.ts';
import type { Migration, MigrationContext } from '../../../server/migrator.ts';
import { registeredModels } from '../../../server/models-registry.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/**
 * Generated migrations are written inside the project (under its git-ignored `tmp/`), so their
 * `import ... from 'sequelize'` resolves to the project's own copy when the test imports them.
 */
const scratchRoot = fileURLToPath(new URL('../../../tmp/', import.meta.url));

describe(`the project's models and its migrations on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('agree: a freshly migrated database shows no drift and no table without a model', async () => {
    const models = registeredModels(server.ctx.sequelize).map((entry) => entry.model);
    const report = await findDrift(server.ctx.sequelize, models);
    assert.deepEqual(report.drift.map((item) => item.message), []);
    assert.deepEqual(report.unmodelledTables, []);
    assert.equal(report.tables.length, models.length);
    const lines: string[] = [];
    assert.equal(await runSchemaCheck(server.ctx.sequelize, (line) => lines.push(line)), 0);
    assert.equal(lines.at(-1), 'no drift');
  });
});

describe(`drift on throwaway tables, found and fixed by a generated migration on ${testDialect}`,
  () => {
    let server: TestServer;
    let scratch: string;
    let probe: ModelStatic<Model>;
    let fresh: ModelStatic<Model>;
    let context: MigrationContext;

    before(async () => {
      server = await startTestServer();
      mkdirSync(scratchRoot, { recursive: true });
      scratch = mkdtempSync(join(scratchRoot, 'drift-'));
      const { sequelize } = server.ctx;
      const qi = sequelize.getQueryInterface();
      context = { queryInterface: qi, sequelize, dialect: testDialect };
      await qi.createTable('zz_drift_parent', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true } });
      // What an old migration made: `name` shorter, nullable, another default; a `legacy`
      // column the model has since dropped; no `nickname`, `parent_id`, index or key.
      await qi.createTable('zz_drift_probe', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.STRING(20), allowNull: true, defaultValue: 'old' },
        legacy: { type: DataTypes.STRING(10), allowNull: true },
      });
      const parent = sequelize.define('ZzDriftParent', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      }, { tableName: 'zz_drift_parent', timestamps: false });
      probe = sequelize.define('ZzDriftProbe', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.STRING(40), allowNull: false, defaultValue: 'new' },
        nickname: { type: DataTypes.STRING(30), allowNull: true },
        level: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        parentId: { type: DataTypes.INTEGER, allowNull: true, field: 'parent_id' },
      }, { tableName: 'zz_drift_probe', timestamps: false,
        indexes: [{ fields: ['name'], unique: true, name: 'zz_drift_probe_name_unique' }] });
      probe.belongsTo(parent, { foreignKey: 'parentId' });
      fresh = sequelize.define('ZzDriftFresh', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        label: { type: DataTypes.STRING(12), allowNull: false, unique: true },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      }, { tableName: 'zz_drift_fresh', timestamps: false });
    });
    after(async () => {
      rmSync(scratch, { recursive: true, force: true });
      await server.close();
    });

    const kinds = async () => (await findDrift(server.ctx.sequelize, [probe, fresh])).drift
      .map((item): [string, string | null, DriftKind] => [item.table, item.column, item.kind]);

    const expectedDrift: [string, string | null, DriftKind][] = [
      ['zz_drift_probe', 'name', 'column-type'],
      ['zz_drift_probe', 'name', 'column-nullability'],
      ['zz_drift_probe', 'name', 'column-default'],
      ['zz_drift_probe', 'nickname', 'missing-column'],
      ['zz_drift_probe', 'level', 'missing-column'],
      ['zz_drift_probe', 'parent_id', 'missing-column'],
      ['zz_drift_probe', 'legacy', 'extra-column'],
      ['zz_drift_probe', null, 'missing-index'],
      ['zz_drift_probe', null, 'missing-foreign-key'],
      ['zz_drift_fresh', null, 'missing-table'],
    ];

    it('reports a column the model has and no migration made, and every other difference',
      async () => {
        assert.deepEqual(await kinds(), expectedDrift);
        const lines: string[] = [];
        assert.equal(await runSchemaCheck(server.ctx.sequelize, (line) => lines.push(line),
          [probe, fresh]), 1);
        assert.ok(lines.includes('  - zz_drift_probe.nickname: the model has this column, ' +
          'the database does not.'), lines.join('\n'));
        assert.ok(lines.includes('  - zz_drift_probe.name: the type differs: the model says ' +
          `VARCHAR(40), the database has ${testDialect === 'postgres'
            ? 'character varying(20)' : 'VARCHAR(20)'}.`), lines.join('\n'));
      });

    it('writes a migration that, applied, leaves no drift, and that goes down again', async () => {
      const lines: string[] = [];
      const code = await runSchemaGenerate(server.ctx.sequelize,
        { name: 'zz_fix_001', directory: scratch, models: [probe, fresh] },
        (line) => lines.push(line));
      assert.equal(code, 0, lines.join('\n'));
      assert.ok(lines.includes("  import { zzFix001 } from './zz_fix_001.ts';"));
      const file = join(scratch, 'zz_fix_001.ts');
      const source = readFileSync(file, 'utf8');
      assert.ok(source.split('\n').every((line) => line.length <= 100), source);
      const { zzFix001 } = (await import(pathToFileURL(file).href)) as { zzFix001: Migration };
      assert.equal(zzFix001.name, 'zz_fix_001');
      await zzFix001.up(context);
      assert.deepEqual(await kinds(), []);
      await zzFix001.down(context);
      assert.deepEqual(await kinds(), expectedDrift);
      await zzFix001.up(context);
      assert.deepEqual(await kinds(), []);
    });

    it('refuses a second file of the same name and a name that is not one', async () => {
      const lines: string[] = [];
      const write = (line: string) => lines.push(line);
      const options = { directory: scratch, models: [probe] };
      assert.equal(await runSchemaGenerate(server.ctx.sequelize,
        { ...options, name: 'zz_fix_001' }, write), 2);
      assert.match(lines.at(-1) ?? '', /exists/);
      assert.equal(await runSchemaGenerate(server.ctx.sequelize,
        { ...options, name: 'Zz-Fix' }, write), 2);
      assert.equal(await runSchemaGenerate(server.ctx.sequelize,
        { ...options, name: 'zz_fix_002' }, write), 0);
      assert.equal(lines.at(-1), 'db:generate: no drift; nothing to write.');
    });
  });

describe('comparing a table definition with the live one', () => {
  const table = (changes: Partial<TableDefinition> = {}): TableDefinition => ({
    table: 't',
    columns: [{ name: 'id', type: 'INTEGER', enumValues: null, nullable: false,
      primaryKey: true, autoIncrement: true, default: null, dataTypeSource: 'DataTypes.INTEGER' },
    { name: 'flag', type: 'BOOLEAN', enumValues: null, nullable: false, primaryKey: false,
      autoIncrement: false, default: { kind: 'literal', value: 'true' },
      dataTypeSource: 'DataTypes.BOOLEAN' }],
    primaryKey: ['id'],
    indexes: [],
    foreignKeys: [],
    ...changes,
  });

  it('takes 1 for true in a boolean default, and numbers by value', () => {
    const live = table();
    const [, flag] = live.columns;
    assert.ok(flag);
    live.columns[1] = { ...flag, default: { kind: 'literal', value: '1' } };
    assert.deepEqual(compareTables(table(), live, 'postgres'), []);
  });

  it('reports a primary key on other columns, and an auto-increment the database lacks', () => {
    const live = table({ primaryKey: ['flag'] });
    const [id] = live.columns;
    assert.ok(id);
    live.columns[0] = { ...id, autoIncrement: false };
    assert.deepEqual(compareTables(table(), live, 'sqlite').map((item) => item.kind),
      ['column-auto-increment', 'primary-key']);
  });

  it('accepts a unique set that the primary key already makes unique', () => {
    const expected = table({ indexes: [{ name: 'x', columns: ['id'], unique: true }] });
    assert.deepEqual(compareTables(expected, table(), 'postgres'), []);
  });
});
