/**
 * @module
 * The risk assessment of a posting: reads the facts the rules of `risk-rules.ts` look at,
 * scores them, and decides. Called by the ledger (`postToLockedWallet`) inside the posting's
 * database transaction, after the posting rules passed and before anything is written.
 *
 * What is assessed: debits a user makes by hand (origin `manual`, the API's postings). Not
 * credits; not reversals (they correct a mistake and must stay possible); not transfers
 * between one's own wallets; not imported rows (past money movements, recorded after the
 * fact); not recurring occurrences (they follow a rule the owner set up, and a catch-up after
 * downtime posts several at once, which velocity would mistake for an attack).
 *
 * What follows from the band:
 *  - `approve` and `review`: the debit is posted; its score and band are stored on the
 *    transaction (`risk_score`, `risk_band`; a review is how a flagged debit shows), and the
 *    assessment in `ab_wallet_risk_assessments` naming it, in the same database transaction.
 *  - `block`: nothing is posted; the posting fails with 422 `blocked-by-risk`, whose body names
 *    the fired rules with their points and reasons. The rollback would undo any record made
 *    inside it, so the refusal is a {@link RecordedRefusal}: once the posting's database
 *    transaction has rolled back, the assessment is stored (naming no transaction) with an
 *    audit row `transaction.blocked`.
 *
 * Thresholds come from the context's configuration (`RISK_REVIEW_SCORE`, `RISK_BLOCK_SCORE`);
 * the rules' own settings are {@link defaultRiskRuleSettings}.
 *
 * The facts are read under the wallet's lock (and the payment method's). A user's debits on
 * two wallets at once are not serialised against each other, so each may miss the other in
 * the velocity count; the rules are a heuristic, the limits are the guarantee.
 */
import assert from 'node:assert/strict';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { AppContext } from '../context.ts';
import { ProblemError } from '../http/problem.ts';
import type { Actor } from './actor.ts';
import { countFromColumn } from './column-values.ts';
import {
  walletModels,
  type PaymentMethodAttributes,
  type TransactionOrigin,
  type TransactionType,
  type WalletAttributes,
} from './models.ts';
import {
  riskAssessmentModel,
  storeBlockedAssessment,
  type RiskAssessmentDraft,
} from './risk-assessments.ts';
import {
  defaultRiskRuleSettings,
  evaluateRiskRules,
  isJustUnder,
  justUnderFloorMinor,
  riskBandOf,
  riskScoreOf,
  type LimitFact,
  type RiskFacts,
  type RiskRuleSettings,
} from './risk-rules.ts';
import type { RecordedRefusal } from './write-transaction.ts';

/** The origins whose debits are assessed. */
export const riskAssessedOrigins: readonly TransactionOrigin[] = Object.freeze(['manual']);

/** The part of a posting the assessment reads. */
export interface RiskPosting {
  type: TransactionType;
  origin: TransactionOrigin;
  amountMinor: bigint;
}

/**
 * Assesses a posting about to be written to a locked wallet.
 *
 * @param wallet - the wallet, locked, as it is before the posting.
 * @param method - the payment method the posting names, locked, or null.
 * @returns the assessment to store with the posting, or null when the posting is not one
 *   that is assessed.
 * @throws {@link RiskBlockedProblem} (422 `blocked-by-risk`) when the score reaches the block
 *   threshold; it records itself after the rollback.
 */
export async function assessPostingRisk(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  wallet: WalletAttributes,
  posting: RiskPosting,
  method: PaymentMethodAttributes | null,
): Promise<RiskAssessmentDraft | null> {
  if (posting.type !== 'debit' || !riskAssessedOrigins.includes(posting.origin)) return null;
  assert.equal(wallet.userId, actor.userId, 'a user debits only their own wallet');
  const settings = defaultRiskRuleSettings;
  const facts = await readRiskFacts(ctx, databaseTransaction, actor, wallet, posting, method,
    settings);
  const rules = evaluateRiskRules(facts, settings);
  const score = riskScoreOf(rules);
  const band = riskBandOf(score, ctx.config.risk);
  const assessment: RiskAssessmentDraft = {
    userId: actor.userId, walletId: wallet.id, paymentMethodId: method?.id ?? null,
    amountMinor: posting.amountMinor, currency: wallet.currency, score, band, rules,
    ip: actor.ip, userAgent: actor.userAgent, assessedAt: facts.now,
  };
  if (band === 'block') throw new RiskBlockedProblem(actor, assessment);
  return assessment;
}

/** The score and band a posted debit carries on its transaction row. */
export function riskMarkOf(
  assessment: RiskAssessmentDraft,
): { score: number; band: 'approve' | 'review' } {
  const { score, band } = assessment;
  assert(band !== 'block', 'a blocked debit is never posted');
  return { score, band };
}

/**
 * 422 `blocked-by-risk`: the risk rules refused a debit. Its body carries `risk: {score,
 * band, rules}` with the fired rules' points and reasons; nothing was posted. Once the
 * posting's database transaction has rolled back, it stores its assessment and an audit row.
 */
export class RiskBlockedProblem extends ProblemError implements RecordedRefusal {
  readonly #actor: Actor;
  readonly #assessment: RiskAssessmentDraft;
  #recorded = false;

  constructor(actor: Actor, assessment: RiskAssessmentDraft) {
    assert.equal(assessment.band, 'block', 'only a block is refused');
    const fired = assessment.rules.filter((rule) => rule.fired);
    assert(fired.length > 0, 'a block has fired rules');
    super(422, 'blocked-by-risk', 'Blocked by the risk checks.',
      `This debit looks unusual, so nothing was posted: ${fired.map((rule) => rule.reason)
        .join(' ')} If it is yours, try again later or with a smaller amount.`,
      { extensions: { risk: { score: assessment.score, band: assessment.band,
        rules: fired.map(({ rule, points, reason }) => ({ rule, points, reason })) } } });
    this.name = 'RiskBlockedProblem';
    this.#actor = actor;
    this.#assessment = assessment;
  }

  /** Stores the assessment and the audit row `transaction.blocked`, once. */
  async recordAfterRollback(ctx: AppContext): Promise<void> {
    if (this.#recorded) return;
    this.#recorded = true;
    try {
      await storeBlockedAssessment(ctx, this.#actor, this.#assessment);
    } catch (error) {
      // The refusal must still reach the caller; the failure to keep it is for an operator.
      ctx.logger.error('a blocked debit could not be recorded', {
        userId: this.#assessment.userId, walletId: this.#assessment.walletId,
        score: this.#assessment.score, error: error instanceof Error ? error.message : 'unknown',
      });
    }
  }
}

async function readRiskFacts(
  ctx: AppContext,
  databaseTransaction: Transaction,
  actor: Actor,
  wallet: WalletAttributes,
  posting: RiskPosting,
  method: PaymentMethodAttributes | null,
  settings: RiskRuleSettings,
): Promise<RiskFacts> {
  const now = ctx.clock.now();
  const RiskAssessment = riskAssessmentModel(ctx.sequelize);
  const options = { transaction: databaseTransaction };
  const recentAssessedCount = await RiskAssessment.count({ ...options, where: {
    userId: actor.userId,
    assessedAt: { [Op.gt]: new Date(now.getTime() - settings.velocityWindowMs) } } });
  const earlier = await RiskAssessment.findOne({ ...options, attributes: ['id'],
    where: { userId: actor.userId } });
  const seen = earlier === null || actor.ip === null ? null : await RiskAssessment.findOne(
    { ...options, attributes: ['id'], where: { userId: actor.userId, ip: actor.ip } });
  return {
    amountMinor: posting.amountMinor,
    currency: wallet.currency,
    now,
    recentAssessedCount,
    historyAmountsMinor: await readHistory(ctx, databaseTransaction, wallet.id, settings),
    availableMinor: wallet.balanceMinor + wallet.overdraftLimitMinor,
    paymentMethod: method && { masked: method.masked, label: method.label,
      createdAt: method.createdAt, usageCount: method.usageCount },
    limits: await readLimitFacts(ctx, databaseTransaction, wallet, posting, method, settings),
    ip: actor.ip,
    hasEarlierAssessments: earlier !== null,
    ipSeenBefore: seen !== null,
  };
}

/** The amounts of the wallet's most recent debits in the history window. */
async function readHistory(
  ctx: AppContext,
  databaseTransaction: Transaction,
  walletId: number,
  settings: RiskRuleSettings,
): Promise<bigint[]> {
  const { WalletTransaction } = walletModels(ctx.sequelize);
  const since = new Date(ctx.clock.now().getTime() - settings.historyWindowMs);
  const rows = await WalletTransaction.findAll({
    attributes: ['id', 'amountMinor'],
    where: { walletId, type: 'debit', origin: { [Op.ne]: 'reversal' }, reversedById: null,
      occurredAt: { [Op.gte]: since } },
    order: [['occurredAt', 'DESC'], ['id', 'DESC']],
    limit: settings.historyDebitsMax,
    transaction: databaseTransaction,
  });
  return rows.map((row) => row.amountMinor);
}

/** The maxima per transaction that apply, with earlier near-limit debits where it matters. */
async function readLimitFacts(
  ctx: AppContext,
  databaseTransaction: Transaction,
  wallet: WalletAttributes,
  posting: RiskPosting,
  method: PaymentMethodAttributes | null,
  settings: RiskRuleSettings,
): Promise<LimitFact[]> {
  const limits: LimitFact[] = [];
  const candidates = [
    { owner: 'wallet' as const, limitMinor: wallet.transactionAmountMaxMinor,
      column: 'wallet_id' as const, id: wallet.id },
    { owner: 'payment method' as const, limitMinor: method?.transactionAmountMaxMinor ?? null,
      column: 'payment_method_id' as const, id: method?.id ?? 0 },
  ];
  for (const { owner, limitMinor, column, id } of candidates) {
    if (limitMinor === null) continue;
    const near = isJustUnder(posting.amountMinor, limitMinor, settings.nearLimitPercent);
    const earlierNearCount = near
      ? await countNearDebits(ctx, databaseTransaction, { column, id, limitMinor }, settings)
      : null;
    limits.push({ owner, limitMinor, earlierNearCount });
  }
  return limits;
}

async function countNearDebits(
  ctx: AppContext,
  databaseTransaction: Transaction,
  scope: { column: 'wallet_id' | 'payment_method_id'; id: number; limitMinor: bigint },
  settings: RiskRuleSettings,
): Promise<number> {
  const since = new Date(ctx.clock.now().getTime() - settings.nearLimitWindowMs);
  // `scope.column` is one of two literals above, never user input.
  const [row] = await ctx.sequelize.query<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM ab_wallet_transactions
     WHERE ${scope.column} = :id AND type = 'debit' AND origin <> 'reversal'
       AND posted_at > :since AND amount_minor BETWEEN :floor AND :limit`,
    {
      replacements: { id: scope.id, since,
        floor: justUnderFloorMinor(scope.limitMinor, settings.nearLimitPercent).toString(),
        limit: scope.limitMinor.toString() },
      type: QueryTypes.SELECT,
      transaction: databaseTransaction,
    },
  );
  assert(row, 'a count returns one row');
  return countFromColumn(row.n);
}
