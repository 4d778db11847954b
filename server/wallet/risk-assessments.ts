/**
 * @module
 * The stored risk assessments (`ab_wallet_risk_assessments`, migration wallet_003): its model,
 * writing one, and reading a wallet's as pages.
 *
 * Every assessed debit is stored, whatever its band, so an owner can see why a debit was
 * flagged or refused, and so the rules can look back (the velocity rule counts a user's
 * recent assessments, blocked attempts included; the new-IP rule looks for an address used
 * before). An approved or flagged debit's row is written in the posting's database
 * transaction, naming the transaction; a blocked debit's row is written after the posting
 * rolled back, with an audit row `transaction.blocked`, in a database transaction of its own.
 *
 * Invariants. Each is tested in test/server/wallet/risk.test.ts.
 *  1. A row names a transaction exactly when its band is not `block` (a CHECK as well).
 *  2. A row holds no more than the masked form of a payment method (none at all: only its id).
 *  3. An owner reads only the assessments of their own wallets.
 */
import assert from 'node:assert/strict';
import {
  DataTypes,
  Op,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from 'sequelize';
import type { AppContext } from '../context.ts';
import type { Actor } from './actor.ts';
import { appendAudit, auditIpLengthMax, auditUserAgentLengthMax } from './audits.ts';
import { jsonFromColumn, minorFromColumn } from './column-values.ts';
import type { Row } from './models.ts';
import type { RiskBand, RiskRuleResult } from './risk-rules.ts';
import { getWallet } from './wallets.ts';
import { writeTransaction } from './write-transaction.ts';

/** A row of `ab_wallet_risk_assessments`. */
export interface RiskAssessmentAttributes {
  id: number;
  userId: number;
  walletId: number;
  /** The posted transaction; null when the debit was blocked. */
  transactionId: number | null;
  paymentMethodId: number | null;
  amountMinor: bigint;
  currency: string;
  score: number;
  band: RiskBand;
  /** Every rule's result, fired or not. */
  rules: RiskRuleResult[];
  ip: string | null;
  userAgent: string | null;
  assessedAt: Date;
}

/** An assessment before it is stored. */
export type RiskAssessmentDraft = Omit<RiskAssessmentAttributes, 'id' | 'transactionId'>;

const definedModels = new WeakMap<Sequelize, ModelStatic<Row<RiskAssessmentAttributes>>>();

/**
 * The model of `ab_wallet_risk_assessments`, once per database. Defined here, beside what it
 * serves, and registered in `server/models-registry.ts`.
 */
export function riskAssessmentModel(
  sequelize: Sequelize,
): ModelStatic<Row<RiskAssessmentAttributes>> {
  let model = definedModels.get(sequelize);
  if (!model) {
    const integer = (allowNull: boolean) => ({ type: DataTypes.INTEGER, allowNull });
    const text = (length: number, allowNull: boolean) =>
      ({ type: DataTypes.STRING(length), allowNull });
    model = sequelize.define<Row<RiskAssessmentAttributes>>('AbWalletRiskAssessment', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
      userId: integer(false),
      walletId: integer(false),
      transactionId: integer(true),
      paymentMethodId: integer(true),
      amountMinor: { type: DataTypes.BIGINT, allowNull: false, get(this: Model) {
        const value: unknown = this.getDataValue('amountMinor');
        return value === undefined ? undefined : minorFromColumn(value);
      } },
      currency: { type: DataTypes.CHAR(3), allowNull: false },
      score: integer(false),
      band: text(8, false),
      rules: { type: DataTypes.JSON, allowNull: false, get(this: Model) {
        const value: unknown = this.getDataValue('rules');
        return value === undefined ? undefined : jsonFromColumn(value);
      } },
      ip: text(64, true),
      userAgent: text(512, true),
      assessedAt: { type: DataTypes.DATE, allowNull: false },
    }, { tableName: 'ab_wallet_risk_assessments', underscored: true, timestamps: false });
    definedModels.set(sequelize, model);
  }
  return model;
}

/**
 * Stores the assessment of a debit that was posted, in the posting's database transaction.
 *
 * @param transactionId - the posted transaction.
 */
export async function storePostedAssessment(
  ctx: AppContext,
  databaseTransaction: Transaction,
  draft: RiskAssessmentDraft,
  transactionId: number,
): Promise<RiskAssessmentAttributes> {
  assert.notEqual(draft.band, 'block', 'a blocked debit is never posted');
  const RiskAssessment = riskAssessmentModel(ctx.sequelize);
  const row = await RiskAssessment.create({ ...trimmed(draft), transactionId },
    { transaction: databaseTransaction });
  return row.get({ plain: true });
}

/**
 * Records a blocked debit after its posting rolled back: the assessment and an audit row
 * `transaction.blocked` in the owner's chain, in one database transaction of its own.
 *
 * @param actor - who tried the debit; the audit row carries their address and user agent.
 * @returns the stored assessment.
 */
export async function storeBlockedAssessment(
  ctx: AppContext,
  actor: Actor,
  draft: RiskAssessmentDraft,
): Promise<RiskAssessmentAttributes> {
  assert.equal(draft.band, 'block', 'only a block is recorded after a rollback');
  const RiskAssessment = riskAssessmentModel(ctx.sequelize);
  return writeTransaction(ctx, async (databaseTransaction) => {
    const row = await RiskAssessment.create({ ...trimmed(draft), transactionId: null },
      { transaction: databaseTransaction });
    const stored = row.get({ plain: true });
    await appendAudit(ctx, databaseTransaction, {
      ownerUserId: draft.userId, actor, action: 'transaction.blocked',
      entityType: 'risk-assessment', entityId: stored.id, before: null,
      after: {
        walletId: stored.walletId, type: 'debit', amountMinor: stored.amountMinor.toString(),
        currency: stored.currency, paymentMethodId: stored.paymentMethodId, score: stored.score,
        band: stored.band,
        rules: stored.rules.filter((rule) => rule.fired)
          .map((rule) => ({ rule: rule.rule, points: rule.points, reason: rule.reason })),
      },
    });
    return stored;
  });
}

/**
 * A page of the assessments of one of the actor's wallets, newest first (by id).
 *
 * @param page - `limit`, the id the page starts before (null for the first page), and
 *   optional filters by band and by transaction.
 * @returns up to `limit + 1` rows; one more than `limit` says another page follows.
 * @throws ProblemError 404 for a wallet that is not the actor's.
 */
export async function listRiskAssessments(
  ctx: AppContext,
  actor: Actor,
  walletId: number,
  page: { limit: number; beforeId: number | null; band?: RiskBand; transactionId?: number },
): Promise<RiskAssessmentAttributes[]> {
  assert(Number.isSafeInteger(page.limit) && page.limit >= 1, 'a page holds at least one');
  const wallet = await getWallet(ctx, actor, walletId);
  const RiskAssessment = riskAssessmentModel(ctx.sequelize);
  const rows = await RiskAssessment.findAll({
    where: {
      walletId: wallet.id,
      ...(page.beforeId === null ? {} : { id: { [Op.lt]: page.beforeId } }),
      ...(page.band === undefined ? {} : { band: page.band }),
      ...(page.transactionId === undefined ? {} : { transactionId: page.transactionId }),
    },
    order: [['id', 'DESC']],
    limit: page.limit + 1,
  });
  return rows.map((row) => row.get({ plain: true }));
}

/** The draft with the address and user agent cut to their columns' widths. */
function trimmed(draft: RiskAssessmentDraft): RiskAssessmentDraft {
  return { ...draft, ip: draft.ip?.slice(0, auditIpLengthMax) ?? null,
    userAgent: draft.userAgent?.slice(0, auditUserAgentLengthMax) ?? null };
}
