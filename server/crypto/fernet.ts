/**
 * @module
 * Fernet: authenticated symmetric encryption of short secrets (TOTP seeds, payment details)
 * that the server stores and reads back, built on `node:crypto` alone.
 *
 * A token is URL-safe base64 (with padding) of
 * `version (0x80) | timestamp (64-bit big-endian seconds) | IV (16) | ciphertext | HMAC (32)`,
 * where the ciphertext is AES-128-CBC with PKCS7 padding and the HMAC is HMAC-SHA256 over every
 * byte before it. A key is 32 bytes: the first 16 sign, the last 16 encrypt.
 *
 * Invariants. Each is asserted or checked below and tested in test/server/crypto/fernet.test.ts.
 *  1. Nothing is decrypted before the HMAC over the whole token has been verified, and the
 *     HMAC is compared in constant time. So a padding error can only follow a correct MAC, and
 *     a forged token never reaches the cipher (no padding oracle).
 *  2. The timestamp is read only after the MAC is verified: an unauthenticated token is refused
 *     as `bad-mac`, never as `expired`.
 *  3. A refused token raises {@link FernetError} with a stable `reason` and a message that says
 *     nothing about the key or the plaintext.
 *  4. Decoding is strict and canonical: one token string has exactly one byte sequence, so
 *     changing any character of a token makes it refused.
 *  5. Decrypting a token with the key that made it gives back the same bytes. Tested, not
 *     asserted at run time, where it would double the cost of every encryption.
 *
 * A refused token is an operating error (someone stored or sent garbage) and is thrown as a
 * typed error; a wrong argument from our own code (a 15-byte IV) is a bug and fails an assert.
 */
import assert from 'node:assert/strict';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** Why a token or key was refused. Stable: callers and tests match on it, never on messages. */
export type FernetErrorReason =
  | 'bad-base64'
  | 'too-short'
  | 'too-long'
  | 'bad-version'
  | 'bad-length'
  | 'bad-mac'
  | 'bad-padding'
  | 'expired'
  | 'future-timestamp'
  | 'bad-key';

/** What each reason means, in words safe to show an operator (no secret, no token content). */
const reasonMessages: Record<FernetErrorReason, string> = {
  'bad-base64': 'the token is not URL-safe base64 with padding',
  'too-short': 'the token is shorter than the smallest possible Fernet token',
  'too-long': 'the token is longer than the largest Fernet token accepted here',
  'bad-version': 'the token does not start with the Fernet version byte',
  'bad-length': 'the token ciphertext is not a whole number of AES blocks',
  'bad-mac': 'the token is not authentic for this key',
  'bad-padding': 'the token ciphertext has invalid padding',
  expired: 'the token is older than its time to live',
  'future-timestamp': 'the token timestamp is too far in the future',
  'bad-key': 'the key is not 32 bytes of URL-safe base64 with padding',
};

/** A token or key was refused. `reason` is stable; the message never names a secret. */
export class FernetError extends Error {
  /** Why it was refused. */
  readonly reason: FernetErrorReason;

  constructor(reason: FernetErrorReason) {
    super(`Fernet: ${reasonMessages[reason]} (${reason}).`);
    this.name = 'FernetError';
    this.reason = reason;
  }
}

/** The version byte every token starts with. */
export const fernetVersion = 0x80;

/** Length of a key, in bytes: a signing key and an encryption key. */
export const fernetKeyBytes = 32;

/** Length of each half of a key (AES-128 and the HMAC key), in bytes. */
const halfKeyBytes = 16;

/** Length of the IV and of one AES block, in bytes. */
const blockBytes = 16;

/** Length of the version byte plus the timestamp, in bytes. */
const headerBytes = 1 + 8;

/** Length of the HMAC-SHA256 at the end of a token, in bytes. */
const hmacBytes = 32;

/** Bytes every token has besides its ciphertext: header, IV and HMAC. */
const overheadBytes = headerBytes + blockBytes + hmacBytes;

/**
 * How far in the future a token's timestamp may lie when a TTL is checked, in seconds: the
 * clock skew that the spec's reference implementations tolerate between two machines.
 */
export const fernetClockSkewSecondsMax = 60;

/**
 * Longest token accepted, in characters (1 MiB). Tokens hold short secrets; the bound keeps a
 * stray huge value from costing unbounded memory and HMAC time.
 */
export const fernetTokenCharsMax = 1024 * 1024;

/**
 * Largest plaintext {@link fernetEncrypt} accepts, in bytes: the most whose token still fits
 * in {@link fernetTokenCharsMax} (base64 makes 3 bytes into 4 characters; one padding block).
 */
export const fernetPlaintextBytesMax = (fernetTokenCharsMax / 4) * 3 - overheadBytes - blockBytes;

/** A canonical key: 43 URL-safe base64 characters and one `=` (32 bytes). */
const isFernetKeyRe = /^[A-Za-z0-9_-]{43}=$/;

/** Characters a token may hold: URL-safe base64 with at most two padding characters. */
const isBase64UrlRe = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * A parsed Fernet key. Its bytes live in private fields, so logging, `JSON.stringify` or
 * `util.inspect` of a key shows nothing secret.
 */
export class FernetKey {
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  /** @param bytes - Exactly {@link fernetKeyBytes} bytes; copied, so a caller may wipe its own. */
  constructor(bytes: Uint8Array) {
    assert.equal(bytes.length, fernetKeyBytes);
    const copy = Buffer.from(bytes);
    this.#signingKey = copy.subarray(0, halfKeyBytes);
    this.#encryptionKey = copy.subarray(halfKeyBytes);
  }

  /** @internal The HMAC-SHA256 key. */
  signingKey(): Buffer {
    return this.#signingKey;
  }

  /** @internal The AES-128 key. */
  encryptionKey(): Buffer {
    return this.#encryptionKey;
  }

  /** Never the key material. */
  toJSON(): string {
    return '[FernetKey]';
  }

  /** Never the key material. */
  toString(): string {
    return '[FernetKey]';
  }

  /** Never the key material, also in `console.log` and `util.inspect`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[FernetKey]';
  }
}

/**
 * Parses a key written as URL-safe base64 with padding (the form `SECRET_KEYS` holds).
 *
 * @param encoded - 44 characters encoding 32 bytes.
 * @returns The key.
 * @throws FernetError with reason `bad-key` when it is anything else; the message does not
 *   repeat the value.
 */
export function parseFernetKey(encoded: string): FernetKey {
  if (!isFernetKeyRe.test(encoded)) throw new FernetError('bad-key');
  const bytes = Buffer.from(encoded, 'base64url');
  // Node decodes leniently; a round trip rejects a last character with stray low bits set.
  if (bytes.length !== fernetKeyBytes || encodeBase64UrlPadded(bytes) !== encoded) {
    throw new FernetError('bad-key');
  }
  return new FernetKey(bytes);
}

/**
 * Makes a new random key.
 *
 * @returns The key as URL-safe base64 with padding, ready for `SECRET_KEYS` or
 *   {@link parseFernetKey}.
 */
export function generateFernetKey(): string {
  const encoded = encodeBase64UrlPadded(randomBytes(fernetKeyBytes));
  assert.match(encoded, isFernetKeyRe);
  return encoded;
}

/** Options of {@link fernetEncrypt}. */
export interface FernetEncryptOptions {
  /** The instant recorded in the token, truncated to whole seconds. */
  now: Date;
  /** The IV, 16 bytes; random unless given (only tests and the spec vectors give one). */
  iv?: Uint8Array;
}

/**
 * Encrypts and signs `plaintext`.
 *
 * @param key - The key to encrypt and sign with.
 * @param plaintext - Bytes, or a string encoded as UTF-8; at most {@link fernetPlaintextBytesMax}.
 * @param options - `now`, and optionally a fixed `iv`.
 * @returns The token, URL-safe base64 with padding.
 * @example
 * ```ts
 * const token = fernetEncrypt(key, 'JBSWY3DPEHPK3PXP', { now: ctx.clock.now() });
 * ```
 */
export function fernetEncrypt(
  key: FernetKey,
  plaintext: Uint8Array | string,
  options: FernetEncryptOptions,
): string {
  const plaintextBytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  assert(plaintextBytes.length <= fernetPlaintextBytesMax, 'plaintext too large for a token');
  const timestampSeconds = toTimestampSeconds(options.now);
  const iv = options.iv ?? randomBytes(blockBytes);
  assert.equal(iv.length, blockBytes);

  const cipher = createCipheriv('aes-128-cbc', key.encryptionKey(), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintextBytes), cipher.final()]);
  assert.equal(ciphertext.length % blockBytes, 0);
  assert(ciphertext.length > plaintextBytes.length, 'PKCS7 always adds at least one byte');

  const header = Buffer.alloc(headerBytes);
  header.writeUInt8(fernetVersion, 0);
  header.writeBigUInt64BE(timestampSeconds, 1);
  const signed = Buffer.concat([header, iv, ciphertext]);
  const hmac = createHmac('sha256', key.signingKey()).update(signed).digest();
  assert.equal(hmac.length, hmacBytes);

  const token = encodeBase64UrlPadded(Buffer.concat([signed, hmac]));
  assert(token.length <= fernetTokenCharsMax);
  return token;
}

/** Options of {@link fernetDecrypt}. */
export interface FernetDecryptOptions {
  /** The current instant, for the TTL and clock-skew checks. */
  now: Date;
  /**
   * Oldest a token may be, in seconds; no limit unless given. The future-timestamp check runs
   * only with a TTL too, as in the spec's reference implementations: stored values carry no
   * TTL and must stay readable even after the server's clock has been set back.
   */
  ttlSeconds?: number;
}

/**
 * Verifies and decrypts a token.
 *
 * Checks run in this order, so the first failing one names the reason: base64, length,
 * version, block alignment, HMAC (constant time), then age and clock skew, then padding.
 *
 * @param key - The key the token was made with.
 * @param token - The token, URL-safe base64 with padding.
 * @param options - `now`, and optionally `ttlSeconds`.
 * @returns The plaintext bytes.
 * @throws FernetError when the token is refused; see {@link FernetErrorReason}.
 */
export function fernetDecrypt(
  key: FernetKey,
  token: string,
  options: FernetDecryptOptions,
): Buffer {
  const bytes = decodeToken(token);
  verifyHmac(key, bytes);
  checkTimestamp(bytes.readBigUInt64BE(1), options);
  const iv = bytes.subarray(headerBytes, headerBytes + blockBytes);
  const ciphertext = bytes.subarray(headerBytes + blockBytes, bytes.length - hmacBytes);
  return decryptCiphertext(key, iv, ciphertext);
}

/** Decodes a token and checks its shape; no key is involved yet. */
function decodeToken(token: string): Buffer {
  if (token.length > fernetTokenCharsMax) throw new FernetError('too-long');
  if (!isBase64UrlRe.test(token) || token.length % 4 !== 0) throw new FernetError('bad-base64');
  const bytes = Buffer.from(token, 'base64url');
  if (encodeBase64UrlPadded(bytes) !== token) throw new FernetError('bad-base64');
  if (bytes.length < overheadBytes) throw new FernetError('too-short');
  if (bytes[0] !== fernetVersion) throw new FernetError('bad-version');
  const ciphertextBytes = bytes.length - overheadBytes;
  // PKCS7 always adds a byte, so an empty ciphertext is as malformed as a ragged one.
  if (ciphertextBytes === 0 || ciphertextBytes % blockBytes !== 0) {
    throw new FernetError('bad-length');
  }
  return bytes;
}

/** Throws `bad-mac` unless the token's HMAC is right for `key`; compares in constant time. */
function verifyHmac(key: FernetKey, bytes: Buffer): void {
  assert(bytes.length >= overheadBytes);
  const signedBytes = bytes.length - hmacBytes;
  const expected = createHmac('sha256', key.signingKey())
    .update(bytes.subarray(0, signedBytes))
    .digest();
  const actual = bytes.subarray(signedBytes);
  assert.equal(actual.length, expected.length);
  if (!timingSafeEqual(actual, expected)) throw new FernetError('bad-mac');
}

function checkTimestamp(timestampSeconds: bigint, options: FernetDecryptOptions): void {
  if (options.ttlSeconds === undefined) return;
  assert(Number.isSafeInteger(options.ttlSeconds), 'ttlSeconds must be a whole number');
  assert(options.ttlSeconds >= 0, 'ttlSeconds must not be negative');
  const nowSeconds = toTimestampSeconds(options.now);
  if (timestampSeconds + BigInt(options.ttlSeconds) < nowSeconds) {
    throw new FernetError('expired');
  }
  if (nowSeconds + BigInt(fernetClockSkewSecondsMax) < timestampSeconds) {
    throw new FernetError('future-timestamp');
  }
}

function decryptCiphertext(key: FernetKey, iv: Buffer, ciphertext: Buffer): Buffer {
  assert.equal(iv.length, blockBytes);
  assert(ciphertext.length > 0);
  assert.equal(ciphertext.length % blockBytes, 0);
  // Padding is removed by hand: OpenSSL's own check reports failure as an untyped error.
  const decipher = createDecipheriv('aes-128-cbc', key.encryptionKey(), iv);
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  assert.equal(padded.length, ciphertext.length);
  return removePkcs7Padding(padded);
}

/** Strips PKCS7 padding; throws `bad-padding` when it is malformed. */
function removePkcs7Padding(padded: Buffer): Buffer {
  const padBytes = padded[padded.length - 1];
  assert(padBytes !== undefined);
  if (padBytes < 1 || padBytes > blockBytes) throw new FernetError('bad-padding');
  for (let index = padded.length - padBytes; index < padded.length; index += 1) {
    if (padded[index] !== padBytes) throw new FernetError('bad-padding');
  }
  return padded.subarray(0, padded.length - padBytes);
}

/** Whole seconds since the epoch of `instant`, as the token stores them. */
function toTimestampSeconds(instant: Date): bigint {
  const instantMs = instant.getTime();
  assert(Number.isFinite(instantMs), 'now must be a valid Date');
  assert(instantMs >= 0, 'now must not be before 1970');
  return BigInt(Math.floor(instantMs / 1000));
}

/** URL-safe base64 with `=` padding, as the spec writes tokens and keys. */
function encodeBase64UrlPadded(bytes: Uint8Array): string {
  const unpadded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
  return unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=');
}
