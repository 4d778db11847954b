/**
 * @module
 * Starts the real API server as a child process on a free port with a fresh SQLite file, for
 * browser tests that talk to it over HTTP. Used by web-test-runner and the end-to-end tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testAdmin } from './test-admin.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A fixed key for test servers only; never used outside tests. */
const testSecretKey = 'dGVzdC1rZXktZm9yLWJyb3dzZXItdGVzdHMtb25seSE=';

/** Asks the OS for a free TCP port on the loopback address. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `server/main.ts`. Resolves once it listens.
 * @param {Record<string, string>} env extra environment (e.g. PUBLIC_ORIGIN, ALLOWED_ORIGINS)
 * @returns {Promise<{ url: string, port: number, output: string[], stop(): Promise<void> }>}
 */
export async function startApiServer(env = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ab-api-'));
  const output = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'test.sqlite')}`,
      SECRET_KEYS: testSecretKey,
      LOG_LEVEL: 'warn',
      // An Admin, so tests can manage MFA policies through the API as a person would.
      ADMIN_USER: testAdmin.username,
      ADMIN_PASSWORD: testAdmin.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const deadlineMs = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API server exited early:\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadlineMs) {
      child.kill('SIGKILL');
      throw new Error(`API server did not answer within 30 s:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
