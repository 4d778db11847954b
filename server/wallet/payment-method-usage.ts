/**
 * @module
 * A payment method in a posting: which one may be named, its limits, and its usage. Called by
 * the ledger (`postToLockedWallet`) inside the posting's database transaction, after the
 * wallet is locked, so a limit and the write it guards happen in one atomic step.
 *
 * Rules, in the order they are checked:
 *  1. The method is the actor's (else 422 `unknown-payment-method`, as for a method that does
 *     not exist, so another user's is not revealed) and not archived (422
 *     `payment-method-archived`).
 *  2. Its currency is the wallet's (422 `payment-method-currency-mismatch`): its limits are
 *     amounts in that currency, and a card in one currency does not pay from a wallet in
 *     another without a conversion this ledger does not make.
 *  3. For a debit: a card past its expiry month pays nothing (422 `payment-method-expired`);
 *     the amount is at most its maximum per transaction (422
 *     `amount-above-payment-method-maximum`); its debits of the current UTC month, this one
 *     included, stay within its monthly limit (422 `payment-method-monthly-limit-exceeded`).
 *     The month counts its non-reversal debits, reversed ones included, as the wallet's
 *     monthly limit does. A credit naming a method (a refund) is recorded but not limited.
 *  4. Usage is what it paid: each debit adds 1 to `usageCount` and its amount to
 *     `usageTotalMinor`, and sets `lastUsedAt`.
 *
 * Concurrency: the method's row is locked (`SELECT ... FOR UPDATE`; SQLite's write lock is
 * taken at BEGIN) from the checks to the commit, so two debits through one method, even from
 * two wallets, never both pass its monthly limit. Lock order: wallets, then the method, then
 * the audit chain head.
 */
import assert from 'node:assert/strict';
import { QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { cardExpired } from './card-checks.ts';
import { minorFromColumn } from './column-values.ts';
import {
  walletModels,
  type PaymentMethodAttributes,
  type Row,
  type TransactionType,
  type WalletAttributes,
  type WalletTransactionAttributes,
} from './models.ts';
import { toMoney } from './money.ts';
import { paymentMethodArchived } from './payment-methods.ts';
import { idMax } from './schemas.ts';
import { utcMonthStart } from './utc-dates.ts';

/** The largest usage total a method may reach (the column's CHECK; below 2^53). */
export const usageTotalMinorMax = 9_000_000_000_000_000n;

/** The part of a posting these rules read. */
export interface MethodPosting {
  type: TransactionType;
  amountMinor: bigint;
  paymentMethodId: number | null;
}

/**
 * Locks and checks the payment method a posting names.
 *
 * @param wallet - the posting's wallet, locked in `databaseTransaction`.
 * @returns the locked method, or null when the posting names none.
 * @throws ProblemError 400 (a malformed id) or 422 as listed in the module comment.
 */
export async function lockPaymentMethodForPosting(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  wallet: WalletAttributes,
  posting: MethodPosting,
): Promise<Row<PaymentMethodAttributes> | null> {
  const methodId = posting.paymentMethodId;
  if (methodId === null) return null;
  if (!Number.isSafeInteger(methodId) || methodId < 1 || methodId > idMax) {
    throw validationProblem([{ path: 'paymentMethodId',
      message: 'must be a positive integer id.' }]);
  }
  const { PaymentMethod } = walletModels(ctx.sequelize);
  const method = await PaymentMethod.findByPk(methodId,
    { transaction: databaseTransaction, lock: databaseTransaction.LOCK.UPDATE });
  if (!method || method.userId !== actor.userId) {
    throw new ProblemError(422, 'unknown-payment-method', 'Unknown payment method.',
      `There is no payment method ${methodId} of yours.`);
  }
  if (method.archivedAt !== null) throw paymentMethodArchived(methodId, 422);
  if (method.currency !== wallet.currency) {
    throw new ProblemError(422, 'payment-method-currency-mismatch', 'Currency mismatch.',
      `Payment method ${methodId} pays in ${method.currency}; wallet ${wallet.id} holds ` +
        `${wallet.currency}.`);
  }
  if (posting.type === 'debit') await checkDebit(ctx, databaseTransaction, method, posting);
  return method;
}

async function checkDebit(
  ctx: AppContext,
  databaseTransaction: Transaction,
  method: PaymentMethodAttributes,
  posting: MethodPosting,
): Promise<void> {
  const money = (minor: bigint) => toMoney(minor, method.currency);
  if (method.expiryMonth !== null && method.expiryYear !== null &&
    cardExpired(method.expiryMonth, method.expiryYear, ctx.clock.now())) {
    throw new ProblemError(422, 'payment-method-expired', 'Card expired.',
      `${method.label} expired at the end of ${String(method.expiryMonth).padStart(2, '0')}/` +
        `${method.expiryYear}; it pays nothing more.`);
  }
  const maxMinor = method.transactionAmountMaxMinor;
  if (maxMinor !== null && posting.amountMinor > maxMinor) {
    throw new ProblemError(422, 'amount-above-payment-method-maximum',
      'Amount above the payment method\'s maximum.',
      `${method.label} pays at most ${money(maxMinor).amount} ${method.currency} per ` +
        'transaction; nothing was posted.',
      { extensions: { transactionAmountMax: money(maxMinor) } });
  }
  const monthlyMinor = method.monthlyLimitMinor;
  if (monthlyMinor !== null) {
    const usedMinor = await readMonthDebitsMinor(ctx, databaseTransaction, method.id);
    if (usedMinor + posting.amountMinor > monthlyMinor) {
      throw new ProblemError(422, 'payment-method-monthly-limit-exceeded',
        'Payment method\'s monthly limit exceeded.',
        `Debits through ${method.label} this month would exceed its monthly limit of ` +
          `${money(monthlyMinor).amount} ${method.currency}; nothing was posted.`,
        { extensions: { monthlyLimit: money(monthlyMinor), usedThisMonth: money(usedMinor) } });
    }
  }
  if (method.usageTotalMinor + posting.amountMinor > usageTotalMinorMax) {
    throw new ProblemError(422, 'payment-method-usage-full', 'Payment method used up.',
      `${method.label} has paid the most one payment method may record; add a new one.`);
  }
}

/**
 * The method's non-reversal debits posted since the start of the current UTC month, read
 * under its lock.
 */
export async function readMonthDebitsMinor(
  ctx: AppContext,
  databaseTransaction: Transaction,
  methodId: number,
): Promise<bigint> {
  const [row] = await ctx.sequelize.query<{ month_minor: unknown }>(
    `SELECT CAST(COALESCE(SUM(amount_minor), 0) AS TEXT) AS month_minor
     FROM ab_wallet_transactions
     WHERE payment_method_id = :methodId AND type = 'debit' AND origin <> 'reversal'
       AND posted_at >= :monthStart`,
    {
      replacements: { methodId, monthStart: utcMonthStart(ctx.clock.now()) },
      type: QueryTypes.SELECT,
      transaction: databaseTransaction,
    },
  );
  assert(row, 'an aggregate returns one row');
  const usedMinor = minorFromColumn(row.month_minor);
  assert(usedMinor >= 0n, 'debits of a month are not negative');
  return usedMinor;
}

/**
 * Records a posted debit in its method's usage, under the lock taken by
 * {@link lockPaymentMethodForPosting}. A credit changes nothing.
 */
export async function recordPaymentMethodUsage(
  ctx: AppContext,
  databaseTransaction: Transaction,
  method: Row<PaymentMethodAttributes>,
  entry: WalletTransactionAttributes,
): Promise<void> {
  assert.equal(entry.paymentMethodId, method.id, 'the entry names the method');
  if (entry.type !== 'debit') return;
  const { PaymentMethod } = walletModels(ctx.sequelize);
  const usageTotalMinor = method.usageTotalMinor + entry.amountMinor;
  assert(usageTotalMinor <= usageTotalMinorMax, 'the usage bound was checked');
  const [changed] = await PaymentMethod.update(
    { usageCount: method.usageCount + 1, usageTotalMinor, lastUsedAt: entry.postedAt },
    { where: { id: method.id, usageCount: method.usageCount },
      transaction: databaseTransaction },
  );
  assert.equal(changed, 1, 'the payment method changed under its lock');
}
