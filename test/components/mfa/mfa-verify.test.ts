import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ProblemError } from '../../../components/core/api-errors.ts';
import type { MfaStatus } from '../../../components/core/mfa-api.ts';
import '../../../components/mfa/mfa-verify.ts';
import type { AbMfaVerify, VerifiedEventDetail } from '../../../components/mfa/mfa-verify.ts';
import {
  callApi,
  createPolicy,
  enrolCodeMethod,
  enrolledAccount,
  lastCodeSent,
  pendingAccount,
  removePolicy,
  signIn,
  signOut,
  type EnrolledAccount,
} from '../support/mfa-account.ts';

/** Renders the element and waits until it has read the account's methods. */
async function renderVerify(template = html`<ab-mfa-verify></ab-mfa-verify>`) {
  const el = await fixture<AbMfaVerify>(template);
  await waitUntil(() => el.state !== 'loading', 'the status never loaded');
  await el.updateComplete;
  return el;
}

function shadow<T extends Element = HTMLElement>(el: AbMfaVerify, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

function codeInput(el: AbMfaVerify): HTMLInputElement {
  return shadow<HTMLInputElement>(el, 'input.code')!;
}

function textOf(el: AbMfaVerify, part: string): string {
  return shadow(el, `[part~="${part}"]`)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function submitButton(el: AbMfaVerify): HTMLButtonElement {
  return shadow<HTMLButtonElement>(el, '[part~="submit"]')!;
}

/** Types `code` into the focused code field, key by key, as a person would. */
async function typeCode(el: AbMfaVerify, code: string): Promise<void> {
  codeInput(el).focus();
  await sendKeys({ type: code });
}

/** Pastes `text` into the code field the way the browser delivers a paste. */
function pasteCode(el: AbMfaVerify, text: string): void {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const paste = new ClipboardEvent('paste', {
    clipboardData: data,
    bubbles: true,
    cancelable: true,
    composed: true,
  });
  codeInput(el).dispatchEvent(paste);
}

async function sessionMfa(): Promise<{ required: boolean; verified: boolean }> {
  return (await callApi<{ mfa: { required: boolean; verified: boolean } }>('GET', '/auth/me'))
    .mfa;
}

/** Waits until the alert says something other than `previous`. */
async function nextAlert(el: AbMfaVerify, previous = ''): Promise<string> {
  await waitUntil(() => textOf(el, 'alert') !== previous, 'the alert did not change', {
    timeout: 9000,
  });
  return textOf(el, 'alert');
}

/** The send cooldown of a channel (server/mfa/otp-codes.ts). */
const resendCooldownMs = 60_000;

/**
 * A policy that allows text messages and email besides an authenticator app. It applies to
 * every account of the test server while it exists, so it differs from the default in nothing
 * else, and its priority is the highest, so another file's policy does not override it.
 */
function channelPolicy() {
  return {
    name: `verify-channels-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`,
    priority: 1000,
    roles: ['User'],
    enforcement: 'optional' as const,
    allowedMethods: ['totp' as const, 'sms' as const, 'email' as const],
    rememberDeviceDays: 30,
  };
}

describe('ab-mfa-verify', () => {
  /** An account with SMS and email, set up first so their cooldowns end before their tests. */
  const channels = { account: null as unknown as EnrolledAccount, phone: '', enrolledAtMs: 0 };

  before(async function () {
    this.timeout(20_000);
    // Policies apply to every account of the server: this one lives only while enrolling.
    const policyId = await createPolicy(channelPolicy());
    try {
      channels.account = await enrolledAccount('verify-channels');
      channels.phone = await enrolCodeMethod('sms');
      await enrolCodeMethod('email');
      channels.enrolledAtMs = Date.now();
    } finally {
      await removePolicy(policyId);
    }
  });

  beforeEach(async () => {
    await signOut();
  });

  it('passes the axe accessibility audit', async () => {
    await pendingAccount('verify-axe');
    const el = await renderVerify();
    await expect(el).to.be.accessible();
  });

  it("asks for an authenticator code by default, offering the account's own methods", async () => {
    await pendingAccount('verify-defaults');
    const el = await renderVerify();
    expect(el.state).to.equal('ready');
    expect(el.method).to.equal('totp');
    expect(el.methods).to.deep.equal(['totp', 'backup']);
    expect(textOf(el, 'heading')).to.equal('Confirm it is you');
    const input = codeInput(el);
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    expect(input.maxLength).to.equal(6);
    expect(input.value).to.equal('');
    expect(input.labels![0]!.textContent!.trim()).to.equal(
      '6-digit code from your authenticator app',
    );
    const radios = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('[type="radio"]')];
    expect(radios.map((radio) => radio.value)).to.deep.equal(['totp', 'backup']);
    expect(radios.map((radio) => radio.checked)).to.deep.equal([true, false]);
    expect(textOf(el, 'methods')).to.contain('Authenticator app');
    expect(textOf(el, 'remember')).to.equal('Remember this device for 30 days');
    expect(el.rememberDevice).to.be.false;
    expect(textOf(el, 'submit')).to.equal('Verify');
    expect(textOf(el, 'alert')).to.equal('');
    expect(shadow(el, '[part~="countdown"]')).to.equal(null);
  });

  describe('when the right code is typed', () => {
    it('sends it as soon as it is complete and announces ab-verified', async () => {
      const account = await pendingAccount('verify-right');
      const el = await renderVerify();
      const verified = oneEvent(el, 'ab-verified');
      await typeCode(el, await account.authenticator.nextCode());
      const event = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(event.bubbles && event.composed).to.be.true;
      expect(event.detail).to.deep.equal({ method: 'totp', rememberedUntil: null });
      await el.updateComplete;
      expect(el.state).to.equal('verified');
      expect(textOf(el, 'status')).to.equal('Verified.');
      expect(textOf(el, 'verified')).to.equal('Verified.');
      expect(shadow(el, 'input.code')).to.equal(null);
      expect(await sessionMfa()).to.deep.include({ required: true, verified: true });
    });

    it('remembers the device when the box is ticked', async () => {
      const account = await pendingAccount('verify-remember');
      const el = await renderVerify();
      shadow<HTMLInputElement>(el, '[type="checkbox"]')!.focus();
      await sendKeys({ press: 'Space' });
      expect(el.rememberDevice).to.be.true;
      const verified = oneEvent(el, 'ab-verified');
      await typeCode(el, await account.authenticator.nextCode());
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      const days = (Date.parse(detail.rememberedUntil!) - Date.now()) / 86_400_000;
      expect(days).to.be.within(29.9, 30.1);
    });

    it('also sends on Enter, and the button says it is working meanwhile', async () => {
      const account = await pendingAccount('verify-enter');
      const el = await renderVerify(html`<ab-mfa-verify heading=""></ab-mfa-verify>`);
      expect(shadow(el, '[part~="heading"]')).to.equal(null);
      const labels: string[] = [];
      const observer = new MutationObserver(() => labels.push(textOf(el, 'submit')));
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
      const verified = oneEvent(el, 'ab-verified');
      const code = await account.authenticator.nextCode();
      await typeCode(el, code.slice(0, 5));
      expect(el.state).to.equal('ready');
      await sendKeys({ type: code.slice(5) });
      await verified;
      observer.disconnect();
      expect(labels).to.include('Verifying…');
    });
  });

  describe('when a code is pasted', () => {
    it('drops spaces and dashes and sends the whole code', async () => {
      const account = await pendingAccount('verify-paste');
      const el = await renderVerify();
      const code = await account.authenticator.nextCode();
      const verified = oneEvent(el, 'ab-verified');
      pasteCode(el, ` ${code.slice(0, 3)} -${code.slice(3)} `);
      expect(codeInput(el).value).to.equal(code);
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(detail.method).to.equal('totp');
    });

    it('keeps only digits of what is typed into a numeric field', async () => {
      await pendingAccount('verify-digits');
      const el = await renderVerify();
      await typeCode(el, '12 a-3');
      expect(codeInput(el).value).to.equal('123');
      expect(el.state).to.equal('ready');
    });
  });

  describe('with a wrong code', () => {
    it("shows the server's message and the attempts left, and empties the field", async () => {
      const account = await pendingAccount('verify-wrong');
      const el = await renderVerify();
      let verifiedCount = 0;
      el.addEventListener('ab-verified', () => (verifiedCount += 1));
      await typeCode(el, await account.authenticator.wrongCode());
      const alert = await nextAlert(el);
      expect(alert).to.equal('The code is not right. 4 attempts left before verification locks.');
      expect(verifiedCount).to.equal(0);
      expect(codeInput(el).value).to.equal('');
      expect(codeInput(el).getAttribute('aria-invalid')).to.equal('true');
      expect(el.shadowRoot!.activeElement).to.equal(codeInput(el));
      expect(shadow(el, '[role="alert"]')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('holds a code typed too soon after it, counts down, then sends it', async () => {
      const account = await pendingAccount('verify-too-soon');
      const el = await renderVerify();
      await typeCode(el, await account.authenticator.wrongCode());
      const first = await nextAlert(el);
      expect(first).to.contain('4 attempts left');
      // The server wants a second between wrong codes; a paste arrives well within it.
      pasteCode(el, await account.authenticator.wrongCode());
      await waitUntil(() => textOf(el, 'countdown') !== '', 'no countdown', { timeout: 3000 });
      expect(textOf(el, 'countdown')).to.match(
        /^Too many attempts in a row\. You can try again in \d seconds?\.$/,
      );
      expect(submitButton(el).disabled).to.be.true;
      expect(codeInput(el).disabled).to.be.false;
      expect(codeInput(el).value).to.have.length(6);
      const second = await nextAlert(el, textOf(el, 'alert'));
      await waitUntil(() => textOf(el, 'alert').includes('3 attempts left'), second, {
        timeout: 5000,
      });
      expect(textOf(el, 'countdown')).to.equal('');
    });
  });

  describe('after too many wrong codes', () => {
    it('locks: the field is disabled and the lock counts down', async function () {
      // The server waits 1, 2, 4 and 8 seconds between wrong codes before the fifth locks.
      this.timeout(45_000);
      const account = await pendingAccount('verify-lock');
      const el = await renderVerify();
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        // Typed at once: a code too soon is held through the server's wait, then sent.
        await typeCode(el, await account.authenticator.wrongCode());
        const left = new RegExp(`${5 - attempt} attempts? left`);
        await waitUntil(() => left.test(textOf(el, 'alert')), `no answer to ${attempt}`, {
          timeout: 12_000,
        });
      }
      await typeCode(el, await account.authenticator.wrongCode());
      await waitUntil(() => codeInput(el).disabled, 'the field never locked', { timeout: 12_000 });
      expect(textOf(el, 'alert')).to.equal('Too many wrong codes.');
      const countdown = textOf(el, 'countdown');
      expect(countdown).to.match(/^Verification is locked until .+\. You can try again in /);
      expect(countdown).to.match(/ in 1[45] minutes\.$/);
      expect(submitButton(el).disabled).to.be.true;
      expect(codeInput(el).getAttribute('aria-describedby')).to.equal('countdown');
      await expect(el).to.be.accessible();

      // Even the right code is refused while locked, and a new prompt shows the lock at once.
      const again = await renderVerify();
      expect(codeInput(again).disabled).to.be.true;
      expect(textOf(again, 'countdown')).to.contain('Verification is locked until');
    });

    it('enables the field again when a lock set through `error` ends', async () => {
      await pendingAccount('verify-lock-ends');
      const el = await renderVerify();
      const lockedUntil = new Date(Date.now() + 1500).toISOString();
      el.error = new ProblemError({
        type: '/problems/mfa-locked',
        title: 'Too many wrong codes.',
        status: 423,
        lockedUntil,
      });
      await el.updateComplete;
      expect(codeInput(el).disabled).to.be.true;
      expect(textOf(el, 'countdown')).to.contain('You can try again in 2 seconds.');
      await waitUntil(() => !codeInput(el).disabled, 'still locked', { timeout: 4000 });
      expect(textOf(el, 'alert')).to.equal('');
      expect(textOf(el, 'status')).to.equal('You can try again now.');
    });
  });

  describe('when switching to a backup code', () => {
    it('takes letters, and a backup code verifies', async () => {
      const account = await pendingAccount('verify-backup');
      const el = await renderVerify();
      shadow<HTMLInputElement>(el, '[type="radio"][value="totp"]')!.focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.method).to.equal('backup');
      const input = codeInput(el);
      expect(input.getAttribute('inputmode')).to.equal('text');
      expect(input.labels![0]!.textContent!.trim()).to.equal('Backup code');
      expect(textOf(el, 'hint')).to.contain('Each backup code works once.');
      expect(input.getAttribute('aria-describedby')).to.equal('hint');
      const verified = oneEvent(el, 'ab-verified');
      await typeCode(el, account.backupCodes[0]!.toLowerCase());
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(detail.method).to.equal('backup');
      const counts = await callApi<{ remaining: number }>('GET', '/mfa/backup-codes');
      expect(counts.remaining).to.equal(account.backupCodes.length - 1);
    });

    it('does not send a backup code before it is complete', async () => {
      await pendingAccount('verify-backup-partial');
      const el = await renderVerify(html`<ab-mfa-verify method="backup"></ab-mfa-verify>`);
      expect(el.method).to.equal('backup');
      await typeCode(el, 'abcd-efgh');
      expect(codeInput(el).value).to.equal('ABCD-EFGH');
      expect(el.state).to.equal('ready');
      expect(textOf(el, 'alert')).to.equal('');
    });
  });

  describe('with an 8-digit authenticator', () => {
    it('asks for 8 digits and sends only then', async () => {
      await signOut();
      const account = await enrolledAccount('verify-eight', 8);
      await signOut();
      await signIn(account);
      const el = await renderVerify();
      expect(codeInput(el).maxLength).to.equal(8);
      expect(codeInput(el).labels![0]!.textContent).to.contain('8-digit code');
      const code = await account.authenticator.nextCode();
      await typeCode(el, code.slice(0, 6));
      expect(el.state).to.equal('ready');
      const verified = oneEvent(el, 'ab-verified');
      await sendKeys({ type: code.slice(6) });
      await verified;
    });
  });

  describe('when a sent code is set through `codeSent`', () => {
    it('shows the resend countdown and enables resending when it ends', async () => {
      await pendingAccount('verify-code-sent');
      const el = await renderVerify();
      el.status = { ...el.status!, methods: ['totp', 'sms'] } as MfaStatus;
      el.method = 'sms';
      el.codeSent = {
        method: 'sms',
        sentTo: '+1 ••• ••• 0123',
        expiresAt: new Date(Date.now() + 300_000).toISOString(),
        resendAvailableAt: new Date(Date.now() + 1200).toISOString(),
      };
      await el.updateComplete;
      expect(textOf(el, 'sent')).to.equal('We sent a code to +1 ••• ••• 0123.');
      expect(textOf(el, 'resend-countdown')).to.equal('You can ask for a new code in 2 seconds.');
      const send = () => shadow<HTMLButtonElement>(el, '[part~="send"]')!;
      expect(send().disabled).to.be.true;
      expect(send().getAttribute('aria-describedby')).to.equal('resend-countdown');
      await waitUntil(() => !send().disabled, 'never enabled', { timeout: 4000 });
      expect(shadow(el, '[part~="resend-countdown"]')).to.equal(null);
      expect(textOf(el, 'send')).to.equal('Send a new code');
    });
  });

  describe('with a single method', () => {
    it('offers no switcher', async () => {
      await pendingAccount('verify-single');
      const el = await renderVerify();
      el.status = { ...el.status!, methods: ['totp'], rememberDeviceDays: 0 } as MfaStatus;
      await el.updateComplete;
      expect(shadow(el, '[part~="methods"]')).to.equal(null);
      expect(shadow(el, '[part~="remember"]')).to.equal(null);
    });

    it('says so when there is none', async () => {
      await pendingAccount('verify-none');
      const el = await renderVerify();
      el.status = { ...el.status!, methods: [] } as MfaStatus;
      await el.updateComplete;
      expect(shadow(el, 'input.code')).to.equal(null);
      expect(textOf(el, 'base')).to.contain('No second factor is set up for this account.');
    });
  });

  describe('without a session', () => {
    it("shows the server's answer", async () => {
      const el = await renderVerify();
      expect(textOf(el, 'alert')).to.not.equal('');
      expect(shadow(el, 'input.code')).to.equal(null);
    });
  });

  describe('when the server cannot be reached', () => {
    it('says so', async () => {
      const el = await renderVerify(
        html`<ab-mfa-verify api-base="http://127.0.0.1:9/api"></ab-mfa-verify>`,
      );
      expect(textOf(el, 'alert')).to.equal(
        'Could not reach the server. Check your connection and try again.',
      );
    });
  });

  describe('when focused before the methods load', () => {
    it('puts the focus on the code field once they have', async () => {
      await pendingAccount('verify-focus');
      const el = await fixture<AbMfaVerify>(html`<ab-mfa-verify></ab-mfa-verify>`);
      el.focus();
      await waitUntil(() => el.shadowRoot!.activeElement === codeInput(el), 'not focused');
    });
  });

  describe('with other strings', () => {
    it('shows them', async () => {
      await pendingAccount('verify-strings');
      const el = await renderVerify();
      el.strings = { verify: 'Bestätigen', labelTotp: (digits) => `${digits}-stelliger Code` };
      await el.updateComplete;
      expect(textOf(el, 'submit')).to.equal('Bestätigen');
      expect(codeInput(el).labels![0]!.textContent!.trim()).to.equal('6-stelliger Code');
    });
  });

  describe('right to left', () => {
    it('lays out and stays accessible', async () => {
      await pendingAccount('verify-rtl');
      const wrapper = await fixture<HTMLDivElement>(
        html`<div dir="rtl" lang="ar"><ab-mfa-verify></ab-mfa-verify></div>`,
      );
      const el = wrapper.querySelector('ab-mfa-verify')!;
      await waitUntil(() => el.state === 'ready');
      await el.updateComplete;
      expect(getComputedStyle(codeInput(el)).direction).to.equal('rtl');
      await expect(el).to.be.accessible();
    });
  });

  describe('when disabled', () => {
    it('disables the field and the buttons', async () => {
      await pendingAccount('verify-disabled');
      const el = await renderVerify(html`<ab-mfa-verify disabled></ab-mfa-verify>`);
      expect(codeInput(el).disabled).to.be.true;
      expect(submitButton(el).disabled).to.be.true;
    });
  });
  describe('with text messages and email allowed by a policy', () => {
    let policyId = 0;

    before(async function () {
      // The channels' resend cooldown started at enrolment, at the start of this file.
      this.timeout(resendCooldownMs + 10_000);
      const waitMs = channels.enrolledAtMs + resendCooldownMs + 1000 - Date.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      policyId = await createPolicy(channelPolicy());
    });

    after(async () => {
      await removePolicy(policyId);
    });

    it('sends a text message on request, counts down to a resend, and verifies', async () => {
      await signIn(channels.account);
      const el = await renderVerify();
      expect(el.methods).to.deep.equal(['totp', 'sms', 'email', 'backup']);
      shadow<HTMLInputElement>(el, '[type="radio"][value="sms"]')!.click();
      await el.updateComplete;
      expect(codeInput(el).labels![0]!.textContent!.trim()).to.equal(
        'Code from the text message',
      );
      const send = shadow<HTMLButtonElement>(el, '[part~="send"]')!;
      expect(send.textContent!.trim()).to.equal('Text me a code');
      send.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => textOf(el, 'status') !== '', 'nothing was sent');
      expect(textOf(el, 'status')).to.match(
        new RegExp(`^We sent a code to \\S+${channels.phone.slice(-3)}\\.$`),
      );
      expect(el.codeSent?.method).to.equal('sms');
      expect(textOf(el, 'send')).to.equal('Send a new code');
      expect(shadow<HTMLButtonElement>(el, '[part~="send"]')!.disabled).to.be.true;
      expect(textOf(el, 'sent')).to.equal(textOf(el, 'status'));
      expect(textOf(el, 'resend-countdown')).to.match(
        /^You can ask for a new code in (59|60) seconds\.$/,
      );
      expect(el.shadowRoot!.activeElement).to.equal(codeInput(el));
      await expect(el).to.be.accessible();

      const verified = oneEvent(el, 'ab-verified');
      await typeCode(el, await lastCodeSent('sms'));
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(detail).to.deep.equal({ method: 'sms', rememberedUntil: null });
    });

    it('sends an email code, and verifies with it', async () => {
      await signIn(channels.account);
      const el = await renderVerify(html`<ab-mfa-verify method="email"></ab-mfa-verify>`);
      expect(textOf(el, 'send')).to.equal('Email me a code');
      shadow<HTMLButtonElement>(el, '[part~="send"]')!.click();
      await waitUntil(() => el.codeSent !== null, 'nothing was sent');
      const verified = oneEvent(el, 'ab-verified');
      await typeCode(el, await lastCodeSent('email'));
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(detail.method).to.equal('email');
    });

    it('refuses a code within the cooldown and counts down to it', async () => {
      const account = await enrolledAccount('verify-cooldown');
      await enrolCodeMethod('sms');
      await signOut();
      await signIn(account);
      const el = await renderVerify(html`<ab-mfa-verify method="sms"></ab-mfa-verify>`);
      shadow<HTMLButtonElement>(el, '[part~="send"]')!.click();
      expect(await nextAlert(el)).to.equal('Too many codes sent. Wait before asking again.');
      expect(textOf(el, 'resend-countdown')).to.match(
        /^You can ask for a new code in \d+ seconds\.$/,
      );
      expect(shadow<HTMLButtonElement>(el, '[part~="send"]')!.disabled).to.be.true;
      expect(submitButton(el).disabled).to.be.false;
      expect(codeInput(el).disabled).to.be.false;
    });
  });
});
