import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { place } from '../support/place.ts';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../../components/ui/text-field.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
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
      expect(toggle.getAttribute('aria-label')).to.equal('Show password');
      expect(toggle.getAttribute('aria-pressed')).to.equal('false');

      toggle.focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(inner(el).type).to.equal('text');
      expect(toggle.getAttribute('aria-pressed')).to.equal('true');

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
});
