/**
 * @module
 * The ledger: posts credits and debits to a wallet and keeps its balance true.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/ledger.test.ts and
 * ledger-properties.test.ts.
 *  1. An amount is a bigint count of minor units. A money amount is never held in a `number`.
 *  2. balanceMinor = sum(credits) - sum(debits) over the wallet's entries, and each entry's
 *     balanceAfterMinor is the balance right after it.
 *  3. After any entry, -overdraftLimitMinor <= balanceMinor <= amountMinorMax; otherwise
 *     nothing is written (422).
 *  4. An entry's currency is its wallet's currency.
 *  5. A wallet's entries have sequences 1..entryCount without gaps; the unique
 *     (wallet, sequence) index turns a lost update into an error instead of a wrong balance.
 *  6. A posted entry is never updated or deleted; the one exception is `reversedById`, set
 *     once from null when the entry is reversed (see reversals.ts).
 *  7. An entry, its wallet's new balance and its audit row are written in one database
 *     transaction, with the wallet locked from the checks to the commit.
 *  8. A payment method named by an entry is checked, limited and charged with its usage in
 *     that same database transaction, locked after the wallet (payment-method-usage.ts); a
 *     debit a user makes is assessed by the risk rules before anything is written, and a
 *     block writes nothing (risk.ts).
 *
 * Operating errors (insufficient funds, a frozen wallet, unknown wallet) are thrown as
 * ProblemError; a broken invariant is a bug: it throws through `assert` and the server
 * answers 500.
 */
import assert from 'node:assert/strict';
import { QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit } from './audits.ts';
import { minorFromColumn } from './column-values.ts';
import { requireCurrencyCode } from './currencies.ts';
import {
  walletModels,
  type Row,
  type TransactionOrigin,
  type TransactionType,
  type WalletAttributes,
  type WalletTransactionAttributes,
} from './models.ts';
import { amountMinorMax, parseAmountMinor } from './money.ts';
import { lockPaymentMethodForPosting, recordPaymentMethodUsage } from './payment-method-usage.ts';
import {
  normalisePostingDetails,
  type PostingDetails,
  type PostingDetailsInput,
} from './posting-details.ts';
import {
  checkEntry,
  checkWalletOpen,
  needsDebitTotals,
  type DebitTotals,
} from './posting-rules.ts';
import { assessPostingRisk, riskMarkOf } from './risk.ts';
import { storePostedAssessment } from './risk-assessments.ts';
import type { RiskBand } from './risk-rules.ts';
import { utcDayStart, utcMonthStart } from './utc-dates.ts';
import { lockOwnedWallets } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** A transaction as a caller sends it: the amount is a decimal string in the wallet's currency. */
export interface PostTransactionInput extends PostingDetailsInput {
  walletId: number;
  type: TransactionType;
  amount: string;
  categoryId?: number | null;
  paymentMethodId?: number | null;
  /** The currency the caller believes the wallet holds; refused (422) unless it does. */
  currency?: string;
}

/** A transaction made by the server itself (a recurring rule, an import), in minor units. */
export interface PostTransactionMinorInput extends Omit<PostTransactionInput, 'amount'> {
  amountMinor: bigint;
  origin: Extract<TransactionOrigin, 'manual' | 'recurring' | 'import'>;
  importFingerprint?: string | null;
}

/** What a posting wrote: the entry and its wallet right after it. */
export interface Posting {
  transaction: WalletTransactionAttributes;
  wallet: WalletAttributes;
}

/** The transfer side of an entry: the other wallet, its amount, and the frozen rate. */
export interface TransferLeg {
  transferId: string;
  counterWalletId: number;
  counterAmountMinor: bigint;
  counterCurrency: string;
  /** The rate used, as a decimal string; null between wallets of one currency. */
  rate: string | null;
  rateDate: string | null;
  rateSource: string | null;
}

/** Everything an entry holds besides what the ledger derives (sequence, balance, currency). */
export interface EntryDraft {
  type: TransactionType;
  origin: TransactionOrigin;
  amountMinor: bigint;
  categoryId: number | null;
  paymentMethodId: number | null;
  details: PostingDetails;
  reversalOfId: number | null;
  transfer: TransferLeg | null;
  importFingerprint: string | null;
  /** The risk assessment's score and band, for an assessed debit (see risk.ts). */
  risk?: { score: number; band: Exclude<RiskBand, 'block'> } | null;
}

/**
 * Posts a credit or a debit to one of the actor's wallets.
 *
 * @param ctx - the context; its clock stamps the posting.
 * @param actor - the wallet's owner.
 * @param input - the transaction; `amount` is a decimal string in the wallet's currency.
 * @param options - `transaction`: a database transaction to join (the idempotency layer's).
 * @returns the entry and the wallet after it.
 * @throws ProblemError 400 (bad amount or field), 404 (not the actor's wallet), 409
 *   (`wallet-frozen`, `wallet-closed`), 422 (`insufficient-funds`, `daily-limit-exceeded`,
 *   `monthly-limit-exceeded`, `amount-above-wallet-maximum`, `balance-limit-exceeded`,
 *   `unknown-category`, `unknown-payment-method`, `unknown-currency`, `currency-mismatch`,
 *   the payment method's rules of payment-method-usage.ts, `blocked-by-risk`).
 *   Nothing is written on any of them (a block is recorded after the rollback, see risk.ts).
 * @example
 * const { transaction } = await postTransaction(ctx, actor, {
 *   walletId: 7, type: 'debit', amount: '12.34', description: 'Lunch',
 * });
 */
export async function postTransaction(
  ctx: AppContext,
  actor: Actor,
  input: PostTransactionInput,
  options: { transaction?: Transaction } = {},
): Promise<Posting> {
  const type = requireTransactionType(input.type);
  const details = normalisePostingDetails(input, ctx.clock.now());
  return writeTransaction(ctx, async (databaseTransaction) => {
    const [wallet] = await lockOwnedWallets(ctx, databaseTransaction, actor, [input.walletId]);
    assert(wallet, 'the wallet was locked');
    if (input.currency !== undefined) checkStatedCurrency(input.currency, wallet);
    const amountMinor = parseAmountMinor(input.amount, wallet.currency);
    return postToLockedWallet(ctx, databaseTransaction, actor, wallet, {
      type, origin: 'manual', amountMinor, details, reversalOfId: null, transfer: null,
      categoryId: input.categoryId ?? null, paymentMethodId: input.paymentMethodId ?? null,
      importFingerprint: null,
    });
  }, options.transaction);
}

/**
 * Posts a transaction the server makes on the owner's behalf, with the amount in minor units.
 * The same rules apply as for {@link postTransaction}.
 */
export async function postTransactionMinor(
  ctx: AppContext,
  actor: Actor,
  input: PostTransactionMinorInput,
  options: { transaction?: Transaction } = {},
): Promise<Posting> {
  assert(typeof input.amountMinor === 'bigint', 'an amount is a bigint');
  assert(input.amountMinor > 0n, 'an amount is positive');
  assert(input.amountMinor <= amountMinorMax, 'an amount is at most amountMinorMax');
  const type = requireTransactionType(input.type);
  const details = normalisePostingDetails(input, ctx.clock.now());
  return writeTransaction(ctx, async (databaseTransaction) => {
    const [wallet] = await lockOwnedWallets(ctx, databaseTransaction, actor, [input.walletId]);
    assert(wallet, 'the wallet was locked');
    return postToLockedWallet(ctx, databaseTransaction, actor, wallet, {
      type, origin: input.origin, amountMinor: input.amountMinor, details, reversalOfId: null,
      transfer: null, categoryId: input.categoryId ?? null,
      paymentMethodId: input.paymentMethodId ?? null,
      importFingerprint: input.importFingerprint ?? null,
    });
  }, options.transaction);
}

async function postToLockedWallet(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  wallet: Row<WalletAttributes>,
  draft: EntryDraft,
): Promise<Posting> {
  checkWalletOpen(wallet);
  await checkReferences(ctx, databaseTransaction, actor, draft);
  // Payment method rules and usage: payment-method-usage.ts; the method stays locked.
  const method = await lockPaymentMethodForPosting(ctx, databaseTransaction, actor, wallet, draft);
  const entryCheck = { type: draft.type, amountMinor: draft.amountMinor, limited: true };
  const totals = needsDebitTotals(wallet, entryCheck)
    ? await readDebitTotals(ctx, databaseTransaction, wallet.id)
    : null;
  const balanceBeforeMinor = wallet.balanceMinor;
  const balanceAfterMinor = checkEntry(wallet, entryCheck, totals);
  // Risk rules (risk.ts): a block throws here, before anything is written.
  const risk = await assessPostingRisk(ctx, databaseTransaction, actor, wallet, draft, method);
  const posting = await appendEntry(ctx, databaseTransaction, wallet,
    { ...draft, risk: risk && riskMarkOf(risk) }, balanceAfterMinor);
  if (method) await recordPaymentMethodUsage(ctx, databaseTransaction, method, posting.transaction);
  await appendAudit(ctx, databaseTransaction, {
    ownerUserId: wallet.userId, actor, action: 'transaction.posted', entityType: 'transaction',
    entityId: posting.transaction.id,
    before: { walletId: wallet.id, balanceMinor: balanceBeforeMinor.toString() },
    after: entryState(posting.transaction),
  });
  if (risk) await storePostedAssessment(ctx, databaseTransaction, risk, posting.transaction.id);
  return posting;
}

/**
 * Writes one entry to a locked wallet and moves its balance, after the rules have passed.
 *
 * @param wallet - the wallet, locked in `databaseTransaction`; reloaded to its new state.
 * @param balanceAfterMinor - the balance the rules computed for after the entry.
 * @returns the stored entry and the wallet after it.
 */
export async function appendEntry(
  ctx: AppContext,
  databaseTransaction: Transaction,
  wallet: Row<WalletAttributes>,
  draft: EntryDraft,
  balanceAfterMinor: bigint,
): Promise<Posting> {
  const { Wallet, WalletTransaction, TransactionTag } = walletModels(ctx.sequelize);
  const signedMinor = draft.type === 'credit' ? draft.amountMinor : -draft.amountMinor;
  assert.equal(balanceAfterMinor, wallet.balanceMinor + signedMinor, 'the balance moves by it');
  assert(balanceAfterMinor >= -wallet.overdraftLimitMinor, 'the overdraft rule was checked');
  assert(balanceAfterMinor <= amountMinorMax, 'the balance bound was checked');
  const now = ctx.clock.now();
  const sequence = wallet.entryCount + 1;
  const row = await WalletTransaction.create({
    walletId: wallet.id, sequence, type: draft.type, origin: draft.origin,
    amountMinor: draft.amountMinor, currency: wallet.currency, balanceAfterMinor,
    categoryId: draft.categoryId, paymentMethodId: draft.paymentMethodId,
    ...draft.details, postedAt: now, reversalOfId: draft.reversalOfId, reversedById: null,
    transferId: draft.transfer?.transferId ?? null,
    counterWalletId: draft.transfer?.counterWalletId ?? null,
    counterAmountMinor: draft.transfer?.counterAmountMinor ?? null,
    counterCurrency: draft.transfer?.counterCurrency ?? null,
    rate: draft.transfer?.rate ?? null, rateDate: draft.transfer?.rateDate ?? null,
    rateSource: draft.transfer?.rateSource ?? null, riskScore: draft.risk?.score ?? null,
    riskBand: draft.risk?.band ?? null,
    importFingerprint: draft.importFingerprint,
  }, { transaction: databaseTransaction });
  if (draft.details.tags.length > 0) {
    const tags = draft.details.tags.map((tag) => ({ transactionId: row.id, walletId: wallet.id,
      tag }));
    await TransactionTag.bulkCreate(tags, { transaction: databaseTransaction });
  }
  const [moved] = await Wallet.update(
    { balanceMinor: balanceAfterMinor, entryCount: sequence, updatedAt: now },
    { where: { id: wallet.id, entryCount: wallet.entryCount }, transaction: databaseTransaction },
  );
  assert.equal(moved, 1, 'the wallet changed under its lock');
  // Paired with the assertions above: read back what was written.
  await wallet.reload({ transaction: databaseTransaction });
  const entry = row.get({ plain: true });
  assert.equal(wallet.balanceMinor, balanceAfterMinor);
  assert.equal(wallet.entryCount, sequence);
  assert.equal(entry.balanceAfterMinor, wallet.balanceMinor);
  assert.equal(entry.currency, wallet.currency);
  return { transaction: entry, wallet: wallet.get({ plain: true }) };
}

/** Reads the wallet's non-reversal debits of the current UTC day and month, under its lock. */
export async function readDebitTotals(
  ctx: AppContext,
  databaseTransaction: Transaction,
  walletId: number,
): Promise<DebitTotals> {
  const now = ctx.clock.now();
  const [row] = await ctx.sequelize.query<{ day_minor: unknown; month_minor: unknown }>(
    `SELECT
       CAST(COALESCE(SUM(CASE WHEN posted_at >= :dayStart THEN amount_minor ELSE 0 END), 0)
         AS TEXT) AS day_minor,
       CAST(COALESCE(SUM(amount_minor), 0) AS TEXT) AS month_minor
     FROM ab_wallet_transactions
     WHERE wallet_id = :walletId AND type = 'debit' AND origin <> 'reversal'
       AND posted_at >= :monthStart`,
    {
      replacements: { walletId, dayStart: utcDayStart(now), monthStart: utcMonthStart(now) },
      type: QueryTypes.SELECT,
      transaction: databaseTransaction,
    },
  );
  assert(row, 'an aggregate returns one row');
  return { dayMinor: minorFromColumn(row.day_minor), monthMinor: minorFromColumn(row.month_minor) };
}

/** The audited state of an entry: money as minor-unit strings. */
export function entryState(
  entry: WalletTransactionAttributes,
): { [key: string]: string | number | null } {
  return {
    walletId: entry.walletId,
    sequence: entry.sequence,
    type: entry.type,
    origin: entry.origin,
    amountMinor: entry.amountMinor.toString(),
    currency: entry.currency,
    balanceAfterMinor: entry.balanceAfterMinor.toString(),
    reversalOfId: entry.reversalOfId,
    transferId: entry.transferId,
    rate: entry.rate,
    rateDate: entry.rateDate,
  };
}

/** Invariant 4 as the caller states it: a currency sent along must be the wallet's. */
function checkStatedCurrency(currency: string, wallet: WalletAttributes): void {
  const stated = requireCurrencyCode(currency);
  if (stated !== wallet.currency) {
    throw new ProblemError(422, 'currency-mismatch', 'Currency mismatch.',
      `Wallet ${wallet.id} holds ${wallet.currency}, not ${stated}; amounts are in its currency.`);
  }
}

function requireTransactionType(type: unknown): TransactionType {
  if (type === 'credit' || type === 'debit') return type;
  throw validationProblem([{ path: 'type', message: 'must be "credit" or "debit".' }]);
}

/** The category must be the actor's (or a system category) and in use. */
async function checkReferences(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  draft: EntryDraft,
): Promise<void> {
  const { Category } = walletModels(ctx.sequelize);
  if (draft.categoryId !== null) {
    requireId(draft.categoryId, 'categoryId');
    const category = await Category.findByPk(draft.categoryId,
      { transaction: databaseTransaction });
    const usable = category && category.archivedAt === null &&
      (category.userId === null || category.userId === actor.userId);
    if (!usable) {
      throw new ProblemError(422, 'unknown-category', 'Unknown category.',
        `There is no category ${draft.categoryId} you can use.`);
    }
  }
}

function requireId(id: unknown, path: string): void {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw validationProblem([{ path, message: 'must be a positive integer id.' }]);
  }
}
