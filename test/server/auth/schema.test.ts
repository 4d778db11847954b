import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes, type Model, type ModelStatic } from 'sequelize';
import { authModels } from '../../../server/auth/models.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`the auth models and the migrated schema on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('defines the models once per database', () => {
    assert.equal(authModels(server.ctx.sequelize), authModels(server.ctx.sequelize));
  });

  for (const name of ['User', 'Role', 'UserRole', 'Session', 'RateLimit'] as const) {
    it(`${name}: the table has exactly the model's columns, keys and nullability`, async () => {
      // Widened to the common base: only the table and attribute metadata are read.
      const model: ModelStatic<Model> = authModels(server.ctx.sequelize)[name];
      const table = model.getTableName() as string;
      const described = await server.ctx.sequelize.getQueryInterface().describeTable(table);
      const attributes = Object.values(model.getAttributes());
      const modelColumns = attributes.map((attribute) => attribute.field ?? '').sort();
      assert.deepEqual(modelColumns, Object.keys(described).sort(), `columns of ${table}`);
      for (const attribute of attributes) {
        const column = described[attribute.field ?? ''];
        assert.ok(column, `${table}.${attribute.field} exists`);
        const isKey = attribute.primaryKey === true;
        assert.equal(column.primaryKey, isKey, `${table}.${attribute.field} primary key`);
        // SQLite reports an INTEGER PRIMARY KEY (the rowid, never NULL) as nullable.
        const databaseNullable = column.allowNull && !column.primaryKey;
        const modelNullable = !isKey && attribute.allowNull !== false;
        assert.equal(databaseNullable, modelNullable, `${table}.${attribute.field} nullability`);
      }
    });
  }

  it('seeds the roles Admin and User', async () => {
    const { Role } = authModels(server.ctx.sequelize);
    const names = (await Role.findAll({ order: [['name', 'ASC']] })).map((role) => role.name);
    assert.deepEqual(names, ['Admin', 'User']);
  });

  it('stores usernames and emails lower-cased: letter case makes no second account', async () => {
    const { User } = authModels(server.ctx.sequelize);
    const now = server.clock.now();
    const row = { email: 'x@example.com', password: 'x', createdOn: now, changedOn: now };
    const casey = await User.create({ ...row, username: ' Casey ', email: ' X@example.COM' });
    await casey.reload();
    assert.equal(casey.username, 'casey');
    assert.equal(casey.email, 'x@example.com');
    await assert.rejects(
      User.create({ ...row, username: 'CASEY', email: 'y@example.com' }),
      { name: 'SequelizeUniqueConstraintError' },
    );
    await assert.rejects(
      User.create({ ...row, username: 'other', email: 'X@Example.com' }),
      { name: 'SequelizeUniqueConstraintError' },
    );
  });

  it('goes down to nothing and up again', async () => {
    const migrator = createMigrator(server.ctx.sequelize);
    await migrator.down({ to: 0 });
    const tables = (await server.ctx.sequelize.getQueryInterface().showAllTables()).map(String);
    assert.deepEqual(tables.filter((table) => table.startsWith('ab_user')), []);
    await migrator.up();
    const roles = await server.ctx.sequelize.query('SELECT name FROM ab_role ORDER BY name', {
      type: QueryTypes.SELECT,
    });
    assert.deepEqual(roles, [{ name: 'Admin' }, { name: 'User' }]);
  });
});
