/**
 * @module
 * Payment methods: a user's cards, bank accounts and other means of paying, with their
 * limits. Adding one, reading, changing its label and limits, and archiving it.
 *
 * Invariants. Each is checked below and tested in test/server/wallet/payment-methods.test.ts.
 *  1. The sensitive details (a card's number, an IBAN or account number, the holder's name) are
 *     stored only as a keyring token in `details_token` (registered for `npm run keys:rotate`
 *     in `encrypted-columns.ts`). What leaves the service, the audit rows included, is the
 *     masked form ({@link maskNumber}, {@link maskIban}), the brand and the expiry.
 *  2. A card passes the Luhn check and its brand's lengths, and does not expire before the
 *     current month by the context clock; an IBAN passes its country's length and mod-97.
 *  3. A user reaches only their own payment methods; another user's is "not found" (404).
 *  4. A label holds no card or account number (a run of 12 digits or more is refused), so a
 *     number cannot reach the audit trail that way either.
 *  5. An archived method stays on record (its transactions keep pointing at it) but pays
 *     nothing and cannot be changed.
 *  6. Every change is audited in its owner's chain in the database transaction of the change.
 *     Lock order: the method's row, then the chain head, as a posting does (wallet, method,
 *     chain), so the two never wait on each other in a cycle.
 */
import assert from 'node:assert/strict';
import { Op, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem, ProblemError, validationProblem } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { appendAudit, lockAuditChain, userAuditChain } from './audits.ts';
import {
  cardBrandNames,
  checkCardExpiry,
  maskIban,
  maskNumber,
  parseAccountNumber,
  parseCardNumber,
  parseIban,
} from './card-checks.ts';
import { requireCurrencyCode } from './currencies.ts';
import { walletModels, type PaymentMethodAttributes, type Row } from './models.ts';
import { parseDecimalMinor } from './money.ts';
import { holderNameLengthMax, paymentMethodLabelLengthMax } from './payment-method-schemas.ts';
import { writeTransaction } from './write-transaction.ts';

/** Most payment methods one user may hold, archived ones included. */
export const paymentMethodsPerUserMax = 100;

/** The shortest run of digits a label may not hold: a card number has at least 12. */
export const labelDigitRunMin = 12;

/** The limits of a payment method as a caller sends them; null removes one. */
export interface PaymentMethodLimitsInput {
  transactionAmountMax?: string | null;
  monthlyLimit?: string | null;
}

/** What adding a payment method needs; which members apply depends on `kind`. */
export type CreatePaymentMethodInput = PaymentMethodLimitsInput & {
  label?: string;
  currency: string;
} & (
  | { kind: 'card'; number: string; expiryMonth: number; expiryYear: number;
    holderName?: string | null }
  | { kind: 'bank-account'; iban?: string; accountNumber?: string; holderName?: string | null }
  | { kind: 'other' }
);

/** What may change; absent members stay. */
export interface UpdatePaymentMethodInput extends PaymentMethodLimitsInput {
  label?: string;
}

/** The sensitive details, as encrypted into `details_token`. */
type SensitiveDetails =
  | { kind: 'card'; number: string; holderName: string | null }
  | { kind: 'bank-account'; iban: string | null; accountNumber: string | null;
    holderName: string | null };

/** What the checks made of the request: the stored columns and what to encrypt. */
interface PreparedDetails {
  details: SensitiveDetails | null;
  masked: string;
  brand: string | null;
  expiryMonth: number | null;
  expiryYear: number | null;
  defaultLabel: string | null;
  /** The number in its plain normalised form, which the label must not repeat. */
  secretText: string | null;
}

/**
 * A page of the actor's payment methods in id order.
 *
 * @returns up to `limit + 1` rows; one more than `limit` says another page follows.
 */
export async function listPaymentMethods(
  ctx: AppContext,
  actor: Actor,
  page: { limit: number; afterId: number | null; includeArchived: boolean },
): Promise<PaymentMethodAttributes[]> {
  assert(Number.isSafeInteger(page.limit) && page.limit >= 1, 'a page holds at least one');
  const { PaymentMethod } = walletModels(ctx.sequelize);
  const rows = await PaymentMethod.findAll({
    where: {
      userId: actor.userId,
      ...(page.afterId === null ? {} : { id: { [Op.gt]: page.afterId } }),
      ...(page.includeArchived ? {} : { archivedAt: null }),
    },
    order: [['id', 'ASC']],
    limit: page.limit + 1,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/**
 * One of the actor's payment methods, archived ones included.
 *
 * @throws ProblemError 404 when it does not exist or is someone else's.
 */
export async function getPaymentMethod(
  ctx: AppContext,
  actor: Actor,
  methodId: number,
): Promise<PaymentMethodAttributes> {
  const { PaymentMethod } = walletModels(ctx.sequelize);
  const row = await PaymentMethod.findByPk(methodId);
  if (!row || row.userId !== actor.userId) throw paymentMethodNotFound(methodId);
  return row.get({ plain: true });
}

/**
 * Adds a payment method for the actor.
 *
 * @returns the stored method; its details are encrypted, the rest is what the API shows.
 * @throws ProblemError 400 (a bad number, IBAN, label, limit or holder name), 422
 *   `card-expired`, `unknown-currency`, `payment-method-limit-reached`. Nothing is stored.
 */
export async function createPaymentMethod(
  ctx: AppContext,
  actor: Actor,
  input: CreatePaymentMethodInput,
): Promise<PaymentMethodAttributes> {
  const currency = requireCurrencyCode(input.currency);
  const limits = parseMethodLimits(input, currency);
  const prepared = prepareDetails(input, ctx.clock.now());
  const label = requireLabel(input.label ?? prepared.defaultLabel, prepared.secretText);
  const detailsToken = prepared.details === null
    ? null
    : ctx.keys.encryptString(JSON.stringify(prepared.details));
  const { PaymentMethod } = walletModels(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    // The chain head serialises this user's changes, so the count below stays true.
    await lockAuditChain(ctx, databaseTransaction, userAuditChain(actor.userId));
    const held = await PaymentMethod.count(
      { where: { userId: actor.userId }, transaction: databaseTransaction });
    if (held >= paymentMethodsPerUserMax) {
      throw new ProblemError(422, 'payment-method-limit-reached', 'Too many payment methods.',
        `A user may hold at most ${paymentMethodsPerUserMax} payment methods.`);
    }
    const now = ctx.clock.now();
    const row = await PaymentMethod.create({
      userId: actor.userId, kind: input.kind, label, detailsToken, masked: prepared.masked,
      brand: prepared.brand, expiryMonth: prepared.expiryMonth, expiryYear: prepared.expiryYear,
      currency, transactionAmountMaxMinor: limits.transactionAmountMaxMinor ?? null,
      monthlyLimitMinor: limits.monthlyLimitMinor ?? null, usageCount: 0, usageTotalMinor: 0n,
      lastUsedAt: null, archivedAt: null, createdAt: now, updatedAt: now,
    }, { transaction: databaseTransaction });
    const created = row.get({ plain: true });
    await auditMethod(ctx, databaseTransaction, actor, 'payment-method.created', null, created);
    return created;
  });
}

/**
 * Changes the label or the limits of one of the actor's payment methods.
 *
 * @throws ProblemError 400, 404, 409 `payment-method-archived`. Nothing is changed on any.
 */
export async function updatePaymentMethod(
  ctx: AppContext,
  actor: Actor,
  methodId: number,
  input: UpdatePaymentMethodInput,
): Promise<PaymentMethodAttributes> {
  return writeTransaction(ctx, async (databaseTransaction) => {
    const row = await lockOwnedMethod(ctx, databaseTransaction, actor, methodId);
    const before = row.get({ plain: true });
    if (before.archivedAt !== null) throw paymentMethodArchived(methodId, 409);
    const limits = parseMethodLimits(input, before.currency);
    const label = input.label === undefined ? before.label : requireLabel(input.label, null);
    await row.update({ label, ...limits, updatedAt: ctx.clock.now() },
      { transaction: databaseTransaction });
    const after = row.get({ plain: true });
    await auditMethod(ctx, databaseTransaction, actor, 'payment-method.changed', before, after);
    return after;
  });
}

/**
 * Archives one of the actor's payment methods: it stays on record, pays nothing more, and
 * leaves the default list. Archiving an archived method changes nothing.
 *
 * @throws ProblemError 404.
 */
export async function archivePaymentMethod(
  ctx: AppContext,
  actor: Actor,
  methodId: number,
): Promise<PaymentMethodAttributes> {
  return writeTransaction(ctx, async (databaseTransaction) => {
    const row = await lockOwnedMethod(ctx, databaseTransaction, actor, methodId);
    const before = row.get({ plain: true });
    if (before.archivedAt !== null) return before;
    const now = ctx.clock.now();
    await row.update({ archivedAt: now, updatedAt: now }, { transaction: databaseTransaction });
    const after = row.get({ plain: true });
    await auditMethod(ctx, databaseTransaction, actor, 'payment-method.archived', before, after);
    return after;
  });
}

/** The audited state of a payment method: masked, money as minor-unit strings. */
export function paymentMethodState(
  method: PaymentMethodAttributes,
): { [key: string]: string | number | null } {
  return {
    kind: method.kind,
    label: method.label,
    masked: method.masked,
    brand: method.brand,
    expiryMonth: method.expiryMonth,
    expiryYear: method.expiryYear,
    currency: method.currency,
    transactionAmountMaxMinor: method.transactionAmountMaxMinor?.toString() ?? null,
    monthlyLimitMinor: method.monthlyLimitMinor?.toString() ?? null,
    archivedAt: method.archivedAt?.toISOString() ?? null,
  };
}

/** 404 for a payment method the actor may not see. */
export function paymentMethodNotFound(methodId: number): ProblemError {
  return notFoundProblem(`There is no payment method ${methodId} of yours.`);
}

/** A refusal to use or change an archived payment method. */
export function paymentMethodArchived(methodId: number, status: 409 | 422): ProblemError {
  return new ProblemError(status, 'payment-method-archived', 'Payment method archived.',
    `Payment method ${methodId} is archived; it stays on record but takes no new use or ` +
      'change.');
}

async function lockOwnedMethod(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  methodId: number,
): Promise<Row<PaymentMethodAttributes>> {
  const { PaymentMethod } = walletModels(ctx.sequelize);
  const row = await PaymentMethod.findByPk(methodId,
    { transaction: databaseTransaction, lock: databaseTransaction.LOCK.UPDATE });
  if (!row || row.userId !== actor.userId) throw paymentMethodNotFound(methodId);
  return row;
}

/** Checks the request's number and builds the stored columns and the encrypted details. */
function prepareDetails(input: CreatePaymentMethodInput, now: Date): PreparedDetails {
  if (input.kind === 'card') {
    const card = parseCardNumber(input.number);
    checkCardExpiry(input.expiryMonth, input.expiryYear, now);
    const masked = maskNumber(card.digits);
    const brandName = card.brand === null ? 'Card' : cardBrandNames[card.brand];
    return { details: { kind: 'card', number: card.digits,
      holderName: readHolderName(input.holderName) },
    masked, brand: card.brand, expiryMonth: input.expiryMonth, expiryYear: input.expiryYear,
    defaultLabel: `${brandName} ${masked}`, secretText: card.digits };
  }
  if (input.kind === 'bank-account') {
    const hasIban = input.iban !== undefined;
    if (hasIban === (input.accountNumber !== undefined)) {
      throw validationProblem([{ path: 'iban',
        message: 'Send either an IBAN or an account number (accountNumber), not both.' }]);
    }
    const iban = hasIban ? parseIban(input.iban) : null;
    const accountNumber = hasIban ? null : parseAccountNumber(input.accountNumber);
    const masked = iban === null ? maskNumber(accountNumber ?? '') : maskIban(iban);
    return { details: { kind: 'bank-account', iban, accountNumber,
      holderName: readHolderName(input.holderName) },
    masked, brand: null, expiryMonth: null, expiryYear: null,
    defaultLabel: `Bank account ${masked}`, secretText: iban ?? accountNumber };
  }
  assert.equal(input.kind, 'other');
  return { details: null, masked: '', brand: null, expiryMonth: null, expiryYear: null,
    defaultLabel: null, secretText: null };
}

function readHolderName(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > holderNameLengthMax) {
    throw validationProblem([{ path: 'holderName',
      message: `must be text of at most ${holderNameLengthMax} characters.` }]);
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Checks a label (invariant 4); `secretText` is the number it must not repeat. */
function requireLabel(label: unknown, secretText: string | null): string {
  const trimmed = typeof label === 'string' ? label.trim() : '';
  if (trimmed.length === 0 || trimmed.length > paymentMethodLabelLengthMax) {
    throw validationProblem([{ path: 'label',
      message: `must be a non-empty text of at most ${paymentMethodLabelLengthMax} characters.` }]);
  }
  const compact = trimmed.replace(/[ .-]/g, '').toUpperCase();
  const holdsDigitRun = new RegExp(`[0-9]{${labelDigitRunMin},}`).test(compact);
  if (holdsDigitRun || (secretText !== null && compact.includes(secretText))) {
    throw validationProblem([{ path: 'label',
      message: 'must not hold a card or account number; the masked number is shown anyway.' }]);
  }
  return trimmed;
}

type ParsedMethodLimits = Partial<Pick<PaymentMethodAttributes,
  'transactionAmountMaxMinor' | 'monthlyLimitMinor'>>;

/** The limits that were sent, in minor units of `currency`; absent ones stay absent. */
function parseMethodLimits(
  input: PaymentMethodLimitsInput,
  currency: string,
): ParsedMethodLimits {
  const positive = (text: string | null, path: string) => {
    if (text === null) return null;
    const minor = parseDecimalMinor(text, currency, path);
    if (minor === 0n) throw validationProblem([{ path, message: 'must be greater than zero.' }]);
    return minor;
  };
  const limits: ParsedMethodLimits = {};
  if (input.transactionAmountMax !== undefined) {
    limits.transactionAmountMaxMinor = positive(input.transactionAmountMax,
      'transactionAmountMax');
  }
  if (input.monthlyLimit !== undefined) {
    limits.monthlyLimitMinor = positive(input.monthlyLimit, 'monthlyLimit');
  }
  return limits;
}

async function auditMethod(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  action: 'payment-method.created' | 'payment-method.changed' | 'payment-method.archived',
  before: PaymentMethodAttributes | null,
  after: PaymentMethodAttributes,
): Promise<void> {
  assert.equal(after.userId, actor.userId, 'a user changes only their own payment methods');
  await appendAudit(ctx, databaseTransaction, {
    ownerUserId: after.userId, actor, action, entityType: 'payment-method', entityId: after.id,
    before: before === null ? null : paymentMethodState(before),
    after: paymentMethodState(after),
  });
}
