/**
 * @module
 * One-time codes sent by SMS or email: to sign in or step up (`verify`), and to prove a new
 * phone number or address (`enrolment`).
 *
 * Invariants. Each is asserted below and tested in test/server/mfa/otp-codes.test.ts.
 *  1. A code has {@link otpCodeDigits} digits from the CSPRNG (`crypto.randomInt`).
 *  2. Only its HMAC under the MFA key is stored (`mac-key.ts`); the destination is stored as a
 *     keyring token. Neither is ever logged.
 *  3. A code is valid for {@link otpCodeTtlMs}, once: it is consumed by a conditional UPDATE
 *     (`used_at IS NULL`), and sending a new code deletes the unused older ones of the same
 *     account, channel and purpose, so only the newest code works.
 *  4. Sends are limited before anything is sent (`throttle.ts`): one per
 *     {@link resendCooldownMs} per account and channel, and per day at most
 *     {@link codesPerUserPerDayMax} per account, {@link codesPerDestinationPerDayMax} per
 *     destination (counted under a pseudonym, `destinations.ts`) and
 *     {@link codesPerAddressPerDayMax} per client address.
 *  5. A code the provider did not accept is deleted and reported as 502; it never works.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { Op } from 'sequelize';
import type { AppContext } from '../context.ts';
import { tooManyRequestsProblem } from '../http/problem.ts';
import { destinationKey, type CodeChannel } from './destinations.ts';
import { macOf, macsEqual } from './mac-key.ts';
import { mfaModels } from './models.ts';
import { deliveryFailedProblem } from './problems.ts';
import { DeliveryError } from './senders.ts';
import { chargeWindow, type WindowedLimit } from './throttle.ts';

/** Digits of a code (NIST SP 800-63B asks at least 6). */
export const otpCodeDigits = 6;

/** How long a code is valid. */
export const otpCodeTtlMs = 5 * 60 * 1000;

/** Shortest time between two codes to one account on one channel. */
export const resendCooldownMs = 60 * 1000;

/** Most codes per account per day, over both channels. */
export const codesPerUserPerDayMax = 10;

/** Most codes per phone number or address per day, whatever the account. */
export const codesPerDestinationPerDayMax = 10;

/** Most codes per client address per day. */
export const codesPerAddressPerDayMax = 50;

const dayMs = 24 * 60 * 60 * 1000;

/** What a code is for. */
export type CodePurpose = 'verify' | 'enrolment';

/** How checking a code ended. */
export type CodeOutcome = 'accepted' | 'wrong' | 'expired' | 'reused';

/** A code as sent: when it stops working and when another may be asked for. */
export interface SentCode {
  expiresAt: Date;
  resendAvailableAt: Date;
}

function codeMac(
  ctx: AppContext,
  owner: { userId: number; channel: CodeChannel; purpose: CodePurpose },
  code: string,
): Promise<string> {
  return macOf(ctx, 'otp-code', `${owner.userId}:${owner.channel}:${owner.purpose}:${code}`);
}

/** The limits one send is charged to (invariant 4), the cooldown first. */
function sendLimits(
  input: { userId: number; channel: CodeChannel; ip: string | null },
  destination: string,
): WindowedLimit[] {
  return [
    {
      key: `mfa:send:cooldown:${input.userId}:${input.channel}`,
      countMax: 1,
      windowMs: resendCooldownMs,
    },
    { key: `mfa:send:user:${input.userId}`, countMax: codesPerUserPerDayMax, windowMs: dayMs },
    {
      key: `mfa:send:dest:${destination}`,
      countMax: codesPerDestinationPerDayMax,
      windowMs: dayMs,
    },
    {
      key: `mfa:send:ip:${input.ip ?? 'unknown'}`,
      countMax: codesPerAddressPerDayMax,
      windowMs: dayMs,
    },
  ];
}

/**
 * Makes a code and sends it to `destination`.
 *
 * @param ctx - the server's context; `ctx.sms` or `ctx.mailer` sends.
 * @param input - the account, channel, purpose, normalised destination, and client address.
 * @returns when the code expires and when the next may be sent.
 * @throws ProblemError 429 (`Retry-After`) when a limit is reached; 502 when not delivered.
 */
export async function sendCode(
  ctx: AppContext,
  input: {
    userId: number;
    channel: CodeChannel;
    purpose: CodePurpose;
    destination: string;
    ip: string | null;
  },
): Promise<SentCode> {
  const pseudonym = await destinationKey(ctx, input.channel, input.destination);
  for (const limit of sendLimits(input, pseudonym)) {
    const charge = await chargeWindow(ctx, limit);
    if (!charge.allowed) {
      throw tooManyRequestsProblem(
        charge.retryAfterMs,
        'Too many codes sent. Wait before asking again.',
      );
    }
  }
  const code = String(randomInt(0, 10 ** otpCodeDigits)).padStart(otpCodeDigits, '0');
  assert.match(code, new RegExp(`^\\d{${otpCodeDigits}}$`));
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + otpCodeTtlMs);
  const { OtpCode } = mfaModels(ctx.sequelize);
  const owner = { userId: input.userId, channel: input.channel, purpose: input.purpose };
  await OtpCode.destroy({ where: { ...owner, usedAt: { [Op.is]: null } } });
  const row = await OtpCode.create({
    ...owner,
    destination: ctx.keys.encryptString(input.destination),
    destinationKey: pseudonym,
    codeHash: await codeMac(ctx, owner, code),
    createdAt: now,
    expiresAt,
  });
  try {
    await deliver(ctx, input, code);
  } catch (error) {
    await OtpCode.destroy({ where: { id: row.id } });
    if (error instanceof DeliveryError) {
      ctx.logger.warn('mfa code not delivered', { userId: input.userId, error: error.message });
      throw deliveryFailedProblem(input.channel);
    }
    throw error;
  }
  return { expiresAt, resendAvailableAt: new Date(now.getTime() + resendCooldownMs) };
}

async function deliver(
  ctx: AppContext,
  input: { userId: number; channel: CodeChannel; purpose: CodePurpose; destination: string },
  code: string,
): Promise<void> {
  const minutes = otpCodeTtlMs / 60_000;
  const text = `Your ab-elements code is ${code}. It expires in ${minutes} minutes.`;
  if (input.channel === 'sms') {
    await ctx.sms.send({ to: input.destination, body: text, userId: input.userId });
    return;
  }
  await ctx.mailer.send({
    to: input.destination,
    subject: input.purpose === 'enrolment' ? 'Confirm your email address' : 'Your sign-in code',
    text: `${text}\n\nIf you did not ask for it, someone may know your password.`,
    userId: input.userId,
  });
}

/**
 * Checks `code` against the newest code of the account, channel and purpose, and consumes it
 * when right (invariant 3).
 *
 * @returns the outcome, and for an accepted code the destination it was sent to.
 */
export async function checkCode(
  ctx: AppContext,
  input: { userId: number; channel: CodeChannel; purpose: CodePurpose; code: string },
): Promise<{ outcome: CodeOutcome; destination: string | null }> {
  const { OtpCode } = mfaModels(ctx.sequelize);
  const owner = { userId: input.userId, channel: input.channel, purpose: input.purpose };
  const row = await OtpCode.findOne({ where: owner, order: [['id', 'DESC']] });
  const wrong = { outcome: 'wrong' as const, destination: null };
  if (row === null || !/^\d+$/.test(input.code)) return wrong;
  if (!macsEqual(await codeMac(ctx, owner, input.code), row.codeHash)) return wrong;
  if (row.usedAt !== null) return { outcome: 'reused', destination: null };
  const now = ctx.clock.now();
  if (row.expiresAt.getTime() <= now.getTime()) return { outcome: 'expired', destination: null };
  const [changed] = await OtpCode.update(
    { usedAt: now },
    { where: { id: row.id, usedAt: { [Op.is]: null } } },
  );
  assert(changed === 0 || changed === 1);
  if (changed === 0) return { outcome: 'reused', destination: null };
  return { outcome: 'accepted', destination: ctx.keys.decryptString(row.destination) };
}
