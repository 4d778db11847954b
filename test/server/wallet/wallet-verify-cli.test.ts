import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import {
  createEmptyDatabase,
  startTestServer,
  testDialect,
  testSecretKey,
  type TestServer,
} from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run wallet:verify`'s command against `databaseUrl` in a child process. */
function runWalletVerify(databaseUrl: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli/wallet-verify.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'error',
        DATABASE_URL: databaseUrl, SECRET_KEYS: testSecretKey },
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe(`npm run wallet:verify on ${testDialect}`, () => {
  let server: TestServer;
  let databaseUrl: string;
  let walletId: number;
  before(async () => {
    server = await startTestServer();
    const target = server.ctx.config.database;
    databaseUrl = target.dialect === 'sqlite' ? `sqlite:${target.storage}` : target.url;
    const actor = await createTestUser(server.ctx);
    walletId = (await openWallet(server.ctx, actor)).id;
    await postTransaction(server.ctx, actor, { walletId, type: 'credit', amount: '10.00' });
    await postTransaction(server.ctx, actor, { walletId, type: 'debit', amount: '2.50' });
  });
  after(() => server.close());

  it('reports a clean ledger and exits 0', async () => {
    const run = await runWalletVerify(databaseUrl);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /wallets: +1\n/);
    assert.match(run.stdout, /entries: +2\n/);
    assert.match(run.stdout, /^clean: /m);
  });

  it('reports a tampered balance and exits 1', async () => {
    await server.ctx.sequelize.query(
      'UPDATE ab_user_wallets SET balance_minor = balance_minor + 1 WHERE id = :walletId',
      { replacements: { walletId } });
    try {
      const run = await runWalletVerify(databaseUrl);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, new RegExp(`DIFFERENCE balance-mismatch \\(wallet ${walletId}\\)`));
      assert.match(run.stdout, /^NOT CLEAN: 1 differences$/m);
    } finally {
      await server.ctx.sequelize.query(
        'UPDATE ab_user_wallets SET balance_minor = balance_minor - 1 WHERE id = :walletId',
        { replacements: { walletId } });
    }
  });

  it('exits 2 when there is no ledger to verify', async () => {
    const empty = await createEmptyDatabase();
    try {
      const run = await runWalletVerify(empty.env);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /no wallet tables/);
      assert.equal(run.stdout, '');
    } finally {
      await empty.drop();
    }
  });
});
