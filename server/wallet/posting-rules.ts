/**
 * @module
 * The rules a posting must pass before anything is written: the wallet's state, its maximum
 * per transaction, its overdraft limit, its daily and monthly debit limits, and the balance
 * bound. Pure functions of a locked wallet and the debit totals read under the same lock, so a
 * rule and the write it guards happen in one atomic step.
 *
 * Which rules apply to what:
 *  - state: every posting (a frozen or closed wallet takes nothing, corrections included);
 *  - overdraft and balance bound: every entry, reversals included, so no balance is ever
 *    outside its limits;
 *  - maximum per transaction and the debit limits: entries a user makes (manual, transfer,
 *    recurring, import), not reversals, which correct a mistake and must stay possible.
 * The daily and monthly debit totals count the wallet's non-reversal debits posted since the
 * start of the UTC day and month.
 */
import assert from 'node:assert/strict';
import { ProblemError } from '../http/problem.ts';
import type { TransactionType, WalletAttributes } from './models.ts';
import { amountMinorMax, toMoney } from './money.ts';

/** The wallet's non-reversal debits posted so far in the current UTC day and month. */
export interface DebitTotals {
  dayMinor: bigint;
  monthMinor: bigint;
}

/** One entry about to be written to a wallet. */
export interface EntryCheck {
  type: TransactionType;
  amountMinor: bigint;
  /** Whether the user limits (maximum per transaction, daily, monthly) apply. */
  limited: boolean;
}

/**
 * Refuses a posting to a wallet that is not active.
 *
 * @throws ProblemError 409 `wallet-frozen` or `wallet-closed`.
 */
export function checkWalletOpen(wallet: WalletAttributes): void {
  if (wallet.status === 'frozen') {
    throw new ProblemError(409, 'wallet-frozen', 'Wallet frozen.',
      `Wallet ${wallet.id} is frozen; it accepts no postings until it is unfrozen.`);
  }
  if (wallet.status === 'closed') {
    throw new ProblemError(409, 'wallet-closed', 'Wallet closed.',
      `Wallet ${wallet.id} is closed; it accepts no more changes.`);
  }
  assert.equal(wallet.status, 'active');
}

/**
 * Whether `wallet` has a debit limit, i.e. whether {@link DebitTotals} must be read for a
 * limited debit.
 */
export function needsDebitTotals(wallet: WalletAttributes, entry: EntryCheck): boolean {
  return entry.type === 'debit' && entry.limited &&
    (wallet.dailyDebitLimitMinor !== null || wallet.monthlyDebitLimitMinor !== null);
}

/**
 * Checks one entry against the wallet's limits.
 *
 * @param wallet - the locked wallet, as it is before the entry.
 * @param entry - the entry about to be written.
 * @param totals - the debit totals, read under the lock; needed when
 *   {@link needsDebitTotals} says so.
 * @returns the balance after the entry.
 * @throws ProblemError 422 `amount-above-wallet-maximum`, `insufficient-funds`,
 *   `daily-limit-exceeded`, `monthly-limit-exceeded` or `balance-limit-exceeded`.
 */
export function checkEntry(
  wallet: WalletAttributes,
  entry: EntryCheck,
  totals: DebitTotals | null,
): bigint {
  assert(entry.amountMinor > 0n, 'an amount is positive');
  assert(entry.amountMinor <= amountMinorMax, 'an amount is at most amountMinorMax');
  assert(wallet.balanceMinor >= -wallet.overdraftLimitMinor, 'the wallet was within its limit');
  const money = (minor: bigint) => toMoney(minor, wallet.currency);
  const maxMinor = wallet.transactionAmountMaxMinor;
  if (entry.limited && maxMinor !== null && entry.amountMinor > maxMinor) {
    throw new ProblemError(422, 'amount-above-wallet-maximum', 'Amount above the maximum.',
      `This wallet takes at most ${money(maxMinor).amount} ${wallet.currency} per transaction.`,
      { extensions: { transactionAmountMax: money(maxMinor) } });
  }
  if (entry.type === 'credit') {
    const balanceAfterMinor = wallet.balanceMinor + entry.amountMinor;
    if (balanceAfterMinor > amountMinorMax) {
      throw new ProblemError(422, 'balance-limit-exceeded', 'Balance limit exceeded.',
        `A wallet's balance may not exceed ${money(amountMinorMax).amount} ${wallet.currency}.`);
    }
    return balanceAfterMinor;
  }
  const balanceAfterMinor = wallet.balanceMinor - entry.amountMinor;
  if (balanceAfterMinor < -wallet.overdraftLimitMinor) {
    throw new ProblemError(422, 'insufficient-funds', 'Insufficient funds.',
      `The debit would take the balance below the overdraft limit; nothing was posted.`,
      { extensions: { balance: money(wallet.balanceMinor),
        overdraftLimit: money(wallet.overdraftLimitMinor) } });
  }
  if (needsDebitTotals(wallet, entry)) checkDebitLimits(wallet, entry.amountMinor, totals);
  assert(balanceAfterMinor >= -wallet.overdraftLimitMinor, 'a debit stays within the limit');
  return balanceAfterMinor;
}

function checkDebitLimits(
  wallet: WalletAttributes,
  amountMinor: bigint,
  totals: DebitTotals | null,
): void {
  assert(totals, 'the debit totals were read for a wallet with a debit limit');
  assert(totals.dayMinor >= 0n, 'debits of a day are not negative');
  assert(totals.monthMinor >= totals.dayMinor, 'a month holds its day');
  const money = (minor: bigint) => toMoney(minor, wallet.currency);
  const dailyMinor = wallet.dailyDebitLimitMinor;
  if (dailyMinor !== null && totals.dayMinor + amountMinor > dailyMinor) {
    throw new ProblemError(422, 'daily-limit-exceeded', 'Daily debit limit exceeded.',
      `Debits today would exceed the daily limit of ${money(dailyMinor).amount} ` +
        `${wallet.currency}; nothing was posted.`,
      { extensions: { dailyDebitLimit: money(dailyMinor), debitedToday: money(totals.dayMinor) } });
  }
  const monthlyMinor = wallet.monthlyDebitLimitMinor;
  if (monthlyMinor !== null && totals.monthMinor + amountMinor > monthlyMinor) {
    throw new ProblemError(422, 'monthly-limit-exceeded', 'Monthly debit limit exceeded.',
      `Debits this month would exceed the monthly limit of ${money(monthlyMinor).amount} ` +
        `${wallet.currency}; nothing was posted.`,
      { extensions: { monthlyDebitLimit: money(monthlyMinor),
        debitedThisMonth: money(totals.monthMinor) } });
  }
}
