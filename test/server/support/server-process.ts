/**
 * @module
 * A real server process (`server/main.ts`, as `npm start` runs it) on a free port, for the
 * tests that prove several processes on one database behave as one server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { testSecretKey } from './test-context.ts';

const mainPath = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));

/** A running server process: where it listens, and how to stop it. */
export interface ServerProcess {
  origin: string;
  stop(): Promise<void>;
}

/**
 * Starts `server/main.ts` on `databaseUrl` (already migrated, or migrated by this process) and
 * waits until it listens.
 */
export function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', mainPath], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl, SECRET_KEYS: testSecretKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${errors}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as { message?: string; url?: string };
      if (entry.message === 'listening' && entry.url) {
        resolve({ origin: entry.url.replace(/\/$/, ''), stop });
      }
    });
  });
}
