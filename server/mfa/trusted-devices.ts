/**
 * @module
 * Remember this device: after a verification, a browser may skip the second factor at later
 * sign-ins, for at most the policy's `rememberDeviceDays`.
 *
 * Invariants. Each is tested in test/server/mfa/trusted-devices.test.ts.
 *  1. The token is {@link deviceTokenBytes} random bytes; only its SHA-256 is stored.
 *  2. A token is honoured only for the account it was issued to, before it expires, while the
 *     account's factors are the ones it was issued with (`factor_version`), while the password
 *     is the one it was issued with (`password_changed_on`), and while the applying policy still
 *     allows remembering for at least its age. Anything else and the second factor is asked.
 *  3. A factor change deletes every remembered device of the account (`user-mfa.ts`); a
 *     password change makes them fail invariant 2.
 *  4. An account has at most {@link trustedDevicesPerUserMax} remembered devices; remembering
 *     one more forgets the oldest.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Op } from 'sequelize';
import type { AppContext } from '../context.ts';
import { notFoundProblem } from '../http/problem.ts';
import { mfaModels, type TrustedDeviceRow } from './models.ts';
import type { MfaPolicy } from './policies.ts';
import { rememberDeviceDaysMax, type TrustedDeviceView } from './schemas.ts';

/** Random bytes of a device token (256 bits). */
export const deviceTokenBytes = 32;

/** Most devices remembered per account. */
export const trustedDevicesPerUserMax = 20;

/** Longest device label kept (from the user agent). */
export const deviceLabelLengthMax = 128;

const dayMs = 24 * 60 * 60 * 1000;

/** A device token as it appears in the cookie: 32 bytes in base64url. */
const isDeviceTokenRe = /^[A-Za-z0-9_-]{43}$/;

function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A newly remembered device; the token goes into the cookie and is never shown again. */
export interface RememberedDevice {
  id: number;
  token: string;
  expiresAt: Date;
}

/**
 * Remembers the device a verification came from.
 *
 * @param ctx - the server's context.
 * @param input - the account, its factor version and password date, the policy's days
 *   (1..90), and where the request came from.
 * @returns the device and its token.
 */
export async function rememberDevice(
  ctx: AppContext,
  input: {
    userId: number;
    factorVersion: number;
    passwordChangedOn: Date | null;
    rememberDeviceDays: number;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<RememberedDevice> {
  assert(input.rememberDeviceDays >= 1 && input.rememberDeviceDays <= rememberDeviceDaysMax);
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const token = randomBytes(deviceTokenBytes).toString('base64url');
  assert(isDeviceTokenRe.test(token));
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + input.rememberDeviceDays * dayMs);
  const row = await TrustedDevice.create({
    userId: input.userId,
    tokenHash: hashDeviceToken(token),
    factorVersion: input.factorVersion,
    passwordChangedOn: input.passwordChangedOn,
    label: (input.userAgent ?? 'Unknown browser').slice(0, deviceLabelLengthMax),
    ip: input.ip,
    createdAt: now,
    expiresAt,
  });
  await forgetBeyondLimit(ctx, input.userId);
  return { id: row.id, token, expiresAt };
}

async function forgetBeyondLimit(ctx: AppContext, userId: number): Promise<void> {
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const beyond = await TrustedDevice.findAll({
    attributes: ['id'],
    where: { userId },
    order: [['id', 'DESC']],
    offset: trustedDevicesPerUserMax,
    limit: 1,
  });
  const newestForgotten = beyond[0];
  if (newestForgotten) {
    await TrustedDevice.destroy({ where: { userId, id: { [Op.lte]: newestForgotten.id } } });
  }
}

/**
 * The remembered device `token` names, if it may skip the second factor now (invariant 2).
 *
 * @returns the device's id, or null.
 */
export async function honouredDevice(
  ctx: AppContext,
  token: string | null,
  account: {
    userId: number;
    factorVersion: number;
    passwordChangedOn: Date | null;
    policy: MfaPolicy;
  },
): Promise<number | null> {
  if (token === null || !isDeviceTokenRe.test(token)) return null;
  if (account.policy.rememberDeviceDays < 1) return null;
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const row = await TrustedDevice.findOne({ where: { tokenHash: hashDeviceToken(token) } });
  if (row === null || row.userId !== account.userId) return null;
  const nowMs = ctx.clock.now().getTime();
  const policyEndMs = row.createdAt.getTime() + account.policy.rememberDeviceDays * dayMs;
  const honoured =
    nowMs < row.expiresAt.getTime() &&
    nowMs < policyEndMs &&
    row.factorVersion === account.factorVersion &&
    (row.passwordChangedOn?.getTime() ?? null) === (account.passwordChangedOn?.getTime() ?? null);
  if (!honoured) return null;
  await TrustedDevice.update({ lastUsedAt: new Date(nowMs) }, { where: { id: row.id } });
  return row.id;
}

/** The device id `token` names for `userId`, honoured or not; to mark the current one. */
export async function deviceIdOfToken(
  ctx: AppContext,
  userId: number,
  token: string | null,
): Promise<number | null> {
  if (token === null || !isDeviceTokenRe.test(token)) return null;
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const row = await TrustedDevice.findOne({
    attributes: ['id'],
    where: { tokenHash: hashDeviceToken(token), userId },
  });
  return row?.id ?? null;
}

/** The remembered devices of `userId` that have not expired, newest first. */
export async function listTrustedDevices(
  ctx: AppContext,
  userId: number,
  currentDeviceId: number | null,
): Promise<TrustedDeviceView[]> {
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const rows = await TrustedDevice.findAll({
    where: { userId, expiresAt: { [Op.gt]: ctx.clock.now() } },
    order: [['id', 'DESC']],
    limit: trustedDevicesPerUserMax,
  });
  return rows.map((row) => deviceView(row, currentDeviceId));
}

function deviceView(row: TrustedDeviceRow, currentDeviceId: number | null): TrustedDeviceView {
  return {
    id: row.id,
    label: row.label,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    current: row.id === currentDeviceId,
  };
}

/**
 * Forgets device `deviceId` of `userId`.
 *
 * @throws ProblemError 404 when the account has no such device.
 */
export async function revokeTrustedDevice(
  ctx: AppContext,
  userId: number,
  deviceId: number,
): Promise<void> {
  const { TrustedDevice } = mfaModels(ctx.sequelize);
  const deleted = await TrustedDevice.destroy({ where: { id: deviceId, userId } });
  if (deleted === 0) throw notFoundProblem(`There is no remembered device ${deviceId}.`);
}
