import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import {
  validationSummaryEntriesMax,
  type AbValidationSummary,
} from '../../../components/ui/validation-summary.ts';
import '../../../components/ui/validation-summary.ts';
import '../../../components/ui/text-field.ts';
import '../../../components/ui/textarea.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
import { accessibleName } from '../support/accessibility-tree.ts';
import { place } from '../support/place.ts';

function summaryOf(root: ParentNode): AbValidationSummary {
  return root.querySelector('ab-validation-summary')!;
}

function base(summary: AbValidationSummary): HTMLElement {
  return summary.shadowRoot!.querySelector('[part~="base"]')!;
}

function shown(summary: AbValidationSummary): boolean {
  return base(summary).offsetParent !== null;
}

function links(summary: AbValidationSummary): HTMLAnchorElement[] {
  return [...summary.shadowRoot!.querySelectorAll<HTMLAnchorElement>('[part~="link"]')];
}

function entryTexts(summary: AbValidationSummary): string[] {
  return links(summary).map((link) => link.textContent!.trim());
}

function status(summary: AbValidationSummary): string {
  return summary.shadowRoot!.querySelector('[aria-live="polite"]')!.textContent!.trim();
}

/** Whether focus is on the summary's box (inside its shadow root). */
function summaryHasFocus(summary: AbValidationSummary): boolean {
  return document.activeElement === summary && summary.shadowRoot!.activeElement === base(summary);
}

/** The browser's message for an empty required field, in the browser's language. */
function missingMessage(): string {
  const probe = document.createElement('input');
  probe.required = true;
  return probe.validationMessage;
}

/** A form with a summary and four required controls: two ab- controls, two native. */
function signUpForm(attributes: TemplateResult = html``): TemplateResult {
  return html`
    <form>
      <ab-validation-summary>${attributes}</ab-validation-summary>
      <ab-text-field id="name" name="name" label="Full name" required></ab-text-field>
      <ab-textarea name="bio" label="About you" required></ab-textarea>
      <label for="email">Email</label>
      <input id="email" name="email" type="email" required />
      <select name="plan" aria-label="Plan" required>
        <option value="">Choose</option>
        <option value="basic">Basic</option>
      </select>
      <button>Sign up</button>
    </form>
  `;
}

async function setup(template: TemplateResult = signUpForm()) {
  const root = await place<HTMLElement>(template);
  const form = root instanceof HTMLFormElement ? root : root.querySelector('form')!;
  const summary = summaryOf(root);
  await summary.updateComplete;
  form.addEventListener('submit', (event) => event.preventDefault());
  return { root, form, summary };
}

/** A submit attempt as a keyboard user makes it: Enter on the submit button. */
async function submitByKeyboard(form: HTMLFormElement): Promise<void> {
  form.querySelector<HTMLButtonElement>('button:not([type])')!.focus();
  await sendKeys({ press: 'Enter' });
}

async function appeared(summary: AbValidationSummary): Promise<void> {
  await waitUntil(() => shown(summary), 'the summary never appeared');
  await summary.updateComplete;
}

describe('ab-validation-summary', () => {
  it('passes the axe accessibility audit once shown', async () => {
    const { form, summary } = await setup();
    form.requestSubmit();
    await appeared(summary);
    await expect(form).to.be.accessible();
  });

  it('is hidden, in submit mode, for the enclosing form by default', async () => {
    const { form, summary } = await setup();
    expect(summary.mode).to.equal('submit');
    expect(summary.htmlFor).to.equal('');
    expect(summary.headingLevel).to.equal(2);
    expect(summary.form).to.equal(form);
    expect(shown(summary)).to.be.false;
    expect(status(summary)).to.equal('');
  });

  describe('when a submit attempt finds problems', () => {
    it('lists each invalid control, ab- or native, in order, with label and message', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      const missing = missingMessage();
      const select = form.querySelector('select')!;
      expect(entryTexts(summary)).to.deep.equal([
        `Full name: ${missing}`,
        `About you: ${missing}`,
        `Email: ${missing}`,
        `Plan: ${select.validationMessage}`,
      ]);
      const heading = summary.shadowRoot!.querySelector('[part~="heading"]')!;
      expect(heading.getAttribute('role')).to.equal('heading');
      expect(heading.getAttribute('aria-level')).to.equal('2');
      expect(accessibleName(base(summary))).to.equal('There is a problem');
    });

    it('is announced as an alert and takes focus after the browser has moved it', async () => {
      const { form, summary } = await setup();
      await submitByKeyboard(form);
      await appeared(summary);
      expect(base(summary).getAttribute('role')).to.equal('alert');
      await waitUntil(() => summaryHasFocus(summary), 'focus did not move to the summary');
    });

    it('focuses a control from its entry, by keyboard', async () => {
      const { form, summary } = await setup();
      await submitByKeyboard(form);
      await appeared(summary);
      await waitUntil(() => summaryHasFocus(summary));
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(summary.shadowRoot!.activeElement).to.equal(links(summary)[1]);
      await sendKeys({ press: 'Enter' });
      expect(document.activeElement).to.equal(form.querySelector('ab-textarea'));
      links(summary)[2]!.click();
      expect(document.activeElement).to.equal(form.querySelector('#email'));
    });

    it('links to the control by id where it has one', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      expect(links(summary)[0]!.getAttribute('href')).to.equal('#name');
    });

    it('follows fixes politely, then says all is fixed and hides', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      const name = form.querySelector<AbTextField>('#name')!;
      name.focus();
      await sendKeys({ type: 'Ada' });
      await waitUntil(() => links(summary).length === 3, 'the fixed entry stayed');
      expect(base(summary).getAttribute('role')).to.not.equal('alert');
      expect(status(summary)).to.equal('3 problems left in the form');

      form.querySelector('ab-textarea')!.value = 'Mathematician';
      form.querySelector('input')!.value = 'ada@example.com';
      form.querySelector('input')!.dispatchEvent(new Event('input', { bubbles: true }));
      await waitUntil(() => links(summary).length === 1);
      expect(status(summary)).to.equal('1 problem left in the form');
      const select = form.querySelector('select')!;
      select.value = 'basic';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await waitUntil(() => !shown(summary), 'the summary stayed after the last fix');
      expect(status(summary)).to.equal('All problems in the form are fixed');
    });

    it('alerts and takes focus again on the next attempt', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      form.querySelector<AbTextField>('#name')!.focus();
      await sendKeys({ type: 'Ada' });
      await waitUntil(() => links(summary).length === 3);
      await submitByKeyboard(form);
      await waitUntil(() => base(summary).getAttribute('role') === 'alert');
      await waitUntil(() => summaryHasFocus(summary));
      form.querySelector<HTMLButtonElement>('button')!.focus();
      await submitByKeyboard(form);
      await waitUntil(() => summaryHasFocus(summary), 'a repeated attempt did not refocus');
    });

    it('updates an entry when an asynchronous rule answers without any input', async () => {
      const { form, summary } = await setup();
      const name = form.querySelector<AbTextField>('#name')!;
      let answer!: (message: string | null) => void;
      name.validators = [() => new Promise<string | null>((resolve) => (answer = resolve))];
      form.requestSubmit();
      await appeared(summary);
      name.value = 'Ada';
      await waitUntil(() => entryTexts(summary)[0] === 'Full name: Checking…');
      answer('That name is taken.');
      await waitUntil(() => entryTexts(summary)[0] === 'Full name: That name is taken.');
    });

    it('forgets the attempt when the form is reset', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      form.reset();
      await waitUntil(() => !shown(summary), 'the summary stayed after reset');
      await summary.updateComplete;
      expect(status(summary)).to.equal('');
    });

    it('lists a control added to the form afterwards', async () => {
      const { form, summary } = await setup();
      form.requestSubmit();
      await appeared(summary);
      const extra = document.createElement('input');
      extra.name = 'phone';
      extra.required = true;
      form.append(extra);
      await waitUntil(() => links(summary).length === 5, 'the new control was not listed');
      expect(entryTexts(summary)[4]).to.match(/^phone: /);
    });
  });

  describe('with mode="live"', () => {
    it('lists problems from the start, without alert or focus', async () => {
      const { summary } = await setup(html`
        <form>
          <ab-validation-summary mode="live"></ab-validation-summary>
          <input name="code" aria-label="Code" required />
        </form>
      `);
      await appeared(summary);
      expect(entryTexts(summary)).to.deep.equal([`Code: ${missingMessage()}`]);
      expect(base(summary).getAttribute('role')).to.equal('group');
      expect(document.activeElement).to.not.equal(summary);
    });
  });

  describe('with for', () => {
    it('summarizes the named form, even placed before it, and ignores others', async () => {
      const { root, summary } = await setup(html`
        <div>
          <ab-validation-summary for="order"></ab-validation-summary>
          <form id="other"><input name="other" required /></form>
          <form id="order"><input name="street" aria-label="Street" required /></form>
        </div>
      `);
      const other = root.querySelector<HTMLFormElement>('#other')!;
      other.addEventListener('submit', (event) => event.preventDefault());
      other.requestSubmit();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(shown(summary)).to.be.false;
      root.querySelector<HTMLFormElement>('#order')!.requestSubmit();
      await appeared(summary);
      expect(entryTexts(summary)).to.deep.equal([`Street: ${missingMessage()}`]);
    });

    it('summarizes nothing when no form has that id', async () => {
      const root = await place<HTMLDivElement>(
        html`<div><ab-validation-summary for="missing"></ab-validation-summary></div>`,
      );
      const summary = summaryOf(root);
      expect(summary.form).to.equal(null);
      expect(shown(summary)).to.be.false;
    });
  });

  describe('on a novalidate form', () => {
    it('stops an invalid submit, shows each control its error, and appears', async () => {
      const root = await place<HTMLFormElement>(html`
        <form novalidate>
          <ab-validation-summary></ab-validation-summary>
          <ab-text-field name="name" label="Full name" required></ab-text-field>
        </form>
      `);
      let submits = 0;
      root.addEventListener('submit', (event) => {
        event.preventDefault();
        submits += 1;
      });
      const summary = summaryOf(root);
      root.requestSubmit();
      await appeared(summary);
      expect(submits).to.equal(0);
      const field = root.querySelector('ab-text-field')!;
      const error = field.shadowRoot!.querySelector('[part~="error"]')!;
      await waitUntil(() => error.textContent!.trim() === missingMessage());
      field.value = 'Ada';
      await field.updateComplete;
      root.requestSubmit();
      expect(submits).to.equal(1);
    });
  });

  describe('how it names controls', () => {
    it('uses label, slot, aria-labelledby or name; one entry per radio group', async () => {
      const { form, summary } = await setup(html`
        <form>
          <ab-validation-summary></ab-validation-summary>
          <ab-text-field name="a" required><span slot="label">Slotted</span></ab-text-field>
          <span id="lb">Labelled by</span>
          <input name="b" aria-labelledby="lb" required />
          <input name="c" required />
          <input type="radio" name="size" value="s" required />
          <input type="radio" name="size" value="m" />
          <label>
            Plan
            <select name="plan" required><option value="">Choose</option></select>
          </label>
        </form>
      `);
      form.requestSubmit();
      await appeared(summary);
      const labels = entryTexts(summary).map((text) => text.slice(0, text.indexOf(':')));
      expect(labels).to.deep.equal(['Slotted', 'Labelled by', 'c', 'size', 'Plan']);
    });
  });

  describe(`at the limit of ${validationSummaryEntriesMax} entries`, () => {
    function manyFields(count: number): TemplateResult {
      const inputs = Array.from(
        { length: count },
        (_, index) => html`<input name=${`f${index}`} required />`,
      );
      return html`<form><ab-validation-summary></ab-validation-summary>${inputs}</form>`;
    }

    it(`lists all ${validationSummaryEntriesMax}`, async () => {
      const { form, summary } = await setup(manyFields(validationSummaryEntriesMax));
      form.requestSubmit();
      await appeared(summary);
      expect(links(summary)).to.have.length(validationSummaryEntriesMax);
      expect(summary.shadowRoot!.querySelector('[part~="more"]')).to.equal(null);
    });

    it('counts the one past the limit instead of listing it', async () => {
      const { form, summary } = await setup(manyFields(validationSummaryEntriesMax + 1));
      form.requestSubmit();
      await appeared(summary);
      expect(links(summary)).to.have.length(validationSummaryEntriesMax);
      const more = summary.shadowRoot!.querySelector('[part~="more"]')!;
      expect(more.textContent!.trim()).to.equal('and 1 more');
    });
  });

  describe('translated strings and heading level', () => {
    it('speaks the strings it is given at the level it is given', async () => {
      const { form, summary } = await setup();
      summary.strings = {
        heading: 'Es gibt ein Problem',
        entry: (label: string, message: string) => `${message} (${label})`,
      };
      summary.headingLevel = 3;
      form.requestSubmit();
      await appeared(summary);
      const heading = summary.shadowRoot!.querySelector('[part~="heading"]')!;
      expect(heading.textContent!.trim()).to.equal('Es gibt ein Problem');
      expect(heading.getAttribute('aria-level')).to.equal('3');
      expect(entryTexts(summary)[0]).to.equal(`${missingMessage()} (Full name)`);
    });
  });

  describe('in a right-to-left layout', () => {
    it('starts its lines on the right', async () => {
      const { root, summary } = await setup(html`
        <div dir="rtl">
          <form>
            <ab-validation-summary></ab-validation-summary>
            <input name="city" aria-label="עיר" required />
          </form>
        </div>
      `);
      root.querySelector('form')!.requestSubmit();
      await appeared(summary);
      const box = base(summary).getBoundingClientRect();
      const link = links(summary)[0]!.getBoundingClientRect();
      const heading = summary.shadowRoot!.querySelector('[part~="heading"]')!;
      expect(box.right - link.right).to.be.below(box.width / 4);
      expect(box.right - heading.getBoundingClientRect().right).to.be.below(box.width / 4);
      expect(link.left - box.left).to.be.above(box.width / 2);
      await expect(root).to.be.accessible();
    });
  });
});
