import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ProblemError } from '../../../components/core/api-errors.ts';
import '../../../components/mfa/login.ts';
import type {
  AbLogin,
  LoginEventDetail,
  LogoutEventDetail,
  MfaRequiredEventDetail,
} from '../../../components/mfa/login.ts';
import type { AbMfaVerify, VerifiedEventDetail } from '../../../components/mfa/mfa-verify.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
import {
  createPolicy,
  enrolledAccount,
  registerAccount,
  removePolicy,
  signIn,
  signOut,
} from '../support/mfa-account.ts';

/** A password that passes the server's rules (at least 10 characters, not the username). */
const password = 'correct horse battery';

let userCount = 0;

/** Registers a new account through the real API and returns its username. */
async function registerUser(extra: { firstName?: string; lastName?: string } = {}) {
  userCount += 1;
  const username = `login-${Date.now().toString(36)}-${userCount}`;
  const response = await fetch('/api/auth/register', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password, ...extra }),
  });
  expect(response.status, await response.clone().text()).to.equal(201);
  return username;
}

async function signInThroughApi(username: string, secret = password): Promise<Response> {
  return fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: secret }),
  });
}

async function sessionStatus(): Promise<number> {
  return (await fetch('/api/auth/me')).status;
}

/** Renders the element and waits until it knows whether someone is signed in. */
async function renderLogin(template = html`<ab-login></ab-login>`): Promise<AbLogin> {
  const el = await fixture<AbLogin>(template);
  await waitUntil(() => el.state !== 'checking', 'the session check never finished');
  await el.updateComplete;
  return el;
}

function shadow(el: AbLogin, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(selector);
}

function field(el: AbLogin, name: 'username' | 'password'): AbTextField {
  return shadow(el, `ab-text-field[name="${name}"]`) as AbTextField;
}

function submitButton(el: AbLogin): HTMLButtonElement {
  return shadow(el, '[part~="submit"]') as HTMLButtonElement;
}

function alertText(el: AbLogin): string {
  return shadow(el, '[role="alert"]')!.textContent!.trim();
}

function statusText(el: AbLogin): string {
  return shadow(el, '[part~="status"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Types the credentials the way a keyboard user does, then presses Enter. */
async function typeCredentials(el: AbLogin, username: string, secret: string): Promise<void> {
  if (username !== '') {
    field(el, 'username').focus();
    await sendKeys({ type: username });
  }
  field(el, 'password').focus();
  await sendKeys({ type: secret });
  await sendKeys({ press: 'Enter' });
}

describe('ab-login', () => {
  beforeEach(async () => {
    // Each test starts signed out, whatever the previous one left behind.
    await fetch('/api/auth/logout', { method: 'POST' });
  });

  it('passes the axe accessibility audit', async () => {
    const el = await renderLogin();
    await expect(el).to.be.accessible();
  });

  it('shows an empty sign-in form by default', async () => {
    const el = await renderLogin();
    expect(el.state).to.equal('signed-out');
    expect(el.session).to.equal(null);
    expect(el.heading).to.equal('Sign in');
    expect(shadow(el, '[part~="heading"]')!.textContent).to.equal('Sign in');
    expect(field(el, 'username').label).to.equal('Username');
    expect(field(el, 'username').value).to.equal('');
    expect(field(el, 'password').type).to.equal('password');
    expect(submitButton(el).textContent!.trim()).to.equal('Sign in');
    expect(submitButton(el).disabled).to.be.false;
    expect(alertText(el)).to.equal('');
  });

  describe('when a registered user signs in with the keyboard', () => {
    it('announces ab-login and shows who is signed in', async () => {
      const username = await registerUser({ firstName: 'Ada', lastName: 'Lovelace' });
      const el = await renderLogin();
      const loggedIn = oneEvent(el, 'ab-login');
      await typeCredentials(el, username, password);
      const event = (await loggedIn) as CustomEvent<LoginEventDetail>;
      expect(event.bubbles && event.composed).to.be.true;
      expect(event.detail.user.username).to.equal(username);
      expect(event.detail.user).to.not.have.property('password');
      expect(event.detail.mfa.required).to.be.false;

      await el.updateComplete;
      expect(el.state).to.equal('signed-in');
      expect(statusText(el)).to.equal('Signed in as Ada Lovelace.');
      expect(shadow(el, '[part~="heading"]')!.textContent).to.equal('Signed in');
      expect(shadow(el, 'form')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(shadow(el, '[part~="sign-out"]'));
      expect(await sessionStatus()).to.equal(200);
      await expect(el).to.be.accessible();
    });

    it('shows that it is working while the request is on its way', async () => {
      const username = await registerUser();
      const el = await renderLogin();
      const labels: string[] = [];
      const observer = new MutationObserver(() => {
        const button = shadow(el, '[part~="submit"]');
        if (!button) return;
        labels.push(`${button.textContent!.trim()}|${button.getAttribute('aria-disabled')}`);
      });
      const everything = { subtree: true, childList: true, characterData: true, attributes: true };
      observer.observe(el.shadowRoot!, everything);
      const loggedIn = oneEvent(el, 'ab-login');
      await typeCredentials(el, username, password);
      await loggedIn;
      observer.disconnect();
      expect(labels).to.include('Signing in…|true');
    });
  });

  describe('when the username is prefilled', () => {
    it('needs only the password', async () => {
      const username = await registerUser();
      const el = await renderLogin(html`<ab-login username=${username}></ab-login>`);
      expect(field(el, 'username').value).to.equal(username);
      const loggedIn = oneEvent(el, 'ab-login');
      await typeCredentials(el, '', password);
      const event = (await loggedIn) as CustomEvent<LoginEventDetail>;
      expect(event.detail.user.username).to.equal(username);
    });
  });

  describe('when the page loads with a session', () => {
    it('shows the signed-in state without asking again, and announces nothing', async () => {
      const username = await registerUser();
      expect((await signInThroughApi(username)).status).to.equal(200);
      let announced = 0;
      const listener = () => (announced += 1);
      document.addEventListener('ab-login', listener);
      const el = await renderLogin();
      document.removeEventListener('ab-login', listener);
      expect(el.state).to.equal('signed-in');
      expect(el.session?.user.username).to.equal(username);
      expect(statusText(el)).to.equal(`Signed in as ${username}.`);
      expect(announced).to.equal(0);
    });
  });

  describe('when the user signs out', () => {
    it('ends the session, announces ab-logout and shows the form again', async () => {
      const username = await registerUser();
      await signInThroughApi(username);
      const el = await renderLogin();
      const loggedOut = oneEvent(el, 'ab-logout');
      (shadow(el, '[part~="sign-out"]') as HTMLButtonElement).focus();
      await sendKeys({ press: 'Enter' });
      const event = (await loggedOut) as CustomEvent<LogoutEventDetail>;
      expect(event.detail.user.username).to.equal(username);
      await el.updateComplete;
      expect(el.state).to.equal('signed-out');
      expect(shadow(el, 'form')).to.not.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(field(el, 'username'));
      expect(await sessionStatus()).to.equal(401);
    });
  });

  describe('with a wrong password', () => {
    it("shows the server's explanation in the alert and selects the password", async () => {
      const username = await registerUser();
      const el = await renderLogin();
      let announced = 0;
      el.addEventListener('ab-login', () => (announced += 1));
      await typeCredentials(el, username, 'not the password');
      await waitUntil(() => alertText(el) !== '', 'no error was shown');
      expect(alertText(el)).to.equal('Check the username and the password and try again.');
      expect(el.state).to.equal('signed-out');
      expect(announced).to.equal(0);
      const passwordField = field(el, 'password');
      await waitUntil(() => el.shadowRoot!.activeElement === passwordField, 'password not focused');
      const input = passwordField.shadowRoot!.querySelector('input')!;
      expect(input.selectionStart).to.equal(0);
      expect(input.selectionEnd).to.equal('not the password'.length);
      await expect(el).to.be.accessible();
    });

    it('clears the alert when the next attempt succeeds', async () => {
      const username = await registerUser();
      const el = await renderLogin();
      await typeCredentials(el, username, 'not the password');
      await waitUntil(() => alertText(el) !== '');
      const loggedIn = oneEvent(el, 'ab-login');
      await sendKeys({ type: password });
      await sendKeys({ press: 'Enter' });
      await loggedIn;
      await el.updateComplete;
      expect(alertText(el)).to.equal('');
    });
  });

  describe('when a field is empty', () => {
    it('sends nothing and points at the empty field', async () => {
      const el = await renderLogin();
      let announced = 0;
      el.addEventListener('ab-login', () => (announced += 1));
      field(el, 'password').focus();
      await sendKeys({ type: password });
      await sendKeys({ press: 'Enter' });
      const username = field(el, 'username');
      await waitUntil(() => el.shadowRoot!.activeElement === username, 'focus did not move');
      const error = username.shadowRoot!.querySelector('[part~="error"]')!;
      await waitUntil(() => error.textContent !== '', 'the empty field shows no error');
      expect(announced).to.equal(0);
      expect(alertText(el)).to.equal('');
    });
  });

  describe('after too many failed attempts', () => {
    it('refuses with the server message and counts down with the button disabled', async () => {
      const username = await registerUser();
      let answer = await signInThroughApi(username, 'wrong password 1');
      // The server blocks a username after a few failures; fail until it says so.
      for (let attempt = 2; attempt <= 10 && answer.status === 401; attempt += 1) {
        answer = await signInThroughApi(username, `wrong password ${attempt}`);
      }
      expect(answer.status).to.equal(429);
      const el = await renderLogin();
      await typeCredentials(el, username, password);
      await waitUntil(() => alertText(el) !== '', 'no error was shown');
      const problem = el.error as ProblemError;
      expect(problem.status).to.equal(429);
      expect(alertText(el)).to.equal(problem.detail);
      expect(submitButton(el).disabled).to.be.true;
      const retry = shadow(el, '[part~="retry"]')!.textContent;
      expect(retry).to.match(/You can try again in \d+ (minutes|seconds)\./);
      expect(submitButton(el).getAttribute('aria-describedby')).to.equal('retry');
      await expect(el).to.be.accessible();
    });

    it('enables sign-in again when the wait is over', async () => {
      const el = await renderLogin();
      el.error = new ProblemError(
        {
          type: '/api/problems/too-many-requests',
          title: 'Too many attempts.',
          status: 429,
          detail: 'Wait.',
        },
        1,
      );
      await el.updateComplete;
      expect(submitButton(el).disabled).to.be.true;
      const retry = shadow(el, '[part~="retry"]')!.textContent;
      expect(retry).to.contain('You can try again in 1 second.');
      await waitUntil(() => !submitButton(el).disabled, 'still disabled', { timeout: 3000 });
      expect(alertText(el)).to.equal('');
      expect(shadow(el, '[part~="retry"]')).to.equal(null);
    });
  });

  describe('when the account has a second factor', () => {
    /** The second step's prompt, once it has loaded the account's methods. */
    async function secondStep(el: AbLogin): Promise<AbMfaVerify> {
      await waitUntil(() => shadow(el, 'ab-mfa-verify') !== null, 'no second step');
      const verify = shadow(el, 'ab-mfa-verify') as AbMfaVerify;
      await waitUntil(() => verify.state === 'ready', 'the second step never loaded');
      await verify.updateComplete;
      return verify;
    }

    it('asks for the code in place after the password, then announces ab-login', async () => {
      const account = await enrolledAccount('login-second');
      await signOut();
      const el = await renderLogin();
      const required = oneEvent(el, 'ab-mfa-required');
      await typeCredentials(el, account.username, account.password);
      const requiredEvent = (await required) as CustomEvent<MfaRequiredEventDetail>;
      expect(requiredEvent.detail.user.username).to.equal(account.username);
      expect(requiredEvent.detail.methods).to.deep.equal(['totp', 'backup']);
      expect(requiredEvent.detail.mustEnrol).to.be.false;
      await el.updateComplete;
      expect(el.state).to.equal('second-factor');
      expect(shadow(el, '[part~="heading"]')!.textContent).to.equal('One more step');
      expect(statusText(el)).to.contain(`Password accepted for ${account.username}.`);
      const verify = await secondStep(el);
      expect(verify.shadowRoot!.querySelector('[part~="heading"]')).to.equal(null);
      const input = verify.shadowRoot!.querySelector('input.code')!;
      await waitUntil(() => verify.shadowRoot!.activeElement === input, 'code not focused');
      await expect(el).to.be.accessible();

      const verified = oneEvent(el, 'ab-verified');
      const loggedIn = oneEvent(el, 'ab-login');
      await sendKeys({ type: await account.authenticator.nextCode() });
      const verifiedEvent = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(verifiedEvent.detail.method).to.equal('totp');
      const event = (await loggedIn) as CustomEvent<LoginEventDetail>;
      expect(event.detail.user.username).to.equal(account.username);
      expect(event.detail.mfa).to.deep.include({ required: true, verified: true });
      await el.updateComplete;
      expect(el.state).to.equal('signed-in');
      expect(statusText(el)).to.equal(`Signed in as ${account.username}.`);
      expect(shadow(el, 'ab-mfa-verify')).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal(shadow(el, '[part~="sign-out"]'));
    });

    it('shows the second step for a pending session found on connect', async () => {
      const account = await enrolledAccount('login-pending');
      await signOut();
      await signIn(account);
      const el = await renderLogin();
      expect(el.state).to.equal('second-factor');
      const verify = await secondStep(el);
      const loggedIn = oneEvent(el, 'ab-login');
      verify.focus();
      await sendKeys({ type: await account.authenticator.nextCode() });
      await loggedIn;
      expect(el.state).to.equal('signed-in');
    });

    it('offers signing out instead', async () => {
      const account = await enrolledAccount('login-second-out');
      await signOut();
      await signIn(account);
      const el = await renderLogin();
      await secondStep(el);
      const loggedOut = oneEvent(el, 'ab-logout');
      (shadow(el, '[part~="sign-out"]') as HTMLButtonElement).click();
      await loggedOut;
      await el.updateComplete;
      expect(el.state).to.equal('signed-out');
      expect(shadow(el, 'ab-mfa-verify')).to.equal(null);
      expect(await sessionStatus()).to.equal(401);
    });
  });

  describe('when the policy requires a second factor the account lacks', () => {
    it('announces ab-mfa-required with mustEnrol and says what to do', async () => {
      const account = await registerAccount('login-enrol');
      const el = await renderLogin();
      // Policies apply to every account of the server: this one lives only for the sign-in.
      const policyId = await createPolicy({
        name: `login-required-${Date.now()}`,
        priority: 1000,
        roles: ['User'],
        enforcement: 'required',
        allowedMethods: ['totp'],
      });
      let required: Promise<Event>;
      try {
        required = oneEvent(el, 'ab-mfa-required');
        await typeCredentials(el, account.username, account.password);
        await required;
      } finally {
        await removePolicy(policyId);
      }
      const { detail } = (await required) as CustomEvent<MfaRequiredEventDetail>;
      expect(detail).to.deep.include({ methods: [], mustEnrol: true });
      await el.updateComplete;
      expect(el.state).to.equal('second-factor');
      expect(shadow(el, 'ab-mfa-verify')).to.equal(null);
      expect(shadow(el, '[part~="must-enrol"]')!.textContent).to.equal(
        'Your account needs a second factor before you can continue. Set one up to finish ' +
          'signing in.',
      );
      await expect(el).to.be.accessible();
    });
  });

  describe('when the server cannot be reached', () => {
    const unreachable = 'Could not reach the server. Check your connection and try again.';

    it('says so and still offers the form', async () => {
      const el = await renderLogin(html`<ab-login api-base="http://127.0.0.1:9/api"></ab-login>`);
      expect(el.state).to.equal('signed-out');
      expect(alertText(el)).to.equal(unreachable);
      await typeCredentials(el, 'someone', password);
      await waitUntil(() => !el.shadowRoot!.querySelector('[aria-disabled="true"]'));
      expect(alertText(el)).to.equal(unreachable);
    });
  });

  describe('with header and footer content', () => {
    it('shows the slotted header instead of the heading, and the footer', async () => {
      const el = await renderLogin(html`
        <ab-login heading="Ignored">
          <h1 slot="header">Welcome back</h1>
          <a slot="footer" href="/register">Create an account</a>
        </ab-login>
      `);
      const header = shadow(el, 'slot[name="header"]') as HTMLSlotElement;
      expect(header.assignedElements()[0]!.textContent).to.equal('Welcome back');
      const footer = shadow(el, 'slot[name="footer"]') as HTMLSlotElement;
      expect(footer.assignedElements()[0]!.textContent).to.equal('Create an account');
      await expect(el).to.be.accessible();
    });

    it('uses the heading property otherwise', async () => {
      const el = await renderLogin(html`<ab-login heading="Sign in to your wallet"></ab-login>`);
      expect(shadow(el, '[part~="heading"]')!.textContent).to.equal('Sign in to your wallet');
    });
  });
});
