/**
 * @module
 * `npm run build`: the element modules and the bundle (Vite), type declarations (tsc), the
 * Custom Elements Manifest (analyzer) and the gallery (Storybook). `--if-stale` skips the work
 * when nothing it reads has changed since the last build, which keeps a second `npm start`
 * quick.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './ensure-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampPath = join(root, 'dist-gallery', '.ab-build-stamp');

/** What a build reads: when none of it changed, the last build still stands. */
const inputs = [
  'components', 'stories', '.storybook', 'demo', 'package-lock.json', 'package.json',
  'vite.config.ts', 'custom-elements-manifest.config.mjs', 'tsconfig.json', 'tsconfig.build.json',
];

function inputsHash() {
  const hash = createHash('sha256');
  const add = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) add(join(path, name));
    } else {
      hash.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  for (const input of inputs) add(join(root, input));
  return hash.digest('hex');
}

function step(label, command, args, env = {}) {
  const startedMs = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`[ab-elements] build step "${label}" failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`[ab-elements] ${label}: ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
}

const bin = (path) => join(root, 'node_modules', path);

/** Writes the manifest only; the type checks and Storybook read it. */
export function analyze() {
  step('manifest', process.execPath, [bin('@custom-elements-manifest/analyzer/cem.js'), 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);
}

function build() {
  analyze();
  step('element modules', process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
  step('bundle', process.execPath, [bin('vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { AB_BUILD: 'bundle' });
  step('type declarations', process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  step('gallery', process.execPath, [bin('storybook/dist/bin/dispatcher.js'), 'build', '-o', 'dist-gallery', '--quiet'], {
    STORYBOOK_DISABLE_TELEMETRY: '1',
  });
  writeFileSync(stampPath, inputsHash());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureNodeModules();
  if (process.argv.includes('--manifest-only')) {
    analyze();
  } else if (process.argv.includes('--if-stale') && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === inputsHash()) {
    console.log('[ab-elements] build is up to date.');
  } else {
    build();
  }
}
