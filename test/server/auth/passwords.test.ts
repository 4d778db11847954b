import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcrypt';
import {
  passwordBytesMax,
  passwordLengthMax,
  passwordLengthMin,
  passwordRuleViolations,
} from '../../../server/auth/password-rules.ts';
import {
  dummyPasswordHash,
  hashPassword,
  passwordHashCost,
  passwordHashCostMin,
  passwordHashCostProduction,
  verifyPassword,
} from '../../../server/auth/passwords.ts';

describe('password rules', () => {
  it(`accepts ${passwordLengthMin} characters and refuses one fewer`, () => {
    assert.deepEqual(passwordRuleViolations('a'.repeat(passwordLengthMin), 'alice'), []);
    assert.deepEqual(passwordRuleViolations('a'.repeat(passwordLengthMin - 1), 'alice'), [
      'Use at least 10 characters.',
    ]);
  });

  it(`accepts ${passwordBytesMax} bytes and refuses one more, counting UTF-8 bytes`, () => {
    const atLimit = `${'€'.repeat(20)}${'a'.repeat(12)}`; // 60 + 12 bytes, 32 characters
    assert.deepEqual(passwordRuleViolations(atLimit, 'alice'), []);
    const violations = passwordRuleViolations(`${atLimit}a`, 'alice');
    assert.equal(violations.length, 1);
    assert.match(violations[0] ?? '', /at most 72 bytes/);
  });

  it(`refuses more than ${passwordLengthMax} characters`, () => {
    const violations = passwordRuleViolations('a'.repeat(passwordLengthMax + 1), 'alice');
    assert.deepEqual(violations, ['Use at most 128 characters.']);
  });

  it('refuses the username in any letter case', () => {
    assert.deepEqual(passwordRuleViolations('AdaLovelace', 'adalovelace'), [
      'The password must not be the username.',
    ]);
  });
});

describe('password hashing', () => {
  it('uses cost 12 in production and development and the floor of 10 under test', () => {
    assert.equal(passwordHashCost({ nodeEnv: 'production' }), passwordHashCostProduction);
    assert.equal(passwordHashCost({ nodeEnv: 'development' }), 12);
    assert.equal(passwordHashCost({ nodeEnv: 'test' }), passwordHashCostMin);
    assert.equal(passwordHashCostMin, 10);
  });

  it('refuses a cost below 10', async () => {
    await assert.rejects(hashPassword('a good password', 9), /below 10/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('a good password', passwordHashCostMin);
    assert.equal(bcrypt.getRounds(hash), 10);
    assert.equal(await verifyPassword('a good password', hash), true);
    assert.equal(await verifyPassword('a good passworD', hash), false);
  });

  it('refuses a password that only matches in the first 72 bytes bcrypt reads', async () => {
    const password = 'x'.repeat(passwordBytesMax);
    const hash = await hashPassword(password, passwordHashCostMin);
    assert.equal(await verifyPassword(password, hash), true);
    assert.equal(await verifyPassword(`${password}y`, hash), false);
  });

  it('makes a dummy hash of the same cost that nothing matches', async () => {
    const dummy = await dummyPasswordHash(passwordHashCostMin);
    assert.equal(bcrypt.getRounds(dummy), passwordHashCostMin);
    assert.equal(await dummyPasswordHash(passwordHashCostMin), dummy);
    assert.equal(await verifyPassword('', dummy), false);
  });
});
