import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { place } from '../support/place.ts';
import { ifDefined } from 'lit/directives/if-defined.js';
import { setStrings } from '../../../components/core/strings.ts';
import { counterAnnounceDelayMs } from '../../../components/core/text-control.ts';
import '../../../components/ui/text-field.ts';
import type { AbTextField, TextFieldStrings } from '../../../components/ui/text-field.ts';
import { accessibleName } from '../support/accessibility-tree.ts';
import { runFormControlSuite } from '../support/form-control-suite.ts';

/** Renders one text field and waits for its first render. */
function textField(template: ReturnType<typeof html>): Promise<AbTextField> {
  return fixture<AbTextField>(template);
}

function inner(el: AbTextField): HTMLInputElement {
  return el.shadowRoot!.querySelector('input')!;
}

function part(el: AbTextField, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function visible(element: Element | null): boolean {
  return element !== null && (element as HTMLElement).offsetParent !== null;
}

async function typeInto(el: AbTextField, text: string): Promise<void> {
  el.focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

/** Types at the end of the existing text (focusing selects it all, as Tab into a field does). */
async function typeAtEnd(el: AbTextField, text: string): Promise<void> {
  el.focus();
  await sendKeys({ press: 'End' });
  await sendKeys({ type: text });
  await el.updateComplete;
}

/** Where `element` is once its CSS transitions have run to the end. */
function settledTop(element: HTMLElement): number {
  for (const animation of element.getAnimations()) animation.finish();
  return element.getBoundingClientRect().top;
}

/** Leaves the field the way a user does: Tab to the next focusable thing. */
async function leave(el: AbTextField): Promise<void> {
  await sendKeys({ press: 'Tab' });
  await el.updateComplete;
  await el.updateComplete;
}

describe('ab-text-field', () => {
  it('passes the axe accessibility audit', async () => {
    const el = await textField(
      html`<ab-text-field label="Email" help-text="We never share it." required></ab-text-field>`,
    );
    await expect(el).to.be.accessible();
  });

  it('has the defaults of a plain text input', async () => {
    const el = await textField(html`<ab-text-field></ab-text-field>`);
    expect(el.type).to.equal('text');
    expect(el.value).to.equal('');
    expect(el.name).to.equal('');
    expect(el.required).to.be.false;
    expect(el.disabled).to.be.false;
    expect(el.readonly).to.be.false;
    expect(inner(el).type).to.equal('text');
    expect(el.validity.valid).to.be.true;
    expect(part(el, 'toggle')).to.equal(null);
  });

  runFormControlSuite({
    tagName: 'ab-text-field',
    role: 'textbox',
    module: '/components/ui/text-field.ts',
    validValue: 'hello',
    render: ({ name, label, value, required }) => html`
      <ab-text-field name=${name} label=${label} value=${ifDefined(value)} ?required=${required}>
      </ab-text-field>
    `,
  });

  describe('its label', () => {
    it('floats once the field is focused or filled', async () => {
      const el = await textField(html`<ab-text-field label="City"></ab-text-field>`);
      const label = part(el, 'label')!;
      const restingTop = settledTop(label);
      el.focus();
      await el.updateComplete;
      expect(settledTop(label)).to.be.below(restingTop);
      await sendKeys({ type: 'Oslo' });
      el.blur();
      await el.updateComplete;
      expect(settledTop(label)).to.be.below(restingTop);
      el.value = '';
      await el.updateComplete;
      expect(settledTop(label)).to.equal(restingTop);
    });

    it('can be slotted rich content that names the input', async () => {
      const el = await textField(html`
        <ab-text-field><span slot="label">Full <em>legal</em> name</span></ab-text-field>
      `);
      await expect(el).to.be.accessible();
      expect(accessibleName(inner(el))).to.equal('Full legal name');
    });

    it('comes from an outer <label for> when the field has none', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div>
          <label for="phone">Phone</label>
          <ab-text-field id="phone" type="tel"></ab-text-field>
        </div>
      `);
      const el = wrapper.querySelector('ab-text-field')!;
      await el.updateComplete;
      el.requestUpdate();
      await el.updateComplete;
      expect(accessibleName(inner(el))).to.equal('Phone');
      wrapper.querySelector('label')!.click();
      expect(document.activeElement).to.equal(el);
    });
  });

  describe('help and error text', () => {
    it('shows the help text and describes the input with it', async () => {
      const el = await textField(
        html`<ab-text-field label="Email" help-text="We never share it."></ab-text-field>`,
      );
      const help = part(el, 'help-text')!;
      expect(visible(help)).to.be.true;
      expect(help.textContent?.trim()).to.equal('We never share it.');
      expect(inner(el).getAttribute('aria-describedby')).to.equal('help-text');
    });

    it('hides the empty help text', async () => {
      const el = await textField(html`<ab-text-field label="Email"></ab-text-field>`);
      expect(visible(part(el, 'help-text'))).to.be.false;
      expect(inner(el).hasAttribute('aria-describedby')).to.be.false;
    });

    it('takes slotted help text', async () => {
      const el = await textField(html`
        <ab-text-field label="Password">
          <span slot="help-text">At least 12 characters</span>
        </ab-text-field>
      `);
      expect(visible(part(el, 'help-text'))).to.be.true;
    });

    it('swaps the help text for the browser message once an invalid value is left', async () => {
      const el = await textField(html`
        <ab-text-field label="Email" type="email" help-text="Your work address"></ab-text-field>
      `);
      await typeInto(el, 'not-an-address');
      expect(part(el, 'error')!.textContent?.trim()).to.equal('');
      await leave(el);
      await waitUntil(() => part(el, 'error')!.textContent!.trim() !== '');
      expect(part(el, 'error')!.textContent!.trim()).to.equal(inner(el).validationMessage);
      expect(el.validity.typeMismatch).to.be.true;
      expect(visible(part(el, 'help-text'))).to.be.false;
      expect(inner(el).getAttribute('aria-invalid')).to.equal('true');
      expect(inner(el).getAttribute('aria-describedby')).to.equal('error');
      await expect(el).to.be.accessible();
    });

    it('drops the error as soon as the value becomes valid', async () => {
      const el = await textField(html`<ab-text-field label="Email" type="email"></ab-text-field>`);
      await typeInto(el, 'ada');
      await leave(el);
      await waitUntil(() => part(el, 'error')!.textContent!.trim() !== '');
      await typeAtEnd(el, '@example.com');
      await waitUntil(() => part(el, 'error')!.textContent!.trim() === '');
      expect(inner(el).getAttribute('aria-invalid')).to.equal('false');
    });
  });

  describe('constraints', () => {
    it('mirrors pattern from the inner input', async () => {
      const el = await textField(
        html`<ab-text-field label="Code" pattern="[0-9]{4}" value="12a4"></ab-text-field>`,
      );
      expect(el.validity.patternMismatch).to.be.true;
      el.value = '1234';
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
    });

    it('reports text shorter than minlength after the user typed it', async () => {
      const el = await textField(html`<ab-text-field label="Name" minlength="3"></ab-text-field>`);
      await typeInto(el, 'ab');
      expect(el.validity.tooShort).to.be.true;
      expect(el.validationMessage).to.equal(inner(el).validationMessage);
      await typeAtEnd(el, 'c');
      expect(el.validity.valid).to.be.true;
    });

    it('stops typing at maxlength', async () => {
      const el = await textField(
        html`<ab-text-field label="Initials" maxlength="3"></ab-text-field>`,
      );
      await typeInto(el, 'abcdef');
      expect(el.value).to.equal('abc');
    });

    it('checks min, max and step for numbers', async () => {
      const el = await textField(
        html`<ab-text-field label="Guests" type="number" min="1" max="8" step="1"></ab-text-field>`,
      );
      await typeInto(el, '9');
      expect(el.validity.rangeOverflow).to.be.true;
      el.value = '0';
      await el.updateComplete;
      expect(el.validity.rangeUnderflow).to.be.true;
      el.value = '2.5';
      await el.updateComplete;
      expect(el.validity.stepMismatch).to.be.true;
      el.value = '4';
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
    });

    it('checks the format of url fields', async () => {
      const el = await textField(html`<ab-text-field label="Website" type="url"></ab-text-field>`);
      await typeInto(el, 'example');
      expect(el.validity.typeMismatch).to.be.true;
    });

    it('passes placeholder, autocomplete and inputmode to the input', async () => {
      const el = await textField(html`
        <ab-text-field
          label="Code"
          placeholder="123456"
          autocomplete="one-time-code"
          inputmode="numeric"
        ></ab-text-field>
      `);
      const input = inner(el);
      expect(input.placeholder).to.equal('123456');
      expect(input.autocomplete).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
    });
  });

  describe('with type="password"', () => {
    it('masks the value and offers an accessible show/hide toggle', async () => {
      const el = await textField(
        html`<ab-text-field label="Password" type="password" value="s3cret"></ab-text-field>`,
      );
      await expect(el).to.be.accessible();
      const toggle = part(el, 'toggle') as HTMLButtonElement;
      expect(inner(el).type).to.equal('password');
      expect(accessibleName(toggle)).to.equal('Show password');

      toggle.focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(inner(el).type).to.equal('text');
      expect(accessibleName(toggle)).to.equal('Hide password');

      toggle.click();
      await el.updateComplete;
      expect(inner(el).type).to.equal('password');
      expect(el.value).to.equal('s3cret');
    });

    it('reaches the toggle with Tab after the input', async () => {
      const el = await textField(
        html`<ab-text-field label="Password" type="password"></ab-text-field>`,
      );
      el.focus();
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'toggle'));
    });
  });

  describe('prefix and suffix', () => {
    it('shows slotted content on either side of the input', async () => {
      const el = await textField(html`
        <ab-text-field label="Price">
          <span slot="prefix">€</span><span slot="suffix">per night</span>
        </ab-text-field>
      `);
      const prefix = part(el, 'prefix')!;
      const suffix = part(el, 'suffix')!;
      const input = inner(el);
      expect(visible(prefix) && visible(suffix)).to.be.true;
      const inputBox = input.getBoundingClientRect();
      expect(prefix.getBoundingClientRect().right).to.be.at.most(inputBox.left);
      expect(suffix.getBoundingClientRect().left).to.be.at.least(inputBox.right);
    });

    it('hides the wrappers when nothing is slotted', async () => {
      const el = await textField(html`<ab-text-field label="Price"></ab-text-field>`);
      expect(visible(part(el, 'prefix'))).to.be.false;
      expect(visible(part(el, 'suffix'))).to.be.false;
    });

    it('puts the caret in the input when the prefix is clicked', async () => {
      const el = await textField(html`
        <ab-text-field label="Price"><span slot="prefix">€</span></ab-text-field>
      `);
      el.querySelector('span')!.click();
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
    });
  });

  describe('when read-only', () => {
    it('keeps its value when the user types', async () => {
      const el = await textField(
        html`<ab-text-field label="Id" value="A-1" readonly></ab-text-field>`,
      );
      await typeInto(el, 'xyz');
      expect(el.value).to.equal('A-1');
      expect(inner(el).readOnly).to.be.true;
    });
  });

  describe('when disabled', () => {
    it('disables the inner input and the password toggle', async () => {
      const el = await textField(
        html`<ab-text-field label="Password" type="password" disabled></ab-text-field>`,
      );
      expect(inner(el).disabled).to.be.true;
      expect((part(el, 'toggle') as HTMLButtonElement).disabled).to.be.true;
    });
  });

  describe('when Enter is pressed', () => {
    it('commits the value and submits the form through its submit button', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-text-field name="q" label="Search" type="search"></ab-text-field>
          <button>Go</button>
        </form>
      `);
      const el = form.querySelector('ab-text-field')!;
      form.addEventListener('submit', (event) => event.preventDefault());
      const changed = oneEvent(el, 'change');
      const submitted = oneEvent(form, 'submit');
      await typeInto(el, 'lit');
      await sendKeys({ press: 'Enter' });
      await changed;
      const event = (await submitted) as unknown as SubmitEvent;
      expect(event.submitter).to.equal(form.querySelector('button'));
      expect(new FormData(form).get('q')).to.equal('lit');
    });

    it('does not submit while the submit button is disabled', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-text-field name="q" label="Search"></ab-text-field>
          <button disabled>Go</button>
        </form>
      `);
      let submits = 0;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        submits += 1;
      });
      const el = form.querySelector('ab-text-field')!;
      await typeInto(el, 'lit');
      await sendKeys({ press: 'Enter' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(submits).to.equal(0);
    });
  });

  describe('when the value attribute changes', () => {
    it('follows it until the value is edited, as a native input does', async () => {
      const el = await textField(html`<ab-text-field label="City" value="Oslo"></ab-text-field>`);
      el.setAttribute('value', 'Bergen');
      await el.updateComplete;
      expect(el.value).to.equal('Bergen');
      await typeAtEnd(el, 's');
      el.setAttribute('value', 'Tromsø');
      await el.updateComplete;
      expect(el.value).to.equal('Bergens');
      expect(el.defaultValue).to.equal('Tromsø');
    });
  });

  describe('focus', () => {
    it('shows a visible focus ring on the field', async () => {
      const el = await textField(html`<ab-text-field label="City"></ab-text-field>`);
      const field = part(el, 'field')!;
      const resting = getComputedStyle(field).boxShadow;
      el.focus();
      await el.updateComplete;
      const focused = getComputedStyle(field).boxShadow;
      expect(focused).to.not.equal(resting);
      expect(focused).to.not.equal('none');
    });
  });
  describe('with clearable', () => {
    it('offers a named clear button only while there is a value', async () => {
      const el = await textField(html`<ab-text-field label="Search" clearable></ab-text-field>`);
      expect(part(el, 'clear')).to.equal(null);
      await typeInto(el, 'lit');
      const clear = part(el, 'clear')!;
      expect(visible(clear)).to.be.true;
      expect(accessibleName(clear)).to.equal('Clear');
      await expect(el).to.be.accessible();
    });

    it('empties the field by keyboard, fires input then change, keeps focus', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-text-field name="q" label="Search" clearable></ab-text-field></form>
      `);
      const el = form.querySelector('ab-text-field')!;
      await typeInto(el, 'lit');
      // Tab commits what was typed (one `change`), then reaches the button.
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'clear'));
      const events: string[] = [];
      const valueOf = (event: Event) => (event.target as AbTextField).value;
      form.addEventListener('input', (event) => events.push(`input:${valueOf(event)}`));
      form.addEventListener('change', () => events.push('change'));
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(new FormData(form).get('q')).to.equal('');
      expect(events).to.deep.equal(['input:', 'change']);
      expect(el.shadowRoot!.activeElement).to.equal(inner(el));
      expect(part(el, 'clear')).to.equal(null);
    });

    it('is not offered while disabled or read-only', async () => {
      const el = await textField(
        html`<ab-text-field label="Search" clearable value="lit" disabled></ab-text-field>`,
      );
      expect(part(el, 'clear')).to.equal(null);
      el.disabled = false;
      el.readonly = true;
      await el.updateComplete;
      expect(part(el, 'clear')).to.equal(null);
      el.readonly = false;
      await el.updateComplete;
      expect(part(el, 'clear')).to.not.equal(null);
    });
  });

  describe('with a counter', () => {
    function counterText(el: AbTextField): string {
      return part(el, 'counter')!.textContent!.trim();
    }

    function liveRegion(el: AbTextField): HTMLElement {
      return el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    }

    it('counts down to maxlength as the user types, and describes the input with it', async () => {
      const el = await textField(
        html`<ab-text-field label="Nickname" counter maxlength="10"></ab-text-field>`,
      );
      await expect(el).to.be.accessible();
      expect(counterText(el)).to.equal('0 / 10');
      await typeInto(el, 'ada');
      expect(counterText(el)).to.equal('3 / 10');
      expect(inner(el).getAttribute('aria-describedby')).to.equal('counter');
    });

    it('stops at maxlength: the limit is reached, one more key adds nothing', async () => {
      const el = await textField(
        html`<ab-text-field label="Code" counter maxlength="4"></ab-text-field>`,
      );
      await typeInto(el, 'abcd');
      expect(counterText(el)).to.equal('4 / 4');
      await typeAtEnd(el, 'e');
      expect(el.value).to.equal('abcd');
      expect(counterText(el)).to.equal('4 / 4');
      expect(part(el, 'counter')!.classList.contains('over')).to.be.false;
    });

    it('marks a value set by code past maxlength', async () => {
      const el = await textField(
        html`<ab-text-field label="Code" counter maxlength="4" value="abcdef"></ab-text-field>`,
      );
      expect(counterText(el)).to.equal('6 / 4');
      const counter = part(el, 'counter')!;
      const muted = getComputedStyle(part(el, 'help-text')!).color;
      expect(getComputedStyle(counter).color).to.not.equal(muted);
    });

    it('counts without a maximum', async () => {
      const el = await textField(html`<ab-text-field label="Bio" counter></ab-text-field>`);
      await typeInto(el, 'a');
      expect(counterText(el)).to.equal('1 character');
      await typeAtEnd(el, 'b');
      expect(counterText(el)).to.equal('2 characters');
    });

    it('announces what is left once the user pauses, not on every keystroke', async () => {
      const el = await textField(
        html`<ab-text-field label="Nickname" counter maxlength="10"></ab-text-field>`,
      );
      const region = liveRegion(el);
      const announced: string[] = [];
      const observer = new MutationObserver(() => announced.push(region.textContent!.trim()));
      observer.observe(region, { childList: true, subtree: true, characterData: true });
      await typeInto(el, 'grace');
      await el.updateComplete;
      expect(announced).to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve, counterAnnounceDelayMs + 100));
      await el.updateComplete;
      observer.disconnect();
      expect(announced).to.deep.equal(['5 characters left']);
    });

    it('speaks the strings it is given', async () => {
      const el = await textField(
        html`<ab-text-field label="Nickname" counter maxlength="10"></ab-text-field>`,
      );
      el.strings = { counter: (used: number, max: number) => `${used} von ${max}` };
      await el.updateComplete;
      expect(counterText(el)).to.equal('0 von 10');
    });
  });

  describe('translated strings', () => {
    it('take the page-wide strings, then the instance ones', async () => {
      setStrings<TextFieldStrings>('ab-text-field', { showPassword: 'Passwort anzeigen' });
      try {
        const el = await textField(html`
          <ab-text-field label="Passwort" type="password" clearable value="x"></ab-text-field>
        `);
        expect(accessibleName(part(el, 'toggle')!)).to.equal('Passwort anzeigen');
        el.strings = { clear: 'Leeren', showPassword: 'Zeigen' };
        await el.updateComplete;
        expect(accessibleName(part(el, 'clear')!)).to.equal('Leeren');
        expect(accessibleName(part(el, 'toggle')!)).to.equal('Zeigen');
      } finally {
        setStrings<TextFieldStrings>('ab-text-field', { showPassword: 'Show password' });
      }
    });
  });

  describe('keyboard hints', () => {
    it('passes enterkeyhint to the input', async () => {
      const el = await textField(
        html`<ab-text-field label="Search" enterkeyhint="search"></ab-text-field>`,
      );
      expect(inner(el).enterKeyHint).to.equal('search');
    });
  });

  describe('variants and sizes', () => {
    it('is outlined and medium by default', async () => {
      const el = await textField(html`<ab-text-field label="City"></ab-text-field>`);
      expect(el.variant).to.equal('outlined');
      expect(el.size).to.equal('medium');
      expect(getComputedStyle(part(el, 'field')!).borderTopWidth).to.equal('1px');
    });

    it('filled: a tinted box with only an underline', async () => {
      const outlined = await textField(html`<ab-text-field label="City"></ab-text-field>`);
      const el = await textField(
        html`<ab-text-field label="City" variant="filled"></ab-text-field>`,
      );
      const style = getComputedStyle(part(el, 'field')!);
      expect(style.borderTopWidth).to.equal('0px');
      expect(style.borderBottomWidth).to.equal('1px');
      expect(style.backgroundColor).to.not.equal(
        getComputedStyle(part(outlined, 'field')!).backgroundColor,
      );
    });

    it('pill: round ends, as a variant or as a shape on filled', async () => {
      for (const template of [
        html`<ab-text-field label="City" variant="pill"></ab-text-field>`,
        html`<ab-text-field label="City" variant="filled" pill></ab-text-field>`,
      ]) {
        const el = await textField(template);
        const field = part(el, 'field')!;
        const radius = parseFloat(getComputedStyle(field).borderStartStartRadius);
        expect(radius).to.be.at.least(field.getBoundingClientRect().height / 2 - 1);
      }
    });

    it('small, medium and large grow in height and text size', async () => {
      const heights: number[] = [];
      const fonts: number[] = [];
      for (const size of ['small', 'medium', 'large']) {
        const el = await textField(html`<ab-text-field label="City" size=${size}></ab-text-field>`);
        heights.push(part(el, 'field')!.getBoundingClientRect().height);
        fonts.push(parseFloat(getComputedStyle(inner(el)).fontSize));
        await expect(el).to.be.accessible();
      }
      expect(heights[0]).to.be.below(heights[1]!);
      expect(heights[1]).to.be.below(heights[2]!);
      expect(fonts[0]).to.be.below(fonts[1]!);
      expect(fonts[1]).to.be.below(fonts[2]!);
    });
  });

  describe('in a right-to-left layout', () => {
    it('mirrors: prefix on the right, buttons on the left, label from the right', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div dir="rtl">
          <ab-text-field label="מחיר" type="password" clearable value="12">
            <span slot="prefix">₪</span>
          </ab-text-field>
        </div>
      `);
      const el = wrapper.querySelector('ab-text-field')!;
      await el.updateComplete;
      const input = inner(el).getBoundingClientRect();
      expect(part(el, 'prefix')!.getBoundingClientRect().left).to.be.at.least(input.right);
      expect(part(el, 'clear')!.getBoundingClientRect().right).to.be.at.most(input.left);
      expect(part(el, 'toggle')!.getBoundingClientRect().right).to.be.at.most(input.left);
      const label = part(el, 'label')!.getBoundingClientRect();
      expect(Math.abs(label.right - input.right)).to.be.below(2);
      await expect(wrapper).to.be.accessible();
    });
  });

  describe('while a validation rule checks the value', () => {
    it('says it is checking instead of the help text, then shows the refusal', async () => {
      const el = await textField(
        html`<ab-text-field label="Username" help-text="Pick a name."></ab-text-field>`,
      );
      let answer!: (message: string | null) => void;
      el.validators = [() => new Promise<string | null>((resolve) => (answer = resolve))];
      await typeInto(el, 'ada');
      await leave(el);
      const note = part(el, 'validating')!;
      expect(visible(note)).to.be.true;
      expect(note.textContent!.trim()).to.equal('Checking…');
      expect(visible(part(el, 'help-text'))).to.be.false;
      expect(inner(el).getAttribute('aria-describedby')).to.equal('validating');
      expect(part(el, 'error')!.textContent!.trim()).to.equal('');
      answer('That name is taken.');
      await waitUntil(() => part(el, 'error')!.textContent!.trim() === 'That name is taken.');
      expect(visible(note)).to.be.false;
      expect(inner(el).getAttribute('aria-invalid')).to.equal('true');
    });
  });
});
