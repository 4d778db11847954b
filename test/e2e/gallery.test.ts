import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchBrowser,
  startServer,
  unexpectedErrors,
  type RunningServer,
} from './support/browser.ts';

interface IndexEntry {
  id: string;
  type: 'story' | 'docs';
  title: string;
  name: string;
  tags?: string[];
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const indexPath = new URL('../../dist-gallery/index.json', import.meta.url);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Every story of the built gallery; the gallery must have been built (`npm run build`). */
function stories(): IndexEntry[] {
  assert.ok(existsSync(indexPath), 'dist-gallery/index.json is missing: run `npm run build` first.');
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { entries: Record<string, IndexEntry> };
  return Object.values(index.entries).filter((entry) => entry.type === 'story');
}

/** Serious and critical axe findings inside the rendered story. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = (await page.evaluate(
    "axe.run('#storybook-root', { resultTypes: ['violations'] }).then((r) => r.violations)",
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describe('the built gallery, served at /gallery/', () => {
  let server: RunningServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('has a story for every element, and the manager page loads', async () => {
    const titles = new Set(stories().map((story) => story.title));
    assert.ok(titles.size >= 2, `expected stories of at least two elements, found ${[...titles].join(', ')}`);
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/gallery/`);
    assert.equal(response?.status(), 200);
    await page.close();
  });

  for (const story of existsSync(indexPath) ? stories() : []) {
    it(`${story.title} / ${story.name} renders without console errors or serious axe findings`, async () => {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${server.url}/gallery/iframe.html?id=${story.id}&viewMode=story`);
      await page.waitForSelector('body.sb-show-main, body.sb-show-errordisplay', { timeout: 15_000 });
      const failed = await page.locator('body.sb-show-errordisplay').count();
      assert.equal(failed, 0, `the story failed to render: ${await page.locator('#error-message').textContent()}`);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await seriousViolations(page), []);
      const allowNetworkErrors = story.tags?.includes('expect-network-error') ?? false;
      assert.deepEqual(unexpectedErrors(errors, { allowNetworkErrors }), []);
      await page.close();
    });
  }
});
