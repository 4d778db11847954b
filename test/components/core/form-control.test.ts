import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { place } from '../support/place.ts';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  nativeValueMissingMessage,
  validityFlagsOf,
} from '../../../components/core/form-control.ts';
import type { PlainControl } from '../support/plain-control.ts';
import '../support/plain-control.ts';
import { runFormControlSuite } from '../support/form-control-suite.ts';

describe('FormControlMixin', () => {
  it('gives a plain control an accessible form field', async () => {
    const el = await fixture<PlainControl>(
      html`<ab-test-plain-control label="Nickname" required></ab-test-plain-control>`,
    );
    await expect(el).to.be.accessible();
  });

  it('has the defaults of an empty, optional, enabled control', async () => {
    const el = await fixture<PlainControl>(html`<ab-test-plain-control></ab-test-plain-control>`);
    expect(el.name).to.equal('');
    expect(el.value).to.equal('');
    expect(el.defaultValue).to.equal('');
    expect(el.required).to.be.false;
    expect(el.disabled).to.be.false;
    expect(el.readonly).to.be.false;
    expect(el.label).to.equal('');
    expect(el.helpText).to.equal('');
    expect(el.form).to.equal(null);
    expect(el.labels).to.have.length(0);
    expect(el.willValidate).to.be.true;
    expect(el.validity.valid).to.be.true;
    expect(el.validationMessage).to.equal('');
    expect((el.constructor as typeof PlainControl & { formAssociated: boolean }).formAssociated).to
      .be.true;
  });

  runFormControlSuite({
    tagName: 'ab-test-plain-control',
    role: 'textbox',
    module: '/test/components/support/plain-control.ts',
    validValue: 'Ada',
    render: ({ name, label, value, required }) => html`
      <ab-test-plain-control
        name=${name}
        label=${label}
        value=${ifDefined(value)}
        ?required=${required}
      ></ab-test-plain-control>
    `,
  });

  describe('when required', () => {
    it('speaks the browser language for a missing value', async () => {
      const el = await fixture<PlainControl>(
        html`<ab-test-plain-control label="Nickname" required></ab-test-plain-control>`,
      );
      const native = document.createElement('input');
      native.required = true;
      expect(el.validationMessage).to.equal(native.validationMessage);
      expect(nativeValueMissingMessage()).to.equal(native.validationMessage);
    });
  });

  describe('with labels outside the element', () => {
    it('lists the <label for> elements that point at it', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div>
          <label for="nick">Nickname</label>
          <ab-test-plain-control id="nick"></ab-test-plain-control>
        </div>
      `);
      const el = wrapper.querySelector('ab-test-plain-control')!;
      expect([...el.labels]).to.deep.equal([wrapper.querySelector('label')]);
    });
  });

  describe('when the value is set from code', () => {
    it('stops following the value attribute', async () => {
      const el = await fixture<PlainControl>(
        html`<ab-test-plain-control value="first"></ab-test-plain-control>`,
      );
      el.value = 'chosen';
      el.setAttribute('value', 'second');
      await el.updateComplete;
      expect(el.value).to.equal('chosen');
      expect(el.defaultValue).to.equal('second');
    });
  });

  describe('when Enter is pressed in a form without a submit button', () => {
    it('submits the form', async () => {
      const form = await place<HTMLFormElement>(
        html`<form><ab-test-plain-control name="n" label="Name"></ab-test-plain-control></form>`,
      );
      let submits = 0;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        submits += 1;
      });
      form.querySelector('ab-test-plain-control')!.focus();
      await sendKeys({ press: 'Enter' });
      expect(submits).to.equal(1);
    });
  });
});

describe('validityFlagsOf', () => {
  it('copies only the failing flags of a native validity', () => {
    const input = document.createElement('input');
    input.type = 'email';
    input.required = true;
    expect(validityFlagsOf(input.validity)).to.deep.equal({ valueMissing: true });
    input.value = 'not-an-address';
    expect(validityFlagsOf(input.validity)).to.deep.equal({ typeMismatch: true });
    input.value = 'ada@example.com';
    expect(validityFlagsOf(input.validity)).to.deep.equal({});
  });
});
