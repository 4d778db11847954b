import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  FernetError,
  fernetDecrypt,
  fernetEncrypt,
  fernetPlaintextBytesMax,
  fernetTokenCharsMax,
  generateFernetKey,
  parseFernetKey,
  type FernetErrorReason,
} from '../../../server/crypto/fernet.ts';

/** The Fernet spec's test vectors, copied into the project so tests never read outside it. */
interface GenerateVector {
  token: string;
  now: string;
  iv: number[];
  src: string;
  secret: string;
}
interface VerifyVector {
  token: string;
  now: string;
  ttl_sec: number;
  src: string;
  secret: string;
}
interface InvalidVector {
  desc: string;
  token: string;
  now: string;
  ttl_sec: number;
  secret: string;
}

function readVectors<Vector>(name: string): Vector[] {
  const url = new URL(`../../fixtures/fernet/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Vector[];
}

/** The reason each invalid vector must be refused with, by its `desc`. */
const reasonByDescription: Record<string, FernetErrorReason> = {
  'incorrect mac': 'bad-mac',
  'too short': 'too-short',
  'invalid base64': 'bad-base64',
  'payload size not multiple of block size': 'bad-length',
  'payload padding error': 'bad-padding',
  'far-future TS (unacceptable clock skew)': 'future-timestamp',
  'expired TTL': 'expired',
  'incorrect IV (causes padding error)': 'bad-padding',
};

/** Runs `action` and returns the FernetError it throws; fails when it throws nothing else. */
function refusal(action: () => unknown): FernetError {
  try {
    action();
  } catch (error) {
    assert(error instanceof FernetError, `expected a FernetError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the token to be refused');
}

/** URL-safe base64 with padding, as tokens are written. */
function encodeToken(bytes: Uint8Array): string {
  const unpadded = Buffer.from(bytes).toString('base64url');
  return unpadded.padEnd(Math.ceil(unpadded.length / 4) * 4, '=');
}

const now = new Date('2026-03-01T09:00:00Z');
const nowSeconds = now.getTime() / 1000;

describe('Fernet', () => {
  describe('the spec vectors', () => {
    for (const vector of readVectors<GenerateVector>('generate')) {
      it(`generates the exact token for "${vector.src}" at ${vector.now}`, () => {
        const key = parseFernetKey(vector.secret);
        const options = { now: new Date(vector.now), iv: Uint8Array.from(vector.iv) };
        assert.equal(fernetEncrypt(key, vector.src, options), vector.token);
      });
    }

    for (const vector of readVectors<VerifyVector>('verify')) {
      it(`verifies a token to "${vector.src}" within its ttl`, () => {
        const key = parseFernetKey(vector.secret);
        const options = { now: new Date(vector.now), ttlSeconds: vector.ttl_sec };
        assert.equal(fernetDecrypt(key, vector.token, options).toString('utf8'), vector.src);
      });
    }

    const invalid = readVectors<InvalidVector>('invalid');
    it('knows the reason for every invalid vector', () => {
      assert.deepEqual(
        invalid.map((vector) => vector.desc).sort(),
        Object.keys(reasonByDescription).sort(),
      );
    });
    for (const vector of invalid) {
      const reason = reasonByDescription[vector.desc];
      it(`refuses "${vector.desc}" as ${reason}`, () => {
        const key = parseFernetKey(vector.secret);
        const options = { now: new Date(vector.now), ttlSeconds: vector.ttl_sec };
        const error = refusal(() => fernetDecrypt(key, vector.token, options));
        assert.equal(error.reason, reason);
        assert.ok(!error.message.includes(vector.secret));
        assert.ok(!error.message.includes(vector.token));
      });
    }
  });

  describe('a round trip', () => {
    const key = parseFernetKey(generateFernetKey());

    it('gives back strings, bytes, the empty value and values of whole blocks', () => {
      const values = ['', 'x', 'exactly16bytes!!', 'JBSWY3DPEHPK3PXP', 'Grüße, 世界 🔐'];
      for (const value of values) {
        const token = fernetEncrypt(key, value, { now });
        assert.equal(fernetDecrypt(key, token, { now }).toString('utf8'), value);
      }
      const bytes = Uint8Array.from([0, 255, 1, 254, 0, 0, 128]);
      const token = fernetEncrypt(key, bytes, { now });
      assert.deepEqual(new Uint8Array(fernetDecrypt(key, token, { now })), bytes);
    });

    it('uses a fresh IV each time, so equal plaintexts give different tokens', () => {
      const first = fernetEncrypt(key, 'same', { now });
      const second = fernetEncrypt(key, 'same', { now });
      assert.notEqual(first, second);
    });

    it('writes URL-safe base64 with padding that starts with the version byte', () => {
      const token = fernetEncrypt(key, 'value', { now });
      assert.match(token, /^gAAAAA[A-Za-z0-9_-]*={0,2}$/);
      assert.equal(token.length % 4, 0);
      const bytes = Buffer.from(token, 'base64url');
      assert.equal(bytes[0], 0x80);
      assert.equal(bytes.readBigUInt64BE(1), BigInt(nowSeconds));
    });

    it('is refused under another key as bad-mac', () => {
      const token = fernetEncrypt(key, 'value', { now });
      const otherKey = parseFernetKey(generateFernetKey());
      assert.equal(refusal(() => fernetDecrypt(otherKey, token, { now })).reason, 'bad-mac');
    });
  });

  describe('a tampered token', () => {
    const key = parseFernetKey(generateFernetKey());
    const token = fernetEncrypt(key, 'a secret worth two blocks of text', { now });
    const bytes = Buffer.from(token, 'base64url');

    it('is refused whichever single byte was changed', () => {
      for (let index = 0; index < bytes.length; index += 1) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const tampered = Buffer.from(bytes);
          tampered[index] = (tampered[index] ?? 0) ^ flip;
          const tamperedToken = encodeToken(tampered);
          const error = refusal(() => fernetDecrypt(key, tamperedToken, { now }));
          const expected = index === 0 ? 'bad-version' : 'bad-mac';
          assert.equal(error.reason, expected, `byte ${index} flipped with ${flip}`);
        }
      }
    });

    it('is refused whichever single character was changed', () => {
      for (let index = 0; index < token.length; index += 1) {
        const replacement = token[index] === 'A' ? 'B' : 'A';
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        refusal(() => fernetDecrypt(key, tampered, { now }));
      }
    });

    it('is refused when a block is cut out or added', () => {
      const withoutLastBlock = Buffer.concat([bytes.subarray(0, -48), bytes.subarray(-32)]);
      const cut = encodeToken(withoutLastBlock);
      assert.equal(refusal(() => fernetDecrypt(key, cut, { now })).reason, 'bad-mac');
      const hmac = bytes.subarray(-32);
      const added = encodeToken(Buffer.concat([bytes.subarray(0, -32), Buffer.alloc(16), hmac]));
      assert.equal(refusal(() => fernetDecrypt(key, added, { now })).reason, 'bad-mac');
      assert.equal(refusal(() => fernetDecrypt(key, '', { now })).reason, 'too-short');
    });

    it('is refused without its padding', () => {
      const padded = fernetEncrypt(key, 'value', { now });
      assert.match(padded, /=$/, 'a one-block token has 73 bytes and so needs padding');
      const unpadded = padded.replace(/=+$/, '');
      assert.equal(refusal(() => fernetDecrypt(key, unpadded, { now })).reason, 'bad-base64');
    });

    it('is refused in standard base64 ("+" and "/" instead of "-" and "_")', () => {
      // The spec's vector holds "_", so its standard form differs from it for sure.
      const [vector] = readVectors<GenerateVector>('generate');
      assert(vector !== undefined);
      const standard = Buffer.from(vector.token, 'base64url').toString('base64');
      assert.match(standard, /\//);
      const vectorKey = parseFernetKey(vector.secret);
      const options = { now: new Date(vector.now) };
      assert.equal(refusal(() => fernetDecrypt(vectorKey, standard, options)).reason, 'bad-base64');
    });
  });

  describe('the time to live', () => {
    const key = parseFernetKey(generateFernetKey());
    const token = fernetEncrypt(key, 'value', { now });
    const at = (seconds: number) => new Date((nowSeconds + seconds) * 1000);

    it('accepts a token exactly ttl seconds old and refuses it one second later', () => {
      assert.equal(fernetDecrypt(key, token, { now: at(60), ttlSeconds: 60 }).toString(), 'value');
      const error = refusal(() => fernetDecrypt(key, token, { now: at(61), ttlSeconds: 60 }));
      assert.equal(error.reason, 'expired');
    });

    it('accepts a timestamp 60 s ahead of the clock and refuses one 61 s ahead', () => {
      assert.equal(fernetDecrypt(key, token, { now: at(-60), ttlSeconds: 0 }).toString(), 'value');
      const error = refusal(() => fernetDecrypt(key, token, { now: at(-61), ttlSeconds: 0 }));
      assert.equal(error.reason, 'future-timestamp');
    });

    it('checks neither age nor skew without a ttl, as the reference implementations do', () => {
      assert.equal(fernetDecrypt(key, token, { now: at(10 ** 8) }).toString(), 'value');
      assert.equal(fernetDecrypt(key, token, { now: at(-(10 ** 6)) }).toString(), 'value');
    });

    it('truncates the timestamp to whole seconds', () => {
      const late = fernetEncrypt(key, 'v', { now: new Date(now.getTime() + 999) });
      assert.equal(Buffer.from(late, 'base64url').readBigUInt64BE(1), BigInt(nowSeconds));
    });
  });

  describe('the size limits', () => {
    const key = parseFernetKey(generateFernetKey());

    it('encrypts the largest plaintext into a token within the token limit', () => {
      const plaintext = Buffer.alloc(fernetPlaintextBytesMax, 7);
      const token = fernetEncrypt(key, plaintext, { now });
      assert.ok(token.length <= fernetTokenCharsMax);
      assert.ok(fernetDecrypt(key, token, { now }).equals(plaintext));
    });

    it('refuses to encrypt one byte more', () => {
      const plaintext = Buffer.alloc(fernetPlaintextBytesMax + 1, 7);
      assert.throws(() => fernetEncrypt(key, plaintext, { now }), assert.AssertionError);
    });

    it('refuses a token longer than the limit before decoding it', () => {
      const token = `gAAAAA${'A'.repeat(fernetTokenCharsMax - 6)}AAAA`;
      assert.equal(refusal(() => fernetDecrypt(key, token, { now })).reason, 'too-long');
    });
  });

  describe('keys', () => {
    it('generates distinct 32-byte keys in URL-safe base64 with padding', () => {
      const first = generateFernetKey();
      const second = generateFernetKey();
      assert.match(first, /^[A-Za-z0-9_-]{43}=$/);
      assert.notEqual(first, second);
      assert.equal(Buffer.from(first, 'base64url').length, 32);
      parseFernetKey(first);
    });

    it('refuses keys of the wrong length, alphabet, padding or trailing bits', () => {
      const good = generateFernetKey();
      // 43 characters carry 258 bits for 256: the last character's two low bits must be 0.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const lastIndex = alphabet.indexOf(good.charAt(42));
      assert.equal(lastIndex % 4, 0);
      const nonCanonical = `${good.slice(0, 42)}${alphabet.charAt(lastIndex + 1)}=`;
      const bad = [
        '',
        good.slice(0, -1),
        `${good.slice(0, -1)}A=`,
        good.replace(/^./, '+'),
        `${good}=`,
        Buffer.alloc(16).toString('base64url'),
        nonCanonical,
      ];
      for (const encoded of bad) {
        const error = refusal(() => parseFernetKey(encoded));
        assert.equal(error.reason, 'bad-key', `for ${JSON.stringify(encoded)}`);
        if (encoded !== '') assert.ok(!error.message.includes(encoded));
      }
    });

    it('never shows its bytes when logged, serialised or inspected', () => {
      const encoded = generateFernetKey();
      const key = parseFernetKey(encoded);
      const shown = [JSON.stringify({ key }), String(key), inspect(key), inspect({ key })];
      for (const text of shown) {
        assert.ok(!text.includes(encoded.slice(0, 20)), text);
        assert.match(text, /\[FernetKey\]/);
      }
    });

    it('refuses a wrong IV length as a bug in the caller', () => {
      const key = parseFernetKey(generateFernetKey());
      const iv = new Uint8Array(15);
      assert.throws(() => fernetEncrypt(key, 'v', { now, iv }), assert.AssertionError);
    });
  });
});
