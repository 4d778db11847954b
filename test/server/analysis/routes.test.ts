import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identifierLengthMax, modelPageSizeMax } from '../../../server/analysis/schemas.ts';
import { registeredModels } from '../../../server/models-registry.ts';
import { get, signedInUser, type UserJson } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { enrolledUser, makeAdmin, signInAgain } from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

describe(`GET /api/analysis/* on ${testDialect}`, () => {
  let server: TestServer;
  let admin: { user: UserJson; cookie: string };
  let member: { cookie: string };
  before(async () => {
    server = await startTestServer();
    admin = await signedInUser(server);
    await makeAdmin(server, admin.user.id);
    member = await signedInUser(server);
  });
  after(() => server.close());

  const paths = ['/api/analysis/models', '/api/analysis/models/AbUser',
    '/api/analysis/tables/ab_user'];

  it('answers 401 without a session and 403 to a user who is not an Admin', async () => {
    for (const path of paths) {
      assert.equal((await get(server, path)).status, 401, path);
      const refused = await get(server, path, member.cookie);
      assert.equal(refused.status, 403, path);
      assert.match((await jsonOf(refused)).type, /\/forbidden$/);
    }
  });

  it('answers 403 mfa-required to an Admin whose second factor is still due', async () => {
    const enrolled = await enrolledUser(server);
    await makeAdmin(server, enrolled.user.id);
    const { cookie } = await signInAgain(server, enrolled.registration);
    const refused = await get(server, paths[1] ?? '', cookie);
    assert.equal(refused.status, 403);
    assert.match((await jsonOf(refused)).type, /\/mfa-required$/);
  });

  it('lists the registered models by name, with their tables and no capabilities yet', async () => {
    const response = await get(server, '/api/analysis/models?limit=100', admin.cookie);
    assert.equal(response.status, 200);
    const body = await jsonOf(response);
    const names = registeredModels(server.ctx.sequelize).map((entry) => entry.name);
    assert.deepEqual(body.items.map((item: { name: string }) => item.name), names);
    assert.equal(body.nextCursor, null);
    const user = body.items.find((item: { name: string }) => item.name === 'AbUser');
    assert.deepEqual(user, { name: 'AbUser', table: 'ab_user', domain: 'auth', capabilities: [],
      fieldCount: 13 });
  });

  it('pages the list with limit and cursor', async () => {
    const first = await jsonOf(await get(server, '/api/analysis/models?limit=2', admin.cookie));
    assert.equal(first.items.length, 2);
    assert.equal(first.nextCursor, first.items[1].name);
    const second = await jsonOf(await get(server,
      `/api/analysis/models?limit=2&cursor=${first.nextCursor}`, admin.cookie));
    assert.ok(second.items[0].name > first.items[1].name);
  });

  it(`takes a limit of 1 to ${modelPageSizeMax} and refuses one past either end`, async () => {
    for (const [limit, status] of [[1, 200], [modelPageSizeMax, 200], [0, 400],
      [modelPageSizeMax + 1, 400]] as const) {
      const response = await get(server, `/api/analysis/models?limit=${limit}`, admin.cookie);
      assert.equal(response.status, status, `limit=${limit}`);
    }
  });

  it("answers a model's analysis in the fixed shape", async () => {
    const response = await get(server, '/api/analysis/models/AbUser', admin.cookie);
    assert.equal(response.status, 200);
    const body = await jsonOf(response);
    assert.deepEqual(Object.keys(body).sort(),
      ['capabilities', 'dialect', 'fields', 'model', 'name', 'table']);
    assert.equal(body.dialect, testDialect);
    const password = body.fields.find((field: { name: string }) => field.name === 'password');
    for (const key of ['name', 'column', 'sequelizeType', 'dbType', 'category', 'nullable',
      'listable', 'sortable', 'searchable', 'filterable', 'operators', 'validation', 'widget',
      'exclusions']) {
      assert.ok(key in password, key);
    }
    assert.equal(password.column, 'password');
    assert.deepEqual(password.exclusions.map((exclusion: { from: string }) => exclusion.from),
      ['list', 'sort', 'search', 'filter', 'form']);
  });

  it("answers a live table's analysis, naming the model that maps to it", async () => {
    const body = await jsonOf(await get(server, '/api/analysis/tables/ab_user', admin.cookie));
    assert.equal(body.model, 'AbUser');
    assert.equal(body.fields[0].column, 'id');
    const migrations = await jsonOf(await get(server, '/api/analysis/tables/ab_migrations',
      admin.cookie));
    assert.equal(migrations.model, null);
  });

  it("marks the MFA's keyring columns as ciphertext, kept out of lists and forms", async () => {
    for (const path of ['/api/analysis/tables/ab_user_mfa', '/api/analysis/models/AbUserMfa']) {
      const body = await jsonOf(await get(server, path, admin.cookie));
      const phone = body.fields.find((field: { column: string }) => field.column === 'phone');
      assert.deepEqual(phone.exclusions.map((exclusion: { code: string }) => exclusion.code),
        ['encrypted', 'encrypted', 'encrypted', 'encrypted', 'encrypted'], path);
    }
  });

  it('answers 404 for an unknown model or table, 400 for a name that is not an identifier',
    async () => {
      const longest = `z${'a'.repeat(identifierLengthMax - 1)}`;
      const cases: [string, number][] = [
        ['/api/analysis/models/NoSuchModel', 404],
        ['/api/analysis/tables/no_such_table', 404],
        ['/api/analysis/tables/sqlite_master', 404],
        [`/api/analysis/models/${longest}`, 404],
        [`/api/analysis/models/${longest}a`, 400],
        ['/api/analysis/models/ab-user', 400],
        ['/api/analysis/models/1user', 400],
        ['/api/analysis/tables/ab_user%3Bdrop', 400],
        ['/api/analysis/tables/%22ab_user%22', 400],
      ];
      for (const [path, status] of cases) {
        const response = await get(server, path, admin.cookie);
        assert.equal(response.status, status, path);
        assert.equal(response.headers.get('content-type'), 'application/problem+json', path);
      }
    });

  it('documents the three routes as Admin only in /api/openapi.json', async () => {
    const document = await jsonOf(await get(server, '/api/openapi.json'));
    for (const path of ['/api/analysis/models', '/api/analysis/models/{name}',
      '/api/analysis/tables/{table}']) {
      const operation = document.paths[path]?.get;
      assert.ok(operation, path);
      assert.equal(operation['x-access'], 'admin');
      assert.ok(operation.responses['200'].content['application/json'].schema, path);
    }
    const list = document.paths['/api/analysis/models'].get.responses['200'].content[
      'application/json'].schema;
    assert.match(JSON.stringify(list), /mixins registry/);
  });
});
