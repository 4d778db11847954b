import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../../components/ui/tag-input.ts';
import {
  suggestionsShownMax,
  tagLengthMax,
  tagsMax,
  type AbTagInput,
} from '../../../components/ui/tag-input.ts';
import { accessibleName, accessibleRole } from '../support/accessibility-tree.ts';
import { runFormControlSuite, type Control } from '../support/form-control-suite.ts';
import { place } from '../support/place.ts';

function tagInput(template: TemplateResult): Promise<AbTagInput> {
  return fixture<AbTagInput>(template);
}

function inner(el: AbTagInput): HTMLInputElement {
  return el.shadowRoot!.querySelector('input')!;
}

function part(el: AbTagInput, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function parts(el: AbTagInput, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

/** The tags as the user sees them on the chips. */
function chipTexts(el: AbTagInput): string[] {
  return parts(el, 'tag-label').map((label) => label.textContent!.trim());
}

/** The suggestions the open list shows; none while it is closed. */
function shownOptions(el: AbTagInput): string[] {
  if (part(el, 'listbox')!.hidden) return [];
  return parts(el, 'option').map((option) => option.textContent!.trim());
}

/** What has focus inside the control: the input, or a chip's remove button. */
function focusedElement(el: AbTagInput): Element | null {
  return el.shadowRoot!.activeElement;
}

/** The id of what has focus inside the control: `input`, `remove-<index>`, or `null`. */
function focused(el: AbTagInput): string | null {
  return focusedElement(el)?.id ?? null;
}

function removeButton(el: AbTagInput, index: number): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`#remove-${index}`)!;
}

function noticeText(el: AbTagInput): string {
  return part(el, 'notice')!.textContent!.trim();
}

function visible(element: Element | null): boolean {
  return element !== null && (element as HTMLElement).offsetParent !== null;
}

async function settle(el: AbTagInput): Promise<void> {
  await el.updateComplete;
  await el.updateComplete;
}

/** Focuses the control and types `text`, as a user does. */
async function typeInto(el: AbTagInput, text: string): Promise<void> {
  el.focus();
  await sendKeys({ type: text });
  await settle(el);
}

async function press(el: AbTagInput, key: string): Promise<void> {
  await sendKeys({ press: key });
  await settle(el);
}

/** Pastes `text` into the input the way the browser delivers a paste. */
function paste(el: AbTagInput, text: string): ClipboardEvent {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const event = new ClipboardEvent('paste', {
    clipboardData: data,
    bubbles: true,
    cancelable: true,
    composed: true,
  });
  inner(el).dispatchEvent(event);
  return event;
}

/** A source whose answers the test releases one by one. */
function manualSource() {
  const calls: { query: string; signal: AbortSignal; answer(list: string[]): void }[] = [];
  const source = (query: string, signal: AbortSignal) =>
    new Promise<string[]>((resolve) => calls.push({ query, signal, answer: resolve }));
  return { calls, source };
}

describe('ab-tag-input', () => {
  it('passes the axe accessibility audit', async () => {
    const el = await tagInput(html`
      <ab-tag-input
        label="Topics"
        help-text="Press Enter after each topic."
        value="Lit, Web components"
        required
      ></ab-tag-input>
    `);
    await expect(el).to.be.accessible();
  });

  it('starts as an empty list with the named default limits', async () => {
    const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
    expect(el.value).to.deep.equal([]);
    expect(el.maxTags).to.equal(tagsMax);
    expect(el.maxLength).to.equal(tagLengthMax);
    expect(el.minTags).to.equal(0);
    expect(el.allowNew).to.be.false;
    expect(el.suggestions).to.deep.equal([]);
    expect(chipTexts(el)).to.deep.equal([]);
    const input = inner(el);
    expect(input.getAttribute('role')).to.equal('combobox');
    expect(input.getAttribute('aria-expanded')).to.equal('false');
    expect(input.getAttribute('aria-controls')).to.equal('listbox');
    expect(input.hasAttribute('aria-activedescendant')).to.be.false;
    expect(el.validity.valid).to.be.true;
  });

  runFormControlSuite({
    tagName: 'ab-tag-input',
    role: 'combobox',
    module: '/components/ui/tag-input.ts',
    validValue: 'hello',
    render: ({ name, label, value, required }) => html`
      <ab-tag-input name=${name} label=${label} value=${ifDefined(value)} ?required=${required}>
      </ab-tag-input>
    `,
    enter: async (control, text) => {
      control.focus();
      await sendKeys({ type: text });
      await sendKeys({ press: 'Enter' });
    },
    multiEntry: {
      valueText: (control: Control) => (control.value as unknown as string[]).join(','),
      emptyEntry: null,
    },
  });

  describe('when the user types a tag', () => {
    it('adds it on Enter, clears the input and announces it', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      const inputs: Event[] = [];
      el.addEventListener('input', (event) => inputs.push(event));
      await typeInto(el, 'Lit');
      expect(inputs).to.have.length(0);
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Lit']);
      expect(chipTexts(el)).to.deep.equal(['Lit']);
      expect(inner(el).value).to.equal('');
      expect(inputs).to.have.length(1);
      expect(el.shadowRoot!.querySelector('.announcer')!.textContent).to.equal('Added: Lit.');
    });

    it('adds it on a comma, which never reaches the text', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      await typeInto(el, 'Lit,Vite,');
      expect(el.value).to.deep.equal(['Lit', 'Vite']);
      expect(inner(el).value).to.equal('');
    });

    it('adds it on Tab and keeps focus in the input for the next one', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      await typeInto(el, 'Lit');
      await press(el, 'Tab');
      expect(el.value).to.deep.equal(['Lit']);
      expect(focused(el)).to.equal('input');
    });

    it('lets Tab move on as usual when nothing is typed', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-tag-input label="Topics" value="Lit"></ab-tag-input><button>Go</button></form>
      `);
      const el = form.querySelector('ab-tag-input')!;
      el.focus();
      await press(el, 'Tab');
      expect(document.activeElement).to.equal(form.querySelector('button'));
      expect(el.value).to.deep.equal(['Lit']);
    });

    it('trims the text and adds nothing for blanks', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      await typeInto(el, '   ');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal([]);
      await sendKeys({ type: '  Lit  ' });
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Lit']);
    });

    it('adds the pieces of text that arrives with a separator in it', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      const input = inner(el);
      input.value = 'Lit, Vite, Ro';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await settle(el);
      expect(el.value).to.deep.equal(['Lit', 'Vite']);
      expect(input.value).to.equal('Ro');
    });

    it('submits the form with Enter in the empty input, after a change', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-tag-input name="topics" label="Topics"></ab-tag-input><button>Go</button></form>
      `);
      const el = form.querySelector('ab-tag-input')!;
      form.addEventListener('submit', (event) => event.preventDefault());
      const changed = oneEvent(el, 'change');
      const submitted = oneEvent(form, 'submit');
      await typeInto(el, 'Lit');
      await press(el, 'Enter');
      await press(el, 'Enter');
      await changed;
      await submitted;
      expect(new FormData(form).getAll('topics')).to.deep.equal(['Lit']);
    });
  });

  describe('when the user removes tags', () => {
    it('moves to the last tag on Backspace in the empty input; the next removes it', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b,c"></ab-tag-input>`);
      el.focus();
      await press(el, 'Backspace');
      expect(focused(el)).to.equal('remove-2');
      expect(accessibleName(focusedElement(el)!)).to.equal('Remove c');
      expect(el.value).to.deep.equal(['a', 'b', 'c']);
      await press(el, 'Backspace');
      expect(el.value).to.deep.equal(['a', 'b']);
      expect(focused(el)).to.equal('remove-1');
      expect(el.shadowRoot!.querySelector('.announcer')!.textContent).to.equal('Removed: c.');
    });

    it('deletes only text while there is text', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a"></ab-tag-input>`);
      await typeInto(el, 'xy');
      await press(el, 'Backspace');
      expect(inner(el).value).to.equal('x');
      expect(focused(el)).to.equal('input');
      expect(el.value).to.deep.equal(['a']);
    });

    it('does not run on into the tags while Backspace is held down', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b"></ab-tag-input>`);
      await typeInto(el, 'x');
      await sendKeys({ down: 'Backspace' });
      await sendKeys({ down: 'Backspace' });
      await sendKeys({ down: 'Backspace' });
      await sendKeys({ up: 'Backspace' });
      await settle(el);
      expect(inner(el).value).to.equal('');
      expect(focused(el)).to.equal('input');
      expect(el.value).to.deep.equal(['a', 'b']);
    });

    it('moves between the tags with the arrow keys, Home and End', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b,c"></ab-tag-input>`);
      el.focus();
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('remove-2');
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('remove-1');
      await press(el, 'ArrowRight');
      expect(focused(el)).to.equal('remove-2');
      await press(el, 'ArrowRight');
      expect(focused(el)).to.equal('input');
      await press(el, 'ArrowLeft');
      await press(el, 'Home');
      expect(focused(el)).to.equal('remove-0');
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('remove-0');
      await press(el, 'End');
      expect(focused(el)).to.equal('input');
      await press(el, 'ArrowLeft');
      await press(el, 'Escape');
      expect(focused(el)).to.equal('input');
      expect(el.value).to.deep.equal(['a', 'b', 'c']);
    });

    it('moves the caret through the text before it moves to the tags', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a"></ab-tag-input>`);
      await typeInto(el, 'xy');
      await press(el, 'ArrowLeft');
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('input');
      expect(inner(el).selectionStart).to.equal(0);
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('remove-0');
    });

    it('removes the focused tag with Delete, Enter or Space', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b,c,d"></ab-tag-input>`);
      el.focus();
      await press(el, 'ArrowLeft');
      await press(el, 'ArrowLeft');
      await press(el, 'ArrowLeft');
      await press(el, 'Delete');
      expect(el.value).to.deep.equal(['a', 'c', 'd']);
      expect(accessibleName(focusedElement(el)!)).to.equal('Remove c');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['a', 'd']);
      expect(accessibleName(focusedElement(el)!)).to.equal('Remove d');
      await press(el, 'Space');
      expect(el.value).to.deep.equal(['a']);
      expect(focused(el)).to.equal('input');
    });

    it('removes the first tag with Backspace and moves to the new first one', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b"></ab-tag-input>`);
      el.focus();
      await press(el, 'Home');
      await press(el, 'ArrowLeft');
      await press(el, 'ArrowLeft');
      await press(el, 'Backspace');
      expect(el.value).to.deep.equal(['b']);
      expect(focused(el)).to.equal('remove-0');
      await press(el, 'Backspace');
      expect(el.value).to.deep.equal([]);
      expect(focused(el)).to.equal('input');
    });

    it('removes a tag with its named remove button', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b,c"></ab-tag-input>`);
      const button = removeButton(el, 1);
      expect(accessibleRole(button)).to.equal('button');
      expect(accessibleName(button)).to.equal('Remove b');
      button.click();
      await settle(el);
      expect(el.value).to.deep.equal(['a', 'c']);
      expect(focused(el)).to.equal('input');
    });

    it('rings the tag in focus', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="a,b"></ab-tag-input>`);
      const chip = parts(el, 'tag')[1]!;
      expect(getComputedStyle(chip).outlineStyle).to.equal('none');
      el.focus();
      await press(el, 'ArrowLeft');
      expect(getComputedStyle(chip).outlineStyle).to.equal('solid');
    });
  });

  describe('when the user pastes a list', () => {
    it('adds every comma- or line-separated entry, trimmed and without repeats', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      const inputs: Event[] = [];
      el.addEventListener('input', (event) => inputs.push(event));
      el.focus();
      const event = paste(el, ' Lit, Vite\nRollup\r\n, vite ,, Lit ');
      await settle(el);
      expect(event.defaultPrevented).to.be.true;
      expect(el.value).to.deep.equal(['Lit', 'Vite', 'Rollup']);
      expect(inner(el).value).to.equal('');
      expect(noticeText(el)).to.equal('');
      expect(inputs).to.have.length(1);
    });

    it('keeps entries already present in the input and says why', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="Lit"></ab-tag-input>`);
      el.focus();
      paste(el, 'lit, Vite');
      await settle(el);
      expect(el.value).to.deep.equal(['Lit', 'Vite']);
      expect(inner(el).value).to.equal('lit');
      expect(noticeText(el)).to.equal('Already added: lit.');
    });

    it('leaves text without a separator to the usual paste', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.focus();
      const event = paste(el, 'Lit');
      await settle(el);
      expect(event.defaultPrevented).to.be.false;
      expect(el.value).to.deep.equal([]);
    });

    it('joins the pasted text with the text around the caret', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      await typeInto(el, 'Fo');
      paste(el, 'o, Bar');
      await settle(el);
      expect(el.value).to.deep.equal(['Foo', 'Bar']);
    });
  });

  describe('at its limits', () => {
    it('adds up to max-tags and refuses one more with a visible, announced notice', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" max-tags="3"></ab-tag-input>`);
      await typeInto(el, 'a,b,c');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['a', 'b', 'c']);
      expect(noticeText(el)).to.equal('');
      await sendKeys({ type: 'd' });
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['a', 'b', 'c']);
      expect(inner(el).value).to.equal('d');
      const notice = part(el, 'notice')!;
      expect(notice.textContent!.trim()).to.equal('You can add at most 3 tags.');
      expect(notice.getAttribute('role')).to.equal('status');
      expect(visible(notice)).to.be.true;
      expect(inner(el).getAttribute('aria-describedby')).to.contain('notice');
      await sendKeys({ press: 'Backspace' });
      await settle(el);
      expect(noticeText(el)).to.equal('');
    });

    it('adds what fits from a pasted list and keeps the rest in the input', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" max-tags="3" value="a"></ab-tag-input>`,
      );
      el.focus();
      paste(el, 'b, c, d, e');
      await settle(el);
      expect(el.value).to.deep.equal(['a', 'b', 'c']);
      expect(inner(el).value).to.equal('d, e');
      expect(noticeText(el)).to.equal('You can add at most 3 tags.');
    });

    it('holds tagsMax tags by default and refuses the next one', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.value = Array.from({ length: tagsMax }, (_, index) => `tag ${index}`);
      await settle(el);
      expect(el.value).to.have.length(tagsMax);
      expect(el.validity.valid).to.be.true;
      await typeInto(el, 'one more');
      await press(el, 'Enter');
      expect(el.value).to.have.length(tagsMax);
      expect(noticeText(el)).to.equal(`You can add at most ${tagsMax} tags.`);
    });

    it('is invalid when a script sets more than max-tags', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" max-tags="3"></ab-tag-input>`);
      el.value = ['a', 'b', 'c'];
      await settle(el);
      expect(el.validity.valid).to.be.true;
      el.value = ['a', 'b', 'c', 'd'];
      await settle(el);
      expect(el.validity.rangeOverflow).to.be.true;
      expect(el.validationMessage).to.equal('You can add at most 3 tags.');
    });

    it('accepts a tag of max-length characters and refuses a longer one', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" max-length="5"></ab-tag-input>`);
      await typeInto(el, 'abcde');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['abcde']);
      await sendKeys({ type: 'abcdef' });
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['abcde']);
      expect(inner(el).value).to.equal('abcdef');
      expect(noticeText(el)).to.equal('A tag can have at most 5 characters.');
    });

    it('judges tags set by script against tagLengthMax by default', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.value = ['x'.repeat(tagLengthMax)];
      await settle(el);
      expect(el.validity.valid).to.be.true;
      el.value = ['x'.repeat(tagLengthMax + 1)];
      await settle(el);
      expect(el.validity.tooLong).to.be.true;
      expect(el.validationMessage).to.equal(`A tag can have at most ${tagLengthMax} characters.`);
    });

    it('refuses a duplicate regardless of case, with a visible, announced notice', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="Lit"></ab-tag-input>`);
      await typeInto(el, 'LIT');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Lit']);
      expect(inner(el).value).to.equal('LIT');
      expect(noticeText(el)).to.equal('Already added: LIT.');
      expect(part(el, 'notice')!.getAttribute('role')).to.equal('status');
      await expect(el).to.be.accessible();
    });

    it('asks for min-tags once there is a tag, as minlength does', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" min-tags="2"></ab-tag-input>`);
      expect(el.validity.valid).to.be.true;
      el.value = ['a'];
      await settle(el);
      expect(el.validity.rangeUnderflow).to.be.true;
      expect(el.validationMessage).to.equal('Add at least 2 tags.');
      el.value = ['a', 'b'];
      await settle(el);
      expect(el.validity.valid).to.be.true;
    });

    it('shows the error once the user leaves with too few tags', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-tag-input label="Topics" min-tags="2"></ab-tag-input><button>Go</button>
        </form>
      `);
      const el = form.querySelector('ab-tag-input')!;
      await typeInto(el, 'a');
      await press(el, 'Enter');
      expect(part(el, 'error')!.textContent).to.equal('');
      await press(el, 'Tab');
      await waitUntil(() => part(el, 'error')!.textContent === 'Add at least 2 tags.');
      expect(inner(el).getAttribute('aria-invalid')).to.equal('true');
      expect(inner(el).getAttribute('aria-describedby')).to.equal('error');
    });
  });

  describe('with a suggestions list', () => {
    const languages = 'Lit,Lighthouse,Linux,TypeScript,JavaScript';

    it('opens a listbox of matches as the user types, prefix matches first', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      await typeInto(el, 'li');
      expect(inner(el).getAttribute('aria-expanded')).to.equal('true');
      expect(shownOptions(el)).to.deep.equal(['Lit', 'Lighthouse', 'Linux']);
      await press(el, 'Backspace');
      await press(el, 'Backspace');
      await sendKeys({ type: 't' });
      await settle(el);
      expect(shownOptions(el)).to.deep.equal(['TypeScript', 'Lit', 'Lighthouse', 'JavaScript']);
      const listbox = el.shadowRoot!.getElementById(inner(el).getAttribute('aria-controls')!)!;
      expect(listbox.getAttribute('role')).to.equal('listbox');
      expect(accessibleName(listbox)).to.equal('Suggestions');
      expect(inner(el).hasAttribute('aria-activedescendant')).to.be.false;
      await expect(el).to.be.accessible();
    });

    it('moves through the options with Down and Up and picks one with Enter', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      await typeInto(el, 'li');
      const active = () => {
        const id = inner(el).getAttribute('aria-activedescendant');
        return id ? el.shadowRoot!.getElementById(id)! : null;
      };
      await press(el, 'ArrowDown');
      expect(active()!.textContent!.trim()).to.equal('Lit');
      expect(active()!.getAttribute('aria-selected')).to.equal('true');
      await press(el, 'ArrowDown');
      expect(active()!.textContent!.trim()).to.equal('Lighthouse');
      await press(el, 'ArrowUp');
      await press(el, 'ArrowUp');
      expect(active()!.textContent!.trim()).to.equal('Linux');
      await press(el, 'ArrowDown');
      expect(active()!.textContent!.trim()).to.equal('Lit');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Lighthouse']);
      expect(inner(el).value).to.equal('');
      expect(inner(el).getAttribute('aria-expanded')).to.equal('false');
      expect(inner(el).hasAttribute('aria-activedescendant')).to.be.false;
    });

    it('opens with every suggestion on Down when nothing is typed', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      el.focus();
      await press(el, 'ArrowUp');
      expect(shownOptions(el)).to.have.length(5);
      expect(inner(el).getAttribute('aria-activedescendant')).to.equal('option-4');
      await press(el, 'Tab');
      expect(el.value).to.deep.equal(['JavaScript']);
      expect(focused(el)).to.equal('input');
    });

    it('closes with Escape, and a second Escape clears the text', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      await typeInto(el, 'li');
      await press(el, 'Escape');
      expect(inner(el).getAttribute('aria-expanded')).to.equal('false');
      expect(inner(el).value).to.equal('li');
      await press(el, 'Escape');
      expect(inner(el).value).to.equal('');
    });

    it('picks an option with a click and keeps focus in the input', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      await typeInto(el, 'script');
      const option = parts(el, 'option')[1]!;
      const pressed = new MouseEvent('mousedown', { bubbles: true, cancelable: true });
      option.dispatchEvent(pressed);
      expect(pressed.defaultPrevented).to.be.true;
      option.click();
      await settle(el);
      expect(el.value).to.deep.equal(['JavaScript']);
      expect(focused(el)).to.equal('input');
    });

    it('leaves out what is added and shows at most suggestionsShownMax', async () => {
      const many = Array.from({ length: suggestionsShownMax + 5 }, (_, index) => `tag ${index}`);
      const el = await tagInput(
        html`<ab-tag-input label="Topics" .suggestions=${many} value="TAG 0"></ab-tag-input>`,
      );
      el.focus();
      await press(el, 'ArrowDown');
      const shown = shownOptions(el);
      expect(shown).to.have.length(suggestionsShownMax);
      expect(shown[0]).to.equal('tag 1');
    });

    it('gives a typed tag the case of the matching suggestion', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages} allow-new></ab-tag-input>`,
      );
      await typeInto(el, 'typescript');
      await press(el, 'Escape');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['TypeScript']);
    });

    it('accepts free text with allow-new', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages} allow-new></ab-tag-input>`,
      );
      await typeInto(el, 'Rust');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Rust']);
    });

    it('accepts only suggestions without allow-new, and Tab still moves on', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input><button>Go</button>
        </form>
      `);
      const el = form.querySelector('ab-tag-input')!;
      await typeInto(el, 'Rust');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal([]);
      expect(noticeText(el)).to.equal('Not among the suggestions: Rust.');
      await press(el, 'Tab');
      expect(document.activeElement).to.equal(form.querySelector('button'));
      expect(inner(el).value).to.equal('Rust');
    });

    it('closes the list when focus leaves', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" suggestions=${languages}></ab-tag-input>`,
      );
      await typeInto(el, 'li');
      inner(el).blur();
      await settle(el);
      expect(inner(el).getAttribute('aria-expanded')).to.equal('false');
      expect(visible(part(el, 'listbox'))).to.be.false;
    });
  });

  describe('with fetched suggestions', () => {
    it('asks fetchSuggestions once the user pauses, not at every key', async () => {
      const queries: string[] = [];
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.fetchSuggestions = async (query) => {
        queries.push(query);
        return ['Lit', 'Lighthouse'];
      };
      await typeInto(el, 'lig');
      expect(queries).to.deep.equal([]);
      await waitUntil(() => shownOptions(el).length > 0, 'no suggestions arrived');
      expect(queries).to.deep.equal(['lig']);
      expect(shownOptions(el)).to.deep.equal(['Lit', 'Lighthouse']);
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Lit']);
    });

    it('drops an answer that arrives after a newer query, and aborts its request', async () => {
      const { calls, source } = manualSource();
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.fetchSuggestions = source;
      await typeInto(el, 'a');
      await waitUntil(() => calls.length === 1);
      await sendKeys({ type: 'b' });
      await waitUntil(() => calls.length === 2);
      expect(calls.map((call) => call.query)).to.deep.equal(['a', 'ab']);
      expect(calls[0]!.signal.aborted).to.be.true;
      calls[1]!.answer(['ab new']);
      await waitUntil(() => shownOptions(el).length > 0);
      calls[0]!.answer(['a old']);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await settle(el);
      expect(shownOptions(el)).to.deep.equal(['ab new']);
    });

    it('says so when suggestions cannot be loaded', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.fetchSuggestions = () => Promise.reject(new Error('offline'));
      await typeInto(el, 'li');
      await waitUntil(() => noticeText(el) !== '', 'no notice');
      expect(noticeText(el)).to.equal('Suggestions could not be loaded.');
    });

    it('fetches suggestions-url and offers its answer', async () => {
      const el = await tagInput(html`
        <ab-tag-input
          label="Topics"
          suggestions-url="/test/components/fixtures/tag-suggestions.json"
        ></ab-tag-input>
      `);
      await typeInto(el, 'web');
      await waitUntil(() => shownOptions(el).length > 0, 'the fixture never answered');
      expect(shownOptions(el)).to.deep.equal([
        'Web components',
        'Web Awesome',
        'WebAssembly',
        'Webpack',
      ]);
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['Web components']);
    });

    it('accepts a fetched suggestion typed out in suggestions-only mode', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.fetchSuggestions = async () => ['WebAssembly'];
      await typeInto(el, 'webassembly');
      await waitUntil(() => shownOptions(el).length > 0);
      await press(el, 'Enter');
      expect(el.value).to.deep.equal(['WebAssembly']);
    });

    it('forgets the suggestions when the text is cleared', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.fetchSuggestions = async () => ['Lit'];
      await typeInto(el, 'l');
      await waitUntil(() => shownOptions(el).length > 0);
      await press(el, 'Backspace');
      expect(shownOptions(el)).to.deep.equal([]);
    });
  });

  describe('in a form', () => {
    it('submits each tag as its own entry under its name', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-tag-input name="topics" value=" Lit , Vite,Rollup"></ab-tag-input></form>
      `);
      expect(new FormData(form).getAll('topics')).to.deep.equal(['Lit', 'Vite', 'Rollup']);
    });

    it('submits nothing without a name', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-tag-input value="Lit"></ab-tag-input></form>
      `);
      expect([...new FormData(form)]).to.deep.equal([]);
    });

    it('takes an array or a comma-separated string as its value', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics"></ab-tag-input>`);
      el.value = ['Lit', ' Vite,Rollup ', 'lit', ''];
      await settle(el);
      expect(el.value).to.deep.equal(['Lit', 'Vite', 'Rollup']);
      expect(el.value).to.equal(el.value);
      expect(Object.isFrozen(el.value)).to.be.true;
      expect(chipTexts(el)).to.deep.equal(['Lit', 'Vite', 'Rollup']);
      el.value = 'a, b';
      await settle(el);
      expect(el.value).to.deep.equal(['a', 'b']);
    });

    it('fires input for each change and change once on leaving', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-tag-input name="t" label="Topics"></ab-tag-input><button>Go</button></form>
      `);
      const el = form.querySelector('ab-tag-input')!;
      const seen: string[] = [];
      form.addEventListener('input', (event) => seen.push(`input:${event.composed}`));
      form.addEventListener('change', () => seen.push('change'));
      await typeInto(el, 'a,b');
      await press(el, 'Enter');
      await press(el, 'Backspace');
      await press(el, 'Backspace');
      expect(seen).to.deep.equal(['input:true', 'input:true', 'input:true']);
      await press(el, 'Tab');
      await press(el, 'Tab');
      expect(seen.filter((entry) => entry === 'change')).to.have.length(1);
      el.focus();
      await press(el, 'Tab');
      expect(seen.filter((entry) => entry === 'change')).to.have.length(1);
    });

    it('becomes invalid again when a required control loses its last tag', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" value="Lit" required></ab-tag-input>`,
      );
      expect(el.validity.valid).to.be.true;
      removeButton(el, 0).click();
      await settle(el);
      expect(el.validity.valueMissing).to.be.true;
    });
  });

  describe('in a right-to-left layout', () => {
    async function rtlTagInput(): Promise<AbTagInput> {
      const wrapper = await place<HTMLDivElement>(html`
        <div dir="rtl"><ab-tag-input label="נושאים" value="א,ב,ג"></ab-tag-input></div>
      `);
      return wrapper.querySelector('ab-tag-input')!;
    }

    it('lays the tags out from the right', async () => {
      const el = await rtlTagInput();
      const [first, second] = parts(el, 'tag');
      const input = inner(el).getBoundingClientRect();
      expect(first!.getBoundingClientRect().right).to.be.greaterThan(
        second!.getBoundingClientRect().right,
      );
      expect(input.right).to.be.at.most(parts(el, 'tag')[2]!.getBoundingClientRect().left);
      await expect(el).to.be.accessible();
    });

    it('swaps the arrows, as the caret does: Right goes back towards the first tag', async () => {
      const el = await rtlTagInput();
      el.focus();
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('input');
      await press(el, 'ArrowRight');
      expect(focused(el)).to.equal('remove-2');
      await press(el, 'ArrowRight');
      expect(focused(el)).to.equal('remove-1');
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('remove-2');
      await press(el, 'ArrowLeft');
      expect(focused(el)).to.equal('input');
    });
  });

  describe('when disabled', () => {
    it('shows the tags without remove buttons and takes no input', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" value="Lit" disabled></ab-tag-input>`,
      );
      expect(chipTexts(el)).to.deep.equal(['Lit']);
      expect(parts(el, 'tag-remove')).to.have.length(0);
      expect(inner(el).disabled).to.be.true;
      el.focus();
      expect(focused(el)).to.equal(null);
    });
  });

  describe('when read-only', () => {
    it('keeps its tags whatever the user types', async () => {
      const el = await tagInput(
        html`<ab-tag-input label="Topics" value="Lit" readonly></ab-tag-input>`,
      );
      expect(parts(el, 'tag-remove')).to.have.length(0);
      expect(inner(el).readOnly).to.be.true;
      await typeInto(el, 'Vite,');
      await press(el, 'Enter');
      await press(el, 'Backspace');
      await press(el, 'Backspace');
      expect(el.value).to.deep.equal(['Lit']);
      const event = paste(el, 'a, b');
      expect(event.defaultPrevented).to.be.false;
      expect(el.value).to.deep.equal(['Lit']);
    });
  });

  describe('its label and help text', () => {
    it('names the combobox from an outer <label for> when it has no label', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div><label for="topics">Topics</label><ab-tag-input id="topics"></ab-tag-input></div>
      `);
      const el = wrapper.querySelector('ab-tag-input')!;
      el.requestUpdate();
      await el.updateComplete;
      expect(accessibleName(inner(el))).to.equal('Topics');
    });

    it('takes a slotted label and help text', async () => {
      const el = await tagInput(html`
        <ab-tag-input>
          <span slot="label">Your <em>topics</em></span>
          <span slot="help-text">Up to five.</span>
        </ab-tag-input>
      `);
      expect(accessibleName(inner(el))).to.equal('Your topics');
      expect(visible(part(el, 'help-text'))).to.be.true;
      expect(inner(el).getAttribute('aria-describedby')).to.equal('help-text');
    });

    it('puts the caret in the input when the box is clicked', async () => {
      const el = await tagInput(html`<ab-tag-input label="Topics" value="Lit"></ab-tag-input>`);
      part(el, 'tag-label')!.click();
      expect(focused(el)).to.equal('input');
    });
  });

  describe('with translated strings', () => {
    it('uses the strings given for its names and notices', async () => {
      const el = await tagInput(html`
        <ab-tag-input
          label="Themen"
          value="Lit"
          .strings=${{
            removeTag: (tag: string) => `${tag} entfernen`,
            duplicate: (tags: string) => `Schon da: ${tags}.`,
          }}
        ></ab-tag-input>
      `);
      expect(accessibleName(removeButton(el, 0))).to.equal('Lit entfernen');
      await typeInto(el, 'lit');
      await press(el, 'Enter');
      expect(noticeText(el)).to.equal('Schon da: lit.');
    });
  });
});
