import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Sequelize } from 'sequelize';
import { loadConfig } from '../../../server/config.ts';
import { generateFernetKey, parseFernetKey } from '../../../server/crypto/fernet.ts';
import { Keyring } from '../../../server/crypto/keyring.ts';
import { openDatabase } from '../../../server/database.ts';
import { createEmptyDatabase, testDialect } from '../support/test-context.ts';
import {
  createVaultTables,
  insertVaultRows,
  readVaultTokens,
  vaultColumnsModuleUrl,
  vaultLabels,
  vaultNotes,
} from './support/vault-columns.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** What the CLI printed and how it ended. */
interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run keys:rotate`'s command in a child process with `env`, the test vault columns
 * registered through `--import` as a domain module would register its own.
 */
function runKeysRotate(env: Record<string, string>): Promise<CliRun> {
  const args = ['--import', 'tsx', '--import', vaultColumnsModuleUrl, 'server/cli/keys-rotate.ts'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const newKeyText = generateFernetKey();
const oldKeyText = generateFernetKey();
const oldRing = new Keyring([parseFernetKey(oldKeyText)]);
const newRing = new Keyring([parseFernetKey(newKeyText)]);
const noteCount = 7;

describe(`npm run keys:rotate on ${testDialect}`, () => {
  let database: { env: string; drop(): Promise<void> };
  let sequelize: Sequelize;
  let dataDir: string;
  let baseEnv: Record<string, string>;

  before(async () => {
    database = await createEmptyDatabase();
    sequelize = await openDatabase(loadConfig({ DATABASE_URL: database.env }).database);
    await createVaultTables(sequelize);
    const notes = Array.from({ length: noteCount }, (_, index) => ({
      key: index + 1,
      token: index === 0 ? null : oldRing.encryptString(`note ${index + 1}`),
    }));
    await insertVaultRows(sequelize, vaultNotes, notes);
    await insertVaultRows(sequelize, vaultLabels, [
      { key: 'a', token: newRing.encryptString('label a') },
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'ab-keys-rotate-'));
    baseEnv = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.env,
      DATA_DIR: dataDir,
    };
  });
  after(async () => {
    await sequelize.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails without touching anything when an old value has no key', async () => {
    const run = await runKeysRotate({ ...baseEnv, SECRET_KEYS: newKeyText });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /keys:rotate failed: ab_test_vault_notes\.secret_note at id = 2/);
    assert.doesNotMatch(run.stdout, /total/);
    const tokens = await readVaultTokens(sequelize, vaultNotes);
    assert.equal(oldRing.decryptString(tokens.get('2') ?? ''), 'note 2');
  });

  it('re-encrypts the old values, prints a line per column and a total, and exits 0', async () => {
    const run = await runKeysRotate({ ...baseEnv, SECRET_KEYS: `${newKeyText},${oldKeyText}` });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.includes('ab_test_vault_notes.secret_note: scanned 7, re-encrypted 6'));
    assert.ok(lines.includes('ab_test_vault_labels.secret_label: scanned 1, re-encrypted 0'));
    // The project's own encrypted columns are listed too; this database has no rows in them.
    const columnLines = lines.slice(0, -1);
    const ownColumnLines = columnLines.filter((line) => !line.startsWith('ab_test_vault_'));
    for (const line of ownColumnLines) assert.match(line, /^ab_\w+\.\w+: scanned 0, re-encrypted 0$/);
    assert.equal(
      lines.at(-1),
      `total: ${columnLines.length} columns, scanned 8, re-encrypted 6 (keyring of 2 keys)`,
    );
    assert.ok(!run.stdout.includes(newKeyText) && !run.stderr.includes(newKeyText));
    assert.ok(!run.stdout.includes(oldKeyText) && !run.stderr.includes(oldKeyText));
  });

  it('leaves every value readable with the new key alone', async () => {
    const tokens = await readVaultTokens(sequelize, vaultNotes);
    assert.equal(tokens.get('1'), null);
    for (let id = 2; id <= noteCount; id += 1) {
      assert.equal(newRing.decryptString(tokens.get(String(id)) ?? ''), `note ${id}`);
    }
    const labels = await readVaultTokens(sequelize, vaultLabels);
    assert.equal(newRing.decryptString(labels.get('a') ?? ''), 'label a');
  });

  it('then runs with the new key alone and finds nothing to do', async () => {
    const run = await runKeysRotate({ ...baseEnv, SECRET_KEYS: newKeyText });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^total: \d+ columns, scanned 8, re-encrypted 0 \(keyring of 1 key\)$/m);
  });

  it('migrated the database it rotated', async () => {
    const [rows] = await sequelize.query('SELECT name FROM ab_migrations');
    assert.ok(rows.length >= 1);
  });

  it('never wrote a development key, having SECRET_KEYS', () => {
    assert.deepEqual(readdirSync(dataDir), []);
  });

  it('refuses to run in production without SECRET_KEYS', async () => {
    const run = await runKeysRotate({ ...baseEnv, NODE_ENV: 'production' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /keys:rotate failed: .*SECRET_KEYS is required/s);
    assert.equal(run.stdout, '');
  });

  it('reports a bad configuration by variable name', async () => {
    const run = await runKeysRotate({ ...baseEnv, SECRET_KEYS: 'not-a-key' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /SECRET_KEYS entry 1 is not a Fernet key/);
  });
});
