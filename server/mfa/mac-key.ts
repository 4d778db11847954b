/**
 * @module
 * The MFA domain's MAC key: a random 256-bit key kept in `ab_mfa_keys` as a keyring token, so
 * short secrets can be stored as keyed hashes that a stolen database alone cannot reverse.
 *
 * A six-digit code or a phone number has so few possible values that a plain SHA-256 of it is
 * reversed by trying them all. An HMAC under this key is not, unless the keyring is stolen too.
 * Uses: SMS and email codes (`otp-codes.ts`) and the pseudonyms that count sends per
 * destination (`destinations.ts`).
 *
 * Invariants:
 *  1. There is one key per database, made once: of several processes starting together, the
 *     first insert wins (ON CONFLICT DO NOTHING) and every process reads the winner's key.
 *  2. The key is stored only as a keyring token (registered for `keys:rotate`), and is never
 *     logged or returned.
 *  3. Each use names its purpose, so a MAC made for one purpose never verifies for another.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { AppContext } from '../context.ts';
import { mfaModels } from './models.ts';

/** Bytes of the key (256 bits). */
export const macKeyBytes = 32;

/** The row of `ab_mfa_keys` holding the key. */
const macKeyPurpose = 'mac';

/** Uses of the key; part of every MAC's input. */
export type MacPurpose = 'otp-code' | 'destination';

const loadedKeys = new WeakMap<Sequelize, Promise<Buffer>>();

/** The key of `ctx`'s database, made on first use; cached per database. */
function macKey(ctx: AppContext): Promise<Buffer> {
  let key = loadedKeys.get(ctx.sequelize);
  if (!key) {
    key = loadOrCreateKey(ctx);
    // A failed load is not cached, so the next request tries again.
    key.catch(() => loadedKeys.delete(ctx.sequelize));
    loadedKeys.set(ctx.sequelize, key);
  }
  return key;
}

async function loadOrCreateKey(ctx: AppContext): Promise<Buffer> {
  const candidate = ctx.keys.encrypt(randomBytes(macKeyBytes));
  await ctx.sequelize.query(
    `INSERT INTO ab_mfa_keys (purpose, secret, created_at) VALUES (:purpose, :secret, :now)
      ON CONFLICT (purpose) DO NOTHING`,
    {
      replacements: { purpose: macKeyPurpose, secret: candidate, now: ctx.clock.now() },
      type: QueryTypes.INSERT,
    },
  );
  const { MfaKey } = mfaModels(ctx.sequelize);
  const row = await MfaKey.findByPk(macKeyPurpose);
  assert(row !== null, 'the MAC key exists after its insert');
  const key = ctx.keys.decrypt(row.secret).plaintext;
  assert.equal(key.length, macKeyBytes);
  return key;
}

/**
 * The HMAC-SHA256 (hex, 64 characters) of `value` for `purpose`.
 *
 * @param ctx - the server's context.
 * @param purpose - what the MAC is for; MACs of different purposes never match.
 * @param value - the short secret or identifier.
 */
export async function macOf(ctx: AppContext, purpose: MacPurpose, value: string): Promise<string> {
  const key = await macKey(ctx);
  const mac = createHmac('sha256', key).update(`${purpose}\u0000${value}`, 'utf8').digest('hex');
  assert.equal(mac.length, 64);
  return mac;
}

/** Whether two hex MACs are equal, in time independent of where they differ. */
export function macsEqual(left: string, right: string): boolean {
  const a = Buffer.from(left, 'hex');
  const b = Buffer.from(right, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
