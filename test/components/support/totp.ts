/**
 * @packageDocumentation
 * An authenticator app for browser tests and gallery stories: RFC 6238 codes computed with Web
 * Crypto, apart from the server's own TOTP code, so a test of the elements does not grade the
 * server's homework with the server's pen.
 *
 * {@link TestAuthenticator} also remembers the last step it handed out: the server accepts each
 * step once (and the enrolment code counts as used), so a test that verifies twice needs the
 * next step, which the server's window (+-1 step) accepts before the clock gets there.
 */

/** Hash algorithm of a TOTP secret, as the server names it. */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** The parameters of a secret; the server's defaults when left out. */
export interface TotpParameters {
  /** Hash algorithm; SHA1 by default. */
  algorithm?: TotpAlgorithm;
  /** Digits per code; 6 by default. */
  digits?: number;
  /** Seconds per step; 30 by default. */
  periodSeconds?: number;
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The bytes of an RFC 4648 base32 text (padding, spaces and case ignored). */
export function base32Bytes(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = base32Alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

/** The time step `timeMs` falls in. */
export function totpStepOf(timeMs: number, periodSeconds = 30): number {
  return Math.floor(timeMs / 1000 / periodSeconds);
}

/** The HOTP code (RFC 4226) of `key` for `counter`. */
export async function hotp(
  key: Uint8Array<ArrayBuffer>,
  counter: number,
  digits = 6,
  algorithm: TotpAlgorithm = 'SHA1',
): Promise<string> {
  const hash = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' }[algorithm];
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const message = new DataView(new ArrayBuffer(8));
  // A step count passes 2^32 only in the year 6053; split it anyway, as RFC 6238 asks.
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) |
    (mac[offset + 1]! << 16) |
    (mac[offset + 2]! << 8) |
    mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code (RFC 6238) of a base32 `secret` for the step `step`. */
export function totpCodeAtStep(
  secret: string,
  step: number,
  parameters: TotpParameters = {},
): Promise<string> {
  return hotp(base32Bytes(secret), step, parameters.digits ?? 6, parameters.algorithm ?? 'SHA1');
}

/** A phone's authenticator app for one secret, that never shows the same step twice. */
export class TestAuthenticator {
  /** The last step a code was made for; none yet when -1. */
  lastStep = -1;

  constructor(
    readonly secret: string,
    readonly parameters: TotpParameters = {},
  ) {}

  /** Seconds per step. */
  get periodSeconds(): number {
    return this.parameters.periodSeconds ?? 30;
  }

  /**
   * A code the server has not seen: for the current step, or the next one when the current
   * was used (the server's window accepts one step ahead). Waits for the clock when even the
   * next step was used.
   */
  async nextCode(): Promise<string> {
    for (;;) {
      const nowStep = totpStepOf(Date.now(), this.periodSeconds);
      const step = Math.max(nowStep, this.lastStep + 1);
      if (step <= nowStep + 1) {
        this.lastStep = step;
        return totpCodeAtStep(this.secret, step, this.parameters);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** A code that is wrong now: none of the steps the server's window accepts makes it. */
  async wrongCode(): Promise<string> {
    const nowStep = totpStepOf(Date.now(), this.periodSeconds);
    const steps = [nowStep - 1, nowStep, nowStep + 1, nowStep + 2];
    const near = await Promise.all(
      steps.map((step) => totpCodeAtStep(this.secret, step, this.parameters)),
    );
    const digits = this.parameters.digits ?? 6;
    for (let candidate = 123456; ; candidate += 1) {
      const code = String(candidate % 10 ** digits).padStart(digits, '0');
      if (!near.includes(code)) return code;
    }
  }
}
