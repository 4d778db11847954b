/**
 * web-test-runner: element tests in headless Chromium (Debian's, or CHROME_PATH), with the real
 * API server started beside the test server and reached through a same-origin `/api` proxy.
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { freePort, startApiServer } from './test/support/api-server.mjs';
import { apiProxy } from './test/support/proxy-middleware.mjs';
import { summaryReporter } from './test/support/summary-reporter.mjs';

const chromeArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // Pages in background tabs otherwise get no animation frames and their fixtures stall.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--no-first-run',
];

const port = await freePort();
let api;

export default {
  files: ['test/components/**/*.test.ts'],
  nodeResolve: true,
  port,
  hostname: 'localhost',
  // One test file at a time: MFA policies are global to the server, so a file that installs
  // one for its tests would change what a file running beside it sees.
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: chromeArgs },
      // A browser context per page: test files that run at once must not share the session
      // cookie, or one file's sign-in ends the other's, as two people's browsers would not.
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
  middleware: [apiProxy(() => api.url)],
  plugins: [
    {
      name: 'ab-api-server',
      async serverStart() {
        api = await startApiServer({ PUBLIC_ORIGIN: `http://localhost:${port}` });
      },
      async serverStop() {
        await api?.stop();
      },
    },
    // target es2022, not 'auto': the latest Chrome would get decorators left uncompiled.
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  reporters: [defaultReporter(), summaryReporter(process.env.AB_WTR_SUMMARY)],
  coverageConfig: {
    include: ['components/**/*.ts'],
    threshold: { statements: 90, lines: 90, branches: 80, functions: 85 },
  },
  testFramework: { config: { timeout: 10000 } },
  // A file may wait out the server's own clocks (an SMS resend cooldown of 60 s, the growing
  // waits before an MFA lock), on top of its tests; two minutes, the default, is too tight.
  testsFinishTimeout: 240_000,
};
