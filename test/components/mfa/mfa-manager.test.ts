import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/mfa/mfa-manager.ts';
import {
  historyPageSizeMax,
  historyPagesMax,
  type AbMfaManager,
  type MfaChangedEventDetail,
} from '../../../components/mfa/mfa-manager.ts';
import type { AbMfaSetup } from '../../../components/mfa/mfa-setup.ts';
import type { AbMfaVerify } from '../../../components/mfa/mfa-verify.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
import {
  callApi,
  createPolicy,
  enrolCodeMethod,
  enrolledAccount,
  registerAccount,
  removePolicy,
  signIn,
  signOut,
  type EnrolledAccount,
} from '../support/mfa-account.ts';
import { TestAuthenticator } from '../support/totp.ts';

/** Registers a new account and signs in with it. */
async function newAccount(): Promise<void> {
  await signIn(await registerAccount('manager'));
}

/**
 * An account with an authenticator app and email codes, signed in again on a remembered
 * device: signed in, with no verification in this session, so removing a method needs one.
 */
async function accountWithTwoMethods(): Promise<EnrolledAccount> {
  const account = await enrolledAccount('manager');
  await enrolCodeMethod('email');
  await signOut();
  await signIn(account);
  const code = account.backupCodes.shift();
  await callApi('POST', '/mfa/verify', { method: 'backup', code, rememberDevice: true });
  await signOut();
  await signIn(account);
  return account;
}

async function render(template = html`<ab-mfa-manager></ab-mfa-manager>`): Promise<AbMfaManager> {
  const el = await fixture<AbMfaManager>(template);
  await waitUntil(() => el.state !== 'loading', 'the manager never loaded');
  await el.updateComplete;
  return el;
}

function part(el: AbMfaManager, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function text(element: Element | null): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function methodItem(el: AbMfaManager, method: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[data-method="${method}"]`);
}

function action(scope: ParentNode, name: string): HTMLButtonElement {
  const found = scope.querySelector<HTMLButtonElement>(`[data-action="${name}"]`);
  expect(found, `no ${name} button`).to.exist;
  return found!;
}

/** Presses a button the way a keyboard user does: focus, then Enter. */
async function press(target: HTMLElement): Promise<void> {
  target.focus();
  await sendKeys({ press: 'Enter' });
}

/**
 * Whether `target` has the focus in `el`'s shadow root. A boolean, so a failure reports
 * quickly: chai's printout of two elements (one with a shadow tree) can take minutes.
 */
function focused(el: AbMfaManager, target: Element | null): boolean {
  return target !== null && el.shadowRoot!.activeElement === target;
}

function historyRows(el: AbMfaManager): HTMLTableRowElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')];
}

describe('ab-mfa-manager', () => {
  let policyId = 0;

  before(async () => {
    // Email codes are off unless a policy allows them.
    policyId = await createPolicy({
      name: `manager-codes-${Date.now().toString(36)}`,
      priority: 901,
      enforcement: 'optional',
      allowedMethods: ['totp', 'sms', 'email'],
      rememberDeviceDays: 30,
    });
  });

  after(async () => {
    await removePolicy(policyId);
  });

  beforeEach(async () => {
    await signOut();
  });

  it('passes the axe accessibility audit', async () => {
    await accountWithTwoMethods();
    const el = await render();
    await expect(el).to.be.accessible();
  });

  it('shows an account without a second factor', async () => {
    await newAccount();
    const el = await render();
    expect(el.state).to.equal('ready');
    expect(el.heading).to.equal('Two-step verification');
    expect(el.headingLevel).to.equal(2);
    expect(el.historyPageSize).to.equal(10);
    expect(text(part(el, 'heading'))).to.equal('Two-step verification');
    expect(text(part(el, 'policy'))).to.match(/^Policy in force: manager-codes-/);
    expect(text(el.shadowRoot!.querySelector('section'))).to.contain(
      'You have not set up a second factor yet.',
    );
    expect(text(part(el, 'add'))).to.equal('Add a method');
    expect(part(el, 'backup-codes')).to.equal(null);
    expect(text(el.shadowRoot!.querySelector('[aria-labelledby="devices-heading"]'))).to.contain(
      'No device is remembered.',
    );
    expect(text(el.shadowRoot!.querySelector('[aria-labelledby="history-heading"]'))).to.contain(
      'No verification yet.',
    );
    expect(text(part(el, 'alert'))).to.equal('');
  });

  describe('with two methods on a remembered device', () => {
    it('lists each method with when it was added and last used, and the preferred', async () => {
      await accountWithTwoMethods();
      const el = await render();
      const totp = methodItem(el, 'totp')!;
      expect(text(totp)).to.match(/^Authenticator app Preferred SHA1, 6 digits Added .+ · /);
      const email = methodItem(el, 'email')!;
      expect(text(email)).to.contain('Email m');
      expect(text(email)).to.contain('•••@example.com');
      expect(text(email)).to.match(/Added .+ · last used (now|\d+ seconds? ago)/);
      expect(methodItem(el, 'sms')).to.equal(null);
      expect(text(action(email, 'prefer'))).to.equal('Make preferred: Email');
      expect(totp.querySelector('[data-action="prefer"]')).to.equal(null);
      expect(part(el, 'backup-codes')).to.exist;
      expect(text(part(el, 'add'))).to.equal('Add a method');
    });

    it('makes another method the preferred one', async () => {
      await accountWithTwoMethods();
      const el = await render();
      const changed = oneEvent(el, 'ab-mfa-changed');
      await press(action(methodItem(el, 'email')!, 'prefer'));
      const event = (await changed) as CustomEvent<MfaChangedEventDetail>;
      expect(event.detail.change).to.equal('preferred');
      expect(event.detail.method).to.equal('email');
      expect(event.detail.status.preferredMethod).to.equal('email');
      expect(event.bubbles && event.composed).to.be.true;
      await el.updateComplete;
      expect(text(methodItem(el, 'email'))).to.contain('Email Preferred');
      expect(text(part(el, 'status'))).to.equal('Email is now offered first.');
      expect(focused(el, action(methodItem(el, 'email')!, 'remove')), 'focus').to.be.true;
      const status = await callApi<{ preferredMethod: string }>('GET', '/mfa/status');
      expect(status.preferredMethod).to.equal('email');
    });

    it('removes a method after asking, and after the user confirms it is them', async () => {
      const { authenticator: app } = await accountWithTwoMethods();
      const el = await render();
      await press(action(methodItem(el, 'totp')!, 'remove'));
      await el.updateComplete;
      const question = methodItem(el, 'totp')!.querySelector('[role="group"]')!;
      expect(text(question)).to.contain(
        'Remove Authenticator app? You will no longer be able to sign in with it.',
      );
      expect(focused(el, action(question, 'keep')), 'focus').to.be.true;
      await expect(el).to.be.accessible();

      await press(action(question, 'confirm-remove'));
      await waitUntil(() => part(el, 'step-up'), 'no step-up was asked for');
      await el.updateComplete;
      const stepUp = part(el, 'step-up')!;
      const asked = 'Confirm it is you Enter a code to remove Authenticator app.';
      expect(text(stepUp)).to.contain(asked);
      expect(focused(el, stepUp.querySelector('#step-up-heading')), 'focus').to.be.true;
      await expect(el).to.be.accessible();

      const changed = oneEvent(el, 'ab-mfa-changed');
      const verify = stepUp.querySelector<AbMfaVerify>('ab-mfa-verify')!;
      await waitUntil(() => verify.state === 'ready');
      verify.method = 'totp';
      await verify.updateComplete;
      verify.focus();
      await sendKeys({ type: await app.nextCode() });
      const event = (await changed) as CustomEvent<MfaChangedEventDetail>;
      expect(event.detail.change).to.equal('removed');
      expect(event.detail.method).to.equal('totp');
      await waitUntil(() => text(part(el, 'status')) !== '');
      expect(text(part(el, 'status'))).to.equal('Authenticator app was removed.');
      expect(methodItem(el, 'totp')).to.equal(null);
      expect(methodItem(el, 'email')).to.exist;
      expect(part(el, 'step-up')).to.equal(null);
      expect(focused(el, el.shadowRoot!.querySelector('#methods-heading')), 'focus').to.be.true;
      const status = await callApi<{ totp: { enabled: boolean } }>('GET', '/mfa/status');
      expect(status.totp.enabled).to.be.false;
    });

    it('keeps the method when the user changes their mind', async () => {
      await accountWithTwoMethods();
      const el = await render();
      const remove = action(methodItem(el, 'email')!, 'remove');
      await press(remove);
      await el.updateComplete;
      await press(action(methodItem(el, 'email')!, 'keep'));
      await el.updateComplete;
      expect(methodItem(el, 'email')!.querySelector('[role="group"]')).to.equal(null);
      expect(focused(el, action(methodItem(el, 'email')!, 'remove')), 'focus').to.be.true;
    });

    it('goes back to the method when the step-up is cancelled', async () => {
      await accountWithTwoMethods();
      const el = await render();
      await press(action(methodItem(el, 'email')!, 'remove'));
      await el.updateComplete;
      await press(action(methodItem(el, 'email')!, 'confirm-remove'));
      await waitUntil(() => part(el, 'step-up'));
      const cancel = [...part(el, 'step-up')!.querySelectorAll('button')].find(
        (candidate) => text(candidate) === 'Cancel',
      )!;
      await press(cancel);
      await el.updateComplete;
      expect(part(el, 'step-up')).to.equal(null);
      expect(focused(el, action(methodItem(el, 'email')!, 'remove')), 'focus').to.be.true;
      const status = await callApi<{ email: { enabled: boolean } }>('GET', '/mfa/status');
      expect(status.email.enabled).to.be.true;
    });

    it('forgets a remembered device', async () => {
      await accountWithTwoMethods();
      const el = await render();
      const devices = el.shadowRoot!.querySelectorAll('[part~="device"]');
      expect(devices).to.have.length(1);
      expect(text(devices[0]!)).to.contain('This device');
      expect(text(devices[0]!)).to.match(/Remembered .+, until .+/);
      const changed = oneEvent(el, 'ab-mfa-changed');
      await press(action(devices[0]!, 'forget'));
      expect(((await changed) as CustomEvent<MfaChangedEventDetail>).detail.change).to.equal(
        'device-forgotten',
      );
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('[part~="device"]')).to.have.length(0);
      expect(text(part(el, 'status'))).to.match(/ is forgotten\.$/);
      expect(focused(el, el.shadowRoot!.querySelector('#devices-heading')), 'focus').to.be.true;
      const page = await callApi<{ items: unknown[] }>('GET', '/mfa/devices');
      expect(page.items).to.have.length(0);
    });
  });

  describe('the verification history', () => {
    it('shows the newest first and pages with Show more', async () => {
      await accountWithTwoMethods();
      const el = await render(html`<ab-mfa-manager history-page-size="2"></ab-mfa-manager>`);
      const rows = historyRows(el);
      expect(rows).to.have.length(2);
      const headers = [...el.shadowRoot!.querySelectorAll('th')].map((cell) => text(cell));
      expect(headers).to.deep.equal(['When', 'Method', 'Purpose', 'Result', 'Address']);
      const server = await callApi<{ items: { id: number }[] }>('GET', '/mfa/verifications');
      expect(rows.map((row) => Number(row.dataset.entry))).to.deep.equal(
        server.items.slice(0, 2).map((item) => item.id),
      );
      const more = part(el, 'more')!;
      await press(more);
      await waitUntil(() => historyRows(el).length > 2);
      expect(historyRows(el).map((row) => Number(row.dataset.entry))).to.deep.equal(
        server.items.slice(0, historyRows(el).length).map((item) => item.id),
      );
      const setup = historyRows(el).find((row) => text(row).includes('Setup'));
      expect(text(setup!)).to.match(/(Authenticator app|Email) Setup Succeeded/);
      await expect(el).to.be.accessible();
    });

    it(`loads at most ${historyPagesMax} pages`, async () => {
      const { backupCodes } = await accountWithTwoMethods();
      const count = async () =>
        (await callApi<{ items: unknown[] }>('GET', '/mfa/verifications')).items.length;
      // Each backup code used is one more line of history.
      while ((await count()) < historyPagesMax) {
        await callApi('POST', '/mfa/verify', { method: 'backup', code: backupCodes.shift() });
      }
      expect(await count()).to.equal(historyPagesMax);
      const atLimit = await render(html`<ab-mfa-manager history-page-size="1"></ab-mfa-manager>`);
      for (let page = 1; page < historyPagesMax; page += 1) {
        await press(part(atLimit, 'more')!);
        await waitUntil(() => historyRows(atLimit).length === page + 1);
      }
      await atLimit.updateComplete;
      expect(part(atLimit, 'more')).to.equal(null);
      expect(text(atLimit.shadowRoot!.querySelector('[aria-labelledby="history-heading"]')))
        .to.not.contain('Older activity is not shown here.');

      await callApi('POST', '/mfa/verify', { method: 'backup', code: backupCodes.shift() });
      const pastLimit = await render(html`<ab-mfa-manager history-page-size="1"></ab-mfa-manager>`);
      for (let page = 1; page < historyPagesMax; page += 1) {
        await press(part(pastLimit, 'more')!);
        await waitUntil(() => historyRows(pastLimit).length === page + 1);
      }
      await pastLimit.updateComplete;
      expect(historyRows(pastLimit)).to.have.length(historyPagesMax);
      expect(part(pastLimit, 'more')).to.equal(null);
      expect(text(pastLimit.shadowRoot!.querySelector('[aria-labelledby="history-heading"]')))
        .to.contain('Older activity is not shown here.');
      expect(focused(pastLimit, pastLimit.shadowRoot!.querySelector('.scroll')), 'focus').to.be
        .true;
    });

    it(`asks for at most ${historyPageSizeMax} entries a page, and at least one`, async () => {
      await accountWithTwoMethods();
      const atLimit = await render(
        html`<ab-mfa-manager history-page-size=${historyPageSizeMax}></ab-mfa-manager>`,
      );
      expect(text(part(atLimit, 'alert'))).to.equal('');
      expect(historyRows(atLimit).length).to.be.greaterThan(1);
      const pastLimit = await render(
        html`<ab-mfa-manager history-page-size=${historyPageSizeMax + 1}></ab-mfa-manager>`,
      );
      expect(text(part(pastLimit, 'alert'))).to.equal('');
      expect(historyRows(pastLimit)).to.have.length(historyRows(atLimit).length);
      const none = await render(html`<ab-mfa-manager history-page-size="0"></ab-mfa-manager>`);
      expect(historyRows(none)).to.have.length(1);
      expect(part(none, 'more')).to.exist;
    });
  });

  describe('when adding a method', () => {
    it('opens the setup in place and shows the new method once it is set up', async () => {
      await newAccount();
      const el = await render();
      await press(part(el, 'add')!);
      await waitUntil(() => part(el, 'setup'), 'the setup did not open');
      const wizard = part(el, 'setup') as AbMfaSetup;
      await waitUntil(() => wizard.step === 'choose');
      await wizard.updateComplete;
      const heading = wizard.shadowRoot!.querySelector('[part~="heading"]')!;
      expect(heading.getAttribute('aria-level')).to.equal('4');
      await waitUntil(() => wizard.shadowRoot!.activeElement === heading, 'heading not focused');

      wizard.shadowRoot!.querySelector<HTMLButtonElement>('[part~="primary"]')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => wizard.step === 'scan');
      await wizard.updateComplete;
      const secret = wizard.shadowRoot!.querySelector('[part~="secret"]')!.textContent!;
      const app = new TestAuthenticator(secret.replace(/\s+/g, ''));
      const code = wizard.shadowRoot!.querySelector<AbTextField>('[part~="code"]')!;
      code.focus();
      await sendKeys({ type: await app.nextCode() });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => wizard.step === 'backup-codes', 'no backup codes', { timeout: 8000 });
      await wizard.updateComplete;
      wizard.shadowRoot!.querySelector<HTMLInputElement>('input[name="saved"]')!.focus();
      await sendKeys({ press: 'Space' });
      const changed = oneEvent(el, 'ab-mfa-changed');
      wizard.shadowRoot!.querySelector<HTMLButtonElement>('[part~="primary"]')!.focus();
      await sendKeys({ press: 'Enter' });
      const event = (await changed) as CustomEvent<MfaChangedEventDetail>;
      expect(event.detail).to.include({ change: 'enrolled', method: 'totp' });
      await el.updateComplete;
      expect(part(el, 'setup')).to.equal(null);
      expect(methodItem(el, 'totp')).to.exist;
      expect(text(part(el, 'status'))).to.equal('Authenticator app is set up.');
      expect(part(el, 'backup-codes')).to.exist;
      expect(focused(el, el.shadowRoot!.querySelector('#methods-heading')), 'focus').to.be.true;
    });

    it('closes the setup on Cancel and returns to the Add button', async () => {
      await newAccount();
      const el = await render();
      await press(part(el, 'add')!);
      await waitUntil(() => part(el, 'setup'), 'the setup did not open');
      const setup = part(el, 'setup') as AbMfaSetup;
      await waitUntil(() => setup.step === 'choose');
      await setup.updateComplete;
      const cancel = [...setup.shadowRoot!.querySelectorAll('button')].find(
        (candidate) => text(candidate) === 'Cancel',
      )!;
      cancel.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(part(el, 'setup')).to.equal(null);
      expect(focused(el, part(el, 'add')), 'focus').to.be.true;
    });
  });

  describe('when nobody is signed in', () => {
    it('asks to sign in', async () => {
      const el = await render();
      expect(el.state).to.equal('unavailable');
      expect(text(part(el, 'alert'))).to.equal('Sign in to manage two-step verification.');
      await expect(el).to.be.accessible();
    });
  });

  describe('when the server cannot be reached', () => {
    it('says so and offers to try again', async () => {
      const unreachable = 'http://127.0.0.1:9/api';
      const el = await render(html`<ab-mfa-manager api-base=${unreachable}></ab-mfa-manager>`);
      expect(el.state).to.equal('unavailable');
      expect(text(part(el, 'alert'))).to.equal(
        'Could not reach the server. Check your connection and try again.',
      );
      await newAccount();
      el.apiBase = '';
      await press(part(el, 'button')!);
      await waitUntil(() => el.state === 'ready');
    });
  });

  describe('with options', () => {
    it('takes its heading, heading level and strings from the page', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-manager
        heading="Sicherheit"
        heading-level="3"
        .strings=${{ methodsHeading: 'Anmeldemethoden' }}
      ></ab-mfa-manager>`);
      expect(text(part(el, 'heading'))).to.equal('Sicherheit');
      expect(part(el, 'heading')!.getAttribute('aria-level')).to.equal('3');
      const methods = el.shadowRoot!.querySelector('#methods-heading')!;
      expect(text(methods)).to.equal('Anmeldemethoden');
      expect(methods.getAttribute('aria-level')).to.equal('4');
    });

    it('leaves the heading out when it is empty, and lays out right to left', async () => {
      await accountWithTwoMethods();
      const el = await render(html`<ab-mfa-manager heading="" dir="rtl"></ab-mfa-manager>`);
      expect(part(el, 'heading')).to.equal(null);
      expect(getComputedStyle(methodItem(el, 'totp')!).direction).to.equal('rtl');
      await expect(el).to.be.accessible();
    });
  });
});
