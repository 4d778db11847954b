/**
 * @packageDocumentation
 * `runFormControlSuite`: the contract every form control keeps (design.md, "Components: the
 * contract every element keeps"), proven the same way for each one, through what a user and a
 * plain `<form>` see: FormData, submit blocking, reset, a disabled `<fieldset>`, custom
 * validity, `input`/`change` from real typing, the accessible name, back-navigation restore.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { place } from './place.ts';
import { render, type TemplateResult } from 'lit';
import type { FormControl } from '../../../components/core/form-control.ts';
import { accessibleName, accessibleRole } from './accessibility-tree.ts';

/** A control under test: an element with the form-control surface. */
export type Control = HTMLElement & FormControl & { updateComplete: Promise<boolean> };

/** What the suite asks a test to render. */
export interface ControlProps {
  name: string;
  label: string;
  /** The `value` attribute (the default value); left out when `undefined`. */
  value?: string;
  required?: boolean;
}

/** How one control takes part in the suite. */
export interface FormControlSuiteOptions {
  /** The tag, for the `describe` title. */
  tagName: string;
  /** Renders one control with these attributes (the suite puts it in a form). */
  render(props: ControlProps): TemplateResult;
  /** A valid value the user can enter, as it then reads in `value` and FormData. */
  validValue: string;
  /** The control's role in the accessibility tree, e.g. `textbox`. */
  role: string;
  /** URL path of the element's module, loaded into a page of its own for the restore test. */
  module: string;
  /** Enters `text` as a user would; default: focus the control and type it. */
  enter?(control: Control, text: string): Promise<void>;
}

async function typeInto(control: Control, text: string): Promise<void> {
  control.focus();
  await sendKeys({ type: text });
}

async function renderInForm(options: FormControlSuiteOptions, props: ControlProps) {
  const form = await place<HTMLFormElement>(html`<form>${options.render(props)}</form>`);
  const control = form.querySelector(options.tagName) as Control;
  await control.updateComplete;
  return { form, control };
}

/** The restore fixture page, showing `markup` inside a `<form>` once `module` is loaded. */
function restorePageUrl(module: string, markup: string): string {
  const search = new URLSearchParams({ module, control: markup });
  return `/test/components/support/restore-page.html?${search}`;
}

/** Resolves on the frame's next `load` and the fixture's module having run. */
async function nextPageReady(frame: HTMLIFrameElement): Promise<Document> {
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const page = frame.contentDocument!;
  await waitUntil(() => page.body?.dataset.ready === 'true', 'the fixture page never got ready');
  return page;
}

/** The control's markup as HTML text, for a page that does not run Lit templates itself. */
function markupOf(template: TemplateResult): string {
  const container = document.createElement('div');
  render(template, container);
  return container.innerHTML;
}

function errorText(control: Control): string {
  return control.shadowRoot?.querySelector('[part~="error"]')?.textContent?.trim() ?? '';
}

/** Runs the shared form-control contract for one element. */
export function runFormControlSuite(options: FormControlSuiteOptions): void {
  const enter = options.enter ?? typeInto;

  describe(`${options.tagName} as a form control`, () => {
    describe('when the form is read', () => {
      it('submits its default value under its name', async () => {
        const { form } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        expect(new FormData(form).get('field')).to.equal('initial');
      });

      it('submits what the user entered', async () => {
        const { form, control } = await renderInForm(options, { name: 'field', label: 'Field' });
        await enter(control, options.validValue);
        await control.updateComplete;
        expect(control.value).to.equal(options.validValue);
        expect(new FormData(form).get('field')).to.equal(options.validValue);
      });

      it('belongs to its form', async () => {
        const { form, control } = await renderInForm(options, { name: 'field', label: 'Field' });
        expect(control.form).to.equal(form);
        expect([...form.elements]).to.include(control);
      });
    });

    describe('when required and empty', () => {
      it('blocks submit until the user fills it', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          required: true,
        });
        let submits = 0;
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          submits += 1;
        });
        expect(form.checkValidity()).to.be.false;
        expect(control.validity.valueMissing).to.be.true;
        form.requestSubmit();
        expect(submits).to.equal(0);

        await enter(control, options.validValue);
        await control.updateComplete;
        expect(form.checkValidity()).to.be.true;
        form.requestSubmit();
        expect(submits).to.equal(1);
      });

      it('shows no error until a submit attempt, then the browser message', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          required: true,
        });
        expect(errorText(control)).to.equal('');
        const invalid = oneEvent(control, 'invalid');
        form.requestSubmit();
        await invalid;
        await waitUntil(() => errorText(control) !== '', 'the error text never appeared');
        expect(errorText(control)).to.equal(control.validationMessage);
        expect(control.validationMessage).to.not.equal('');
      });

      it('reportValidity returns false and moves focus into the control', async () => {
        const { control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          required: true,
        });
        expect(control.reportValidity()).to.be.false;
        expect(document.activeElement).to.equal(control);
      });
    });

    describe('when the form is reset', () => {
      it('goes back to its default value', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        control.value = '';
        await enter(control, options.validValue);
        await control.updateComplete;
        expect(new FormData(form).get('field')).to.equal(options.validValue);
        form.reset();
        await control.updateComplete;
        expect(control.value).to.equal('initial');
        expect(new FormData(form).get('field')).to.equal('initial');
      });

      it('hides an error shown before the reset', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          required: true,
        });
        form.requestSubmit();
        await waitUntil(() => errorText(control) !== '');
        form.reset();
        await waitUntil(() => errorText(control) === '', 'the error stayed after reset');
      });
    });

    describe('inside a disabled fieldset', () => {
      async function renderInFieldset() {
        const form = await place<HTMLFormElement>(html`
          <form>
            <fieldset disabled>
              ${options.render({ name: 'field', label: 'Field', value: 'initial', required: true })}
            </fieldset>
          </form>
        `);
        const control = form.querySelector(options.tagName) as Control;
        await control.updateComplete;
        return { form, control, fieldset: form.querySelector('fieldset')! };
      }

      it('is disabled, left out of FormData and skipped by validation', async () => {
        const { form, control } = await renderInFieldset();
        expect(control.matches(':disabled')).to.be.true;
        expect(new FormData(form).has('field')).to.be.false;
        expect(control.willValidate).to.be.false;
      });

      it('cannot be focused, and can again once the fieldset is enabled', async () => {
        const { form, control, fieldset } = await renderInFieldset();
        control.focus();
        expect(document.activeElement).to.not.equal(control);
        fieldset.disabled = false;
        await control.updateComplete;
        control.focus();
        expect(document.activeElement).to.equal(control);
        expect(new FormData(form).get('field')).to.equal('initial');
      });
    });

    describe('with its own disabled attribute', () => {
      it('is left out of FormData', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        control.disabled = true;
        await control.updateComplete;
        expect(control.matches(':disabled')).to.be.true;
        expect(new FormData(form).has('field')).to.be.false;
      });
    });

    describe('when read-only', () => {
      it('is submitted but not validated', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          required: true,
        });
        control.readonly = true;
        await control.updateComplete;
        expect(control.willValidate).to.be.false;
        expect(form.checkValidity()).to.be.true;
        expect(new FormData(form).get('field')).to.equal('');
      });
    });

    describe('with a custom validity message', () => {
      it('blocks submit and reports the message until cleared', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        control.setCustomValidity('That one is taken.');
        expect(control.checkValidity()).to.be.false;
        expect(control.validity.customError).to.be.true;
        expect(control.validationMessage).to.equal('That one is taken.');
        expect(form.checkValidity()).to.be.false;
        await waitUntil(() => errorText(control) === 'That one is taken.');

        control.setCustomValidity('');
        expect(control.checkValidity()).to.be.true;
        expect(form.checkValidity()).to.be.true;
        await waitUntil(() => errorText(control) === '');
      });
    });

    describe('when the user types', () => {
      it('fires one input per edit and change on commit, bubbling and composed', async () => {
        const { form, control } = await renderInForm(options, { name: 'field', label: 'Field' });
        const inputs: Event[] = [];
        const changes: Event[] = [];
        form.addEventListener('input', (event) => inputs.push(event));
        form.addEventListener('change', (event) => changes.push(event));
        await enter(control, options.validValue);
        expect(inputs.length).to.be.greaterThan(0);
        expect(inputs.every((event) => event.target === control && event.composed)).to.be.true;
        expect(changes).to.have.length(0);
        control.blur();
        await waitUntil(() => changes.length === 1, 'no change event on leaving the field');
        expect(changes[0]!.target).to.equal(control);
        expect(changes[0]!.bubbles && changes[0]!.composed).to.be.true;
      });
    });

    describe('its label', () => {
      it('is the accessible name of what takes focus', async () => {
        const props = { name: 'field', label: 'Delivery address' };
        const { control } = await renderInForm(options, props);
        control.focus();
        const focused = control.shadowRoot?.activeElement;
        expect(focused, 'focus did not move into the control').to.be.instanceOf(Element);
        expect(accessibleRole(focused!)).to.equal(options.role);
        expect(accessibleName(focused!)).to.match(/^Delivery address\b/);
      });
    });

    describe('after navigating away and back', () => {
      let frame: HTMLIFrameElement | undefined;
      afterEach(() => frame?.remove());

      it('comes back with the value the user had entered', async () => {
        const markup = markupOf(options.render({ name: 'field', label: 'Field' }));
        frame = document.createElement('iframe');
        document.body.append(frame);
        let ready = nextPageReady(frame);
        frame.src = restorePageUrl(options.module, markup);
        const page = await ready;
        const control = page.querySelector(options.tagName) as Control;
        await control.updateComplete;
        control.value = options.validValue;
        await control.updateComplete;

        ready = nextPageReady(frame);
        frame.contentWindow!.location.href = restorePageUrl(options.module, '<p>elsewhere</p>');
        await ready;
        ready = nextPageReady(frame);
        frame.contentWindow!.history.back();
        const restoredPage = await ready;

        const restored = restoredPage.querySelector(options.tagName) as Control;
        await waitUntil(() => restored.value === options.validValue, 'the value was not restored');
        const form = restoredPage.querySelector('form')!;
        expect(new FormData(form).get('field')).to.equal(options.validValue);
      });
    });
  });
}
