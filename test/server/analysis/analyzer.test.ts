import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataTypes } from 'sequelize';
import {
  analysisFieldsMax,
  analyzeFields,
  analyzeModel,
  analyzeTable,
  type ColumnFacts,
} from '../../../server/analysis/analyzer.ts';
import { parseDatabaseType } from '../../../server/analysis/database-type.ts';
// The domains' encrypted columns, as the analysis service loads them.
import '../../../server/crypto/registered-columns.ts';
import type { FieldAnalysis, ModelAnalysis } from '../../../server/analysis/schemas.ts';
import { findRegisteredModel, registeredModels } from '../../../server/models-registry.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

function fieldOf(analysis: ModelAnalysis | null, name: string): FieldAnalysis {
  const field = analysis?.fields.find((candidate) => candidate.name === name);
  assert.ok(field, name);
  return field;
}

describe(`the analysis of the project's models on ${testDialect}`, () => {
  let server: TestServer;
  const model = (name: string) => {
    const entry = findRegisteredModel(server.ctx.sequelize, name);
    assert.ok(entry, name);
    return analyzeModel(entry.model);
  };
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('registers every domain model once, each on its own table', () => {
    const entries = registeredModels(server.ctx.sequelize);
    assert.equal(registeredModels(server.ctx.sequelize), entries);
    assert.deepEqual([...new Set(entries.map((entry) => entry.domain))].sort(),
      ['auth', 'mfa', 'wallet']);
    assert.equal(new Set(entries.map((entry) => entry.table)).size, entries.length);
    assert.ok(entries.some((entry) => entry.table === 'ab_wallet_import_previews'));
  });

  it("agrees with the live table on every column's category, nullability and key", async () => {
    for (const entry of registeredModels(server.ctx.sequelize)) {
      const fromModel = analyzeModel(entry.model);
      const fromTable = await analyzeTable(server.ctx.sequelize, entry.table, entry.name);
      assert.ok(fromTable, entry.table);
      assert.equal(fromTable.model, entry.name);
      const live = new Map(fromTable.fields.map((field) => [field.column, field]));
      for (const field of fromModel.fields) {
        const column = live.get(field.column);
        assert.ok(column, `${entry.table}.${field.column}`);
        const where = `${entry.table}.${field.column}`;
        assert.equal(field.category, column.category,
          `${where}: ${field.dbType} / ${column.dbType}`);
        assert.equal(field.nullable, column.nullable, `${where}: nullable`);
        assert.equal(field.primaryKey, column.primaryKey, `${where}: primary key`);
        // Only the model knows that Sequelize stamps a time itself.
        const modelCodes = field.exclusions.map((e) => e.code).filter((c) => c !== 'timestamp');
        assert.deepEqual(modelCodes, column.exclusions.map((e) => e.code), `${where}: exclusions`);
      }
    }
  });

  it('hides the password hash and says why', () => {
    const password = fieldOf(model('AbUser'), 'password');
    assert.equal(password.listable, false);
    assert.equal(password.searchable, false);
    assert.match(password.exclusions[0]?.reason ?? '', /"password"/);
    const createdOn = fieldOf(model('AbUser'), 'createdOn');
    assert.equal(createdOn.exclusions.find((e) => e.from === 'form')?.code, 'timestamp');
    assert.equal(createdOn.validation.required, false);
  });

  it('offers a currency input for amounts in minor units, paired with their currency', () => {
    const amount = fieldOf(model('AbWalletTransaction'), 'amountMinor');
    assert.equal(amount.category, 'big-integer');
    assert.equal(amount.widget.tag, 'ab-currency-input');
    assert.deepEqual(amount.widget.attributes,
      { 'currency-field': 'currency', 'amount-unit': 'minor' });
    assert.equal(fieldOf(model('AbWalletTransaction'), 'counterAmountMinor')
      .widget.attributes['currency-field'], 'counterCurrency');
    assert.equal(fieldOf(model('AbWalletTransaction'), 'tags').widget.tag, 'ab-tag-input');
    assert.equal(fieldOf(model('AbWalletTransaction'), 'metadata').widget.tag, 'ab-json-editor');
    assert.equal(fieldOf(model('AbTransactionCategory'), 'color').widget.tag, 'ab-color-picker');
    assert.equal(fieldOf(model('AbUser'), 'email').widget.attributes.type, 'email');
  });

  it('keeps keyring ciphertext out of lists and forms', async () => {
    const phone = fieldOf(model('AbUserMfa'), 'phone');
    assert.equal(phone.exclusions[0]?.code, 'encrypted');
    const table = await analyzeTable(server.ctx.sequelize, 'ab_user_mfa');
    assert.equal(fieldOf(table, 'phone').exclusions[0]?.code, 'encrypted');
    assert.equal(table?.model, null);
  });

  it('reads types, enums and validators a model declares beyond its table', () => {
    const probe = server.ctx.sequelize.define('ZzAnalyzerProbe', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      size: { type: DataTypes.ENUM('s', 'm', 'l'), allowNull: false },
      address: { type: DataTypes.INET },
      span: { type: DataTypes.RANGE(DataTypes.DATEONLY) },
      nick: { type: DataTypes.STRING(20), validate: { len: [3, 12] } },
      display: { type: DataTypes.VIRTUAL },
      raw: { type: 'VARCHAR(9)' },
    }, { tableName: 'zz_analyzer_probe', timestamps: false });
    const analysis = analyzeModel(probe);
    assert.equal(fieldOf(analysis, 'size').category, 'enum');
    assert.deepEqual(fieldOf(analysis, 'size').widget.options, ['s', 'm', 'l']);
    assert.equal(fieldOf(analysis, 'address').category, 'network-address');
    assert.equal(fieldOf(analysis, 'span').widget.tag, 'ab-datetime-range');
    assert.deepEqual([fieldOf(analysis, 'nick').validation.minLength,
      fieldOf(analysis, 'nick').validation.maxLength], [3, 12]);
    assert.equal(fieldOf(analysis, 'display').sortable, false);
    assert.equal(fieldOf(analysis, 'raw').sequelizeType, 'VARCHAR(9)');
    assert.equal(fieldOf(analysis, 'raw').validation.maxLength, 9);
  });

  it('answers null for a table the database does not have', async () => {
    assert.equal(await analyzeTable(server.ctx.sequelize, 'zz_no_such_table'), null);
  });
});

describe('the number of columns analysed at once', () => {
  const facts = (count: number): ColumnFacts[] => Array.from({ length: count }, (_, index) => ({
    name: `c${index}`, column: `c${index}`, sequelizeType: 'INTEGER',
    type: parseDatabaseType('integer', 'postgres'), nullable: true, primaryKey: false,
    autoIncrement: false, default: null, references: null, virtual: false, timestamp: false,
    encrypted: false, validators: null }));

  it(`analyses analysisFieldsMax (${analysisFieldsMax}) columns and refuses one more`, () => {
    assert.equal(analyzeFields(facts(analysisFieldsMax)).length, analysisFieldsMax);
    assert.throws(() => analyzeFields(facts(analysisFieldsMax + 1)), /at most/);
  });
});
