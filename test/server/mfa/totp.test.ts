import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  generateTotpSecret,
  matchTotpStep,
  totpAlgorithms,
  totpCodeAt,
  totpQrSvg,
  totpSecretBitsMin,
  totpUri,
  totpWindowStepsMax,
  type TotpParameters,
} from '../../../server/mfa/totp.ts';

interface HotpVectors {
  secret_ascii: string;
  digits: number;
  cases: { counter: number; hotp: string }[];
}

interface TotpVectors {
  digits: number;
  period: number;
  seeds_ascii: Record<'SHA1' | 'SHA256' | 'SHA512', string>;
  cases: { time: number; algorithm: 'SHA1' | 'SHA256' | 'SHA512'; totp: string }[];
}

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/otp/${name}`, import.meta.url), 'utf8'));
}

const hotp = fixture<HotpVectors>('rfc4226-hotp.json');
const totp = fixture<TotpVectors>('rfc6238-totp.json');
const bytes = (text: string) => new TextEncoder().encode(text);

describe('TOTP against the RFC test vectors', () => {
  it('gives every RFC 4226 HOTP value as the TOTP of step = counter (SHA1, 6 digits)', async () => {
    const parameters: TotpParameters = { algorithm: 'SHA1', digits: 6, periodSeconds: 30 };
    assert.equal(hotp.cases.length, 10);
    for (const { counter, hotp: expected } of hotp.cases) {
      const code = await totpCodeAt(bytes(hotp.secret_ascii), parameters, counter * 30);
      assert.equal(code, expected, `counter ${counter}`);
    }
  });

  for (const algorithm of totpAlgorithms) {
    it(`gives every RFC 6238 value for ${algorithm}, T beyond 32 bits included`, async () => {
      const parameters: TotpParameters = { algorithm, digits: 8, periodSeconds: 30 };
      const cases = totp.cases.filter((vector) => vector.algorithm === algorithm);
      assert.equal(cases.length, 6);
      assert.ok(
        cases.some((vector) => vector.time > 2 ** 32),
        'a time past 2^32 seconds',
      );
      for (const { time, totp: expected } of cases) {
        const secret = bytes(totp.seeds_ascii[algorithm]);
        assert.equal(await totpCodeAt(secret, parameters, time), expected, `time ${time}`);
        const step = await matchTotpStep({
          secret,
          code: expected,
          parameters,
          instantMs: time * 1000,
          windowSteps: 0,
        });
        assert.equal(step, Math.floor(time / 30), `the step of time ${time}`);
      }
    });
  }
});

describe('TOTP secrets, URIs and QR codes', () => {
  it('makes secrets of at least 160 bits, as long as the hash for SHA-256 and SHA-512', () => {
    const bitsOf = (secret: string) => secret.replace(/=+$/, '').length * 5;
    assert.ok(bitsOf(generateTotpSecret('SHA1')) >= totpSecretBitsMin);
    assert.ok(bitsOf(generateTotpSecret('SHA256')) >= 256);
    assert.ok(bitsOf(generateTotpSecret('SHA512')) >= 512);
    assert.notEqual(generateTotpSecret('SHA1'), generateTotpSecret('SHA1'));
  });

  it('names the issuer, account, algorithm and digits in the otpauth URI', () => {
    const secret = generateTotpSecret('SHA256');
    const uri = new URL(
      totpUri({
        secret,
        accountName: 'alice',
        parameters: { algorithm: 'SHA256', digits: 8, periodSeconds: 30 },
      }),
    );
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/ab-elements:alice');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'ab-elements');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
    assert.equal(uri.searchParams.get('digits'), '8');
  });

  it('draws the QR code as an SVG document', async () => {
    const svg = await totpQrSvg('otpauth://totp/ab-elements:alice?secret=JBSWY3DPEHPK3PXP');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<path /);
  });
});

describe('the TOTP window', () => {
  const parameters: TotpParameters = { algorithm: 'SHA1', digits: 6, periodSeconds: 30 };
  const secret = generateTotpSecret('SHA1');
  // The middle of step 1000, so the edges of the window are whole steps away.
  const instantMs = (1000 * 30 + 15) * 1000;

  async function stepOf(offsetSteps: number, windowSteps: number): Promise<number | null> {
    const code = await totpCodeAt(secret, parameters, (1000 + offsetSteps) * 30 + 15);
    return matchTotpStep({ secret, code, parameters, instantMs, windowSteps });
  }

  it('accepts only the current step with a window of 0', async () => {
    assert.equal(await stepOf(0, 0), 1000);
    assert.equal(await stepOf(-1, 0), null);
    assert.equal(await stepOf(1, 0), null);
  });

  it('accepts one step either side with the default window of 1, not two', async () => {
    assert.equal(await stepOf(-1, 1), 999);
    assert.equal(await stepOf(1, 1), 1001);
    assert.equal(await stepOf(-2, 1), null);
    assert.equal(await stepOf(2, 1), null);
  });

  it('accepts two steps either side at the largest window, 2, and not three', async () => {
    assert.equal(await stepOf(-2, totpWindowStepsMax), 998);
    assert.equal(await stepOf(2, totpWindowStepsMax), 1002);
    assert.equal(await stepOf(-3, totpWindowStepsMax), null);
    assert.equal(await stepOf(3, totpWindowStepsMax), null);
  });

  it('refuses a window past the largest as a programming error', async () => {
    await assert.rejects(stepOf(0, totpWindowStepsMax + 1), assert.AssertionError);
  });

  it('treats a code of the wrong length or with non-digits as no match', async () => {
    const code = await totpCodeAt(secret, parameters, 1000 * 30);
    for (const wrong of [code.slice(1), `${code}0`, `${code.slice(1)}x`, '']) {
      const input = { secret, code: wrong, parameters, instantMs, windowSteps: 1 };
      assert.equal(await matchTotpStep(input), null);
    }
  });
});
