import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import {
  collectPageErrors,
  launchBrowser,
  seriousViolations,
  startServer,
  unexpectedErrors,
  type RunningServer,
} from './support/browser.ts';

/** What an authenticator app shows `offsetSteps` steps from now (the server's real clock). */
function appCode(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

const account = { username: 'e2e-mfa', password: 'correct horse battery' };

/**
 * The story, in a real browser against the real server: a new account on the demo's
 * account page enrols an authenticator app, saves its backup codes, signs out, signs in with
 * an app code, signs out, and gets back in with a backup code.
 */
describe('two-step verification on the demo account page', () => {
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

  async function signIn(page: Page): Promise<void> {
    const login = page.locator('#login');
    await login.locator('input').first().fill(account.username);
    await login.locator('input[type=password]').fill(account.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(page: Page): Promise<void> {
    await page.locator('#login').getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#login').getByRole('button', { name: 'Sign in' }).waitFor();
  }

  it('enrols an app, saves backup codes, then signs in with a code and with a backup code',
    async () => {
      const page = await browser.newPage();
      const errors = collectPageErrors(page);
      const registered = await page.request.post(`${server.url}/api/auth/register`, {
        data: { ...account, email: 'e2e-mfa@example.test', firstName: 'Mo', lastName: 'Fa' } });
      assert.equal(registered.status(), 201);
      await page.goto(`${server.url}/account.html`);
      await page.waitForFunction("customElements.get('ab-login')");
      await signIn(page);

      // The settings offer to add a method; the wizard shows the key to type into an app.
      const security = page.locator('#security');
      await security.getByRole('button', { name: 'Add a method' }).click();
      await security.getByRole('radio', { name: /Authenticator app/ }).check();
      await security.getByRole('button', { name: 'Continue' }).click();
      const key = security.locator('[part~="secret"]');
      await key.waitFor();
      const secret = ((await key.getAttribute('aria-label')) ?? '').replaceAll(' ', '');
      assert.match(secret, /^[A-Z2-7]{32,}$/);
      assert.deepEqual(await seriousViolations(page, 'main'), []);
      await security.locator('ab-text-field[name=code] input').fill(await appCode(secret));
      await security.getByRole('button', { name: 'Confirm' }).click();

      // Ten backup codes, shown once; finishing needs the "saved" box.
      const codes = security.locator('ab-mfa-backup-codes [part="codes"] li');
      await codes.nth(9).waitFor();
      const backupCodes = await codes.allTextContents();
      assert.equal(backupCodes.length, 10);
      await security.getByRole('checkbox', { name: /saved these codes/ }).check();
      await security.getByRole('button', { name: 'Finish' }).click();
      await security.getByText('Authenticator app is set up.').waitFor();

      // Signing in now asks for the second step, answered with the app's next code (the
      // enrolment used the current one, and a code is accepted once).
      await signOut(page);
      await signIn(page);
      const verify = page.locator('#login ab-mfa-verify');
      await verify.locator('input[name=code]').fill(await appCode(secret, 1));
      await page.locator('#login').getByText('Mo Fa').first().waitFor();
      await security.waitFor({ state: 'visible' });

      // Without the phone: a backup code gets the person in, once.
      await signOut(page);
      await signIn(page);
      await verify.getByRole('radio', { name: 'Backup code' }).check();
      // A whole code typed or pasted is sent at once, as with an app code.
      await verify.locator('input[name=code]').fill(backupCodes[0] as string);
      await page.locator('#login').getByText('Mo Fa').first().waitFor();
      await security.waitFor({ state: 'visible' });

      // The same code a second time is refused, in words, with the attempts left.
      await signOut(page);
      await signIn(page);
      await verify.getByRole('radio', { name: 'Backup code' }).check();
      await verify.locator('input[name=code]').fill(backupCodes[0] as string);
      await verify.getByRole('alert').getByText(/attempts left/).waitFor();
      assert.equal(await page.locator('#security').isVisible(), false);
      assert.deepEqual(unexpectedErrors(errors), []);
    });
});
