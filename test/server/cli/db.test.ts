import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { migrations } from '../../../migrations/index.ts';
import { createEmptyDatabase, testDialect } from '../support/test-context.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function db(databaseUrl: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/db.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe(`npm run db:* on ${testDialect}`, () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  before(async () => {
    database = await createEmptyDatabase();
  });
  after(() => database.drop());

  it('status on an empty database lists every migration as pending and exits 2', () => {
    const run = db(database.env, 'status');
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, new RegExp(`^0 applied, ${migrations.length} pending`, 'm'));
  });

  it('migrate applies them all, then status exits 0', () => {
    const migrate = db(database.env, 'migrate');
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, new RegExp(`^${migrations.length} applied; the schema is up to date`, 'm'));
    const status = db(database.env, 'status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`^${migrations.length} applied, 0 pending`, 'm'));
  });

  it('rollback undoes the last migration, and migrate brings it back', () => {
    const last = migrations.at(-1)?.name ?? '';
    const rollback = db(database.env, 'rollback');
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.match(rollback.stdout, new RegExp(`^reverted ${last}$`, 'm'));
    assert.match(db(database.env, 'status').stdout, new RegExp(`^pending  ${last}$`, 'm'));
    assert.equal(db(database.env, 'migrate').code, 0);
  });

  it('rollback --to the first migration empties the schema, migrating again restores it', () => {
    const first = migrations[0]?.name ?? '';
    const rollback = db(database.env, 'rollback', '--to', first);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.match(rollback.stdout, new RegExp(`^${migrations.length} reverted`, 'm'));
    assert.equal(db(database.env, 'migrate').code, 0);
  });

  it('refuses an unknown command and a bad DATABASE_URL with a message', () => {
    const unknown = db(database.env, 'explode');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /usage: db\.ts migrate\|rollback\|status/);
    const bad = db('mysql://nope', 'status');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /DATABASE_URL must be sqlite:PATH or postgres:/);
  });
});
