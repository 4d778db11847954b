/**
 * @module
 * The risk rules: explainable checks on a debit a user makes, each a pure function of the
 * facts `risk.ts` reads under the wallet's lock. A rule answers whether it fired, the points
 * it adds and a reason a person can read ("7 debits in 10 minutes, this one included; more
 * than 5 is unusual."), also when it did not fire, so an assessment explains itself.
 *
 * The rules, with their default settings ({@link defaultRiskRuleSettings}):
 *  - `velocity` (40): more than 5 debits assessed for the user in 10 minutes (this one and
 *    blocked attempts included).
 *  - `amount-above-history` (50): more than 3 x the 95th percentile of the wallet's debits
 *    of the last 90 days, once there are at least 10 of them.
 *  - `new-payment-method` (40): a payment method never used before or added less than 24
 *    hours ago, paying a large amount: at least 2 x the median of that history, or, with less
 *    history than that, at least half of what the wallet can pay (balance plus overdraft).
 *  - `just-under-limit` (40): an amount within 5 % below a maximum per transaction (the
 *    wallet's or the payment method's), the 3rd such debit in 7 days.
 *  - `new-ip` (20): the first debit from this IP address, when earlier debits of the user
 *    were assessed from other addresses.
 *
 * Score and band. The score is the sum of the fired rules' points; {@link riskBandOf} turns it
 * into a band: `approve` below the review threshold, `review` (posted, flagged) from it, and
 * `block` (refused, recorded) from the block threshold. The thresholds come from the
 * configuration (`RISK_REVIEW_SCORE`, default 40; `RISK_BLOCK_SCORE`, default 80). With the
 * defaults one strong signal alone flags a debit for review and never blocks it; a block
 * needs two (velocity and an amount far above the history, say), or a new address and two.
 *
 * Invariants. Each is asserted below and tested in test/server/wallet/risk-rules.test.ts.
 *  1. Money is bigint minor units; ratios are compared by multiplying, never by dividing
 *     into a float.
 *  2. A rule that did not fire adds 0 points; one that fired adds its configured points.
 *  3. 0 <= score <= {@link riskScoreMax}, and the band is a function of the score alone.
 */
import assert from 'node:assert/strict';
import { defaultRiskBlockScore, defaultRiskReviewScore, type RiskConfig } from '../config.ts';
import { formatMinor } from './money.ts';

/** What an assessment concludes. */
export type RiskBand = 'approve' | 'review' | 'block';

/** The names of the rules, as stored and sent. */
export const riskRuleNames = ['velocity', 'amount-above-history', 'new-payment-method',
  'just-under-limit', 'new-ip'] as const;

/** The name of one rule. */
export type RiskRuleName = (typeof riskRuleNames)[number];

/** Highest score an assessment may reach (the column's CHECK). */
export const riskScoreMax = 1000;

/** What one rule concluded. */
export interface RiskRuleResult {
  rule: RiskRuleName;
  fired: boolean;
  /** The points added to the score: the rule's points when it fired, else 0. */
  points: number;
  /** Why it fired or did not, for the person whose debit it is. */
  reason: string;
}

/**
 * The score thresholds of the bands: `reviewScoreMin` is the lowest score that is posted but
 * flagged, `blockScoreMin` (at least `reviewScoreMin`) the lowest that is refused.
 */
export type RiskThresholds = RiskConfig;

/** The settings of every rule; see {@link defaultRiskRuleSettings} for what each means. */
export interface RiskRuleSettings {
  velocityWindowMs: number;
  /** Most debits in the window before the next one fires the rule. */
  velocityDebitsMax: number;
  velocityPoints: number;
  historyWindowMs: number;
  /** Fewest debits in the history window for the history to count. */
  historyDebitsMin: number;
  /** Most debits read for the history (the most recent ones). */
  historyDebitsMax: number;
  /** The amount fires the rule above this percentage of the history's 95th percentile. */
  historyP95Percent: number;
  historyPoints: number;
  /** A payment method younger than this is new. */
  newMethodAgeMs: number;
  /** A large amount for a new method: at least this percentage of the history's median. */
  newMethodMedianPercent: number;
  /** Without enough history: at least this percentage of what the wallet can pay. */
  newMethodAvailablePercent: number;
  newMethodPoints: number;
  /** How close below a limit counts as just under it, in percent of the limit. */
  nearLimitPercent: number;
  nearLimitWindowMs: number;
  /** Fewest debits just under a limit in the window (this one included) to fire. */
  nearLimitRepeatMin: number;
  nearLimitPoints: number;
  newIpPoints: number;
}

const minuteMs = 60 * 1000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** The settings the server runs with; tests may pass others. */
export const defaultRiskRuleSettings: Readonly<RiskRuleSettings> = Object.freeze({
  velocityWindowMs: 10 * minuteMs,
  velocityDebitsMax: 5,
  velocityPoints: 40,
  historyWindowMs: 90 * dayMs,
  historyDebitsMin: 10,
  historyDebitsMax: 200,
  historyP95Percent: 300,
  historyPoints: 50,
  newMethodAgeMs: 24 * hourMs,
  newMethodMedianPercent: 200,
  newMethodAvailablePercent: 50,
  newMethodPoints: 40,
  nearLimitPercent: 5,
  nearLimitWindowMs: 7 * dayMs,
  nearLimitRepeatMin: 3,
  nearLimitPoints: 40,
  newIpPoints: 20,
});

/** The thresholds when the configuration sets none. */
export const defaultRiskThresholds: Readonly<RiskThresholds> = Object.freeze({
  reviewScoreMin: defaultRiskReviewScore,
  blockScoreMin: defaultRiskBlockScore,
});

/** A maximum per transaction the amount was compared with. */
export interface LimitFact {
  /** Whose limit: the wallet's or the payment method's. */
  owner: 'wallet' | 'payment method';
  limitMinor: bigint;
  /**
   * Earlier debits within the near band of this limit in the window; read only when this
   * amount is itself in the band, else null.
   */
  earlierNearCount: number | null;
}

/** What the rules look at; `risk.ts` reads it under the wallet's lock. */
export interface RiskFacts {
  amountMinor: bigint;
  currency: string;
  now: Date;
  /** The user's debits assessed in the velocity window before this one. */
  recentAssessedCount: number;
  /** Amounts of the wallet's debits in the history window (at most historyDebitsMax). */
  historyAmountsMinor: readonly bigint[];
  /** What the wallet could pay before this debit: balance plus overdraft limit. */
  availableMinor: bigint;
  paymentMethod: { masked: string; label: string; createdAt: Date; usageCount: number } | null;
  limits: readonly LimitFact[];
  /** The client's address, when known. */
  ip: string | null;
  /** Whether the user had any debit assessed before. */
  hasEarlierAssessments: boolean;
  /** Whether one of those came from `ip`. */
  ipSeenBefore: boolean;
}

/**
 * Runs every rule on the facts.
 *
 * @returns one result per rule, in {@link riskRuleNames} order.
 */
export function evaluateRiskRules(
  facts: RiskFacts,
  settings: RiskRuleSettings = defaultRiskRuleSettings,
): RiskRuleResult[] {
  assert(facts.amountMinor > 0n, 'an assessed amount is positive');
  assert(facts.historyAmountsMinor.length <= settings.historyDebitsMax,
    'the history is read with its bound');
  const results = [velocityRule(facts, settings), amountAboveHistoryRule(facts, settings),
    newPaymentMethodRule(facts, settings), justUnderLimitRule(facts, settings),
    newIpRule(facts, settings)];
  assert.deepEqual(results.map((result) => result.rule), [...riskRuleNames]);
  for (const result of results) {
    assert(result.fired || result.points === 0, 'a rule that did not fire adds nothing');
    assert(result.points >= 0, 'points are not negative');
  }
  return results;
}

/** The sum of the points of the fired rules, at most {@link riskScoreMax}. */
export function riskScoreOf(results: readonly RiskRuleResult[]): number {
  const score = results.reduce((sum, result) => sum + result.points, 0);
  assert(Number.isSafeInteger(score) && score >= 0, 'a score is a whole number, not negative');
  return Math.min(score, riskScoreMax);
}

/**
 * The band of a score.
 *
 * @example
 * riskBandOf(45, { reviewScoreMin: 40, blockScoreMin: 80 }); // 'review'
 */
export function riskBandOf(score: number, thresholds: RiskThresholds): RiskBand {
  assert(thresholds.reviewScoreMin <= thresholds.blockScoreMin, 'review comes before block');
  assert(score >= 0 && score <= riskScoreMax, 'a score is within its range');
  if (score >= thresholds.blockScoreMin) return 'block';
  if (score >= thresholds.reviewScoreMin) return 'review';
  return 'approve';
}

function result(rule: RiskRuleName, fired: boolean, points: number, reason: string) {
  return { rule, fired, points: fired ? points : 0, reason };
}

/** `velocity`: many debits in a short window. */
export function velocityRule(facts: RiskFacts, settings: RiskRuleSettings): RiskRuleResult {
  assert(facts.recentAssessedCount >= 0);
  const count = facts.recentAssessedCount + 1;
  const window = describeDuration(settings.velocityWindowMs);
  const fired = facts.recentAssessedCount >= settings.velocityDebitsMax;
  const reason = fired
    ? `${count} debits in ${window}, this one included; more than ` +
      `${settings.velocityDebitsMax} is unusual.`
    : `${count} ${count === 1 ? 'debit' : 'debits'} in ${window}, this one included; ` +
      `flagged above ${settings.velocityDebitsMax}.`;
  return result('velocity', fired, settings.velocityPoints, reason);
}

/** `amount-above-history`: an amount far above the wallet's recent debits. */
export function amountAboveHistoryRule(
  facts: RiskFacts,
  settings: RiskRuleSettings,
): RiskRuleResult {
  const count = facts.historyAmountsMinor.length;
  const window = describeDuration(settings.historyWindowMs);
  if (count < settings.historyDebitsMin) {
    return result('amount-above-history', false, settings.historyPoints,
      `Only ${count} ${count === 1 ? 'debit' : 'debits'} in the last ${window}; the ` +
        `comparison needs ${settings.historyDebitsMin}.`);
  }
  const p95Minor = percentileMinor(facts.historyAmountsMinor, 95);
  const fired = facts.amountMinor * 100n > p95Minor * BigInt(settings.historyP95Percent);
  const money = (minor: bigint) => `${formatMinor(minor, facts.currency)} ${facts.currency}`;
  const multiple = percentText(settings.historyP95Percent);
  const reason = fired
    ? `${money(facts.amountMinor)} is ${ratioText(facts.amountMinor, p95Minor)} x the 95th ` +
      `percentile (${money(p95Minor)}) of your ${count} debits in the last ${window}; ` +
      `flagged above ${multiple} x.`
    : `${money(facts.amountMinor)} is within ${multiple} x the 95th percentile ` +
      `(${money(p95Minor)}) of your ${count} debits in the last ${window}.`;
  return result('amount-above-history', fired, settings.historyPoints, reason);
}

/** `new-payment-method`: a method not used before, or just added, paying a large amount. */
export function newPaymentMethodRule(
  facts: RiskFacts,
  settings: RiskRuleSettings,
): RiskRuleResult {
  const method = facts.paymentMethod;
  const points = settings.newMethodPoints;
  if (method === null) return result('new-payment-method', false, points, 'No payment method.');
  const ageMs = facts.now.getTime() - method.createdAt.getTime();
  const unused = method.usageCount === 0;
  const young = ageMs < settings.newMethodAgeMs;
  const name = `${method.label} (${method.masked})`.replace(' ()', '');
  if (!unused && !young) {
    return result('new-payment-method', false, points,
      `${name} was added ${describeDuration(ageMs)} ago and used ${method.usageCount} ` +
        `${method.usageCount === 1 ? 'time' : 'times'} before.`);
  }
  const newness = [young ? `added ${describeDuration(Math.max(ageMs, 0))} ago` : null,
    unused ? 'never used before' : null].filter((part) => part !== null).join(', ');
  const large = largeAmount(facts, settings);
  const reason = large.large
    ? `${name} is new (${newness}) and pays ${large.reason}.`
    : `${name} is new (${newness}), but ${large.reason}.`;
  return result('new-payment-method', large.large, points, reason);
}

/** Whether the amount is large for this wallet, and why. */
function largeAmount(facts: RiskFacts, settings: RiskRuleSettings): {
  large: boolean;
  reason: string;
} {
  const money = (minor: bigint) => `${formatMinor(minor, facts.currency)} ${facts.currency}`;
  const amount = money(facts.amountMinor);
  if (facts.historyAmountsMinor.length >= settings.historyDebitsMin) {
    const medianMinor = percentileMinor(facts.historyAmountsMinor, 50);
    const large = facts.amountMinor * 100n >= medianMinor * BigInt(settings.newMethodMedianPercent);
    const ratio = `${ratioText(facts.amountMinor, medianMinor)} x your median debit ` +
      `(${money(medianMinor)})`;
    return large
      ? { large, reason: `${amount}, ${ratio}` }
      : { large, reason: `${amount} is ${ratio}, not a large amount` };
  }
  const availableMinor = facts.availableMinor;
  assert(availableMinor >= facts.amountMinor, 'a debit that passed the rules was affordable');
  const large = facts.amountMinor * 100n >=
    availableMinor * BigInt(settings.newMethodAvailablePercent);
  const share = `${percentOf(facts.amountMinor, availableMinor)} % of what the wallet can pay ` +
    `(${money(availableMinor)})`;
  return large
    ? { large, reason: `${amount}, ${share}` }
    : { large, reason: `${amount} is ${share}, not a large amount` };
}

/** `just-under-limit`: repeated amounts just below a maximum per transaction. */
export function justUnderLimitRule(facts: RiskFacts, settings: RiskRuleSettings): RiskRuleResult {
  const points = settings.nearLimitPoints;
  const money = (minor: bigint) => `${formatMinor(minor, facts.currency)} ${facts.currency}`;
  const window = describeDuration(settings.nearLimitWindowMs);
  const near = facts.limits.filter((limit) =>
    isJustUnder(facts.amountMinor, limit.limitMinor, settings.nearLimitPercent));
  if (facts.limits.length === 0) {
    return result('just-under-limit', false, points, 'No maximum per transaction applies.');
  }
  if (near.length === 0) {
    return result('just-under-limit', false, points,
      `${money(facts.amountMinor)} is not within ${settings.nearLimitPercent} % below ` +
        `${facts.limits.map((limit) => `the ${limit.owner}'s maximum (${money(limit.limitMinor)})`)
          .join(' or ')}.`);
  }
  const counted = near.map((limit) => {
    assert(limit.earlierNearCount !== null, 'earlier debits are counted for a near limit');
    return { ...limit, count: limit.earlierNearCount + 1 };
  });
  const worst = counted.reduce((first, second) => (second.count > first.count ? second : first));
  const fired = worst.count >= settings.nearLimitRepeatMin;
  const what = `${worst.count} ${worst.count === 1 ? 'debit' : 'debits'} within ` +
    `${settings.nearLimitPercent} % below the ${worst.owner}'s maximum per transaction ` +
    `(${money(worst.limitMinor)}) in ${window}, this one (${money(facts.amountMinor)}) included`;
  return result('just-under-limit', fired, points, fired
    ? `${what}; ${settings.nearLimitRepeatMin} or more look like splitting to stay under it.`
    : `${what}; flagged from ${settings.nearLimitRepeatMin}.`);
}

/** Whether `amountMinor` lies within `percent` % below `limitMinor` (the limit included). */
export function isJustUnder(amountMinor: bigint, limitMinor: bigint, percent: number): boolean {
  assert(limitMinor > 0n, 'a limit is positive');
  return amountMinor <= limitMinor && amountMinor * 100n >= limitMinor * BigInt(100 - percent);
}

/** The smallest amount {@link isJustUnder} accepts for `limitMinor`. */
export function justUnderFloorMinor(limitMinor: bigint, percent: number): bigint {
  const product = limitMinor * BigInt(100 - percent);
  return (product + 99n) / 100n;
}

/** `new-ip`: a debit from an address this user's debits never came from. */
export function newIpRule(facts: RiskFacts, settings: RiskRuleSettings): RiskRuleResult {
  const points = settings.newIpPoints;
  if (facts.ip === null) return result('new-ip', false, points, 'The address is not known.');
  if (!facts.hasEarlierAssessments) {
    return result('new-ip', false, points,
      `Your first assessed debit, from ${facts.ip}; there is no earlier address to compare.`);
  }
  if (facts.ipSeenBefore) {
    return result('new-ip', false, points, `Earlier debits came from ${facts.ip} too.`);
  }
  return result('new-ip', true, points,
    `The first debit from ${facts.ip}; your earlier debits came from other addresses.`);
}

/**
 * The nearest-rank percentile of a non-empty list of amounts.
 *
 * @example
 * percentileMinor([1n, 2n, 3n, 4n], 50); // 2n
 */
export function percentileMinor(amountsMinor: readonly bigint[], percent: number): bigint {
  assert(amountsMinor.length > 0, 'a percentile needs amounts');
  assert(percent > 0 && percent <= 100, 'a percentile is above 0 and at most 100');
  const sorted = [...amountsMinor].sort((first, second) =>
    (first < second ? -1 : first > second ? 1 : 0));
  const rank = Math.ceil((percent / 100) * sorted.length);
  const value = sorted[rank - 1];
  assert(value !== undefined, 'the rank lies within the list');
  return value;
}

/** `numerator / denominator` with one decimal, rounded half up: "4.8". */
function ratioText(numerator: bigint, denominator: bigint): string {
  assert(denominator > 0n, 'a ratio has a positive denominator');
  const tenths = (numerator * 10n + denominator / 2n) / denominator;
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** `part` as a whole percentage of `whole`, rounded down. */
function percentOf(part: bigint, whole: bigint): string {
  assert(whole > 0n, 'a share of nothing is undefined');
  return ((part * 100n) / whole).toString();
}

/** A percentage as a multiple: 300 -> "3", 250 -> "2.5". */
function percentText(percent: number): string {
  return String(percent / 100);
}

/** A duration in the largest whole unit that fits: "10 minutes", "3 hours", "90 days". */
export function describeDuration(durationMs: number): string {
  assert(durationMs >= 0, 'a duration is not negative');
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;
  if (durationMs >= 2 * dayMs) return unit(Math.floor(durationMs / dayMs), 'day');
  if (durationMs >= hourMs) return unit(Math.floor(durationMs / hourMs), 'hour');
  return unit(Math.floor(durationMs / minuteMs), 'minute');
}
