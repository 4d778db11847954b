import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Sequelize } from 'sequelize';
import { migrations } from '../../../migrations/index.ts';
import { listTables } from '../../../server/analysis/live-tables.ts';
import { loadConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/database.ts';
import { createMigrator } from '../../../server/migrator.ts';
import { registeredModels } from '../../../server/models-registry.ts';
import { createEmptyDatabase, testDialect } from '../support/test-context.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What a CLI printed and how it ended. */
interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `server/cli/<script>` as `npm run` would, against `databaseUrl`. */
function runCli(script: string, args: string[], databaseUrl: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `server/cli/${script}`, ...args],
      // The test's own environment is passed on, so coverage of the child is recorded too.
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      });
  });
}

describe(`npm run db:check and db:generate on ${testDialect}`, () => {
  let migrated: { env: string; drop(): Promise<void> };
  let empty: { env: string; drop(): Promise<void> };
  let scratch: string;
  before(async () => {
    migrated = await createEmptyDatabase();
    empty = await createEmptyDatabase();
    const sequelize = await openDatabase(loadConfig({ DATABASE_URL: migrated.env }).database);
    await createMigrator(sequelize).up();
    await sequelize.close();
    const scratchRoot = join(projectRoot, 'tmp');
    mkdirSync(scratchRoot, { recursive: true });
    scratch = mkdtempSync(join(scratchRoot, 'generate-'));
  });
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await migrated.drop();
    await empty.drop();
  });

  it('db:check exits 0 and says "no drift" on a migrated database', async () => {
    const run = await runCli('db-check.ts', [], migrated.env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const lines = run.stdout.trim().split('\n');
    // Models are defined on any instance; an unopened one is enough to count their tables.
    const tables = new Set(registeredModels(new Sequelize('sqlite::memory:', { logging: false }))
      .map((model) => model.table));
    assert.equal(lines[0], `db:check on ${testDialect}: ${tables.size} model tables`);
    assert.equal(lines.at(-1), 'no drift');
  });

  it('db:check exits 1 on a database that was never migrated, naming what is missing',
    async () => {
      const run = await runCli('db-check.ts', [], empty.env);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const names = migrations.map((migration) => migration.name);
      assert.ok(names.slice(0, 4).join() === 'core_001,wallet_001,mfa_001,wallet_002');
      assert.ok(run.stdout.includes(
        `${names.length} migrations are pending (${names.join(', ')})`), run.stdout);
      assert.match(run.stdout, /ab_user: the model has this table, the database does not\./);
      const sequelize = await openDatabase(loadConfig({ DATABASE_URL: empty.env }).database);
      try {
        assert.deepEqual(await listTables(sequelize), [], 'the check created nothing');
      } finally {
        await sequelize.close();
      }
    });

  it('db:check and db:generate exit 2 when they cannot reach the database', async () => {
    const check = await runCli('db-check.ts', [], 'nonsense://');
    assert.equal(check.code, 2);
    assert.match(check.stderr, /^db:check failed: /);
    const generate = await runCli('db-generate.ts', ['zz_x', '--dir', scratch], 'nonsense://');
    assert.equal(generate.code, 2);
    assert.match(generate.stderr, /^db:generate failed: /);
  });

  it('db:generate writes nothing when there is no drift, and refuses to run ahead of migrations',
    async () => {
      const clean = await runCli('db-generate.ts', ['zz_none', '--dir', scratch], migrated.env);
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);
      assert.equal(clean.stdout.trim(), 'db:generate: no drift; nothing to write.');
      const behind = await runCli('db-generate.ts', ['zz_none', '--dir', scratch], empty.env);
      assert.equal(behind.code, 2);
      assert.match(behind.stdout, /migrations are pending/);
      assert.deepEqual(readdirSync(scratch), []);
    });

  it('db:generate explains its usage and refuses a bad name', async () => {
    for (const args of [[], ['--dir'], ['a', 'b']]) {
      const run = await runCli('db-generate.ts', args, migrated.env);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stdout, /^usage: npm run db:generate -- NAME/);
    }
    const bad = await runCli('db-generate.ts', ['Bad-Name', '--dir', scratch], migrated.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /is not a migration name/);
    assert.equal(existsSync(join(scratch, 'Bad-Name.ts')), false);
  });
});
