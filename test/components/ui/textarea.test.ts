import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import {
  textareaMaxRowsDefault,
  textareaMinRowsDefault,
  type AbTextarea,
} from '../../../components/ui/textarea.ts';
import '../../../components/ui/textarea.ts';
import { accessibleName } from '../support/accessibility-tree.ts';
import { runFormControlSuite } from '../support/form-control-suite.ts';
import { place } from '../support/place.ts';

function textarea(template: ReturnType<typeof html>): Promise<AbTextarea> {
  return fixture<AbTextarea>(template);
}

function inner(el: AbTextarea): HTMLTextAreaElement {
  return el.shadowRoot!.querySelector('textarea')!;
}

function part(el: AbTextarea, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function visible(element: Element | null): boolean {
  return element !== null && (element as HTMLElement).offsetParent !== null;
}

/** The height of one line of text in the textarea, in pixels. */
function lineHeight(el: AbTextarea): number {
  return parseFloat(getComputedStyle(inner(el)).lineHeight);
}

function height(el: AbTextarea): number {
  return inner(el).getBoundingClientRect().height;
}

/** Whether the text is taller than the box, so the user has to scroll. */
function scrolls(el: AbTextarea): boolean {
  return inner(el).scrollHeight > inner(el).clientHeight;
}

/** Types `count` lines, one keystroke sequence each, with Enter between them. */
async function typeLines(el: AbTextarea, count: number): Promise<number[]> {
  el.focus();
  const heights: number[] = [];
  for (let line = 1; line <= count; line += 1) {
    if (line > 1) await sendKeys({ press: 'Enter' });
    await sendKeys({ type: `line ${line}` });
    await el.updateComplete;
    heights.push(height(el));
  }
  return heights;
}

describe('ab-textarea', () => {
  it('passes the axe accessibility audit', async () => {
    const el = await textarea(html`
      <ab-textarea label="Message" help-text="Be kind." required counter maxlength="200">
      </ab-textarea>
    `);
    await expect(el).to.be.accessible();
  });

  it('has the defaults of a growing, optional, empty textarea', async () => {
    const el = await textarea(html`<ab-textarea></ab-textarea>`);
    expect(el.value).to.equal('');
    expect(el.minRows).to.equal(textareaMinRowsDefault);
    expect(el.maxRows).to.equal(textareaMaxRowsDefault);
    expect(el.resize).to.equal('auto');
    expect(el.counter).to.be.false;
    expect(el.required).to.be.false;
    expect(inner(el).rows).to.equal(textareaMinRowsDefault);
    expect(part(el, 'counter')).to.equal(null);
    expect(el.validity.valid).to.be.true;
  });

  runFormControlSuite({
    tagName: 'ab-textarea',
    role: 'textbox',
    module: '/components/ui/textarea.ts',
    validValue: 'hello',
    render: ({ name, label, value, required }) => html`
      <ab-textarea name=${name} label=${label} value=${ifDefined(value)} ?required=${required}>
      </ab-textarea>
    `,
  });

  describe('as the user types more lines', () => {
    it('starts at min-rows', async () => {
      const el = await textarea(html`<ab-textarea label="Notes" min-rows="2"></ab-textarea>`);
      const rowsHeight = 2 * lineHeight(el);
      expect(height(el)).to.be.at.least(rowsHeight);
      expect(height(el)).to.be.below(rowsHeight + lineHeight(el) / 2);
    });

    it('grows one line at a time up to max-rows, showing all the text', async () => {
      const el = await textarea(
        html`<ab-textarea label="Notes" min-rows="2" max-rows="4"></ab-textarea>`,
      );
      const heights = await typeLines(el, 4);
      expect(heights[0]).to.equal(heights[1]);
      expect(heights[2]! - heights[1]!).to.be.closeTo(lineHeight(el), 1);
      expect(heights[3]! - heights[2]!).to.be.closeTo(lineHeight(el), 1);
      expect(scrolls(el)).to.be.false;
    });

    it('stops growing one line past max-rows and scrolls instead', async () => {
      const el = await textarea(
        html`<ab-textarea label="Notes" min-rows="2" max-rows="4"></ab-textarea>`,
      );
      const heights = await typeLines(el, 5);
      expect(heights[4]).to.equal(heights[3]);
      expect(scrolls(el)).to.be.true;
    });

    it('shrinks back when the text is removed', async () => {
      const el = await textarea(html`<ab-textarea label="Notes" min-rows="1"></ab-textarea>`);
      const resting = height(el);
      el.value = 'one\ntwo\nthree';
      await el.updateComplete;
      expect(height(el)).to.be.above(resting);
      el.value = '';
      await el.updateComplete;
      expect(height(el)).to.equal(resting);
    });

    it('never gets shorter than min-rows, even when max-rows is smaller', async () => {
      const el = await textarea(
        html`<ab-textarea label="Notes" min-rows="3" max-rows="1"></ab-textarea>`,
      );
      const resting = height(el);
      expect(resting).to.be.at.least(3 * lineHeight(el));
      el.value = 'a\nb\nc\nd\ne';
      await el.updateComplete;
      expect(height(el)).to.equal(resting);
      expect(scrolls(el)).to.be.true;
    });

    it('fits again when a narrower box wraps the text onto more lines', async () => {
      const el = await textarea(html`
        <ab-textarea label="Notes" min-rows="1" style="width: 40rem"
          value="A sentence long enough to wrap once the field is made much narrower."
        ></ab-textarea>
      `);
      const wide = height(el);
      el.style.width = '10rem';
      await waitUntil(() => height(el) > wide, 'the textarea did not grow when narrowed');
      expect(scrolls(el)).to.be.false;
    });

    it('fits when asked once shown, after being laid out while hidden', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div hidden><ab-textarea label="Notes" min-rows="1" value="a\nb\nc\nd"></ab-textarea></div>
      `);
      const el = wrapper.querySelector('ab-textarea')!;
      wrapper.hidden = false;
      // The width observer would do this on the next frame; a page showing a hidden form can
      // do it at once, and this page may get no frames while another test page has focus.
      el.fitHeight();
      expect(scrolls(el)).to.be.false;
      expect(height(el)).to.be.at.least(4 * lineHeight(el));
    });
  });

  describe('with resize="none"', () => {
    it('keeps min-rows, scrolls, and has no handle', async () => {
      const el = await textarea(
        html`<ab-textarea label="Notes" min-rows="2" resize="none"></ab-textarea>`,
      );
      const resting = height(el);
      await typeLines(el, 4);
      expect(height(el)).to.equal(resting);
      expect(scrolls(el)).to.be.true;
      expect(getComputedStyle(inner(el)).resize).to.equal('none');
    });
  });

  describe('with resize="vertical"', () => {
    it('keeps its height while typing and offers a vertical handle', async () => {
      const el = await textarea(
        html`<ab-textarea label="Notes" min-rows="2" resize="vertical"></ab-textarea>`,
      );
      const resting = height(el);
      await typeLines(el, 4);
      expect(height(el)).to.equal(resting);
      expect(getComputedStyle(inner(el)).resize).to.equal('vertical');
    });

    it('can be dragged no further than max-rows, and keeps the dragged height', async () => {
      const el = await textarea(html`
        <ab-textarea label="Notes" min-rows="2" max-rows="4" resize="vertical"></ab-textarea>
      `);
      // What dragging the handle does: the browser writes an inline height.
      inner(el).style.height = '1000px';
      el.value = 'more text';
      await el.updateComplete;
      expect(inner(el).style.height).to.equal('1000px');
      expect(height(el)).to.be.closeTo(4 * lineHeight(el), lineHeight(el) / 2);
    });

    it('drops the grown height when switched from auto', async () => {
      const el = await textarea(html`<ab-textarea label="Notes" min-rows="1"></ab-textarea>`);
      const resting = height(el);
      el.value = 'a\nb\nc';
      await el.updateComplete;
      expect(height(el)).to.be.above(resting);
      el.resize = 'vertical';
      await el.updateComplete;
      expect(height(el)).to.equal(resting);
    });
  });

  describe('when Enter is pressed', () => {
    it('adds a line and does not submit the form', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-textarea name="message" label="Message"></ab-textarea><button>Send</button></form>
      `);
      let submits = 0;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        submits += 1;
      });
      const el = form.querySelector('ab-textarea')!;
      el.focus();
      await sendKeys({ type: 'one' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ type: 'two' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(el.value).to.equal('one\ntwo');
      expect(new FormData(form).get('message')).to.equal('one\ntwo');
      expect(submits).to.equal(0);
    });
  });

  describe('its label', () => {
    it('rests on the first line and floats above it once focused', async () => {
      const el = await textarea(html`<ab-textarea label="Message"></ab-textarea>`);
      const label = part(el, 'label')!;
      const settle = () => label.getAnimations().forEach((animation) => animation.finish());
      settle();
      const resting = label.getBoundingClientRect();
      const firstLine = inner(el).getBoundingClientRect().top;
      expect(resting.top).to.be.at.least(firstLine - 1);
      el.focus();
      await el.updateComplete;
      settle();
      const floated = label.getBoundingClientRect();
      expect(floated.top).to.be.below(resting.top);
      expect((floated.top + floated.bottom) / 2).to.be.below(firstLine);
    });

    it('can be slotted rich content that names the textarea', async () => {
      const el = await textarea(html`
        <ab-textarea><span slot="label">Your <em>message</em></span></ab-textarea>
      `);
      expect(accessibleName(inner(el))).to.equal('Your message');
    });

    it('comes from an outer <label for> when the field has none', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div><label for="notes">Notes</label><ab-textarea id="notes"></ab-textarea></div>
      `);
      const el = wrapper.querySelector('ab-textarea')!;
      el.requestUpdate();
      await el.updateComplete;
      expect(accessibleName(inner(el))).to.equal('Notes');
    });
  });

  describe('help and error text', () => {
    it('swaps the help text for the browser message once a too-short text is left', async () => {
      const el = await textarea(html`
        <ab-textarea label="Message" help-text="Tell us more." minlength="10"></ab-textarea>
      `);
      el.focus();
      await sendKeys({ type: 'short' });
      expect(el.validity.tooShort).to.be.true;
      await sendKeys({ press: 'Tab' });
      await waitUntil(() => part(el, 'error')!.textContent!.trim() !== '');
      expect(part(el, 'error')!.textContent!.trim()).to.equal(inner(el).validationMessage);
      expect(visible(part(el, 'help-text'))).to.be.false;
      expect(inner(el).getAttribute('aria-invalid')).to.equal('true');
      expect(inner(el).getAttribute('aria-describedby')).to.equal('error');
      await expect(el).to.be.accessible();
    });
  });

  describe('with a counter', () => {
    it('counts down to maxlength and stops there', async () => {
      const el = await textarea(
        html`<ab-textarea label="Message" counter maxlength="5"></ab-textarea>`,
      );
      el.focus();
      await sendKeys({ type: 'hello world' });
      await el.updateComplete;
      expect(el.value).to.equal('hello');
      expect(part(el, 'counter')!.textContent!.trim()).to.equal('5 / 5');
    });

    it('speaks the strings it is given', async () => {
      const el = await textarea(html`<ab-textarea label="Message" counter></ab-textarea>`);
      el.strings = { characters: (used: number) => `${used} Zeichen` };
      await el.updateComplete;
      expect(part(el, 'counter')!.textContent!.trim()).to.equal('0 Zeichen');
    });
  });

  describe('in a right-to-left layout', () => {
    it('puts the label on the right and the counter on the left', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div dir="rtl">
          <ab-textarea label="הודעה" help-text="עזרה" counter maxlength="100"></ab-textarea>
        </div>
      `);
      const el = wrapper.querySelector('ab-textarea')!;
      const area = inner(el).getBoundingClientRect();
      const label = part(el, 'label')!.getBoundingClientRect();
      expect(Math.abs(label.right - area.right)).to.be.below(2);
      const counter = part(el, 'counter')!.getBoundingClientRect();
      const help = part(el, 'help-text')!.getBoundingClientRect();
      expect(counter.right).to.be.at.most(help.left + 1);
      await expect(wrapper).to.be.accessible();
    });
  });

  describe('variants and sizes', () => {
    it('filled has only an underline; small is shorter than large', async () => {
      const filled = await textarea(
        html`<ab-textarea label="Notes" variant="filled"></ab-textarea>`,
      );
      expect(getComputedStyle(part(filled, 'field')!).borderTopWidth).to.equal('0px');
      const small = await textarea(html`<ab-textarea label="Notes" size="small"></ab-textarea>`);
      const large = await textarea(html`<ab-textarea label="Notes" size="large"></ab-textarea>`);
      expect(height(small)).to.be.below(height(large));
    });
  });
});
