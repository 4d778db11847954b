/**
 * @module
 * Time-based one-time passwords (RFC 6238 over RFC 4226) with otplib 13: making secrets, the
 * `otpauth://` URI and its QR code, and finding which time step a code belongs to.
 *
 * Invariants. Each is asserted below and tested in test/server/mfa/totp.test.ts.
 *  1. A secret has at least {@link totpSecretBitsMin} bits; SHA-256 and SHA-512 secrets are as
 *     long as their hash (32 and 64 bytes), as RFC 6238's reference seeds are.
 *  2. A code is accepted for at most {@link totpWindowStepsMax} steps either side of now; the
 *     window in use comes from the policy.
 *  3. This module says *which* step a code matches. Whether that step may still be used is the
 *     caller's business: `service.ts` stores the last accepted step with a conditional update,
 *     so each step (and every step before it) is accepted once.
 *  4. The QR code is drawn here, as SVG, never by a third party; the secret never leaves the
 *     server except in the enrolment answer.
 */
import assert from 'node:assert/strict';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** Hash functions a TOTP may use, as the otpauth URI names them. */
export const totpAlgorithms = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof totpAlgorithms)[number];

/** Code lengths a TOTP may have. */
export const totpDigitCounts = [6, 8] as const;
export type TotpDigits = (typeof totpDigitCounts)[number];

/** Time steps a TOTP may use, in seconds; 30 is what every authenticator app expects. */
export const totpPeriods = [30, 60] as const;
export type TotpPeriodSeconds = (typeof totpPeriods)[number];

/** How a TOTP is computed. */
export interface TotpParameters {
  algorithm: TotpAlgorithm;
  digits: TotpDigits;
  periodSeconds: TotpPeriodSeconds;
}

/** What authenticator apps assume when the URI says nothing else. */
export const defaultTotpParameters: TotpParameters = Object.freeze({
  algorithm: 'SHA1',
  digits: 6,
  periodSeconds: 30,
});

/** Fewest bits of a secret (RFC 4226 section 4 recommends 160). */
export const totpSecretBitsMin = 160;

/** Most steps either side of now a code may be from; policies choose 0 to this. */
export const totpWindowStepsMax = 2;

/** The window when the policy says nothing else: one step (30 s) of clock drift each way. */
export const totpWindowStepsDefault = 1;

/** The issuer shown in authenticator apps. */
export const totpIssuer = 'ab-elements';

/** A secret as stored (base32 text) or as raw bytes (the RFC test vectors). */
export type TotpSecret = string | Uint8Array;

const secretBytesOf: Record<TotpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

const otplibAlgorithm = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
} as const satisfies Record<TotpAlgorithm, string>;

/**
 * A new random secret for `algorithm`, base32-encoded as authenticator apps expect it.
 *
 * @returns 32, 52 or 103 base32 characters (160, 256 or 512 bits).
 */
export function generateTotpSecret(algorithm: TotpAlgorithm): string {
  const bytes = secretBytesOf[algorithm];
  assert(bytes * 8 >= totpSecretBitsMin);
  const secret = generateSecret({ length: bytes });
  assert(secret.replace(/=+$/, '').length * 5 >= bytes * 8, 'base32 keeps every bit');
  return secret;
}

/** The `otpauth://totp/...` URI an authenticator app reads from the QR code. */
export function totpUri(input: {
  secret: string;
  accountName: string;
  parameters: TotpParameters;
}): string {
  return generateURI({
    issuer: totpIssuer,
    label: input.accountName,
    secret: input.secret,
    algorithm: otplibAlgorithm[input.parameters.algorithm],
    digits: input.parameters.digits,
    period: input.parameters.periodSeconds,
  });
}

/** The QR code of `uri` as a standalone SVG document. */
export async function totpQrSvg(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  assert(svg.startsWith('<svg'));
  return svg;
}

/** The time step that `instantMs` falls in. */
export function totpStepAt(instantMs: number, periodSeconds: TotpPeriodSeconds): number {
  assert(Number.isFinite(instantMs) && instantMs >= 0);
  return Math.floor(instantMs / 1000 / periodSeconds);
}

/**
 * The code for the step that `epochSeconds` falls in.
 *
 * @param secret - base32 text or raw bytes.
 * @param parameters - algorithm, digits and period.
 * @param epochSeconds - Unix time in seconds; values beyond 2^32 work (RFC 6238 appendix B).
 */
export function totpCodeAt(
  secret: TotpSecret,
  parameters: TotpParameters,
  epochSeconds: number,
): Promise<string> {
  return generate({
    secret,
    algorithm: otplibAlgorithm[parameters.algorithm],
    digits: parameters.digits,
    period: parameters.periodSeconds,
    epoch: epochSeconds,
  });
}

/**
 * The time step whose code is `code`, searching `windowSteps` steps either side of
 * `instantMs`; null when none matches or the code is not `digits` digits.
 *
 * @param input.windowSteps - 0 to {@link totpWindowStepsMax}.
 * @returns the matching step, which the caller must still claim (invariant 3).
 */
export async function matchTotpStep(input: {
  secret: TotpSecret;
  code: string;
  parameters: TotpParameters;
  instantMs: number;
  windowSteps: number;
}): Promise<number | null> {
  const { parameters, windowSteps } = input;
  assert(Number.isInteger(windowSteps) && windowSteps >= 0, 'the window is a whole step count');
  assert(windowSteps <= totpWindowStepsMax, 'the window is at most totpWindowStepsMax');
  if (!new RegExp(`^\\d{${parameters.digits}}$`).test(input.code)) return null;
  const result = await verify({
    secret: input.secret,
    token: input.code,
    algorithm: otplibAlgorithm[parameters.algorithm],
    digits: parameters.digits,
    period: parameters.periodSeconds,
    epoch: Math.floor(input.instantMs / 1000),
    // In seconds: a whole number of periods each way is exactly that many steps each way.
    epochTolerance: windowSteps * parameters.periodSeconds,
  });
  // The functional API types its answer for HOTP and TOTP alike; a TOTP match has timeStep.
  if (!result.valid || !('timeStep' in result)) return null;
  const nowStep = totpStepAt(input.instantMs, parameters.periodSeconds);
  assert(Math.abs(result.timeStep - nowStep) <= windowSteps, 'the match lies inside the window');
  return result.timeStep;
}
