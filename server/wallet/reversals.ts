/**
 * @module
 * Reversals: the only way to correct a posted transaction.
 *
 * A reversal is a new entry of the opposite type and the same amount, pointing at the original
 * (`reversalOfId`), while the original points back at it (`reversedById`). Reversing one leg
 * of a transfer reverses both legs at their frozen amounts, as a new pair, so every transfer
 * keeps its debits equal to its credits.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/reversals.test.ts.
 *  1. An entry is reversed at most once: checked under the wallet lock (409
 *     `already-reversed`), and the unique index on `reversal_of_id` refuses a second one even
 *     if a check were missed.
 *  2. The links go both ways: `reversal.reversalOfId = original.id` and
 *     `original.reversedById = reversal.id`, written in one database transaction.
 *  3. A reversal has the original's amount and currency and the opposite type.
 *  4. A reversal is never itself reversed (422 `not-reversible`): post a new transaction.
 *  5. The overdraft rule holds for reversals too: reversing a credit that was already spent
 *     may be refused with 422 `insufficient-funds`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit } from './audits.ts';
import { appendEntry, entryState, type EntryDraft, type Posting } from './ledger.ts';
import {
  walletModels,
  type Row,
  type WalletAttributes,
  type WalletTransactionAttributes,
} from './models.ts';
import { normalisePostingDetails } from './posting-details.ts';
import { checkEntry, checkWalletOpen } from './posting-rules.ts';
import { lockOwnedWallets } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** What reversing needs. */
export interface ReverseTransactionInput {
  transactionId: number;
  /** Why; default "Reversal of #<id>". */
  description?: string | null;
}

/** What a reversal wrote. */
export interface Reversal {
  /** The reversing entry of the transaction that was asked for. */
  reversal: WalletTransactionAttributes;
  /** That transaction, now pointing at its reversal. */
  original: WalletTransactionAttributes;
  /** For a transfer, the reversal of the other leg. */
  counterReversal: WalletTransactionAttributes | null;
}

/**
 * Reverses one of the actor's transactions (and, for a transfer, its other leg).
 *
 * @throws ProblemError 404 (unknown or someone else's), 409 `already-reversed`,
 *   `wallet-frozen`, `wallet-closed`, 422 `not-reversible`, `insufficient-funds`,
 *   `balance-limit-exceeded`. Nothing is written on any of them.
 */
export async function reverseTransaction(
  ctx: AppContext,
  actor: Actor,
  input: ReverseTransactionInput,
  options: { transaction?: Transaction } = {},
): Promise<Reversal> {
  const { transactionId } = input;
  if (!Number.isSafeInteger(transactionId) || transactionId < 1) {
    throw validationProblem([{ path: 'transactionId', message: 'must be a positive integer id.' }]);
  }
  const { WalletTransaction } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    const found = await WalletTransaction.findByPk(transactionId,
      { transaction: databaseTransaction });
    if (!found) throw transactionNotFound(transactionId);
    const walletIds = [found.walletId, ...(found.counterWalletId ? [found.counterWalletId] : [])];
    const wallets = await lockOwnedWallets(ctx, databaseTransaction, actor, walletIds)
      .catch((error: unknown) => {
        // Someone else's transaction is as unknown as a missing one.
        throw error instanceof ProblemError && error.status === 404
          ? transactionNotFound(transactionId)
          : error;
      });
    // Re-read under the locks: `reversedById` changes only while they are held.
    const original = await found.reload({ transaction: databaseTransaction });
    checkReversible(original.get({ plain: true }));
    for (const wallet of wallets) checkWalletOpen(wallet);
    const legs = await legsOf(ctx, databaseTransaction, original);
    const description =
      input.description?.trim() || `Reversal of #${original.id}`;
    const transferId = legs.length === 2 ? randomUUID() : null;
    const written: Posting[] = [];
    for (const leg of legs) {
      const wallet = wallets.find((candidate) => candidate.id === leg.walletId);
      assert(wallet, 'every leg belongs to a locked wallet');
      written.push(
        await reverseLeg(ctx, databaseTransaction, wallet, leg, description, transferId));
    }
    const [first, second] = written;
    assert(first, 'a reversal writes at least one entry');
    await appendAudit(ctx, databaseTransaction, {
      ownerUserId: actor.userId, actor, action: 'transaction.reversed',
      entityType: 'transaction', entityId: original.id,
      before: { reversedById: null },
      after: { reversals: written.map((posting) => entryState(posting.transaction)) },
    });
    return {
      reversal: first.transaction,
      original: (await found.reload({ transaction: databaseTransaction })).get({ plain: true }),
      counterReversal: second?.transaction ?? null,
    };
  }, options.transaction);
}

function checkReversible(original: WalletTransactionAttributes): void {
  if (original.origin === 'reversal') {
    throw new ProblemError(422, 'not-reversible', 'A reversal cannot be reversed.',
      `Transaction ${original.id} is itself a reversal; post a new transaction instead.`);
  }
  if (original.reversedById !== null) {
    throw new ProblemError(409, 'already-reversed', 'Already reversed.',
      `Transaction ${original.id} was already reversed by transaction ${original.reversedById}.`,
      { extensions: { reversedBy: original.reversedById } });
  }
}

/** The entries to reverse: the original first, then a transfer's other leg. */
async function legsOf(
  ctx: AppContext,
  databaseTransaction: Transaction,
  original: Row<WalletTransactionAttributes>,
): Promise<WalletTransactionAttributes[]> {
  if (original.transferId === null) return [original.get({ plain: true })];
  const { WalletTransaction } = walletModels(ctx.sequelize);
  const others = await WalletTransaction.findAll({
    where: { transferId: original.transferId, id: { [Op.ne]: original.id } },
    transaction: databaseTransaction,
  });
  assert.equal(others.length, 1, 'a transfer has exactly two legs');
  const [other] = others;
  assert(other, 'a transfer has another leg');
  assert.equal(other.reversedById, null, 'the legs of a transfer are reversed together');
  assert.notEqual(other.type, original.type);
  return [original.get({ plain: true }), other.get({ plain: true })];
}

async function reverseLeg(
  ctx: AppContext,
  databaseTransaction: Transaction,
  wallet: Row<WalletAttributes>,
  leg: WalletTransactionAttributes,
  description: string,
  transferId: string | null,
): Promise<Posting> {
  assert.equal(leg.currency, wallet.currency);
  const type = leg.type === 'credit' ? 'debit' : 'credit';
  // Corrections are exempt from the user limits, never from the overdraft rule.
  const entryCheck = { type, amountMinor: leg.amountMinor, limited: false } as const;
  const balanceAfterMinor = checkEntry(wallet, entryCheck, null);
  const details = normalisePostingDetails(
    { description, tags: leg.tags, metadata: { reversalOf: leg.id } },
    ctx.clock.now(),
  );
  const draft: EntryDraft = {
    type, origin: 'reversal', amountMinor: leg.amountMinor, categoryId: leg.categoryId,
    paymentMethodId: leg.paymentMethodId, details, reversalOfId: leg.id,
    importFingerprint: null,
    transfer: transferId === null ? null : {
      transferId,
      counterWalletId: nonNull(leg.counterWalletId),
      counterAmountMinor: nonNull(leg.counterAmountMinor),
      counterCurrency: nonNull(leg.counterCurrency),
      rate: leg.rate, rateDate: leg.rateDate, rateSource: leg.rateSource,
    },
  };
  const posting = await appendEntry(ctx, databaseTransaction, wallet, draft, balanceAfterMinor);
  const { WalletTransaction } = walletModels(ctx.sequelize);
  const [linked] = await WalletTransaction.update(
    { reversedById: posting.transaction.id },
    { where: { id: leg.id, reversedById: null }, transaction: databaseTransaction },
  );
  assert.equal(linked, 1, 'the original was not reversed meanwhile');
  return posting;
}

function nonNull<T>(value: T | null): T {
  assert(value !== null, 'a transfer leg has its counter fields');
  return value;
}

function transactionNotFound(transactionId: number): ProblemError {
  return notFoundProblem(`There is no transaction ${transactionId} of yours.`);
}
