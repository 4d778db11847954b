/**
 * @module
 * The keyring: the server's Fernet keys, newest first, and where they come from.
 *
 * Rotation works like this. An operator puts a new key in front of `SECRET_KEYS` and restarts
 * every server; from then on values are encrypted with the new key while values made with an
 * older key still decrypt. `npm run keys:rotate` then re-encrypts the old values, after which
 * the old key can be dropped from the list.
 *
 * Invariants. Each is asserted below and tested in test/server/crypto/keyring.test.ts.
 *  1. A keyring holds 1 to {@link keyringSizeMax} keys, and no key twice.
 *  2. Encryption always uses the first (newest) key.
 *  3. A token decrypts with the first key whose HMAC matches it; the index of that key is
 *     reported, so a caller knows when a value needs re-encryption.
 *  4. Key material is never logged, never put in an error message, never part of a
 *     serialisable object (see {@link FernetKey}).
 *  5. In production the keys come from `SECRET_KEYS`; there is no fallback. Elsewhere a missing
 *     `SECRET_KEYS` means one development key, generated once into `<dataDir>/dev-secret.key`
 *     and never regenerated, because values encrypted with a lost key are lost.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../clock.ts';
import { ConfigError, type Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import {
  FernetError,
  fernetDecrypt,
  fernetEncrypt,
  generateFernetKey,
  parseFernetKey,
  type FernetKey,
} from './fernet.ts';

/** Most keys a keyring holds. Each decryption may try every key, so the list stays short. */
export const keyringSizeMax = 16;

/** Name of the development key file inside `config.dataDir`. */
export const developmentKeyFileName = 'dev-secret.key';

/** File mode of the development key file: readable and writable by its owner only. */
export const developmentKeyFileMode = 0o600;

/** A decrypted token and which key opened it. */
export interface KeyringDecryption {
  /** The plaintext bytes. */
  plaintext: Buffer;
  /** Index of the key that opened the token in the keyring; 0 is the newest. */
  keyIndex: number;
}

/** Options of {@link Keyring.decrypt}. */
export interface KeyringDecryptOptions {
  /** Oldest a token may be, in seconds; no limit unless given (stored values do not expire). */
  ttlSeconds?: number;
}

/**
 * Fernet keys, newest first: encrypts with the newest, decrypts with any.
 *
 * @example
 * ```ts
 * const token = ctx.keys.encryptString(totpSecret);
 * const secret = ctx.keys.decryptString(token);
 * if (ctx.keys.needsRotation(token)) await save(ctx.keys.encryptString(secret));
 * ```
 */
export class Keyring {
  readonly #keys: readonly FernetKey[];
  readonly #clock: Clock;

  /**
   * @param keys - 1 to {@link keyringSizeMax} distinct keys, newest first.
   * @param clock - Supplies the timestamp of new tokens and the instant TTLs are checked at.
   */
  constructor(keys: readonly FernetKey[], clock: Clock = systemClock) {
    assert(keys.length >= 1, 'a keyring needs at least one key');
    assert(keys.length <= keyringSizeMax, 'a keyring holds at most keyringSizeMax keys');
    keys.forEach((key, index) => {
      const earlier = keys.slice(0, index);
      assert(!earlier.some((other) => sameKey(other, key)), 'a keyring must not repeat a key');
    });
    this.#keys = Object.freeze([...keys]);
    this.#clock = clock;
  }

  /** How many keys the keyring holds. */
  get size(): number {
    return this.#keys.length;
  }

  /** Encrypts `plaintext` (bytes, or a string as UTF-8) with the newest key. */
  encrypt(plaintext: Uint8Array | string): string {
    const newestKey = this.#keys[0];
    assert(newestKey !== undefined);
    return fernetEncrypt(newestKey, plaintext, { now: this.#clock.now() });
  }

  /**
   * Decrypts `token` with whichever key made it.
   *
   * @returns The plaintext and the index of the key that opened it (0 is the newest).
   * @throws FernetError when the token is malformed, expired, or no key authenticates it
   *   (`bad-mac`); the error never says which keys were tried.
   */
  decrypt(token: string, options: KeyringDecryptOptions = {}): KeyringDecryption {
    const now = this.#clock.now();
    for (const [keyIndex, key] of this.#keys.entries()) {
      try {
        const plaintext = fernetDecrypt(key, token, { now, ttlSeconds: options.ttlSeconds });
        return { plaintext, keyIndex };
      } catch (error) {
        // Only a wrong MAC depends on the key; any other refusal is the token's own fault and
        // every key would give the same answer, so it is final.
        if (!(error instanceof FernetError) || error.reason !== 'bad-mac') throw error;
      }
    }
    throw new FernetError('bad-mac');
  }

  /** Encrypts a string (as UTF-8) with the newest key. */
  encryptString(text: string): string {
    return this.encrypt(text);
  }

  /**
   * Decrypts a token made by {@link Keyring.encryptString}.
   *
   * @throws FernetError as {@link Keyring.decrypt}; TypeError when the plaintext is not UTF-8.
   */
  decryptString(token: string, options: KeyringDecryptOptions = {}): string {
    const { plaintext } = this.decrypt(token, options);
    return utf8Decoder.decode(plaintext);
  }

  /**
   * Whether `token` was made with an older key and should be re-encrypted with the newest.
   *
   * @throws FernetError when no key opens the token at all.
   */
  needsRotation(token: string): boolean {
    return this.decrypt(token).keyIndex > 0;
  }

  /** Never the keys. */
  toJSON(): string {
    return `[Keyring of ${this.#keys.length}]`;
  }
}

/** Refuses bytes that are not UTF-8 instead of replacing them, so corruption is not hidden. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function sameKey(left: FernetKey, right: FernetKey): boolean {
  return (
    left.signingKey().equals(right.signingKey()) &&
    left.encryptionKey().equals(right.encryptionKey())
  );
}

/**
 * Builds the server's keyring from the configuration.
 *
 * With `SECRET_KEYS` those keys are used, newest first. Without it, production refuses to
 * start, and development and test use the development key file (see the module's invariant 5),
 * with a warning that names the file but never the key.
 *
 * @param config - Reads `secretKeys`, `nodeEnv` and `dataDir`.
 * @param logger - Receives the warning about the development key.
 * @param clock - The keyring's clock; the system clock unless given.
 * @throws ConfigError when production has no keys, or `SECRET_KEYS` repeats a key or holds too
 *   many.
 */
export function loadKeyring(config: Config, logger: Logger, clock: Clock = systemClock): Keyring {
  if (config.secretKeys !== null) return new Keyring(parseSecretKeys(config.secretKeys), clock);
  if (config.nodeEnv === 'production') {
    throw new ConfigError([
      'SECRET_KEYS is required when NODE_ENV=production: a comma-separated list of Fernet ' +
        'keys, newest first (make one with: node -e "console.log(require(\'crypto\')' +
        '.randomBytes(32).toString(\'base64url\') + \'=\')").',
    ]);
  }
  const file = join(config.dataDir, developmentKeyFileName);
  const created = createDevelopmentKeyFile(file);
  const key = readDevelopmentKeyFile(file);
  logger.warn('using the development secret key; set SECRET_KEYS before storing real secrets', {
    file,
    created,
  });
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    logger.warn('the development key file is readable by other users; chmod 600 it', { file });
  }
  return new Keyring([key], clock);
}

function parseSecretKeys(encodedKeys: readonly string[]): FernetKey[] {
  const problems: string[] = [];
  if (encodedKeys.length > keyringSizeMax) {
    problems.push(`SECRET_KEYS holds ${encodedKeys.length} keys; at most ${keyringSizeMax}.`);
  }
  if (new Set(encodedKeys).size !== encodedKeys.length) {
    problems.push('SECRET_KEYS lists the same key twice.');
  }
  const keys: FernetKey[] = [];
  encodedKeys.forEach((encoded, index) => {
    try {
      keys.push(parseFernetKey(encoded));
    } catch (error) {
      if (!(error instanceof FernetError)) throw error;
      problems.push(`SECRET_KEYS entry ${index + 1} is not a Fernet key (32 bytes, base64url).`);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return keys;
}

/**
 * Creates the development key file unless it exists; returns whether this call created it.
 *
 * The key is written and synced to a private temporary file first (opened with `wx`, mode
 * 0600), then hard-linked to its final name. link(2) fails when the name exists, so of two
 * processes starting together exactly one creates the file, and no process can ever read a
 * half-written key.
 */
function createDevelopmentKeyFile(file: string): boolean {
  if (pathExists(file)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const temporaryFile = `${file}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`;
  const descriptor = openSync(temporaryFile, 'wx', developmentKeyFileMode);
  try {
    writeSync(descriptor, `${generateFernetKey()}\n`);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  try {
    linkSync(temporaryFile, file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporaryFile);
  }
}

function readDevelopmentKeyFile(file: string): FernetKey {
  const encoded = readFileSync(file, 'utf8').trim();
  try {
    return parseFernetKey(encoded);
  } catch (error) {
    if (!(error instanceof FernetError)) throw error;
    // Regenerating would make every value encrypted with the old key unreadable, so stop.
    throw new ConfigError([
      `${file} does not hold a Fernet key. Restore it, or set SECRET_KEYS; delete the file ` +
        'only if nothing was ever encrypted with it.',
    ]);
  }
}

function pathExists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
