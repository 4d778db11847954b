/**
 * Property-based proof of the ledger's invariants: random sequences of postings, reversals,
 * transfers, limit changes and freezes, some of them sent at once, each followed by a full
 * verification of the user's part of the ledger: balance = sum of entries, no balance below
 * its limit, debits = credits for every transfer, audit chain intact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ProblemError } from '../../../server/http/problem.ts';
import type { Actor } from '../../../server/wallet/actor.ts';
import { postTransaction } from '../../../server/wallet/ledger.ts';
import type { WalletAttributes } from '../../../server/wallet/models.ts';
import { formatMinor } from '../../../server/wallet/money.ts';
import { loadBundledRates } from '../../../server/wallet/rates.ts';
import { reverseTransaction } from '../../../server/wallet/reversals.ts';
import { transferBetweenWallets } from '../../../server/wallet/transfers.ts';
import { verifyLedger } from '../../../server/wallet/verify.ts';
import { changeWalletLimits, changeWalletStatus } from '../../../server/wallet/wallets.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';
import { createTestUser, openWallet } from './support.ts';

/** Runs per database; each run is a fresh user with three wallets. Kept small for speed. */
const runsPerDatabase = 40;

/** Most steps in one run, and most operations sent at once in one step. */
const stepsPerRunMax = 10;
const simultaneousMax = 5;

type Operation =
  | { kind: 'post'; wallet: number; type: 'credit' | 'debit'; amountMinor: number }
  | { kind: 'reverse'; pick: number }
  | { kind: 'transfer'; source: number; target: number; amountMinor: number }
  | { kind: 'limits'; wallet: number; overdraftMinor: number; dailyMinor: number | null }
  | { kind: 'status'; wallet: number; frozen: boolean };

type Step = { kind: 'one'; operation: Operation } | { kind: 'together'; operations: Operation[] };

const walletIndex = fc.integer({ min: 0, max: 2 });
const amountMinor = fc.integer({ min: 1, max: 5_000 });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('post' as const), wallet: walletIndex,
    type: fc.constantFrom('credit' as const, 'debit' as const), amountMinor }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const),
    pick: fc.nat({ max: 1_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), source: walletIndex,
    // Mostly another wallet; now and then the same one, which must be refused.
    target: fc.integer({ min: 0, max: 9 }), amountMinor })
    .map((value) => ({ ...value, target: value.target === 0 ? value.source
      : (value.source + 1 + (value.target % 2)) % 3 })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('limits' as const), wallet: walletIndex,
    overdraftMinor: fc.integer({ min: 0, max: 3_000 }),
    dailyMinor: fc.option(fc.integer({ min: 1, max: 8_000 }), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('status' as const), wallet: walletIndex,
    frozen: fc.boolean() }) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: operation.map((value) => ({ kind: 'one' as const, operation: value })) },
  { weight: 1, arbitrary: fc.array(operation, { minLength: 2, maxLength: simultaneousMax })
    .map((operations) => ({ kind: 'together' as const, operations })) },
);

describe(`ledger properties on ${testDialect}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await loadBundledRates(server.ctx);
  });
  after(() => server.close());

  /** Runs one operation; an operating error (4xx) is a valid outcome, anything else is not. */
  async function apply(actor: Actor, wallets: WalletAttributes[], posted: number[],
    value: Operation): Promise<void> {
    const wallet = (index: number) => wallets[index] as WalletAttributes;
    const amount = (index: number, minor: number) =>
      formatMinor(BigInt(minor), wallet(index).currency);
    try {
      if (value.kind === 'post') {
        const { transaction } = await postTransaction(server.ctx, actor, {
          walletId: wallet(value.wallet).id, type: value.type,
          amount: amount(value.wallet, value.amountMinor) });
        posted.push(transaction.id);
      } else if (value.kind === 'reverse') {
        const transactionId = posted[value.pick % Math.max(posted.length, 1)];
        if (transactionId === undefined) return;
        const { reversal } = await reverseTransaction(server.ctx, actor, { transactionId });
        posted.push(reversal.id);
      } else if (value.kind === 'transfer') {
        const result = await transferBetweenWallets(server.ctx, actor, {
          sourceWalletId: wallet(value.source).id, targetWalletId: wallet(value.target).id,
          amount: amount(value.source, value.amountMinor) });
        posted.push(result.source.id, result.target.id);
      } else if (value.kind === 'limits') {
        await changeWalletLimits(server.ctx, actor, wallet(value.wallet).id, {
          overdraftLimit: amount(value.wallet, value.overdraftMinor),
          dailyDebitLimit: value.dailyMinor === null
            ? null
            : amount(value.wallet, value.dailyMinor) });
      } else {
        await changeWalletStatus(server.ctx, actor, wallet(value.wallet).id,
          value.frozen ? 'frozen' : 'active');
      }
    } catch (error) {
      if (error instanceof ProblemError && error.status >= 400 && error.status < 500) return;
      throw error;
    }
  }

  it(`holds every invariant after every step of ${runsPerDatabase} random runs`, async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: stepsPerRunMax }),
      async (steps) => {
        const actor = await createTestUser(server.ctx);
        const wallets = [
          await openWallet(server.ctx, actor, { overdraftLimit: '10.00' }),
          await openWallet(server.ctx, actor),
          await openWallet(server.ctx, actor, { currency: 'USD' }),
        ];
        const posted: number[] = [];
        for (const wallet of wallets) {
          await postTransaction(server.ctx, actor, { walletId: wallet.id, type: 'credit',
            amount: '50.00' });
        }
        for (const current of steps) {
          const operations = current.kind === 'one' ? [current.operation] : current.operations;
          await Promise.all(operations.map((value) => apply(actor, wallets, posted, value)));
          const report = await verifyLedger(server.ctx, { userIds: [actor.userId] });
          assert.deepEqual(report.problems, [], JSON.stringify(current));
          assert.equal(report.walletsChecked, 3);
          assert.equal(report.chainsChecked, 1);
        }
      }), { numRuns: runsPerDatabase });
  });

  it('leaves the whole ledger clean', async () => {
    const report = await verifyLedger(server.ctx);
    assert.deepEqual(report.problems, []);
    assert.ok(report.entriesChecked > 0);
  });
});
