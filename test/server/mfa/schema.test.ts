import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes, type Model, type ModelStatic } from 'sequelize';
import { mfaModels, type MfaModels } from '../../../server/mfa/models.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { get, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

const mfaTables = [
  'ab_mfa_backup_codes',
  'ab_mfa_keys',
  'ab_mfa_otp_codes',
  'ab_mfa_outbox',
  'ab_mfa_policies',
  'ab_mfa_policy_roles',
  'ab_mfa_totp_enrolments',
  'ab_mfa_trusted_devices',
  'ab_mfa_verifications',
  'ab_user_mfa',
];

/**
 * Whether `error` is a CHECK constraint refusal. Sequelize reports SQLite's as a
 * UniqueConstraintError, so the driver's own message (`parent`) is what tells.
 */
function isCheckViolation(error: unknown): boolean {
  const parent = (error as { parent?: { message?: string } }).parent;
  return /check constraint/i.test(parent?.message ?? '');
}

describe(`the MFA models and the migrated schema on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('defines the models once per database', () => {
    assert.equal(mfaModels(server.ctx.sequelize), mfaModels(server.ctx.sequelize));
  });

  for (const name of [
    'Policy',
    'PolicyRole',
    'UserMfa',
    'BackupCode',
    'Verification',
    'TotpEnrolment',
    'OtpCode',
    'TrustedDevice',
    'Outbox',
    'MfaKey',
  ] as const satisfies readonly (keyof MfaModels)[]) {
    it(`${name}: the table has exactly the model's columns, keys and nullability`, async () => {
      // Widened to the common base: only the table and attribute metadata are read.
      const model: ModelStatic<Model> = mfaModels(server.ctx.sequelize)[name];
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
        const databaseNullable = column.allowNull && !column.primaryKey;
        const modelNullable = !isKey && attribute.allowNull !== false;
        assert.equal(databaseNullable, modelNullable, `${table}.${attribute.field} nullability`);
      }
    });
  }

  it('seeds one org-wide optional policy allowing TOTP', async () => {
    const rows = await server.ctx.sequelize.query(
      'SELECT name, enforcement, allowed_methods, max_failed_attempts FROM ab_mfa_policies',
      { type: QueryTypes.SELECT },
    );
    assert.deepEqual(rows, [
      { name: 'Default', enforcement: 'optional', allowed_methods: 'totp', max_failed_attempts: 5 },
    ]);
    assert.equal(await mfaModels(server.ctx.sequelize).PolicyRole.count(), 0);
  });

  it('refuses what the rules forbid, in the database itself', async () => {
    const { user } = await signedInUser(server);
    const now = server.clock.now();
    const insertPolicy = (column: string, value: number | string) =>
      server.ctx.sequelize.query(
        `INSERT INTO ab_mfa_policies (name, enforcement, allowed_methods, ${column},
          created_at, updated_at) VALUES (:name, 'optional', 'totp', :value, :now, :now)`,
        { replacements: { name: `bad ${column} ${value}`, value, now } },
      );
    await assert.rejects(insertPolicy('max_failed_attempts', 11), isCheckViolation);
    await assert.rejects(insertPolicy('totp_window_steps', 3), isCheckViolation);
    await assert.rejects(insertPolicy('remember_device_days', 91), isCheckViolation);
    await assert.rejects(insertPolicy('priority', 1001), isCheckViolation);
    await insertPolicy('max_failed_attempts', 10);
    const { UserMfa } = mfaModels(server.ctx.sequelize);
    const row = { userId: user.id, createdAt: now, updatedAt: now };
    await assert.rejects(UserMfa.create({ ...row, totpEnabledAt: now }), isCheckViolation);
    await assert.rejects(UserMfa.create({ ...row, totpDigits: 7 }), isCheckViolation);
    await assert.rejects(UserMfa.create({ ...row, preferredMethod: 'pigeon' }), isCheckViolation);
    await UserMfa.create(row);
    await assert.rejects(UserMfa.create(row), { name: 'SequelizeUniqueConstraintError' });
  });

  it('documents every MFA route in the OpenAPI document with its access', async () => {
    const document = await jsonOf(await get(server, '/api/openapi.json'));
    const access = (path: string, method: string) => document.paths[path]?.[method]?.['x-access'];
    assert.equal(access('/api/mfa/status', 'get'), 'pending-session');
    assert.equal(access('/api/mfa/totp/setup', 'post'), 'pending-session');
    assert.equal(access('/api/mfa/totp/confirm', 'post'), 'pending-session');
    assert.equal(access('/api/mfa/challenge', 'post'), 'pending-session');
    assert.equal(access('/api/mfa/verify', 'post'), 'pending-session');
    assert.equal(access('/api/mfa/backup-codes', 'post'), 'session');
    assert.equal(access('/api/mfa/methods/{method}', 'delete'), 'session');
    assert.equal(access('/api/mfa/devices/{id}', 'delete'), 'session');
    assert.equal(access('/api/mfa/policies', 'get'), 'admin');
    assert.equal(access('/api/mfa/policies/{id}', 'put'), 'admin');
    assert.equal(access('/api/mfa/users/{id}/unlock', 'post'), 'admin');
    assert.equal(access('/api/mfa/users/{id}/reset', 'post'), 'admin');
    const verify = document.paths['/api/mfa/verify'].post;
    assert.deepEqual(Object.keys(verify.responses).sort(), [
      '200',
      '400',
      '401',
      '409',
      '422',
      '423',
      '429',
    ]);
    assert.deepEqual(verify.requestBody.content['application/json'].schema.required, [
      'method',
      'code',
    ]);
  });

  it('goes down to nothing and up again', async () => {
    const migrator = createMigrator(server.ctx.sequelize);
    await migrator.down({ to: 'mfa_001' });
    const tables = (await server.ctx.sequelize.getQueryInterface().showAllTables()).map(String);
    assert.deepEqual(
      tables.filter((table) => mfaTables.includes(table)),
      [],
    );
    await migrator.up();
    const again = (await server.ctx.sequelize.getQueryInterface().showAllTables()).map(String);
    assert.deepEqual(again.filter((table) => mfaTables.includes(table)).sort(), mfaTables);
  });
});

describe('the development outbox in production', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
  });
  after(() => server.close());

  it('does not exist', async () => {
    const { cookie } = await signedInUser(server);
    const response = await get(server, '/api/mfa/outbox', cookie);
    assert.equal(response.status, 404);
  });
});
