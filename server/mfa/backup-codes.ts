/**
 * @module
 * Backup codes: {@link backupCodeCount} single-use codes for when the phone is gone.
 *
 * A code reads `SSSS-VVVVV-VVVVV`: a public selector (4 characters) that finds the row, and a
 * secret verifier (10 characters of Crockford base32, {@link backupCodeVerifierBits} bits) whose
 * bcrypt hash is all that is stored.
 *
 * Invariants. Each is asserted below and tested in test/server/mfa/backup-codes.test.ts.
 *  1. Every verifier has at least 50 bits from the CSPRNG; selectors are distinct per user.
 *  2. An attempt costs exactly one bcrypt comparison, whatever the number of codes on file and
 *     whether the selector exists (a dummy hash stands in), so timing says nothing.
 *  3. A code is consumed by one conditional UPDATE (`used_at IS NULL`): of N concurrent uses
 *     of one code exactly one succeeds.
 *  4. Codes exist only as a set: regenerating deletes every old code and writes the new ones in
 *     one database transaction. The plaintext codes are returned once and never stored.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { Transaction } from 'sequelize';
import type { Config } from '../config.ts';
import type { AppContext } from '../context.ts';
import { mfaModels } from './models.ts';

/** Codes in a set. */
export const backupCodeCount = 10;

/** Crockford's base32: no I, L, O or U, so a code survives being read aloud or copied by hand. */
export const backupCodeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters of the public selector. */
export const backupCodeSelectorLength = 4;

/** Characters of the secret verifier. */
export const backupCodeVerifierLength = 10;

/** Bits of the verifier: 10 characters of 5 bits. */
export const backupCodeVerifierBits = backupCodeVerifierLength * 5;

/** Fewest bits a verifier may have. */
export const backupCodeVerifierBitsMin = 50;

/** bcrypt cost of a verifier in real deployments (50 random bits need no more). */
export const backupCodeHashCostProduction = 10;

/** bcrypt cost under `NODE_ENV=test`, where sets are made by the dozen. */
export const backupCodeHashCostTest = 4;

/** Longest input read as a backup code (the code with spaces and dashes, and some slack). */
export const backupCodeInputLengthMax = 32;

/** How one attempt ended. */
export type BackupCodeOutcome = 'accepted' | 'wrong' | 'reused';

/** A selector and verifier read from what the user typed. */
export interface ParsedBackupCode {
  selector: string;
  verifier: string;
}

/** The bcrypt cost of verifiers under `config`. */
export function backupCodeHashCost(config: Pick<Config, 'nodeEnv'>): number {
  return config.nodeEnv === 'test' ? backupCodeHashCostTest : backupCodeHashCostProduction;
}

/** `SSSS-VVVVV-VVVVV`. */
export function formatBackupCode(code: ParsedBackupCode): string {
  const { selector, verifier } = code;
  return `${selector}-${verifier.slice(0, 5)}-${verifier.slice(5)}`;
}

/**
 * Reads a backup code as typed: any letter case, spaces and dashes anywhere, and the letters
 * Crockford maps (O to 0, I and L to 1).
 *
 * @returns the selector and verifier, or null when it cannot be a code.
 */
export function parseBackupCode(input: string): ParsedBackupCode | null {
  if (input.length > backupCodeInputLengthMax) return null;
  const compact = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  const length = backupCodeSelectorLength + backupCodeVerifierLength;
  if (compact.length !== length) return null;
  if ([...compact].some((character) => !backupCodeAlphabet.includes(character))) return null;
  return {
    selector: compact.slice(0, backupCodeSelectorLength),
    verifier: compact.slice(backupCodeSelectorLength),
  };
}

function randomCharacters(count: number): string {
  let text = '';
  for (let index = 0; index < count; index += 1) {
    text += backupCodeAlphabet[randomInt(backupCodeAlphabet.length)];
  }
  return text;
}

/** A new set: distinct selectors, fresh verifiers. */
function newCodeSet(): ParsedBackupCode[] {
  assert(backupCodeVerifierBits >= backupCodeVerifierBitsMin);
  const selectors = new Set<string>();
  while (selectors.size < backupCodeCount)
    selectors.add(randomCharacters(backupCodeSelectorLength));
  return [...selectors].map((selector) => ({
    selector,
    verifier: randomCharacters(backupCodeVerifierLength),
  }));
}

/** A new set, hashed and ready to store: the plaintext codes go to the user, once. */
export interface PreparedBackupCodes {
  codes: string[];
  rows: { selector: string; verifierHash: string }[];
}

/**
 * Makes a new set and hashes its verifiers. Slow (bcrypt), so it runs before any database
 * transaction opens.
 */
export async function prepareBackupCodes(ctx: AppContext): Promise<PreparedBackupCodes> {
  const codes = newCodeSet();
  const cost = backupCodeHashCost(ctx.config);
  const hashes = await Promise.all(codes.map((code) => bcrypt.hash(code.verifier, cost)));
  const rows = codes.map((code, index) => {
    const verifierHash = hashes[index];
    assert(verifierHash !== undefined && verifierHash.length === 60);
    return { selector: code.selector, verifierHash };
  });
  assert.equal(rows.length, backupCodeCount);
  return { codes: codes.map(formatBackupCode), rows };
}

/**
 * Replaces the backup codes of `userMfaId` with `prepared`, inside `transaction`
 * (invariant 4).
 */
export async function storeBackupCodes(
  ctx: AppContext,
  userMfaId: number,
  prepared: PreparedBackupCodes,
  transaction: Transaction,
): Promise<void> {
  const now = ctx.clock.now();
  const { BackupCode, UserMfa } = mfaModels(ctx.sequelize);
  await BackupCode.destroy({ where: { userMfaId }, transaction });
  await BackupCode.bulkCreate(
    prepared.rows.map((row) => ({ userMfaId, ...row, createdAt: now })),
    { transaction },
  );
  await UserMfa.update(
    { backupCodesGeneratedAt: now, updatedAt: now },
    { where: { id: userMfaId }, transaction },
  );
}

/** Deletes every backup code of `userMfaId` (the last method went). */
export async function deleteBackupCodes(
  ctx: AppContext,
  userMfaId: number,
  transaction: Transaction,
): Promise<void> {
  const { BackupCode, UserMfa } = mfaModels(ctx.sequelize);
  await BackupCode.destroy({ where: { userMfaId }, transaction });
  await UserMfa.update(
    { backupCodesGeneratedAt: null, updatedAt: ctx.clock.now() },
    { where: { id: userMfaId }, transaction },
  );
}

const dummyHashes = new Map<number, Promise<string>>();

function dummyVerifierHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hash(randomBytes(16).toString('hex'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

/**
 * Tries `input` as a backup code of `userMfaId` and consumes it when it is right and unused.
 *
 * @param ctx - the server's context.
 * @param userMfaId - the `ab_user_mfa` row.
 * @param input - what the user typed.
 * @returns `accepted` (now consumed), `reused` (right but used already), or `wrong`.
 */
export async function consumeBackupCode(
  ctx: AppContext,
  userMfaId: number,
  input: string,
): Promise<BackupCodeOutcome> {
  const { BackupCode } = mfaModels(ctx.sequelize);
  const parsed = parseBackupCode(input);
  const row = parsed
    ? await BackupCode.findOne({ where: { userMfaId, selector: parsed.selector } })
    : null;
  const hash = row?.verifierHash ?? (await dummyVerifierHash(backupCodeHashCost(ctx.config)));
  // The one comparison of this attempt (invariant 2).
  const matches = await bcrypt.compare(parsed?.verifier ?? '', hash);
  if (row === null || !matches) return 'wrong';
  if (row.usedAt !== null) return 'reused';
  const [changed] = await BackupCode.update(
    { usedAt: ctx.clock.now() },
    { where: { id: row.id, usedAt: null } },
  );
  assert(changed === 0 || changed === 1);
  return changed === 1 ? 'accepted' : 'reused';
}

/** Unused codes of `userMfaId`, and the size of the set they belong to. */
export async function backupCodeCounts(
  ctx: AppContext,
  userMfaId: number,
): Promise<{ remaining: number; total: number }> {
  const { BackupCode } = mfaModels(ctx.sequelize);
  const [total, remaining] = await Promise.all([
    BackupCode.count({ where: { userMfaId } }),
    BackupCode.count({ where: { userMfaId, usedAt: null } }),
  ]);
  assert(remaining <= total);
  assert(total <= backupCodeCount);
  return { remaining, total };
}
