import assert from 'node:assert/strict';
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

describe('the demo page, driven by keyboard in Chromium', () => {
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

  it('registers through a plain form, then signs in with ab-login from the bundle', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/`);
    // A string, not a function: this file is type-checked without the DOM library.
    await page.waitForFunction("customElements.get('ab-login') && customElements.get('ab-text-field')");

    assert.deepEqual(await seriousViolations(page, 'main'), []);

    // Keyboard only: type into the first field, Tab through the rest, Enter submits the form.
    const register = page.locator('#register');
    await register.locator('ab-text-field[name=username] input').focus();
    for (const text of ['e2e-keyboard', 'e2e@example.test', 'Erin', 'Example']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await page.getByText('Account e2e-keyboard created').waitFor();

    // Keyboard only: focus the login's password field by tabbing from its username field.
    const login = page.locator('#login');
    await login.locator('input').first().focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('e2e-keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    // Signed in, the element greets the person by name; the page's own listener sets the title.
    await login.getByText('Erin Example').first().waitFor();
    assert.match(await page.title(), /Signed in as e2e-keyboard/);
    assert.deepEqual(unexpectedErrors(errors), []);
  });
});
