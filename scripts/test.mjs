/**
 * @module
 * `npm test`: everything, in order, on a fresh clone. Installs what is missing, then runs the
 * type checks, the server tests on SQLite and (when reachable) PostgreSQL, the element tests in
 * headless Chromium, and the end-to-end and gallery tests against a built site and a started
 * server. Ends with one line `N passed, N failed` over all suites; exits non-zero on a failure.
 *
 * `npm test -- --only server,components` runs a subset (names: typecheck, server, postgres,
 * components, e2e).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from './build.mjs';
import { ensureChromium, ensureNodeModules } from './ensure-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ab-test-run-'));
const onlyArg = process.argv.find((arg) => arg.startsWith('--only'));
const only = onlyArg ? (onlyArg.split('=')[1] ?? process.argv[process.argv.indexOf(onlyArg) + 1]).split(',') : null;
const wanted = (name) => !only || only.includes(name);

/** @type {{ name: string, passed: number, failed: number, seconds: number }[]} */
const results = [];

function run(command, args, env = {}) {
  const startedMs = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: result.status ?? 1, seconds: (Date.now() - startedMs) / 1000 };
}

function record(name, passed, failed, seconds) {
  results.push({ name, passed, failed, seconds });
  console.log(`\n[ab-elements] ${name}: ${passed} passed, ${failed} failed (${seconds.toFixed(1)} s)\n`);
}

/** Every `*.test.ts` below `folder`, sorted, skipping support code. */
function testFiles(folder) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'support' && entry.name !== 'fixtures') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path);
    }
  };
  if (existsSync(join(root, folder))) walk(join(root, folder));
  return found.sort();
}

/** Line coverage the server tests must reach, in percent. */
const serverLineCoverageMin = 95;
const coverageDir = join(scratch, 'server-coverage');
const c8 = join(root, 'node_modules/c8/bin/c8.js');
const serverCoverageScope = ['--include', 'server/**', '--include', 'migrations/**'];

/**
 * Runs node's test runner on `files`; counts come from a TAP copy of the report. With
 * `coverage`, the run is recorded by c8 for {@link serverCoverage}.
 */
function nodeTests(name, files, env = {}, coverage = false) {
  if (files.length === 0) return;
  const tap = join(scratch, `${name}.tap`);
  const recorder = coverage
    ? [c8, '--reporter=none', `--temp-directory=${coverageDir}`, ...serverCoverageScope, process.execPath]
    : [];
  const { status, seconds } = run(
    process.execPath,
    [...recorder, '--import', 'tsx', '--test', '--test-concurrency=2',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    env,
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const countOf = (label) => Number(text.match(new RegExp(`^# ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = countOf('pass');
  let failed = countOf('fail') + countOf('cancelled');
  if (status !== 0 && failed === 0) failed = 1; // the runner itself failed (a file did not load)
  record(name, passed, failed, seconds);
}

/** Checks the line coverage recorded by the SQLite pass of the server tests. */
function serverCoverage() {
  const { status, seconds } = run(process.execPath, [
    c8, 'report', `--temp-directory=${coverageDir}`, '--reporter=text-summary', ...serverCoverageScope,
    '--check-coverage', `--lines=${serverLineCoverageMin}`,
  ]);
  record(`server line coverage >= ${serverLineCoverageMin}%`, status === 0 ? 1 : 0, status === 0 ? 0 : 1, seconds);
}

function typecheck() {
  analyze(); // the gallery's preview imports the manifest, so it must exist before tsc reads it
  for (const project of ['tsconfig.json', 'tsconfig.server.json']) {
    const { status, seconds } = run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project]);
    record(`typecheck ${project}`, status === 0 ? 1 : 0, status === 0 ? 0 : 1, seconds);
  }
}

function postgresReachable() {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 5432), timeout: 2000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

function componentTests() {
  const summary = join(scratch, 'wtr.json');
  const args = ['node_modules/@web/test-runner/dist/bin.js', '--static-logging', '--coverage'];
  const { status, seconds } = run(process.execPath, args, {
    AB_WTR_SUMMARY: summary,
  });
  const counts = existsSync(summary)
    ? JSON.parse(readFileSync(summary, 'utf8'))
    : { passed: 0, failed: 0, fileErrors: 0 };
  let failed = counts.failed + counts.fileErrors;
  if (status !== 0 && failed === 0) failed = 1;
  record('components (Chromium)', counts.passed, failed, seconds);
}

async function main() {
  ensureNodeModules();
  process.env.CHROME_PATH = ensureChromium();
  if (wanted('typecheck')) typecheck();
  if (wanted('server')) {
    nodeTests('server (SQLite)', testFiles('test/server'), { AB_TEST_DB: 'sqlite' }, true);
    serverCoverage();
  }
  if (wanted('server') || wanted('postgres')) {
    if (await postgresReachable()) {
      nodeTests('server (PostgreSQL)', testFiles('test/server'), { AB_TEST_DB: 'postgres' });
    } else {
      console.log('[ab-elements] PostgreSQL is not reachable: the PostgreSQL pass of the server tests is not run.');
    }
  }
  if (wanted('components')) componentTests();
  if (wanted('e2e')) {
    const files = testFiles('test/e2e');
    if (files.length > 0) {
      const build = run('npm', ['run', 'build', '--silent']);
      if (build.status !== 0) record('build', 0, 1, build.seconds);
      else nodeTests('end to end (Chromium)', files, { AB_TEST_DB: 'sqlite' });
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  console.log('\n[ab-elements] summary');
  for (const result of results) {
    console.log(`  ${result.failed > 0 ? 'FAIL' : 'ok  '} ${result.name}: ${result.passed} passed, ${result.failed} failed`);
  }
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
