import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import {
  amountAboveHistoryRule,
  defaultRiskRuleSettings,
  defaultRiskThresholds,
  describeDuration,
  evaluateRiskRules,
  isJustUnder,
  justUnderFloorMinor,
  justUnderLimitRule,
  newIpRule,
  newPaymentMethodRule,
  percentileMinor,
  riskBandOf,
  riskRuleNames,
  riskScoreOf,
  velocityRule,
  type RiskFacts,
} from '../../../server/wallet/risk-rules.ts';

const settings = defaultRiskRuleSettings;
const now = new Date('2026-03-01T09:00:00Z');
const hourMs = 60 * 60 * 1000;

/** Facts on which no rule fires: a small debit, a quiet user, no method, no limit. */
function facts(overrides: Partial<RiskFacts> = {}): RiskFacts {
  return {
    amountMinor: 1000n, currency: 'EUR', now, recentAssessedCount: 0,
    historyAmountsMinor: [], availableMinor: 100_000n, paymentMethod: null, limits: [],
    ip: '203.0.113.7', hasEarlierAssessments: true, ipSeenBefore: true, ...overrides,
  };
}

/** `count` debits of `amountMinor` each. */
const history = (count: number, amountMinor: bigint) =>
  Array.from({ length: count }, () => amountMinor);

describe('velocity', () => {
  it('does not fire at 5 debits in 10 minutes, this one included', () => {
    const result = velocityRule(facts({ recentAssessedCount: 4 }), settings);
    assert.deepEqual(result, { rule: 'velocity', fired: false, points: 0,
      reason: '5 debits in 10 minutes, this one included; flagged above 5.' });
  });

  it('fires at the 6th, with its points', () => {
    const result = velocityRule(facts({ recentAssessedCount: 5 }), settings);
    assert.deepEqual(result, { rule: 'velocity', fired: true, points: 40,
      reason: '6 debits in 10 minutes, this one included; more than 5 is unusual.' });
  });

  it('speaks of one debit in the singular', () => {
    assert.equal(velocityRule(facts(), settings).reason,
      '1 debit in 10 minutes, this one included; flagged above 5.');
  });
});

describe('amount above history', () => {
  it('needs 10 debits of history', () => {
    const result = amountAboveHistoryRule(facts({ amountMinor: 1_000_000n,
      historyAmountsMinor: history(9, 1000n) }), settings);
    assert.equal(result.fired, false);
    assert.equal(result.reason, 'Only 9 debits in the last 90 days; the comparison needs 10.');
  });

  it('does not fire at exactly 3 x the 95th percentile', () => {
    const result = amountAboveHistoryRule(facts({ amountMinor: 3000n,
      historyAmountsMinor: history(10, 1000n) }), settings);
    assert.equal(result.fired, false);
    assert.equal(result.reason, '30.00 EUR is within 3 x the 95th percentile (10.00 EUR) of ' +
      'your 10 debits in the last 90 days.');
  });

  it('fires one cent above, explaining by how much', () => {
    const result = amountAboveHistoryRule(facts({ amountMinor: 3001n,
      historyAmountsMinor: history(10, 1000n) }), settings);
    assert.deepEqual(result, { rule: 'amount-above-history', fired: true, points: 50,
      reason: '30.01 EUR is 3.0 x the 95th percentile (10.00 EUR) of your 10 debits in the ' +
        'last 90 days; flagged above 3 x.' });
  });

  it('compares with the 95th percentile, so one large debit in the past raises the bar', () => {
    const amounts = [...history(19, 1000n), 50_000n];
    assert.equal(percentileMinor(amounts, 95), 1000n);
    const amountsWithTwo = [...history(18, 1000n), 50_000n, 50_000n];
    assert.equal(percentileMinor(amountsWithTwo, 95), 50_000n);
    assert.equal(amountAboveHistoryRule(facts({ amountMinor: 100_000n,
      historyAmountsMinor: amountsWithTwo }), settings).fired, false);
  });

  it('formats the currency by its own exponent', () => {
    const result = amountAboveHistoryRule(facts({ currency: 'JPY', amountMinor: 100_000n,
      historyAmountsMinor: history(12, 1000n) }), settings);
    assert.match(result.reason, /^100000 JPY is 100\.0 x the 95th percentile \(1000 JPY\)/);
  });
});

describe('new payment method with a large amount', () => {
  const method = (createdAgoMs: number, usageCount: number) => ({ label: 'Visa •••• 4242',
    masked: '•••• 4242', createdAt: new Date(now.getTime() - createdAgoMs), usageCount });

  it('does not fire without a method, or for one used before and older than 24 hours', () => {
    assert.deepEqual(newPaymentMethodRule(facts(), settings),
      { rule: 'new-payment-method', fired: false, points: 0, reason: 'No payment method.' });
    const old = newPaymentMethodRule(facts({ amountMinor: 90_000n,
      paymentMethod: method(24 * hourMs, 3) }), settings);
    assert.equal(old.fired, false);
    assert.equal(old.reason, 'Visa •••• 4242 (•••• 4242) was added 24 hours ago and used 3 ' +
      'times before.');
  });

  it('fires for one added less than 24 hours ago paying half of what the wallet can pay', () => {
    const result = newPaymentMethodRule(facts({ amountMinor: 50_000n,
      paymentMethod: method(24 * hourMs - 1, 2) }), settings);
    assert.deepEqual(result, { rule: 'new-payment-method', fired: true, points: 40,
      reason: 'Visa •••• 4242 (•••• 4242) is new (added 23 hours ago) and pays 500.00 EUR, ' +
        '50 % of what the wallet can pay (1000.00 EUR).' });
  });

  it('does not fire one cent below half, without a history', () => {
    const result = newPaymentMethodRule(facts({ amountMinor: 49_999n,
      paymentMethod: method(hourMs, 0) }), settings);
    assert.equal(result.fired, false);
    assert.equal(result.reason, 'Visa •••• 4242 (•••• 4242) is new (added 1 hour ago, never ' +
      'used before), but 499.99 EUR is 49 % of what the wallet can pay (1000.00 EUR), not a ' +
      'large amount.');
  });

  it('with a history, fires from twice the median debit', () => {
    const base = { historyAmountsMinor: history(10, 1000n), paymentMethod: method(48 * hourMs, 0) };
    const at = newPaymentMethodRule(facts({ ...base, amountMinor: 2000n }), settings);
    assert.equal(at.fired, true);
    assert.equal(at.reason, 'Visa •••• 4242 (•••• 4242) is new (never used before) and pays ' +
      '20.00 EUR, 2.0 x your median debit (10.00 EUR).');
    const below = newPaymentMethodRule(facts({ ...base, amountMinor: 1999n }), settings);
    assert.equal(below.fired, false);
    assert.match(below.reason,
      /19\.99 EUR is 2\.0 x your median debit \(10\.00 EUR\), not a large/);
  });

  it('names a method without a masked number by its label alone', () => {
    const result = newPaymentMethodRule(facts({ amountMinor: 90_000n,
      paymentMethod: { label: 'Cash', masked: '', createdAt: now, usageCount: 0 } }), settings);
    assert.match(result.reason, /^Cash is new \(added 0 minutes ago, never used before\)/);
  });
});

describe('just under a limit', () => {
  const walletLimit = (earlierNearCount: number | null) =>
    ({ owner: 'wallet' as const, limitMinor: 10_000n, earlierNearCount });

  it('counts 95 % to 100 % of a limit as just under it', () => {
    assert.equal(isJustUnder(9500n, 10_000n, 5), true);
    assert.equal(isJustUnder(9499n, 10_000n, 5), false);
    assert.equal(isJustUnder(10_000n, 10_000n, 5), true);
    assert.equal(isJustUnder(10_001n, 10_000n, 5), false);
    assert.equal(justUnderFloorMinor(10_000n, 5), 9500n);
    assert.equal(justUnderFloorMinor(101n, 5), 96n);
    assert.equal(isJustUnder(96n, 101n, 5), true);
    assert.equal(isJustUnder(95n, 101n, 5), false);
  });

  it('does not fire without a limit, or for an amount not near one', () => {
    assert.equal(justUnderLimitRule(facts(), settings).reason,
      'No maximum per transaction applies.');
    const far = justUnderLimitRule(facts({ amountMinor: 9499n, limits: [walletLimit(null)] }),
      settings);
    assert.equal(far.fired, false);
    assert.equal(far.reason, "94.99 EUR is not within 5 % below the wallet's maximum " +
      '(100.00 EUR).');
  });

  it('does not fire for the 2nd near-limit debit in 7 days, fires for the 3rd', () => {
    const second = justUnderLimitRule(facts({ amountMinor: 9500n, limits: [walletLimit(1)] }),
      settings);
    assert.equal(second.fired, false);
    assert.equal(second.reason, "2 debits within 5 % below the wallet's maximum per " +
      'transaction (100.00 EUR) in 7 days, this one (95.00 EUR) included; flagged from 3.');
    const third = justUnderLimitRule(facts({ amountMinor: 9999n, limits: [walletLimit(2)] }),
      settings);
    assert.deepEqual(third, { rule: 'just-under-limit', fired: true, points: 40,
      reason: "3 debits within 5 % below the wallet's maximum per transaction (100.00 EUR) in " +
        '7 days, this one (99.99 EUR) included; 3 or more look like splitting to stay under it.' });
  });

  it("looks at the payment method's maximum as well, and names the one most repeated", () => {
    const result = justUnderLimitRule(facts({ amountMinor: 4900n, limits: [
      { owner: 'wallet', limitMinor: 100_000n, earlierNearCount: null },
      { owner: 'payment method', limitMinor: 5000n, earlierNearCount: 4 },
    ] }), settings);
    assert.equal(result.fired, true);
    assert.match(result.reason, /^5 debits within 5 % below the payment method's maximum/);
  });
});

describe('new IP address', () => {
  it('does not fire without an address, for a first debit, or for an address seen before', () => {
    assert.equal(newIpRule(facts({ ip: null }), settings).reason, 'The address is not known.');
    const first = newIpRule(facts({ hasEarlierAssessments: false, ipSeenBefore: false }),
      settings);
    assert.equal(first.fired, false);
    assert.match(first.reason, /first assessed debit, from 203\.0\.113\.7/);
    assert.equal(newIpRule(facts(), settings).fired, false);
  });

  it('fires for an address the earlier debits never came from', () => {
    assert.deepEqual(newIpRule(facts({ ipSeenBefore: false }), settings), { rule: 'new-ip',
      fired: true, points: 20,
      reason: 'The first debit from 203.0.113.7; your earlier debits came from other addresses.' });
  });
});

describe('score and band', () => {
  it('runs every rule, in order, and scores nothing on quiet facts', () => {
    const results = evaluateRiskRules(facts());
    assert.deepEqual(results.map((result) => result.rule), [...riskRuleNames]);
    assert.equal(riskScoreOf(results), 0);
    for (const result of results) {
      assert.match(result.reason, /^[A-Z0-9].*\.$/, result.reason);
      assert.doesNotMatch(result.reason, /undefined|NaN|null/);
    }
  });

  it('adds the points of the fired rules: velocity alone reviews, with a spike blocks', () => {
    const velocity = evaluateRiskRules(facts({ recentAssessedCount: 5 }));
    assert.equal(riskScoreOf(velocity), 40);
    assert.equal(riskBandOf(riskScoreOf(velocity), defaultRiskThresholds), 'review');
    const both = evaluateRiskRules(facts({ recentAssessedCount: 5, amountMinor: 50_000n,
      historyAmountsMinor: history(10, 1000n) }));
    assert.deepEqual(both.filter((result) => result.fired).map((result) => result.rule),
      ['velocity', 'amount-above-history']);
    assert.equal(riskScoreOf(both), 90);
    assert.equal(riskBandOf(90, defaultRiskThresholds), 'block');
    const newIp = evaluateRiskRules(facts({ ipSeenBefore: false }));
    assert.equal(riskBandOf(riskScoreOf(newIp), defaultRiskThresholds), 'approve');
  });

  it('bands at the thresholds: 39 approve, 40 review, 79 review, 80 block', () => {
    assert.equal(riskBandOf(0, defaultRiskThresholds), 'approve');
    assert.equal(riskBandOf(39, defaultRiskThresholds), 'approve');
    assert.equal(riskBandOf(40, defaultRiskThresholds), 'review');
    assert.equal(riskBandOf(79, defaultRiskThresholds), 'review');
    assert.equal(riskBandOf(80, defaultRiskThresholds), 'block');
    assert.equal(riskBandOf(20, { reviewScoreMin: 20, blockScoreMin: 20 }), 'block');
  });

  it('caps a score at 1000', () => {
    const many = Array.from({ length: 30 }, () =>
      ({ rule: 'velocity' as const, fired: true, points: 40, reason: 'x.' }));
    assert.equal(riskScoreOf(many), 1000);
  });

  it('takes nearest-rank percentiles', () => {
    const amounts = [5n, 1n, 4n, 2n, 3n, 10n, 9n, 8n, 7n, 6n];
    assert.equal(percentileMinor(amounts, 95), 10n);
    assert.equal(percentileMinor(amounts, 50), 5n);
    assert.equal(percentileMinor([7n], 95), 7n);
  });

  it('describes durations in whole units', () => {
    assert.equal(describeDuration(0), '0 minutes');
    assert.equal(describeDuration(60_000), '1 minute');
    assert.equal(describeDuration(hourMs), '1 hour');
    assert.equal(describeDuration(47 * hourMs), '47 hours');
    assert.equal(describeDuration(48 * hourMs), '2 days');
  });
});

describe('the risk thresholds in the configuration', () => {
  it('default to 40 and 80, and read RISK_REVIEW_SCORE and RISK_BLOCK_SCORE', () => {
    assert.deepEqual(loadConfig({}).risk, { reviewScoreMin: 40, blockScoreMin: 80 });
    assert.deepEqual(loadConfig({ RISK_REVIEW_SCORE: '30', RISK_BLOCK_SCORE: '1000' }).risk,
      { reviewScoreMin: 30, blockScoreMin: 1000 });
  });

  it('refuses a score out of 1..1000, and a block below the review', () => {
    for (const [env, message] of [
      [{ RISK_REVIEW_SCORE: '0' }, /RISK_REVIEW_SCORE must be a whole number from 1 to 1000/],
      [{ RISK_BLOCK_SCORE: '1001' }, /RISK_BLOCK_SCORE must be a whole number/],
      [{ RISK_BLOCK_SCORE: 'high' }, /RISK_BLOCK_SCORE must be a whole number/],
      [{ RISK_REVIEW_SCORE: '50', RISK_BLOCK_SCORE: '40' },
        /RISK_BLOCK_SCORE \(40\) must be at least RISK_REVIEW_SCORE \(50\)/],
    ] as const) {
      assert.throws(() => loadConfig(env), (error: unknown) =>
        error instanceof ConfigError && message.test(error.message));
    }
  });
});
