import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ProblemError } from '../../../server/http/problem.ts';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { getWallet } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

const run = promisify(execFile);

/** Counts fulfilled postings and asserts every refusal is the expected problem. */
function tally(outcomes: PromiseSettledResult<unknown>[], slug: string): number {
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      assert.ok(outcome.reason instanceof ProblemError, String(outcome.reason));
      assert.equal(outcome.reason.slug, slug);
    }
  }
  return outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
}

describe(`concurrent postings on ${testDialect}`, () => {
  let server: TestServer;
  let owner: Actor;
  before(async () => {
    server = await startTestServer();
    owner = await createTestUser(server.ctx);
  });
  after(() => server.close());

  it('posts exactly 7 of 20 simultaneous debits against a balance that covers 7', async () => {
    const wallet = await openWallet(server.ctx, owner);
    await postTransaction(server.ctx, owner,
      { walletId: wallet.id, type: 'credit', amount: '70.00' });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () =>
      postTransaction(server.ctx, owner, { walletId: wallet.id, type: 'debit', amount: '10.00' })));
    assert.equal(tally(outcomes, 'insufficient-funds'), 7);
    const after = await getWallet(server.ctx, owner, wallet.id);
    assert.equal(after.balanceMinor, 0n);
    assert.equal(after.entryCount, 8);
  });

  it('posts exactly 5 of 20 simultaneous debits against a daily limit that covers 5', async () => {
    const wallet = await openWallet(server.ctx, owner, { dailyDebitLimit: '50.00' });
    await postTransaction(server.ctx, owner,
      { walletId: wallet.id, type: 'credit', amount: '1000' });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () =>
      postTransaction(server.ctx, owner, { walletId: wallet.id, type: 'debit', amount: '10.00' })));
    assert.equal(tally(outcomes, 'daily-limit-exceeded'), 5);
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 95000n);
  });

  it('keeps every credit and debit of a simultaneous mix', async () => {
    const wallets = await Promise.all([1, 2].map(() => openWallet(server.ctx, owner,
      { overdraftLimit: '1000.00' })));
    const postings = Array.from({ length: 30 }, (_, index) => postTransaction(server.ctx, owner, {
      walletId: wallets[index % 2]?.id ?? 0, type: index % 3 === 0 ? 'debit' : 'credit',
      amount: `${index + 1}.00`,
    }));
    await Promise.all(postings);
    let expectedMinor = [0n, 0n];
    for (let index = 0; index < 30; index += 1) {
      const signed = BigInt((index + 1) * 100) * (index % 3 === 0 ? -1n : 1n);
      expectedMinor = index % 2 === 0
        ? [(expectedMinor[0] ?? 0n) + signed, expectedMinor[1] ?? 0n]
        : [expectedMinor[0] ?? 0n, (expectedMinor[1] ?? 0n) + signed];
    }
    for (const [index, wallet] of wallets.entries()) {
      const { balanceMinor } = await getWallet(server.ctx, owner, wallet.id);
      assert.equal(balanceMinor, expectedMinor[index]);
    }
  });

  it('posts exactly 12 of 30 debits sent by three server processes at once', async () => {
    const wallet = await openWallet(server.ctx, owner);
    await postTransaction(server.ctx, owner,
      { walletId: wallet.id, type: 'credit', amount: '120.00' });
    const target = server.ctx.config.database;
    const databaseUrl = target.dialect === 'sqlite' ? `sqlite:${target.storage}` : target.url;
    const worker = new URL('./support/debit-worker.ts', import.meta.url).pathname;
    const argv = ['--import', 'tsx', worker, databaseUrl, String(owner.userId), String(wallet.id),
      '10', '10.00'];
    const results = await Promise.all([1, 2, 3].map(() =>
      run(process.execPath, argv, { timeout: 60_000 })));
    const counts = results.map((result) =>
      JSON.parse(result.stdout) as { posted: number; refused: number });
    assert.equal(counts.reduce((sum, count) => sum + count.posted, 0), 12);
    assert.equal(counts.reduce((sum, count) => sum + count.refused, 0), 18);
    assert.equal((await getWallet(server.ctx, owner, wallet.id)).balanceMinor, 0n);
  });

  it('leaves a clean ledger', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
  });
});
