import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/mfa/mfa-backup-codes.ts';
import {
  backupCodesFewMax,
  type AbMfaBackupCodes,
  type BackupCodesRegeneratedEventDetail,
  type BackupCodesSavedEventDetail,
} from '../../../components/mfa/mfa-backup-codes.ts';
import type { AbMfaVerify, VerifiedEventDetail } from '../../../components/mfa/mfa-verify.ts';
import {
  callApi,
  enrolledAccount,
  rememberedAccount,
  signOut,
  useBackupCodes,
} from '../support/mfa-account.ts';

/** Codes that look like the server's, for the states that need no account. */
const sampleCodes = Array.from({ length: 10 }, (_, index) => {
  const digit = String(index);
  return `AB${digit}C-${digit.repeat(5)}-XYZ${digit}Q`;
});

/** Renders the element; with no codes, waits until the counts are shown or failed. */
async function renderCodes(template = html`<ab-mfa-backup-codes></ab-mfa-backup-codes>`) {
  const el = await fixture<AbMfaBackupCodes>(template);
  await waitUntil(
    () => el.codes.length > 0 || el.counts !== null || el.error !== null,
    'the counts never loaded',
  );
  await el.updateComplete;
  return el;
}

function shadow<T extends Element = HTMLElement>(el: AbMfaBackupCodes, selector: string) {
  return el.shadowRoot!.querySelector<T>(selector);
}

function part<T extends Element = HTMLElement>(el: AbMfaBackupCodes, name: string) {
  return shadow<T>(el, `[part~="${name}"]`);
}

function textOf(el: AbMfaBackupCodes, name: string): string {
  return part(el, name)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function shownCodes(el: AbMfaBackupCodes): string[] {
  return [...el.shadowRoot!.querySelectorAll('[part~="code"]')].map((code) => code.textContent!);
}

describe('ab-mfa-backup-codes', () => {
  beforeEach(async () => {
    await signOut();
  });

  it('passes the axe accessibility audit', async () => {
    const el = await renderCodes(
      html`<ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>`,
    );
    await expect(el).to.be.accessible();
  });

  it('shows how many codes are left by default', async () => {
    await enrolledAccount('codes-defaults');
    const el = await renderCodes();
    expect(el.codes).to.deep.equal([]);
    expect(el.counts).to.deep.include({ remaining: 10, total: 10 });
    expect(el.filename).to.equal('backup-codes.txt');
    expect(el.noConfirm).to.be.false;
    expect(textOf(el, 'heading')).to.equal('Backup codes');
    expect(textOf(el, 'remaining')).to.equal('10 of 10 backup codes left.');
    expect(part(el, 'warning')).to.equal(null);
    expect(textOf(el, 'base')).to.contain('Generated ');
    expect(textOf(el, 'regenerate')).to.equal('Generate new codes');
    expect(part(el, 'regenerate')!.getAttribute('aria-describedby')).to.equal('regenerate-hint');
    expect(part(el, 'codes')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  describe('with fresh codes', () => {
    it('lists them once, with copy, download and print, and Done waits for the box', async () => {
      const el = await renderCodes(
        html`<ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>`,
      );
      expect(textOf(el, 'heading')).to.equal('Save your backup codes');
      expect(shownCodes(el)).to.deep.equal(sampleCodes);
      expect(part(el, 'codes')!.getAttribute('aria-label')).to.equal('Your backup codes');
      expect(textOf(el, 'copy')).to.equal('Copy all');
      expect(textOf(el, 'download')).to.equal('Download as .txt');
      expect(textOf(el, 'print')).to.equal('Print');
      expect(textOf(el, 'saved')).to.equal('I have saved these codes');
      const done = part<HTMLButtonElement>(el, 'done')!;
      expect(done.disabled).to.be.true;

      let savedCount = 0;
      el.addEventListener('ab-mfa-backup-codes-saved', () => (savedCount += 1));
      shadow<HTMLInputElement>(el, '[type="checkbox"]')!.focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(done.disabled).to.be.false;
      expect(savedCount).to.equal(0);
    });

    it('fires ab-mfa-backup-codes-saved on Done and shows the count instead', async () => {
      await enrolledAccount('codes-done');
      const el = await renderCodes(
        html`<ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>`,
      );
      shadow<HTMLInputElement>(el, '[type="checkbox"]')!.click();
      await el.updateComplete;
      const saved = oneEvent(el, 'ab-mfa-backup-codes-saved');
      part(el, 'done')!.focus();
      await sendKeys({ press: 'Enter' });
      const event = (await saved) as CustomEvent<BackupCodesSavedEventDetail>;
      expect(event.bubbles && event.composed).to.be.true;
      expect(event.detail).to.deep.equal({ count: 10 });
      expect(el.codes).to.deep.equal([]);
      await waitUntil(() => textOf(el, 'remaining') !== '', 'the count never showed');
      expect(shownCodes(el)).to.deep.equal([]);
      expect(textOf(el, 'remaining')).to.equal('10 of 10 backup codes left.');
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'heading'));
    });

    it('copies every code to the clipboard, one a line', async () => {
      const el = await renderCodes(
        html`<ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>`,
      );
      const written: string[] = [];
      // The clipboard is the edge of the world here: a headless page may not own it.
      const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (text: string) => void written.push(text) },
      });
      try {
        part(el, 'copy')!.click();
        await waitUntil(() => textOf(el, 'status') !== '', 'no announcement');
      } finally {
        delete (navigator as unknown as Record<string, unknown>).clipboard;
        Object.defineProperty(Navigator.prototype, 'clipboard', original);
      }
      expect(written).to.deep.equal([sampleCodes.join('\n')]);
      expect(textOf(el, 'status')).to.equal('The codes are copied to the clipboard.');
    });

    it('says so when the clipboard refuses', async () => {
      const el = await renderCodes(
        html`<ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>`,
      );
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
      });
      try {
        part(el, 'copy')!.click();
        await waitUntil(() => textOf(el, 'alert') !== '', 'no alert');
      } finally {
        delete (navigator as unknown as Record<string, unknown>).clipboard;
      }
      expect(textOf(el, 'alert')).to.equal(
        'The codes could not be copied. Select them and copy them yourself.',
      );
    });

    it('downloads them as a text file', async () => {
      const el = await renderCodes(html`
        <ab-mfa-backup-codes filename="my-codes.txt" .codes=${sampleCodes}></ab-mfa-backup-codes>
      `);
      const link = part<HTMLAnchorElement>(el, 'download')!;
      expect(link.download).to.equal('my-codes.txt');
      expect(link.href).to.match(/^blob:/);
      const text = await (await fetch(link.href)).text();
      const lines = text.trimEnd().split('\n');
      expect(lines[0]).to.equal('Backup codes');
      expect(lines.slice(-10)).to.deep.equal(sampleCodes);
    });

    it('prints with the injected printer', async () => {
      let printed = 0;
      const el = await renderCodes(html`
        <ab-mfa-backup-codes .codes=${sampleCodes} .printer=${() => (printed += 1)}>
        </ab-mfa-backup-codes>
      `);
      part(el, 'print')!.focus();
      await sendKeys({ press: 'Enter' });
      expect(printed).to.equal(1);
    });

    it('leaves the confirmation to the host with no-confirm', async () => {
      const el = await renderCodes(html`
        <ab-mfa-backup-codes no-confirm heading="" .codes=${sampleCodes}></ab-mfa-backup-codes>
      `);
      expect(part(el, 'saved')).to.equal(null);
      expect(part(el, 'done')).to.equal(null);
      expect(part(el, 'heading')).to.equal(null);
      expect(shownCodes(el)).to.have.length(10);
    });
  });

  describe('when few codes are left', () => {
    it(`warns at ${backupCodesFewMax} left, and not at one more`, async () => {
      const account = await enrolledAccount('codes-few');
      await useBackupCodes(account, 10 - backupCodesFewMax - 1);
      const el = await renderCodes();
      expect(textOf(el, 'remaining')).to.equal(`${backupCodesFewMax + 1} of 10 backup codes left.`);
      expect(part(el, 'warning')).to.equal(null);

      await useBackupCodes(account, 1);
      await el.loadCounts();
      await el.updateComplete;
      expect(textOf(el, 'remaining')).to.equal(`${backupCodesFewMax} of 10 backup codes left.`);
      expect(textOf(el, 'warning')).to.equal(
        `Only ${backupCodesFewMax} left. Generate new codes before you run out.`,
      );
      await expect(el).to.be.accessible();
    });

    it('says when none are left, or there are none at all', async () => {
      const el = await fixture<AbMfaBackupCodes>(html`
        <ab-mfa-backup-codes
          .counts=${{ remaining: 0, total: 10, generatedAt: null }}
        ></ab-mfa-backup-codes>
      `);
      expect(textOf(el, 'warning')).to.equal(
        'You have used every backup code. Generate new ones now.',
      );
      el.counts = { remaining: 0, total: 0, generatedAt: null };
      await el.updateComplete;
      expect(textOf(el, 'remaining')).to.equal('You have no backup codes.');
      expect(part(el, 'warning')).to.equal(null);
    });
  });

  describe('when regenerating right after a verification', () => {
    it('shows the new codes at once and announces them', async () => {
      const account = await enrolledAccount('codes-regenerate');
      const el = await renderCodes();
      const regenerated = oneEvent(el, 'ab-mfa-backup-codes-regenerated');
      part(el, 'regenerate')!.focus();
      await sendKeys({ press: 'Enter' });
      const event = (await regenerated) as CustomEvent<BackupCodesRegeneratedEventDetail>;
      expect(event.detail).to.deep.equal({ count: 10 });
      await el.updateComplete;
      const codes = shownCodes(el);
      expect(codes).to.have.length(10);
      expect(codes.some((code) => account.backupCodes.includes(code))).to.be.false;
      expect(textOf(el, 'status')).to.equal('New backup codes are ready. Save them now.');
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'heading'));
      const counts = await callApi<{ remaining: number }>('GET', '/mfa/backup-codes');
      expect(counts.remaining).to.equal(10);
    });
  });

  describe('when regenerating needs a fresh verification', () => {
    it('asks for a code in place, then makes the codes', async () => {
      const account = await rememberedAccount('codes-remembered');
      const el = await renderCodes();
      expect(textOf(el, 'remaining')).to.equal('9 of 10 backup codes left.');
      part(el, 'regenerate')!.click();
      await waitUntil(() => part(el, 'verify') !== null, 'no step-up prompt');
      const verify = part<AbMfaVerify>(el, 'verify')!;
      await waitUntil(() => verify.state === 'ready', 'the prompt never loaded');
      await verify.updateComplete;
      const heading = verify.shadowRoot!.querySelector('[part~="heading"]')!;
      expect(heading.textContent).to.equal('Confirm it is you to generate new codes');
      // A step-up has no sign-in to skip: no "remember this device".
      expect(verify.shadowRoot!.querySelector('[part~="remember"]')).to.equal(null);
      const input = verify.shadowRoot!.querySelector<HTMLInputElement>('input.code')!;
      await waitUntil(() => verify.shadowRoot!.activeElement === input, 'prompt not focused');
      await expect(el).to.be.accessible();

      const verified = oneEvent(el, 'ab-verified');
      const regenerated = oneEvent(el, 'ab-mfa-backup-codes-regenerated');
      await sendKeys({ type: await account.authenticator.nextCode() });
      const { detail } = (await verified) as CustomEvent<VerifiedEventDetail>;
      expect(detail.method).to.equal('totp');
      await regenerated;
      await el.updateComplete;
      expect(part(el, 'verify')).to.equal(null);
      expect(shownCodes(el)).to.have.length(10);
    });

    it('goes back to the count on Cancel', async () => {
      await rememberedAccount('codes-remembered');
      const el = await renderCodes();
      part(el, 'regenerate')!.click();
      await waitUntil(() => part(el, 'cancel') !== null, 'no step-up prompt');
      part(el, 'cancel')!.click();
      await waitUntil(() => part(el, 'regenerate') !== null, 'still stepping up');
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'regenerate'));
      expect(part(el, 'verify')).to.equal(null);
    });
  });

  describe('without a session', () => {
    it("shows the server's answer", async () => {
      const el = await renderCodes();
      expect(textOf(el, 'alert')).to.not.equal('');
      expect(part(el, 'remaining')).to.equal(null);
    });
  });

  describe('when the server cannot be reached', () => {
    it('says so', async () => {
      const el = await renderCodes(
        html`<ab-mfa-backup-codes api-base="http://127.0.0.1:9/api"></ab-mfa-backup-codes>`,
      );
      expect(textOf(el, 'alert')).to.equal(
        'Could not reach the server. Check your connection and try again.',
      );
    });
  });

  describe('with other strings', () => {
    it('shows them', async () => {
      const el = await renderCodes(html`
        <ab-mfa-backup-codes
          .codes=${sampleCodes}
          .strings=${{ copy: 'Alle kopieren', done: 'Fertig' }}
        ></ab-mfa-backup-codes>
      `);
      expect(textOf(el, 'copy')).to.equal('Alle kopieren');
      expect(textOf(el, 'done')).to.equal('Fertig');
    });
  });

  describe('right to left', () => {
    it('lays out and stays accessible', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`
        <div dir="rtl" lang="ar">
          <ab-mfa-backup-codes .codes=${sampleCodes}></ab-mfa-backup-codes>
        </div>
      `);
      const el = wrapper.querySelector('ab-mfa-backup-codes')!;
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'codes')!).direction).to.equal('rtl');
      await expect(el).to.be.accessible();
    });
  });
});
