import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  collectPageErrors,
  launchBrowser,
  seriousViolations,
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

const indexPath = new URL('../../dist-gallery/index.json', import.meta.url);

/** Every story of the built gallery; the gallery must have been built (`npm run build`). */
function stories(): IndexEntry[] {
  assert.ok(existsSync(indexPath), 'dist-gallery/index.json is missing: run `npm run build` first.');
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { entries: Record<string, IndexEntry> };
  return Object.values(index.entries).filter((entry) => entry.type === 'story');
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
      assert.deepEqual(await seriousViolations(page, '#storybook-root'), []);
      const allowNetworkErrors = story.tags?.includes('expect-network-error') ?? false;
      assert.deepEqual(unexpectedErrors(errors, { allowNetworkErrors }), []);
      await page.close();
    });
  }
});
