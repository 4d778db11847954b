/**
 * @module
 * Transfers between one user's wallets: one atomic pair of entries, converted at the rate
 * valid on the transfer date.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/transfers.test.ts.
 *  1. A transfer is two entries with one `transferId`: a debit of the source wallet and a
 *     credit of the target wallet, written in one database transaction, or nothing.
 *  2. Each leg names the other wallet and the other leg's amount and currency, so debits equal
 *     credits per transfer: target amount = convert(source amount, rate), rounded half-even.
 *  3. Between currencies, the rate is the one valid on the transfer date (the latest on or
 *     before the UTC date of `occurredAt`), and it is frozen on both legs with its date and
 *     source; between wallets of one currency no rate is stored.
 *  4. Both legs pass every posting rule (state, maximum, overdraft, daily and monthly debit
 *     limits, balance bound) under the locks of both wallets, taken in ascending id order.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit } from './audits.ts';
import { appendEntry, entryState, readDebitTotals, type EntryDraft } from './ledger.ts';
import type { Row, WalletAttributes, WalletTransactionAttributes } from './models.ts';
import { amountMinorMax, convertMinor, parseAmountMinor, toMoney } from './money.ts';
import {
  normalisePostingDetails,
  type PostingDetails,
  type PostingDetailsInput,
} from './posting-details.ts';
import { checkEntry, checkWalletOpen, needsDebitTotals } from './posting-rules.ts';
import { findRate, type RateQuote } from './rates.ts';
import { utcDateOf } from './utc-dates.ts';
import { lockOwnedWallets } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** A transfer as a caller sends it; `amount` is in the source wallet's currency. */
export interface TransferInput extends PostingDetailsInput {
  sourceWalletId: number;
  targetWalletId: number;
  amount: string;
}

/** What a transfer wrote. */
export interface Transfer {
  transferId: string;
  source: WalletTransactionAttributes;
  target: WalletTransactionAttributes;
  /** The rate used (1 source unit = rate target units); null within one currency. */
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
}

/**
 * Moves money between two of the actor's wallets.
 *
 * @throws ProblemError 400 (bad amount or field), 404 (not the actor's wallet), 409
 *   (`wallet-frozen`, `wallet-closed`), 422 `same-wallet`, `rate-unavailable`,
 *   `amount-too-small` (rounds to nothing in the target currency), and every posting rule's
 *   422. Nothing is written on any of them.
 * @example
 * await transferBetweenWallets(ctx, actor, {
 *   sourceWalletId: 1, targetWalletId: 2, amount: '100.00',
 * });
 */
export async function transferBetweenWallets(
  ctx: AppContext,
  actor: Actor,
  input: TransferInput,
  options: { transaction?: Transaction } = {},
): Promise<Transfer> {
  if (input.sourceWalletId === input.targetWalletId) {
    throw new ProblemError(422, 'same-wallet', 'Same wallet.',
      'A transfer needs two different wallets.');
  }
  const details = normalisePostingDetails(input, ctx.clock.now());
  return writeTransaction(ctx, async (databaseTransaction) => {
    const [source, target] = await lockOwnedWallets(ctx, databaseTransaction, actor,
      [input.sourceWalletId, input.targetWalletId]);
    assert(source, 'the source wallet was locked');
    assert(target, 'the target wallet was locked');
    checkWalletOpen(source);
    checkWalletOpen(target);
    const sourceMinor = parseAmountMinor(input.amount, source.currency);
    const quote = source.currency === target.currency
      ? null
      : await requireRate(ctx, databaseTransaction, source.currency, target.currency,
        details.occurredAt);
    const targetMinor = quote
      ? convertMinor(sourceMinor, source.currency, target.currency, quote.rate)
      : sourceMinor;
    checkConvertedAmount(targetMinor, target);
    const plan = { source, target, sourceMinor, targetMinor, quote, details };
    return writeTransfer(ctx, databaseTransaction, actor, plan);
  }, options.transaction);
}

interface TransferPlan {
  source: Row<WalletAttributes>;
  target: Row<WalletAttributes>;
  sourceMinor: bigint;
  targetMinor: bigint;
  quote: RateQuote | null;
  details: PostingDetails;
}

async function writeTransfer(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  plan: TransferPlan,
): Promise<Transfer> {
  const { source, target, sourceMinor, targetMinor, quote, details } = plan;
  const debit = { type: 'debit' as const, amountMinor: sourceMinor, limited: true };
  const credit = { type: 'credit' as const, amountMinor: targetMinor, limited: true };
  const totals = needsDebitTotals(source, debit)
    ? await readDebitTotals(ctx, databaseTransaction, source.id)
    : null;
  const sourceAfterMinor = checkEntry(source, debit, totals);
  const targetAfterMinor = checkEntry(target, credit, null);
  const before = { source: source.balanceMinor.toString(), target: target.balanceMinor.toString() };
  const transferId = randomUUID();
  const rateFields = {
    rate: quote?.rateText ?? null,
    rateDate: quote?.rateDate ?? null,
    rateSource: quote?.source ?? null,
  };
  const leg = (other: WalletAttributes, otherMinor: bigint): EntryDraft['transfer'] => ({
    transferId, counterWalletId: other.id, counterAmountMinor: otherMinor,
    counterCurrency: other.currency, ...rateFields,
  });
  const common = { origin: 'transfer' as const, categoryId: null, paymentMethodId: null, details,
    reversalOfId: null, importFingerprint: null };
  const sourceLeg = await appendEntry(ctx, databaseTransaction, source, { ...common, type: 'debit',
    amountMinor: sourceMinor, transfer: leg(target, targetMinor) }, sourceAfterMinor);
  const targetLeg = await appendEntry(ctx, databaseTransaction, target, { ...common, type: 'credit',
    amountMinor: targetMinor, transfer: leg(source, sourceMinor) }, targetAfterMinor);
  assert.equal(sourceLeg.transaction.counterAmountMinor, targetLeg.transaction.amountMinor);
  assert.equal(targetLeg.transaction.counterAmountMinor, sourceLeg.transaction.amountMinor);
  await appendAudit(ctx, databaseTransaction, { ownerUserId: actor.userId, actor,
    action: 'transfer.posted', entityType: 'transfer', entityId: transferId, before,
    after: { source: entryState(sourceLeg.transaction),
      target: entryState(targetLeg.transaction) } });
  return { transferId, source: sourceLeg.transaction, target: targetLeg.transaction,
    ...rateFields };
}

async function requireRate(
  ctx: AppContext,
  databaseTransaction: Transaction,
  sourceCurrency: string,
  targetCurrency: string,
  occurredAt: Date,
): Promise<RateQuote> {
  const onDate = utcDateOf(occurredAt);
  const quote = await findRate(ctx, sourceCurrency, targetCurrency, onDate,
    { transaction: databaseTransaction });
  if (!quote) {
    throw new ProblemError(422, 'rate-unavailable', 'No exchange rate.',
      `There is no ${sourceCurrency}/${targetCurrency} rate on or before ${onDate}.`);
  }
  assert(quote.rateDate <= onDate, 'a rate is never from after the transfer date');
  return quote;
}

function checkConvertedAmount(targetMinor: bigint, target: WalletAttributes): void {
  if (targetMinor === 0n) {
    throw new ProblemError(422, 'amount-too-small', 'Amount too small.',
      `The amount converts to less than the smallest unit of ${target.currency}.`);
  }
  if (targetMinor > amountMinorMax) {
    const largest = toMoney(amountMinorMax, target.currency);
    throw validationProblem([{ path: 'amount',
      message: `converts to more than ${largest.amount} ${largest.currency}.` }]);
  }
}
