/**
 * @module
 * Wallets: opening one, reading one's own, locking them for a posting, changing their limits
 * and their state.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/wallets.test.ts.
 *  1. A wallet has one currency for life, and a user holds at most {@link walletsPerUserMax}.
 *  2. A user reaches only their own wallets; another user's wallet is "not found", so its
 *     existence is not revealed.
 *  3. balanceMinor >= -overdraftLimitMinor at all times: lowering the overdraft limit below
 *     the current debt is refused (422), and the database CHECK refuses it as well.
 *  4. `closed` is final and needs a zero balance; a `frozen` wallet may be made active again.
 *  5. Every change of a limit or a state is audited in the same database transaction.
 *  6. Wallets are locked in ascending id order, before anything else is locked.
 */
import assert from 'node:assert/strict';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, userAuditChain } from './audits.ts';
import { requireCurrencyCode } from './currencies.ts';
import { isUniqueViolation } from './database-errors.ts';
import { walletModels, type Row, type WalletAttributes, type WalletStatus } from './models.ts';
import { formatMinor, parseDecimalMinor } from './money.ts';
import { writeTransaction } from './write-transaction.ts';

/** Most wallets one user may hold (closed ones included: they stay on record). */
export const walletsPerUserMax = 50;

/** Longest wallet name, in characters. */
export const walletNameLengthMax = 100;

/** Most wallets locked by one posting (a transfer locks two). */
export const walletsLockedMax = 2;

/** The limits of a wallet as a caller sends them: decimal strings; null removes a limit. */
export interface WalletLimitsInput {
  overdraftLimit?: string;
  transactionAmountMax?: string | null;
  dailyDebitLimit?: string | null;
  monthlyDebitLimit?: string | null;
}

/** What opening a wallet needs. */
export interface CreateWalletInput extends WalletLimitsInput {
  name: string;
  currency: string;
}

/**
 * Opens a wallet for the actor.
 *
 * @returns the new wallet, balance zero.
 * @throws ProblemError 400 for a bad name or limit, 422 `unknown-currency`, 409
 *   `wallet-name-taken`, 422 `wallet-limit-reached` past {@link walletsPerUserMax}.
 */
export async function createWallet(
  ctx: AppContext,
  actor: Actor,
  input: CreateWalletInput,
  options: { transaction?: Transaction } = {},
): Promise<WalletAttributes> {
  const name = requireWalletName(input.name);
  const currency = requireCurrencyCode(input.currency);
  const limits = parseLimits(input, currency);
  const { Wallet } = walletModels(ctx.sequelize);
  try {
    return await writeTransaction(ctx, async (databaseTransaction) => {
      // The chain head serialises this user's changes, so the checks below stay true.
      await lockAuditChain(ctx, databaseTransaction, userAuditChain(actor.userId));
      const held = await Wallet.count(
        { where: { userId: actor.userId }, transaction: databaseTransaction });
      if (held >= walletsPerUserMax) {
        throw new ProblemError(422, 'wallet-limit-reached', 'Too many wallets.',
          `A user may hold at most ${walletsPerUserMax} wallets.`);
      }
      const namesake = await Wallet.findOne({ where: { userId: actor.userId, name },
        transaction: databaseTransaction });
      if (namesake) throw walletNameTaken(name);
      const now = ctx.clock.now();
      const row = await Wallet.create(
        { userId: actor.userId, name, currency, balanceMinor: 0n, overdraftLimitMinor: 0n,
          transactionAmountMaxMinor: null, dailyDebitLimitMinor: null,
          monthlyDebitLimitMinor: null, ...limits, status: 'active', entryCount: 0,
          createdAt: now, updatedAt: now },
        { transaction: databaseTransaction },
      );
      const wallet = row.get({ plain: true });
      await auditWallet(ctx, databaseTransaction, actor, 'wallet.created', null, wallet);
      return wallet;
    }, options.transaction);
  } catch (error) {
    // The check above sees every committed name; this catches only a name written meanwhile.
    if (isUniqueViolation(error)) throw walletNameTaken(name);
    throw error;
  }
}

/**
 * One of the actor's wallets.
 *
 * @throws ProblemError 404 when it does not exist or belongs to someone else.
 */
export async function getWallet(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
): Promise<WalletAttributes> {
  const { Wallet } = walletModels(ctx.sequelize);
  const row = await Wallet.findByPk(walletId);
  if (!row || row.userId !== actor.userId) throw walletNotFound(walletId);
  return row.get({ plain: true });
}

/** The actor's wallets, oldest first; at most {@link walletsPerUserMax}. */
export async function listWallets(ctx: AppContext, actor: Actor): Promise<WalletAttributes[]> {
  const { Wallet } = walletModels(ctx.sequelize);
  const rows = await Wallet.findAll({
    where: { userId: actor.userId },
    order: [['id', 'ASC']],
    limit: walletsPerUserMax,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * A page of the actor's wallets in id order: at most `limit`, after the id `afterId`.
 *
 * @param page - `limit` (1 to {@link walletsPerUserMax} + 1 rows are read) and the id the
 *   page starts after (null for the first page).
 * @returns up to `limit + 1` wallets; one more than `limit` says another page follows.
 */
export async function listWalletPage(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; afterId: number | null },
): Promise<WalletAttributes[]> {
  assert(Number.isSafeInteger(page.limit) && page.limit >= 1, 'a page holds at least one');
  const { Wallet } = walletModels(ctx.sequelize);
  const rows = await Wallet.findAll({
    where: {
      userId: actor.userId,
      ...(page.afterId === null ? {} : { id: { [Op.gt]: page.afterId } }),
    },
    order: [['id', 'ASC']],
    limit: Math.min(page.limit, walletsPerUserMax) + 1,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * Locks the actor's wallets with these ids for the rest of the database transaction, in
 * ascending id order, and returns them in the order asked.
 *
 * @throws ProblemError 404 for a wallet that does not exist or is someone else's.
 */
export async function lockOwnedWallets(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  walletIds: readonly number[],
): Promise<Row<WalletAttributes>[]> {
  assert(walletIds.length >= 1, 'lock at least one wallet');
  assert(walletIds.length <= walletsLockedMax, 'lock at most walletsLockedMax wallets');
  assert.equal(new Set(walletIds).size, walletIds.length, 'a wallet is locked once');
  const malformed = walletIds.find((walletId) => !Number.isSafeInteger(walletId) || walletId < 1);
  if (malformed !== undefined) throw walletNotFound(malformed);
  const { Wallet } = walletModels(ctx.sequelize);
  const locked = new Map<number, Row<WalletAttributes>>();
  for (const walletId of [...walletIds].sort((first, second) => first - second)) {
    const row = await Wallet.findByPk(walletId, {
      transaction: databaseTransaction,
      lock: databaseTransaction.LOCK.UPDATE,
    });
    if (!row || row.userId !== actor.userId) throw walletNotFound(walletId);
    locked.set(walletId, row);
  }
  return walletIds.map((walletId) => {
    const row = locked.get(walletId);
    assert(row, 'every asked wallet was locked');
    return row;
  });
}

/**
 * Changes some limits of one of the actor's wallets; the others stay as they are.
 *
 * @throws ProblemError 400 for a bad amount, 404, 409 `wallet-closed`, 422
 *   `overdraft-below-balance` when the balance is already below the new overdraft limit.
 */
export async function changeWalletLimits(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  input: WalletLimitsInput,
  options: { transaction?: Transaction } = {},
): Promise<WalletAttributes> {
  const { Wallet } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    const [row] = await lockOwnedWallets(ctx, databaseTransaction, actor, [walletId]);
    assert(row, 'the wallet was locked');
    const before = row.get({ plain: true });
    if (before.status === 'closed') throw walletClosedProblem(walletId);
    const limits = parseLimits(input, before.currency);
    const overdraftLimitMinor = limits.overdraftLimitMinor ?? before.overdraftLimitMinor;
    if (before.balanceMinor < -overdraftLimitMinor) {
      throw new ProblemError(422, 'overdraft-below-balance', 'Overdraft limit below the debt.',
        `The balance is ${formatMinor(before.balanceMinor, before.currency)} ` +
          `${before.currency}; the overdraft limit cannot be set below that debt.`);
    }
    const [changed] = await Wallet.update(
      { ...limits, updatedAt: ctx.clock.now() },
      { where: { id: walletId, entryCount: before.entryCount }, transaction: databaseTransaction },
    );
    assert.equal(changed, 1, 'the wallet changed under its lock');
    await row.reload({ transaction: databaseTransaction });
    const after = row.get({ plain: true });
    assert(after.balanceMinor >= -after.overdraftLimitMinor, 'the balance is within the limit');
    await auditWallet(ctx, databaseTransaction, actor, 'wallet.limits-changed', before, after);
    return after;
  }, options.transaction);
}

/**
 * Freezes, unfreezes or closes one of the actor's wallets.
 *
 * @throws ProblemError 404, 409 `wallet-closed` (closing is final), 422 `wallet-not-empty`
 *   when closing a wallet whose balance is not zero.
 */
export async function changeWalletStatus(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  status: WalletStatus,
  options: { transaction?: Transaction } = {},
): Promise<WalletAttributes> {
  const { Wallet } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    const [row] = await lockOwnedWallets(ctx, databaseTransaction, actor, [walletId]);
    assert(row, 'the wallet was locked');
    const before = row.get({ plain: true });
    if (before.status === 'closed') throw walletClosedProblem(walletId);
    if (status === 'closed' && before.balanceMinor !== 0n) {
      throw new ProblemError(422, 'wallet-not-empty', 'Wallet not empty.',
        'Move or reverse the remaining balance before closing the wallet.');
    }
    if (status === before.status) return before;
    const [changed] = await Wallet.update(
      { status, updatedAt: ctx.clock.now() },
      { where: { id: walletId, status: { [Op.eq]: before.status } },
        transaction: databaseTransaction },
    );
    assert.equal(changed, 1, 'the wallet changed under its lock');
    await row.reload({ transaction: databaseTransaction });
    const after = row.get({ plain: true });
    assert.equal(after.status, status);
    await auditWallet(ctx, databaseTransaction, actor, 'wallet.status-changed', before, after);
    return after;
  }, options.transaction);
}

/** A change of limits and state at once (`PATCH /api/wallets/:id`). */
export interface WalletChangeInput extends WalletLimitsInput {
  status?: WalletStatus;
}

/**
 * Changes limits and the state of one of the actor's wallets in one database transaction:
 * the limits first, then the state, so a wallet can get its last limits and be closed in one
 * request. Each part is audited as its own change.
 *
 * @throws what {@link changeWalletLimits} and {@link changeWalletStatus} throw; nothing is
 *   changed on any of them.
 */
export async function changeWallet(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  input: WalletChangeInput,
): Promise<WalletAttributes> {
  const { status, ...limits } = input;
  const changesLimits = Object.values(limits).some((value) => value !== undefined);
  return writeTransaction(ctx, async (transaction) => {
    let wallet = changesLimits
      ? await changeWalletLimits(ctx, actor, walletId, limits, { transaction })
      : null;
    if (status !== undefined) {
      wallet = await changeWalletStatus(ctx, actor, walletId, status, { transaction });
    }
    if (wallet === null) {
      throw validationProblem([{ path: 'body', message: 'Send at least one member to change.' }]);
    }
    return wallet;
  });
}

/** The audited state of a wallet: money as minor-unit strings, so JSON holds it exactly. */
export function walletState(wallet: WalletAttributes): { [key: string]: string | number | null } {
  return {
    name: wallet.name,
    currency: wallet.currency,
    status: wallet.status,
    balanceMinor: wallet.balanceMinor.toString(),
    overdraftLimitMinor: wallet.overdraftLimitMinor.toString(),
    transactionAmountMaxMinor: wallet.transactionAmountMaxMinor?.toString() ?? null,
    dailyDebitLimitMinor: wallet.dailyDebitLimitMinor?.toString() ?? null,
    monthlyDebitLimitMinor: wallet.monthlyDebitLimitMinor?.toString() ?? null,
    entryCount: wallet.entryCount,
  };
}

/** Records a change of a wallet in its owner's audit chain. */
async function auditWallet(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  action: 'wallet.created' | 'wallet.limits-changed' | 'wallet.status-changed',
  before: WalletAttributes | null,
  after: WalletAttributes,
): Promise<void> {
  assert.equal(after.userId, actor.userId, 'a user changes only their own wallets');
  await appendAudit(ctx, databaseTransaction, {
    ownerUserId: after.userId, actor, action, entityType: 'wallet', entityId: after.id,
    before: before === null ? null : walletState(before), after: walletState(after),
  });
}

/** 404 for a wallet the actor may not see. */
export function walletNotFound(walletId: number): ProblemError {
  return notFoundProblem(`There is no wallet ${walletId} of yours.`);
}

function walletNameTaken(name: string): ProblemError {
  return new ProblemError(409, 'wallet-name-taken', 'Wallet name taken.',
    `You already have a wallet named "${name}".`);
}

/** 409 for a change to a closed wallet. */
export function walletClosedProblem(walletId: number): ProblemError {
  return new ProblemError(409, 'wallet-closed', 'Wallet closed.',
    `Wallet ${walletId} is closed; it accepts no more changes.`);
}

function requireWalletName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > walletNameLengthMax) {
    throw validationProblem([{ path: 'name',
      message: `must be a non-empty string of at most ${walletNameLengthMax} characters.` }]);
  }
  return trimmed;
}

type ParsedLimits = Partial<Pick<WalletAttributes,
  'overdraftLimitMinor' | 'transactionAmountMaxMinor' | 'dailyDebitLimitMinor' |
  'monthlyDebitLimitMinor'>>;

/** The limits that were sent, in minor units; a limit that was not sent stays absent. */
function parseLimits(input: WalletLimitsInput, currency: string): ParsedLimits {
  const limits: ParsedLimits = {};
  if (input.overdraftLimit !== undefined) {
    limits.overdraftLimitMinor =
      parseDecimalMinor(input.overdraftLimit, currency, 'overdraftLimit');
  }
  const positive = (text: string | null | undefined, path: string) => {
    if (text === null) return null;
    const minor = parseDecimalMinor(text, currency, path);
    if (minor === 0n) throw validationProblem([{ path, message: 'must be greater than zero.' }]);
    return minor;
  };
  if (input.transactionAmountMax !== undefined) {
    limits.transactionAmountMaxMinor = positive(input.transactionAmountMax, 'transactionAmountMax');
  }
  if (input.dailyDebitLimit !== undefined) {
    limits.dailyDebitLimitMinor = positive(input.dailyDebitLimit, 'dailyDebitLimit');
  }
  if (input.monthlyDebitLimit !== undefined) {
    limits.monthlyDebitLimitMinor = positive(input.monthlyDebitLimit, 'monthlyDebitLimit');
  }
  return limits;
}
