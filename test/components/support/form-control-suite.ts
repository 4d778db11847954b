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
  /**
   * For a control whose value is several entries (a tag list): its `value` as the text the
   * suite compares with `validValue` and `value` attributes, and what `FormData.get(name)`
   * gives when it is empty (`null`: no entry at all). Default: `value`, and `''`.
   */
  multiEntry?: { valueText(control: Control): string; emptyEntry: string | null };
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

/**
 * The restore fixture page, showing `markup` inside a `<form>` once `module` is loaded.
 *
 * It is served from the other loopback name (127.0.0.1 for localhost), another site, so
 * Chromium runs it in a process of its own. Why: coverage is recorded per page process, and
 * a second copy of the element's modules in the same process would replace the test page's
 * coverage of them with the fixture's.
 */
function restorePageUrl(module: string, markup: string): string {
  const search = new URLSearchParams({ module, control: markup });
  const otherHost = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return `${location.protocol}//${otherHost}:${location.port}/test/components/support/restore-page.html?${search}`;
}

/** What the cross-site restore fixture reports about its control. */
interface FixtureReport {
  ready: boolean;
  value?: string | null;
  entry?: string | null;
  loaded?: string;
}

/** The fixture's next message to this page. */
function nextFixtureMessage(): Promise<FixtureReport> {
  return new Promise((resolve) => {
    addEventListener('message', ({ data }) => resolve(data as FixtureReport), { once: true });
  });
}

/** Sends `command` to the fixture in `frame` and waits for its report. */
async function askFixture(frame: HTMLIFrameElement, command: object): Promise<FixtureReport> {
  const answer = nextFixtureMessage();
  frame.contentWindow!.postMessage(command, '*');
  return answer;
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
  const valueOf = (control: Control) => options.multiEntry?.valueText(control) ?? control.value;
  const emptyEntry = options.multiEntry ? options.multiEntry.emptyEntry : '';

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
        expect(valueOf(control)).to.equal(options.validValue);
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
        expect(valueOf(control)).to.equal('initial');
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
        expect(new FormData(form).get('field')).to.equal(emptyEntry);
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

    describe('with validation rules', () => {
      it('blocks submit with a validator message until validators accept the value', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        control.validators = [() => 'Refused by a rule.'];
        await control.updateComplete;
        expect(control.validity.customError).to.be.true;
        expect(control.validationMessage).to.equal('Refused by a rule.');
        expect(form.checkValidity()).to.be.false;
        control.validators = [() => null];
        await control.updateComplete;
        expect(form.checkValidity()).to.be.true;
      });

      it('is validating, and blocks submit, until an asynchronous validator answers', async () => {
        const { form, control } = await renderInForm(options, {
          name: 'field',
          label: 'Field',
          value: 'initial',
        });
        let answer!: (message: string | null) => void;
        control.validators = [() => new Promise((resolve) => (answer = resolve))];
        await control.updateComplete;
        expect(control.validating).to.be.true;
        expect(control.matches(':state(validating)')).to.be.true;
        expect(form.checkValidity()).to.be.false;
        answer(null);
        await waitUntil(() => !control.validating, 'the answer was never taken');
        expect(control.matches(':state(validating)')).to.be.false;
        expect(form.checkValidity()).to.be.true;
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
        let loaded = nextFixtureMessage();
        frame.src = restorePageUrl(options.module, markup);
        document.body.append(frame);
        await loaded;
        await askFixture(frame, { set: options.validValue });

        const away = restorePageUrl(options.module, '<p>elsewhere</p>');
        loaded = nextFixtureMessage();
        frame.contentWindow!.postMessage({ go: away }, '*');
        await loaded;
        loaded = nextFixtureMessage();
        frame.contentWindow!.postMessage({ back: true }, '*');
        await loaded;

        let report: FixtureReport = { ready: false };
        const restoredRight = async () => {
          report = await askFixture(frame!, { report: true });
          return report.value === options.validValue;
        };
        await waitUntil(restoredRight, 'the value was not restored');
        expect(report.entry).to.equal(options.validValue);
      });
    });
  });
}
