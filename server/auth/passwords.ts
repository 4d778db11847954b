/**
 * @module
 * Password hashing with bcrypt.
 *
 * Invariants:
 *  1. Only bcrypt hashes are stored; a cost below {@link passwordHashCostMin} is never used.
 *  2. A password over bcrypt's 72-byte input never verifies, even if its first 72 bytes match:
 *     registration refuses such passwords, so a match could only come from truncation.
 *  3. Every verification costs exactly one bcrypt comparison, whether or not the account
 *     exists ({@link dummyPasswordHash}), so response time does not tell who has an account.
 *
 * The cost comes from the configuration ({@link passwordHashCost}): production and development
 * use {@link passwordHashCostProduction}; `NODE_ENV=test` uses the floor, so the suites stay
 * quick without patching this module.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { Config } from '../config.ts';
import { passwordByteLength, passwordBytesMax } from './password-rules.ts';

/** bcrypt cost (log2 of rounds) for real deployments. */
export const passwordHashCostProduction = 12;

/** Lowest bcrypt cost ever used; also the cost under `NODE_ENV=test`. */
export const passwordHashCostMin = 10;

/** Highest cost accepted; beyond it one hash takes seconds and invites denial of service. */
export const passwordHashCostMax = 15;

/**
 * The bcrypt cost for new hashes under `config`.
 *
 * @param config - the server's configuration; only `nodeEnv` is read.
 * @returns {@link passwordHashCostMin} under test, {@link passwordHashCostProduction} otherwise.
 */
export function passwordHashCost(config: Pick<Config, 'nodeEnv'>): number {
  return config.nodeEnv === 'test' ? passwordHashCostMin : passwordHashCostProduction;
}

/**
 * Hashes `password` with bcrypt at `cost`.
 *
 * @param password - an acceptable password (see `password-rules.ts`).
 * @param cost - the bcrypt cost, from {@link passwordHashCost}.
 * @returns the bcrypt hash, 60 characters.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  assertCost(cost);
  assert(passwordByteLength(password) <= passwordBytesMax, 'password longer than bcrypt reads');
  const hash = await bcrypt.hash(password, cost);
  assert.equal(hash.length, 60);
  return hash;
}

/**
 * Whether `password` matches `hash`. Always performs one bcrypt comparison.
 *
 * @param password - what the user typed.
 * @param hash - the stored hash, or {@link dummyPasswordHash} for an unknown account.
 * @returns true only for the right password of at most 72 bytes.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash);
  // Compared first and judged after, so a too-long password costs the same time as any other.
  return matches && passwordByteLength(password) <= passwordBytesMax;
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * A hash of a random secret at `cost`, to compare against when the account does not exist.
 * Made once per cost and process; nobody knows its password, so nothing ever matches it.
 *
 * @param cost - the cost real hashes have, so the comparison takes as long as a real one.
 * @returns the dummy hash.
 */
export function dummyPasswordHash(cost: number): Promise<string> {
  assertCost(cost);
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(randomBytes(32).toString('base64url'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

function assertCost(cost: number): void {
  assert(Number.isInteger(cost), 'bcrypt cost must be an integer');
  assert(cost >= passwordHashCostMin, `bcrypt cost below ${passwordHashCostMin}`);
  assert(cost <= passwordHashCostMax, `bcrypt cost above ${passwordHashCostMax}`);
}
