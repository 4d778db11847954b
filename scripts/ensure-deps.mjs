/**
 * @module
 * Makes a fresh clone runnable: installs `node_modules` when it is missing or older than
 * `package-lock.json`, and finds (or, on Debian as root, installs) a Chromium for the browser
 * tests. Plain Node with no dependencies, because it runs before anything is installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampPath = `${root}node_modules/.ab-install-stamp`;

/**
 * The hash of what decides the install: the lock file and the dependency fields of the
 * manifest (not its scripts, so adding a script does not reinstall everything).
 */
function installHash() {
  const hash = createHash('sha256');
  if (existsSync(`${root}package-lock.json`)) hash.update(readFileSync(`${root}package-lock.json`));
  const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'overrides']) {
    hash.update(JSON.stringify(manifest[field] ?? {}));
  }
  return hash.digest('hex');
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

/** Installs npm packages when `node_modules` is missing or stale; a no-op otherwise. */
export function ensureNodeModules() {
  const wanted = installHash();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === wanted) return;
  console.log('[ab-elements] installing npm packages (node_modules is missing or stale)…');
  // sqlite3 has no reachable prebuild here; linking the system library compiles in seconds
  // instead of a minute and a half of building the bundled amalgamation.
  const env = existsSync('/usr/include/sqlite3.h') ? { npm_config_sqlite: '/usr' } : {};
  const lock = existsSync(`${root}package-lock.json`);
  run('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], env);
  writeFileSync(stampPath, installHash());
}

const chromeCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Returns the path of a Chrome or Chromium: `CHROME_PATH` when set, else the usual places.
 * On Debian as root it installs Debian's `chromium`; elsewhere it stops with what to install.
 */
export function ensureChromium() {
  if (process.env.CHROME_PATH) {
    if (existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    throw new Error(`CHROME_PATH=${process.env.CHROME_PATH} does not exist.`);
  }
  const found = chromeCandidates.find((path) => existsSync(path));
  if (found) return found;
  const isDebian = existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    console.log('[ab-elements] installing Debian chromium for the browser tests…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  throw new Error(
    'The browser tests need Chrome or Chromium. Install it (Debian/Ubuntu: `apt-get install chromium`) ' +
      'or set CHROME_PATH to its executable.',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--stamp')) {
    // After a deliberate `npm install <package>`: record that node_modules matches the lock.
    writeFileSync(stampPath, installHash());
  }
  ensureNodeModules();
  if (process.argv.includes('--chromium')) console.log(ensureChromium());
}
