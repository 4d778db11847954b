import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/mfa/mfa-setup.ts';
import {
  groupSecret,
  otpauthLabel,
  secretGroupLength,
  type AbMfaSetup,
  type MfaEnrolledEventDetail,
  type MfaSetupCancelEventDetail,
  type MfaSetupStep,
} from '../../../components/mfa/mfa-setup.ts';
import type { AbMfaVerify } from '../../../components/mfa/mfa-verify.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
import {
  callApi,
  createPolicy,
  lastCodeSent,
  registerAccount,
  rememberedAccount,
  removePolicy,
  signIn,
  signOut,
} from '../support/mfa-account.ts';
import { TestAuthenticator } from '../support/totp.ts';

/** Registers a new account and signs in with it; answers its username. */
async function newAccount(): Promise<string> {
  const account = await registerAccount('setup');
  await signIn(account);
  return account.username;
}

async function render(template = html`<ab-mfa-setup></ab-mfa-setup>`): Promise<AbMfaSetup> {
  const el = await fixture<AbMfaSetup>(template);
  await waitUntil(() => el.step !== 'loading', 'the status never loaded');
  await el.updateComplete;
  return el;
}

async function reach(el: AbMfaSetup, step: MfaSetupStep): Promise<void> {
  await waitUntil(() => el.step === step, `never reached ${step} (at ${el.step})`, {
    timeout: 8000,
  });
  await el.updateComplete;
}

function part(el: AbMfaSetup, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function headingText(el: AbMfaSetup): string {
  return part(el, 'heading')?.textContent?.trim() ?? '';
}

function alertText(el: AbMfaSetup): string {
  return part(el, 'alert')!.textContent!.trim();
}

function field(el: AbMfaSetup, name: 'code' | 'destination'): AbTextField {
  return part(el, name) as AbTextField;
}

function fieldError(fieldElement: AbTextField): string {
  return fieldElement.shadowRoot!.querySelector('[part~="error"]')!.textContent!.trim();
}

/** The manual key as the user reads it, without the spaces between the groups. */
function readSecret(el: AbMfaSetup): string {
  return part(el, 'secret')!.textContent!.replace(/\s+/g, '');
}

function button(el: AbMfaSetup, text: string): HTMLButtonElement {
  const found = [...el.shadowRoot!.querySelectorAll('button')].find(
    (candidate) => candidate.textContent!.trim() === text,
  );
  expect(found, `no button "${text}"`).to.exist;
  return found!;
}

/** Presses a button the way a keyboard user does: focus, then Enter. */
async function press(el: AbMfaSetup, text: string): Promise<void> {
  button(el, text).focus();
  await sendKeys({ press: 'Enter' });
}

/** Selects the whole text of the focused field, as Control+A does. */
async function selectAll(): Promise<void> {
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'a' });
  await sendKeys({ up: 'Control' });
}

/** Types into a field and presses Enter. */
async function typeInto(fieldElement: AbTextField, text: string): Promise<void> {
  fieldElement.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

function headingFocused(el: AbMfaSetup): boolean {
  return el.shadowRoot!.activeElement === part(el, 'heading');
}

/** Ticks the "saved" box with the keyboard and presses Finish. */
async function confirmSavedAndFinish(el: AbMfaSetup): Promise<void> {
  el.shadowRoot!.querySelector<HTMLInputElement>('input[name="saved"]')!.focus();
  await sendKeys({ press: 'Space' });
  await press(el, 'Finish');
}

describe('ab-mfa-setup', () => {
  beforeEach(async () => {
    await signOut();
  });

  it('passes the axe accessibility audit', async () => {
    await newAccount();
    const el = await render();
    await expect(el).to.be.accessible();
  });

  it('offers the methods the policy allows, the first one chosen', async () => {
    await newAccount();
    const el = await render();
    expect(el.step).to.equal('choose');
    expect(el.method).to.equal('');
    expect(el.headingLevel).to.equal(2);
    expect(headingText(el)).to.equal('Add a second factor');
    expect(part(el, 'heading')!.getAttribute('aria-level')).to.equal('2');
    const radios = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(radios.map((radio) => radio.value)).to.deep.equal(['totp']);
    expect(radios[0]!.checked).to.be.true;
    expect(part(el, 'methods')!.textContent).to.contain('Authenticator app');
    expect(alertText(el)).to.equal('');
    expect(headingFocused(el)).to.be.false;
  });

  describe('when a new user sets up an authenticator app with the keyboard', () => {
    it('shows the QR code and the key, confirms a code and hands out backup codes', async () => {
      const username = await newAccount();
      const el = await render();
      await press(el, 'Continue');
      await reach(el, 'scan');
      expect(headingText(el)).to.equal('Scan the QR code');
      expect(headingFocused(el)).to.be.true;

      const qr = part(el, 'qr') as HTMLImageElement;
      expect(qr.tagName).to.equal('IMG');
      expect(qr.src.startsWith('data:image/svg+xml')).to.be.true;
      expect(qr.alt).to.equal('QR code to add this account to an authenticator app');
      await waitUntil(() => qr.complete && qr.naturalWidth > 0, 'the QR code did not load');

      const groups = [...part(el, 'secret')!.querySelectorAll('span')].map((s) => s.textContent);
      expect(groups.length).to.be.greaterThan(7);
      expect(groups.slice(0, -1).every((group) => group!.length === secretGroupLength)).to.be.true;
      const secret = readSecret(el);
      expect(secret).to.match(/^[A-Z2-7]{32,}$/);
      const details = el.shadowRoot!.querySelector('dl')!.textContent!.replace(/\s+/g, ' ');
      expect(details).to.contain(`Account ${username}`);
      expect(details).to.match(/Issuer \S+/);
      const parameters = 'SHA1, 6 digits, a new code every 30 seconds';
      expect(part(el, 'base')!.textContent).to.contain(parameters);
      const input = field(el, 'code').shadowRoot!.querySelector('input')!;
      expect(input.autocomplete).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      await expect(el).to.be.accessible();

      const app = new TestAuthenticator(secret);
      await typeInto(field(el, 'code'), await app.nextCode());
      await reach(el, 'backup-codes');
      expect(headingText(el)).to.equal('Save your backup codes');
      expect(headingFocused(el)).to.be.true;
      const codesElement = part(el, 'backup-codes')!;
      await waitUntil(() => codesElement.shadowRoot?.querySelectorAll('[part~="code"]').length);
      expect(codesElement.shadowRoot!.querySelectorAll('[part~="code"]').length).to.equal(10);
      await expect(el).to.be.accessible();

      const status = await callApi<{ totp: { enabled: boolean } }>('GET', '/mfa/status');
      expect(status.totp.enabled).to.be.true;
    });

    it('finishes only once the user confirms the codes are saved', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const app = new TestAuthenticator(readSecret(el));
      await typeInto(field(el, 'code'), await app.nextCode());
      await reach(el, 'backup-codes');
      let enrolled = 0;
      el.addEventListener('ab-mfa-enrolled', () => (enrolled += 1));

      await press(el, 'Finish');
      await el.updateComplete;
      const checkbox = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="saved"]')!;
      expect(el.step).to.equal('backup-codes');
      expect(el.shadowRoot!.activeElement).to.equal(checkbox);
      expect(checkbox.getAttribute('aria-invalid')).to.equal('true');
      const missing = el.shadowRoot!.querySelector('#saved-missing')!;
      expect(missing.textContent).to.equal('Confirm that you saved the codes before finishing.');
      expect(enrolled).to.equal(0);

      const announced = oneEvent(el, 'ab-mfa-enrolled');
      await confirmSavedAndFinish(el);
      const event = (await announced) as CustomEvent<MfaEnrolledEventDetail>;
      expect(event.detail).to.deep.equal({ method: 'totp' });
      expect(event.bubbles && event.composed).to.be.true;
      await reach(el, 'finished');
      expect(headingText(el)).to.equal('Two-step verification is on');
      expect(part(el, 'base')!.textContent).to.contain('Authenticator app is set up.');
      expect(headingFocused(el)).to.be.true;
    });

    it('reads a code typed with a space in it', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const code = await new TestAuthenticator(readSecret(el)).nextCode();
      await typeInto(field(el, 'code'), `${code.slice(0, 3)} ${code.slice(3)}`);
      await reach(el, 'backup-codes');
    });
  });

  describe('when the code is wrong', () => {
    it('says so on the field with the tries left, and takes the right one after', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const app = new TestAuthenticator(readSecret(el));
      const codeField = field(el, 'code');
      await typeInto(codeField, await app.wrongCode());
      await waitUntil(() => fieldError(codeField) !== '', 'no error on the field');
      expect(fieldError(codeField)).to.equal('That code is not right. 4 tries left.');
      expect(codeField.shadowRoot!.querySelector('input')!.getAttribute('aria-invalid')).to.equal(
        'true',
      );
      expect(part(el, 'announcer')!.textContent).to.equal('That code is not right. 4 tries left.');
      expect(alertText(el)).to.equal('');
      expect(el.step).to.equal('scan');
      await expect(el).to.be.accessible();

      // The server wants a second between attempts after a failure.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      codeField.focus();
      await selectAll();
      await typeInto(codeField, await app.nextCode());
      await reach(el, 'backup-codes');
    });

    it('checks the length before asking the server', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const codeField = field(el, 'code');
      await typeInto(codeField, '12');
      await waitUntil(() => fieldError(codeField) !== '');
      expect(fieldError(codeField)).to.equal('Enter the 6-digit code.');
      const history = await callApi<{ items: unknown[] }>('GET', '/mfa/verifications');
      expect(history.items).to.have.length(0);
    });

    it('counts down while the server asks to wait', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const app = new TestAuthenticator(readSecret(el));
      const codeField = field(el, 'code');
      await typeInto(codeField, await app.wrongCode());
      await waitUntil(() => fieldError(codeField) !== '');
      // A second wrong code at once is refused for being too soon (429 with Retry-After).
      codeField.focus();
      await selectAll();
      await typeInto(codeField, await app.wrongCode());
      await waitUntil(() => alertText(el) !== '', 'no alert');
      expect(codeField.helpText).to.match(/^Too many tries\. Wait \d+ s before the next one\.$/);
      expect(part(el, 'primary')!.getAttribute('aria-disabled')).to.equal('true');
      await waitUntil(
        () => part(el, 'primary')!.getAttribute('aria-disabled') === 'false',
        'the wait never ended',
        { timeout: 4000 },
      );
      expect(codeField.helpText).to.equal('The 6-digit code the app shows now.');
    });
  });

  describe('when the pending setup is gone', () => {
    it('says it expired and starts again with a new key', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const secret = readSecret(el);
      const app = new TestAuthenticator(secret);
      // Another tab finishes this setup first, so nothing is pending for this one.
      await callApi('POST', '/mfa/totp/confirm', { code: await app.nextCode() });
      await typeInto(field(el, 'code'), await app.nextCode());
      await waitUntil(() => alertText(el) !== '', 'no alert');
      expect(alertText(el)).to.equal('This setup has expired. Start again to get a new QR code.');
      await press(el, 'Start again');
      await waitUntil(() => readSecret(el) !== secret, 'no new key');
      expect(el.step).to.equal('scan');
      expect(alertText(el)).to.equal('');
    });
  });

  describe('when copying the key', () => {
    let original: typeof navigator.clipboard.writeText;
    beforeEach(() => {
      original = navigator.clipboard.writeText;
    });
    afterEach(() => {
      navigator.clipboard.writeText = original;
    });

    it('copies the key without the spaces and says so', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const copied: string[] = [];
      navigator.clipboard.writeText = async (text: string) => {
        copied.push(text);
      };
      await press(el, 'Copy key');
      await waitUntil(() => part(el, 'announcer')!.textContent === 'Key copied.');
      expect(copied).to.deep.equal([readSecret(el)]);
    });

    it('selects the key when the clipboard refuses', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied'));
      await press(el, 'Copy key');
      await waitUntil(() => part(el, 'announcer')!.textContent !== '');
      expect(part(el, 'announcer')!.textContent).to.equal(
        'Could not copy. Select the key and copy it yourself.',
      );
      expect(window.getSelection()!.toString().replace(/\s+/g, '')).to.equal(readSecret(el));
    });
  });

  describe('when going back or cancelling', () => {
    it('Back returns to the choice with its heading focused', async () => {
      await newAccount();
      const el = await render();
      await press(el, 'Continue');
      await reach(el, 'scan');
      await press(el, 'Back');
      await reach(el, 'choose');
      expect(headingFocused(el)).to.be.true;
    });

    it('Cancel announces the step left and starts over', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const cancelled = oneEvent(el, 'ab-mfa-setup-cancel');
      await press(el, 'Cancel');
      const event = (await cancelled) as CustomEvent<MfaSetupCancelEventDetail>;
      expect(event.detail).to.deep.equal({ step: 'scan' });
      expect(event.bubbles && event.composed).to.be.true;
      await reach(el, 'choose');
      const status = await callApi<{ totp: { enabled: boolean } }>('GET', '/mfa/status');
      expect(status.totp.enabled).to.be.false;
    });
  });

  describe('with a policy that allows text messages and email', () => {
    let policyId = 0;

    before(async () => {
      policyId = await createPolicy({
        name: `setup-codes-${Date.now().toString(36)}`,
        priority: 900,
        enforcement: 'optional',
        allowedMethods: ['totp', 'sms', 'email'],
        rememberDeviceDays: 30,
      });
    });

    after(async () => {
      await removePolicy(policyId);
    });

    it('sets up text messages: number, code from the outbox, resend countdown', async () => {
      await newAccount();
      const el = await render();
      const radios = el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]');
      expect([...radios].map((radio) => radio.value)).to.deep.equal(['totp', 'sms', 'email']);
      radios[0]!.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await reach(el, 'destination');
      expect(headingText(el)).to.equal('Your phone number');
      expect(headingFocused(el)).to.be.true;
      const phone = field(el, 'destination');
      expect(phone.type).to.equal('tel');

      await typeInto(phone, '12');
      await waitUntil(() => fieldError(phone) !== '', 'no error for a bad number');
      expect(fieldError(phone)).to.equal(
        'Enter the number in international format, like +44 7700 900123.',
      );
      expect(el.step).to.equal('destination');

      const number = `+4477009${String(Date.now()).slice(-5)}`;
      phone.focus();
      await selectAll();
      await typeInto(phone, number);
      await reach(el, 'code');
      expect(headingText(el)).to.equal('Enter the code');
      expect(part(el, 'base')!.textContent).to.contain(`We sent a 6-digit code to +44`);
      expect(part(el, 'base')!.textContent).to.contain(number.slice(-3));
      const resend = part(el, 'resend') as HTMLButtonElement;
      expect(resend.disabled).to.be.true;
      expect(part(el, 'countdown')!.textContent).to.match(/new code in (59|60) s\.$/);
      await expect(el).to.be.accessible();

      await typeInto(field(el, 'code'), await lastCodeSent('sms'));
      await reach(el, 'backup-codes');
      const announced = oneEvent(el, 'ab-mfa-enrolled');
      await confirmSavedAndFinish(el);
      expect(((await announced) as CustomEvent<MfaEnrolledEventDetail>).detail.method).to.equal(
        'sms',
      );
      const status = await callApi<{ sms: { enabled: boolean } }>('GET', '/mfa/status');
      expect(status.sms.enabled).to.be.true;
    });

    it("sets up email codes to the account's own address", async () => {
      const username = await newAccount();
      const el = await render(html`<ab-mfa-setup method="email"></ab-mfa-setup>`);
      await reach(el, 'destination');
      expect(headingText(el)).to.equal('Your email address');
      const address = field(el, 'destination');
      expect(address.required).to.be.false;
      address.focus();
      await sendKeys({ press: 'Enter' });
      await reach(el, 'code');
      expect(part(el, 'base')!.textContent).to.contain(`${username[0]}•••@example.com`);
      await press(el, 'Back');
      await reach(el, 'destination');
      await press(el, 'Send code');
      await waitUntil(() => alertText(el) !== '', 'no cooldown message');
      expect(el.step).to.equal('destination');
    });

    it('confirms it is the user first when the account has a factor already', async () => {
      // Signed in again on a remembered device: signed in, but no fresh verification.
      const { backupCodes } = await rememberedAccount('setup');
      const status = await callApi<{ stepUpValidUntil: string | null }>('GET', '/mfa/status');
      expect(status.stepUpValidUntil).to.equal(null);

      const el = await render();
      const smsRadio = el.shadowRoot!.querySelector<HTMLInputElement>('input[value="sms"]')!;
      expect(smsRadio.checked, 'the first method not set up is chosen').to.be.true;
      smsRadio.focus();
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Enter' });
      await reach(el, 'step-up');
      expect(headingText(el)).to.equal('Confirm it is you');
      expect(headingFocused(el)).to.be.true;
      const verify = el.shadowRoot!.querySelector<AbMfaVerify>('ab-mfa-verify')!;
      await waitUntil(() => verify.state === 'ready');
      verify.method = 'backup';
      await verify.updateComplete;
      verify.focus();
      await sendKeys({ type: backupCodes[1]! });
      await sendKeys({ press: 'Enter' });
      await reach(el, 'destination');
      field(el, 'destination').focus();
      await sendKeys({ press: 'Enter' });
      await reach(el, 'code');
      const announced = oneEvent(el, 'ab-mfa-enrolled');
      await typeInto(field(el, 'code'), await lastCodeSent('email'));
      // The account kept its backup codes: no new ones, straight to the end.
      expect(((await announced) as CustomEvent<MfaEnrolledEventDetail>).detail.method).to.equal(
        'email',
      );
      await reach(el, 'finished');
    });
  });

  describe('when nobody is signed in', () => {
    it('asks to sign in', async () => {
      const el = await render();
      expect(el.step).to.equal('unavailable');
      expect(part(el, 'base')!.textContent).to.contain('Sign in to set up two-step verification.');
      await expect(el).to.be.accessible();
    });
  });

  describe('when the server cannot be reached', () => {
    it('says so and offers to try again', async () => {
      const unreachable = 'http://127.0.0.1:9/api';
      const el = await render(html`<ab-mfa-setup api-base=${unreachable}></ab-mfa-setup>`);
      expect(el.step).to.equal('unavailable');
      expect(alertText(el)).to.equal(
        'Could not reach the server. Check your connection and try again.',
      );
      el.apiBase = '';
      await newAccount();
      await press(el, 'Try again');
      await reach(el, 'choose');
    });
  });

  describe('with options', () => {
    it('takes its heading level and strings from the page', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup
        heading-level="3"
        .strings=${{ chooseHeading: 'Zweiten Faktor hinzufügen' }}
      ></ab-mfa-setup>`);
      expect(headingText(el)).to.equal('Zweiten Faktor hinzufügen');
      expect(part(el, 'heading')!.getAttribute('aria-level')).to.equal('3');
    });

    it('lays out right to left and keeps the key left to right', async () => {
      await newAccount();
      const el = await render(html`<ab-mfa-setup dir="rtl" method="totp"></ab-mfa-setup>`);
      await reach(el, 'scan');
      const secret = part(el, 'secret')!;
      expect(getComputedStyle(part(el, 'base')!).direction).to.equal('rtl');
      expect(getComputedStyle(secret).direction).to.equal('ltr');
      await expect(el).to.be.accessible();
    });
  });

  describe('the key groups', () => {
    it(`holds ${secretGroupLength} characters at the limit and starts a new group past it`, () => {
      expect(groupSecret('ABCD')).to.deep.equal(['ABCD']);
      expect(groupSecret('ABCDE')).to.deep.equal(['ABCD', 'E']);
      expect(groupSecret('AB CD EF')).to.deep.equal(['ABCD', 'EF']);
    });

    it('reads the account and issuer of an otpauth URI', () => {
      const uri = 'otpauth://totp/ab-elements:ada%40example.com?secret=ABC&issuer=ab-elements';
      const label = { account: 'ada@example.com', issuer: 'ab-elements' };
      expect(otpauthLabel(uri)).to.deep.equal(label);
      expect(otpauthLabel('not a uri')).to.deep.equal({ account: '', issuer: '' });
    });
  });
});
