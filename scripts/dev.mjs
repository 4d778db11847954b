/**
 * @module
 * `npm run dev`: the API server restarted on change (tsx watch) and Storybook's dev server with
 * live reload, its `/api` proxied to the server.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyze } from './build.mjs';
import { ensureNodeModules } from './ensure-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
ensureNodeModules();
analyze();
const port = process.env.PORT ?? '3000';
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['node_modules/storybook/dist/bin/dispatcher.js', 'dev', '--ci', '-p', '6006'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, AB_API_ORIGIN: `http://127.0.0.1:${port}` },
  }),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
console.log(`[ab-elements] API on http://localhost:${port}/api, gallery on http://localhost:6006`);
