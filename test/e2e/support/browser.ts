/**
 * @module
 * A real Chromium (Debian's, or CHROME_PATH) driven by playwright-core, and the real server
 * started as a child process over the built site.
 */
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApiServer, type StartedApiServer } from '../../support/api-server.mjs';

/** The running server the browser talks to. */
export type RunningServer = StartedApiServer;

/** Starts `server/main.ts` on a fresh SQLite file. */
export function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return startApiServer(env);
}

/** Launches headless Chromium with the flags this machine kind needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run',
      '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

/** Collects console errors and uncaught exceptions of `page`. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * The errors a person would call a failure. Chromium logs every 4xx answer as an error line,
 * but a 401 from "am I signed in?" or a refused code is the page working as designed; a 5xx
 * or a script error is not. `allowNetworkErrors` also admits `net::ERR_*` lines, for a page
 * that shows what happens when the server cannot be reached.
 */
export function unexpectedErrors(errors: string[], options: { allowNetworkErrors?: boolean } = {}): string[] {
  return errors.filter((line) => {
    if (/status of 4\d\d/.test(line)) return false;
    if (options.allowNetworkErrors && /net::ERR_/.test(line)) return false;
    return true;
  });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical axe findings inside `selector` of the page, one line each. */
export async function seriousViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const script = `axe.run(${JSON.stringify(selector)}, { resultTypes: ['violations'] })
    .then((result) => result.violations)`;
  // Storybook's a11y addon runs axe on each story as it renders; axe refuses a second run
  // while one is under way, so wait for the addon's run to finish rather than fail.
  let violations: AxeViolation[] | null = null;
  for (let attempt = 1; violations === null; attempt++) {
    try {
      violations = (await page.evaluate(script)) as AxeViolation[];
    } catch (error) {
      const busy = error instanceof Error && error.message.includes('Axe is already running');
      if (!busy || attempt >= 40) throw error;
      await page.waitForTimeout(250);
    }
  }
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const targets = violation.nodes.map((node) => node.target.join(' ')).join(', ');
      return `${violation.id} (${violation.impact}): ${violation.help} at ${targets}`;
    });
}
