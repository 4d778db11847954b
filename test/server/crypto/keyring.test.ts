import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect, promisify } from 'node:util';
import { ManualClock } from '../../../server/clock.ts';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import {
  FernetError,
  fernetEncrypt,
  generateFernetKey,
  parseFernetKey,
} from '../../../server/crypto/fernet.ts';
import {
  developmentKeyFileName,
  Keyring,
  keyringSizeMax,
  loadKeyring,
} from '../../../server/crypto/keyring.ts';
import { createLogger } from '../../../server/logger.ts';

const runFile = promisify(execFile);

/** A logger that keeps its lines, to check what was (and was not) written. */
function memoryLogger() {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines };
}

const folders: string[] = [];
/** A fresh, empty directory, removed after the file's tests. */
function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ab-keyring-'));
  folders.push(folder);
  return folder;
}
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const newKeyText = generateFernetKey();
const oldKeyText = generateFernetKey();
const newKey = parseFernetKey(newKeyText);
const oldKey = parseFernetKey(oldKeyText);

describe('Keyring', () => {
  describe('with a new and an old key', () => {
    const clock = new ManualClock('2026-03-01T09:00:00Z');
    const ring = new Keyring([newKey, oldKey], clock);
    const oldRing = new Keyring([oldKey], clock);

    it('encrypts with the newest key only', () => {
      const token = ring.encryptString('seed');
      assert.equal(new Keyring([newKey], clock).decryptString(token), 'seed');
      assert.throws(() => oldRing.decrypt(token), (error: unknown) => {
        return error instanceof FernetError && error.reason === 'bad-mac';
      });
    });

    it('decrypts tokens of the old key and says which key opened each', () => {
      const oldToken = oldRing.encryptString('made long ago');
      const newToken = ring.encryptString('made today');
      assert.deepEqual(ring.decrypt(oldToken).keyIndex, 1);
      assert.equal(ring.decryptString(oldToken), 'made long ago');
      assert.equal(ring.decrypt(newToken).keyIndex, 0);
      assert.equal(ring.decryptString(newToken), 'made today');
    });

    it('says an old token needs rotation and a new one does not', () => {
      const oldToken = oldRing.encrypt(Buffer.from([1, 2, 3]));
      assert.equal(ring.needsRotation(oldToken), true);
      const rotated = ring.encrypt(ring.decrypt(oldToken).plaintext);
      assert.equal(ring.needsRotation(rotated), false);
      assert.deepEqual([...ring.decrypt(rotated).plaintext], [1, 2, 3]);
    });

    it('refuses a token of an unknown key as bad-mac without naming any key', () => {
      const stranger = new Keyring([parseFernetKey(generateFernetKey())], clock);
      const token = stranger.encryptString('not ours');
      assert.throws(() => ring.needsRotation(token), (error: unknown) => {
        assert(error instanceof FernetError);
        assert.equal(error.reason, 'bad-mac');
        assert.doesNotMatch(error.message, /\d/, 'no key index');
        return true;
      });
    });

    it('refuses a malformed token with its own reason', () => {
      assert.throws(() => ring.decrypt('not a token!'), (error: unknown) => {
        return error instanceof FernetError && error.reason === 'bad-base64';
      });
    });

    it('stamps tokens with its clock and checks a ttl against it', () => {
      const token = ring.encryptString('short-lived');
      clock.advance(60_000);
      assert.equal(ring.decryptString(token, { ttlSeconds: 60 }), 'short-lived');
      clock.advance(1_000);
      assert.throws(() => ring.decryptString(token, { ttlSeconds: 60 }), (error: unknown) => {
        return error instanceof FernetError && error.reason === 'expired';
      });
      assert.equal(ring.decryptString(token), 'short-lived', 'stored values do not expire');
    });

    it('refuses plaintext that is not UTF-8 when asked for a string', () => {
      const token = ring.encrypt(Buffer.from([0xff, 0xfe]));
      assert.throws(() => ring.decryptString(token), TypeError);
    });

    it('never shows its keys', () => {
      for (const text of [JSON.stringify({ ring }), inspect(ring), String(ring)]) {
        assert.ok(!text.includes(newKeyText.slice(0, 16)), text);
        assert.ok(!text.includes(oldKeyText.slice(0, 16)), text);
      }
    });
  });

  describe('its size', () => {
    const keys = (count: number) =>
      Array.from({ length: count }, () => parseFernetKey(generateFernetKey()));

    it('holds one key up to the limit', () => {
      assert.equal(new Keyring(keys(1)).size, 1);
      assert.equal(new Keyring(keys(keyringSizeMax)).size, keyringSizeMax);
    });

    it('refuses no key, one key too many, and a repeated key', () => {
      assert.throws(() => new Keyring([]), assert.AssertionError);
      assert.throws(() => new Keyring(keys(keyringSizeMax + 1)), assert.AssertionError);
      const repeated = parseFernetKey(newKeyText);
      assert.throws(() => new Keyring([newKey, oldKey, repeated]), assert.AssertionError);
    });
  });
});

describe('loadKeyring', () => {
  describe('with SECRET_KEYS', () => {
    it('uses those keys, newest first, and writes no development key', () => {
      const dataDir = temporaryFolder();
      const env = { NODE_ENV: 'production', DATA_DIR: dataDir };
      const config = loadConfig({ ...env, SECRET_KEYS: `${newKeyText}, ${oldKeyText}` });
      const { logger, lines } = memoryLogger();
      const ring = loadKeyring(config, logger);
      assert.equal(ring.size, 2);
      const oldToken = fernetEncrypt(oldKey, 'v', { now: new Date() });
      assert.equal(ring.decrypt(oldToken).keyIndex, 1);
      assert.equal(new Keyring([newKey]).decryptString(ring.encryptString('w')), 'w');
      assert.deepEqual(readdirSync(dataDir), []);
      for (const line of lines) {
        assert.ok(!line.includes(newKeyText) && !line.includes(oldKeyText));
      }
    });

    it('refuses a repeated key or too many keys as a configuration error', () => {
      const repeated = loadConfig({ SECRET_KEYS: `${newKeyText},${oldKeyText},${newKeyText}` });
      assert.throws(() => loadKeyring(repeated, memoryLogger().logger), ConfigError);
      const many = Array.from({ length: keyringSizeMax + 1 }, () => generateFernetKey());
      const tooMany = loadConfig({ SECRET_KEYS: many.join(',') });
      assert.throws(() => loadKeyring(tooMany, memoryLogger().logger), (error: unknown) => {
        assert(error instanceof ConfigError);
        assert.match(error.message, /at most 16/);
        for (const key of many) assert.ok(!error.message.includes(key));
        return true;
      });
    });
  });

  describe('in production without SECRET_KEYS', () => {
    it('throws saying SECRET_KEYS is required, and writes nothing', () => {
      const dataDir = temporaryFolder();
      const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir });
      assert.throws(() => loadKeyring(config, memoryLogger().logger), (error: unknown) => {
        assert(error instanceof ConfigError);
        assert.match(error.message, /SECRET_KEYS is required/);
        return true;
      });
      assert.deepEqual(readdirSync(dataDir), []);
    });
  });

  describe('in development without SECRET_KEYS', () => {
    it('creates the development key once, mode 0600, and reuses it', () => {
      const dataDir = join(temporaryFolder(), 'nested', 'data');
      const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
      const first = memoryLogger();
      const firstRing = loadKeyring(config, first.logger);
      const file = join(dataDir, developmentKeyFileName);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const keyText = readFileSync(file, 'utf8');
      assert.match(keyText, /^[A-Za-z0-9_-]{43}=\n$/);
      assert.deepEqual(readdirSync(dataDir), [developmentKeyFileName], 'no temporary file left');

      const second = memoryLogger();
      const secondRing = loadKeyring(config, second.logger);
      assert.equal(readFileSync(file, 'utf8'), keyText, 'never regenerated');
      assert.equal(secondRing.decryptString(firstRing.encryptString('kept')), 'kept');

      const warnings = [...first.lines, ...second.lines].map((line) => JSON.parse(line));
      assert.deepEqual(warnings.map((warning) => [warning.level, warning.created]), [
        ['warn', true],
        ['warn', false],
      ]);
      assert.match(warnings[0].message, /development secret key/);
      assert.equal(warnings[0].file, file);
      for (const line of [...first.lines, ...second.lines]) {
        assert.ok(!line.includes(keyText.trim()), 'the key itself is never logged');
      }
    });

    it('uses the development key in test too', () => {
      const dataDir = temporaryFolder();
      loadKeyring(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }), memoryLogger().logger);
      assert.ok(existsSync(join(dataDir, developmentKeyFileName)));
    });

    it('gives processes starting together one and the same key', async () => {
      const dataDir = temporaryFolder();
      const keyringUrl = new URL('../../../server/crypto/keyring.ts', import.meta.url).href;
      const configUrl = new URL('../../../server/config.ts', import.meta.url).href;
      const loggerUrl = new URL('../../../server/logger.ts', import.meta.url).href;
      const script = [
        `import { loadKeyring } from '${keyringUrl}';`,
        `import { loadConfig } from '${configUrl}';`,
        `import { createLogger } from '${loggerUrl}';`,
        "const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: process.env.KEY_DIR });",
        "const ring = loadKeyring(config, createLogger('silent'));",
        "process.stdout.write(ring.encryptString('from ' + process.pid));",
      ].join('\n');
      const processCount = 6;
      const runs = Array.from({ length: processCount }, () =>
        runFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, KEY_DIR: dataDir },
        }),
      );
      const tokens = (await Promise.all(runs)).map((run) => run.stdout);
      assert.deepEqual(readdirSync(dataDir), [developmentKeyFileName]);
      const keyText = readFileSync(join(dataDir, developmentKeyFileName), 'utf8').trim();
      const ring = new Keyring([parseFernetKey(keyText)]);
      for (const token of tokens) assert.match(ring.decryptString(token), /^from \d+$/);
    });

    it('refuses a damaged key file instead of replacing it', () => {
      const dataDir = temporaryFolder();
      const file = join(dataDir, developmentKeyFileName);
      writeFileSync(file, 'not a key\n', { mode: 0o600 });
      const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
      assert.throws(() => loadKeyring(config, memoryLogger().logger), (error: unknown) => {
        assert(error instanceof ConfigError);
        assert.match(error.message, /does not hold a Fernet key/);
        assert.doesNotMatch(error.message, /not a key/);
        return true;
      });
      assert.equal(readFileSync(file, 'utf8'), 'not a key\n');
    });

    it('warns when the key file is readable by others', () => {
      const dataDir = temporaryFolder();
      const file = join(dataDir, developmentKeyFileName);
      writeFileSync(file, `${generateFernetKey()}\n`);
      chmodSync(file, 0o644);
      const { logger, lines } = memoryLogger();
      loadKeyring(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }), logger);
      assert.ok(lines.some((line) => /readable by other users/.test(line)));
    });
  });
});
