import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { TemplateResult } from 'lit';
import '../../../components/ui/datetime-range.ts';
import {
  datetimeRangeTextLengthMax,
  datetimeRangePresetsMax,
  type AbDatetimeRange,
  type DatetimeRangePreset,
} from '../../../components/ui/datetime-range.ts';
import { formatIsoDate, parseIsoDate } from '../../../components/core/calendar.ts';
import { accessibleName } from '../support/accessibility-tree.ts';
import { runFormControlSuite } from '../support/form-control-suite.ts';
import { place } from '../support/place.ts';

/** The fixed clock of these tests: Sunday 15 March 2026, noon UTC. */
const now = new Date('2026-03-15T12:00:00Z');

function render(template: TemplateResult): Promise<AbDatetimeRange> {
  return fixture<AbDatetimeRange>(template);
}

function inner<T extends Element = HTMLElement>(el: AbDatetimeRange, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

function all(el: AbDatetimeRange, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

function box(el: AbDatetimeRange, place: 'start' | 'end'): HTMLInputElement {
  return inner<HTMLInputElement>(el, `#${place}`);
}

function timeBox(el: AbDatetimeRange, place: 'start' | 'end'): HTMLInputElement {
  return inner<HTMLInputElement>(el, `#${place}-time`);
}

function cell(el: AbDatetimeRange, date: string): HTMLElement {
  return inner(el, `td[data-day="${parseIsoDate(date)}"]`);
}

/** The date of the day that has the keyboard focus, `YYYY-MM-DD`. */
function focusedDate(el: AbDatetimeRange): string {
  const day = el.shadowRoot!.activeElement?.getAttribute('data-day');
  return day == null ? 'none' : formatIsoDate(Number(day));
}

function textOf(el: AbDatetimeRange, selector: string): string {
  return el.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

const errorText = (el: AbDatetimeRange) => textOf(el, '[part~="error"]');
const statusText = (el: AbDatetimeRange) => textOf(el, '[part~="status"]');
const monthLabel = (el: AbDatetimeRange) => textOf(el, '#month-label');

/** Presses `key`, or `Shift+PageUp`-style chords, as a user would. */
async function press(el: AbDatetimeRange, key: string): Promise<void> {
  const [modifier, chordKey] = key.includes('+') ? key.split('+') : [undefined, key];
  if (modifier) await sendKeys({ down: modifier });
  await sendKeys({ press: chordKey! });
  if (modifier) await sendKeys({ up: modifier });
  await el.updateComplete;
}

/** Types into a box of the element, as a user who clicked into it would. */
async function typeInto(el: AbDatetimeRange, input: HTMLInputElement, text: string) {
  input.focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

/** Takes the focus out of the element, and waits for it to notice. */
async function leave(el: AbDatetimeRange): Promise<void> {
  el.blur();
  await new Promise((resolve) => setTimeout(resolve, 10));
  await el.updateComplete;
  await el.updateComplete;
}

/** Puts the keyboard on the calendar's focusable day, as Tab into the grid does. */
async function focusGrid(el: AbDatetimeRange): Promise<void> {
  inner(el, 'td[tabindex="0"]').focus();
  await el.updateComplete;
}

function inlineRange(attributes: { value?: string; min?: string; max?: string } = {}) {
  return render(html`
    <ab-datetime-range
      label="Stay"
      presentation="inline"
      time-zone="UTC"
      value=${ifDefined(attributes.value)}
      min=${ifDefined(attributes.min)}
      max=${ifDefined(attributes.max)}
      .now=${now}
    ></ab-datetime-range>
  `);
}

describe('ab-datetime-range', () => {
  it('passes the axe accessibility audit, inline with times and presets', async () => {
    const el = await render(html`
      <ab-datetime-range
        label="Stay"
        help-text="Arrival and departure"
        presentation="inline"
        standard-presets="all"
        with-time
        required
        time-zone="Europe/Berlin"
        value="2026-03-10T09:00+01:00/2026-03-12T17:30+01:00"
        .now=${now}
      ></ab-datetime-range>
    `);
    await expect(el).to.be.accessible();
  });

  it('has the defaults of an empty popup date range', async () => {
    const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
    expect(el.value).to.equal('');
    expect(el.start).to.equal('');
    expect(el.end).to.equal('');
    expect(el.presentation).to.equal('popup');
    expect(el.withTime).to.be.false;
    expect(el.open).to.be.false;
    expect(el.validity.valid).to.be.true;
    expect(el.shadowRoot!.querySelector('[role="grid"]')).to.equal(null);
    expect(inner(el, '[part~="trigger"]').getAttribute('aria-expanded')).to.equal('false');
    expect(el.shadowRoot!.querySelector('[part~="time-zone"]')).to.equal(null);
  });

  runFormControlSuite({
    tagName: 'ab-datetime-range',
    role: 'textbox',
    module: '/components/ui/datetime-range.ts',
    validValue: '2026-03-01/2026-03-31',
    render: ({ name, label, value, required }) => html`
      <ab-datetime-range
        name=${name}
        label=${label}
        value=${ifDefined(value)}
        ?required=${required}
      ></ab-datetime-range>
    `,
    enter: async (control, text) => {
      const [start = '', end = ''] = text.split('/');
      control.focus();
      await sendKeys({ type: start });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: end });
    },
  });

  describe('when the user types dates', () => {
    it("accepts the locale's format and ISO 8601, and tidies the text on leaving", async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      await typeInto(el, box(el, 'start'), '3/1/2026');
      await typeInto(el, box(el, 'end'), '2026-03-31');
      expect(el.value).to.equal('2026-03-01/2026-03-31');
      expect(box(el, 'start').value).to.equal('03/01/2026');
      await leave(el);
      expect(box(el, 'end').value).to.equal('03/31/2026');
      expect(el.start).to.equal('2026-03-01');
      expect(el.end).to.equal('2026-03-31');
    });

    it('reads and shows German dates for locale="de-DE"', async () => {
      const el = await render(
        html`<ab-datetime-range label="Aufenthalt" locale="de-DE" .now=${now}></ab-datetime-range>`,
      );
      expect(box(el, 'start').placeholder).to.equal('31.12.2026');
      await typeInto(el, box(el, 'start'), '1.3.2026');
      await typeInto(el, box(el, 'end'), '31.3.2026');
      expect(el.value).to.equal('2026-03-01/2026-03-31');
      expect(box(el, 'start').value).to.equal('01.03.2026');
    });

    it('takes its language from the closest lang attribute', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div lang="de-DE"><ab-datetime-range label="Aufenthalt"></ab-datetime-range></div>
      `);
      const el = wrapper.querySelector('ab-datetime-range')!;
      el.value = '2026-03-01/2026-03-31';
      await el.updateComplete;
      expect(box(el, 'start').value).to.equal('01.03.2026');
      expect(box(el, 'end').value).to.equal('31.03.2026');
    });

    it('refuses garbage visibly as soon as the box is left', async () => {
      const el = await render(
        html`<ab-datetime-range label="Stay" .now=${now}></ab-datetime-range>`,
      );
      await typeInto(el, box(el, 'start'), 'banana');
      await press(el, 'Tab');
      await waitUntil(() => errorText(el) !== '', 'no error for garbage');
      expect(errorText(el)).to.equal('“banana” is not a date. Type it like 12/31/2026.');
      expect(el.validity.badInput).to.be.true;
      expect(el.value).to.equal('');
      expect(box(el, 'start').getAttribute('aria-invalid')).to.equal('true');
      expect(box(el, 'start').getAttribute('aria-describedby')).to.equal('error');
      expect(box(el, 'end').getAttribute('aria-invalid')).to.equal('false');
      await expect(el).to.be.accessible();
    });

    it('refuses impossible dates such as 30 February', async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      await typeInto(el, box(el, 'start'), '2/30/2026');
      expect(el.validity.badInput).to.be.true;
    });

    it('asks for the other end when only one is given', async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      await typeInto(el, box(el, 'start'), '3/1/2026');
      expect(errorText(el)).to.equal('');
      await leave(el);
      await waitUntil(() => errorText(el) !== '');
      expect(errorText(el)).to.equal('Enter both the start and the end.');
      expect(el.validity.badInput).to.be.true;
    });

    it('when required, wants both ends', async () => {
      const el = await render(html`<ab-datetime-range label="Stay" required></ab-datetime-range>`);
      expect(el.validity.valueMissing).to.be.true;
      expect(el.validationMessage).to.equal('Enter a start and an end.');
      expect(box(el, 'start').getAttribute('aria-required')).to.equal('true');
      await typeInto(el, box(el, 'start'), '3/1/2026');
      expect(el.validity.valueMissing).to.be.true;
      await leave(el);
      await waitUntil(() => errorText(el) !== '');
      expect(box(el, 'start').getAttribute('aria-invalid')).to.equal('true');
      expect(box(el, 'end').getAttribute('aria-invalid')).to.equal('true');
      await typeInto(el, box(el, 'end'), '3/2/2026');
      expect(el.validity.valid).to.be.true;
    });

    it('refuses an end before the start', async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      await typeInto(el, box(el, 'start'), '3/10/2026');
      await typeInto(el, box(el, 'end'), '3/9/2026');
      await leave(el);
      await waitUntil(() => errorText(el) !== '');
      expect(errorText(el)).to.equal('The end cannot be before the start.');
      expect(el.validity.rangeUnderflow).to.be.true;
      expect(box(el, 'end').getAttribute('aria-invalid')).to.equal('true');
      expect(box(el, 'start').getAttribute('aria-invalid')).to.equal('false');
    });

    it('accepts a one-day range', async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      el.value = '2026-03-10/2026-03-10';
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
    });

    it(`takes at most ${datetimeRangeTextLengthMax} characters in a box`, async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      await typeInto(el, box(el, 'start'), 'x'.repeat(datetimeRangeTextLengthMax));
      expect(box(el, 'start').value).to.have.length(datetimeRangeTextLengthMax);
      await typeInto(el, box(el, 'end'), 'y'.repeat(datetimeRangeTextLengthMax + 1));
      expect(box(el, 'end').value).to.have.length(datetimeRangeTextLengthMax);
    });

    it('commits on Enter and submits the form', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-datetime-range name="stay" label="Stay"></ab-datetime-range>
          <button>Book</button>
        </form>
      `);
      form.addEventListener('submit', (event) => event.preventDefault());
      const el = form.querySelector('ab-datetime-range')!;
      await typeInto(el, box(el, 'start'), '2026-03-01');
      await typeInto(el, box(el, 'end'), '2026-03-05');
      const changed = oneEvent(el, 'change');
      const submitted = oneEvent(form, 'submit');
      await sendKeys({ press: 'Enter' });
      await changed;
      await submitted;
      expect(new FormData(form).get('stay')).to.equal('2026-03-01/2026-03-05');
    });

    it('fires input per edit and one change when the user leaves', async () => {
      const el = await render(html`<ab-datetime-range label="Stay"></ab-datetime-range>`);
      let inputs = 0;
      let changes = 0;
      el.addEventListener('input', () => (inputs += 1));
      el.addEventListener('change', () => (changes += 1));
      await typeInto(el, box(el, 'start'), '2026-03-01');
      await typeInto(el, box(el, 'end'), '2026-03-05');
      expect(inputs).to.equal(20);
      expect(changes).to.equal(0);
      await leave(el);
      expect(changes).to.equal(1);
      box(el, 'start').focus();
      await leave(el);
      expect(changes).to.equal(1);
    });

    it('is named by the label and its end, and by an outer <label for> without one', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div>
          <label for="trip">Trip</label>
          <ab-datetime-range id="trip"></ab-datetime-range>
        </div>
      `);
      const el = wrapper.querySelector('ab-datetime-range')!;
      el.requestUpdate();
      await el.updateComplete;
      expect(accessibleName(box(el, 'start'))).to.equal('Trip Start');
      expect(accessibleName(box(el, 'end'))).to.equal('Trip End');
      wrapper.querySelector('label')!.click();
      expect(el.shadowRoot!.activeElement).to.equal(box(el, 'start'));
    });
  });

  describe('when the page sets a value that is not an interval', () => {
    it('keeps and submits it as it is, shows it, and judges it once the user edits', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-datetime-range name="stay" label="Stay" value="next week"></ab-datetime-range>
        </form>
      `);
      const el = form.querySelector('ab-datetime-range')!;
      expect(new FormData(form).get('stay')).to.equal('next week');
      expect(box(el, 'start').value).to.equal('next week');
      expect(el.validity.valid).to.be.true;
      expect(el.start).to.equal('');
      await typeInto(el, box(el, 'end'), '3/9/2026');
      expect(el.validity.badInput).to.be.true;
      expect(el.value).to.equal('');
    });
  });

  describe('the calendar grid', () => {
    it('shows the month of the start, marks today and names every day in full', async () => {
      const el = await inlineRange();
      const grid = inner(el, '[role="grid"]');
      expect(monthLabel(el)).to.equal('March 2026');
      expect(accessibleName(grid)).to.equal('March 2026');
      expect(cell(el, '2026-03-15').getAttribute('aria-current')).to.equal('date');
      expect(cell(el, '2026-03-01').getAttribute('aria-label')).to.equal('Sunday, March 1, 2026');
      expect(all(el, 'td[tabindex="0"]')).to.deep.equal([cell(el, '2026-03-15')]);
      expect(statusText(el)).to.equal('Choose the first day.');
    });

    it('moves by day and week with the arrow keys, across months and years', async () => {
      const el = await inlineRange({ value: '2026-12-31/2026-12-31' });
      await focusGrid(el);
      expect(focusedDate(el)).to.equal('2026-12-31');
      await press(el, 'ArrowRight');
      expect(focusedDate(el)).to.equal('2027-01-01');
      expect(monthLabel(el)).to.equal('January 2027');
      await press(el, 'ArrowLeft');
      expect(focusedDate(el)).to.equal('2026-12-31');
      await press(el, 'ArrowUp');
      expect(focusedDate(el)).to.equal('2026-12-24');
      await press(el, 'ArrowDown');
      await press(el, 'ArrowDown');
      expect(focusedDate(el)).to.equal('2027-01-07');
      expect(el.value).to.equal('2026-12-31/2026-12-31');
    });

    it('goes to the ends of the week with Home and End: Sunday to Saturday in en-US', async () => {
      const el = await inlineRange({ value: '2026-03-04/2026-03-04' });
      await focusGrid(el);
      await press(el, 'Home');
      expect(focusedDate(el)).to.equal('2026-03-01');
      await press(el, 'End');
      expect(focusedDate(el)).to.equal('2026-03-07');
      expect(inner(el, 'th').getAttribute('abbr')).to.equal('Sunday');
    });

    it('starts the week on Monday in de-DE', async () => {
      const el = await render(html`
        <ab-datetime-range label="Aufenthalt" locale="de-DE" presentation="inline" .now=${now}
          value="2026-03-04/2026-03-04"></ab-datetime-range>
      `);
      expect(inner(el, 'th').getAttribute('abbr')).to.equal('Montag');
      expect(monthLabel(el)).to.equal('März 2026');
      await focusGrid(el);
      await press(el, 'Home');
      expect(focusedDate(el)).to.equal('2026-03-02');
      await press(el, 'End');
      expect(focusedDate(el)).to.equal('2026-03-08');
    });

    it('starts the week where the platform says for ar, and mirrors the arrows', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div dir="rtl" lang="ar">
          <ab-datetime-range label="الإقامة" presentation="inline" value="2026-03-04/2026-03-04">
          </ab-datetime-range>
        </div>
      `);
      const el = wrapper.querySelector('ab-datetime-range')!;
      const info = new Intl.Locale('ar') as Intl.Locale & {
        getWeekInfo?: () => { firstDay: number };
        weekInfo?: { firstDay: number };
      };
      const firstDay = (info.getWeekInfo?.() ?? info.weekInfo)?.firstDay ?? 6;
      // Epoch day 3 + weekday is a day with that weekday (day 4 was a Monday).
      const expected = new Intl.DateTimeFormat('ar', { weekday: 'long', timeZone: 'UTC' }).format(
        (3 + firstDay) * 86_400_000,
      );
      expect(inner(el, 'th').getAttribute('abbr')).to.equal(expected);
      await focusGrid(el);
      await press(el, 'ArrowLeft');
      expect(focusedDate(el)).to.equal('2026-03-05');
      await press(el, 'ArrowRight');
      await press(el, 'ArrowRight');
      expect(focusedDate(el)).to.equal('2026-03-03');
      const first = inner(el, 'tbody tr:nth-child(2) td:first-child').getBoundingClientRect();
      const last = inner(el, 'tbody tr:nth-child(2) td:last-child').getBoundingClientRect();
      expect(first.left).to.be.greaterThan(last.left);
    });

    it('moves by month with PageUp/PageDown, keeping a day the month has', async () => {
      const el = await inlineRange({ value: '2024-01-31/2024-01-31' });
      await focusGrid(el);
      await press(el, 'PageDown');
      expect(focusedDate(el)).to.equal('2024-02-29');
      await press(el, 'PageDown');
      expect(focusedDate(el)).to.equal('2024-03-29');
      await press(el, 'PageUp');
      await press(el, 'PageUp');
      await press(el, 'PageUp');
      expect(focusedDate(el)).to.equal('2023-12-29');
      expect(monthLabel(el)).to.equal('December 2023');
    });

    it('moves by year with Shift+PageUp/PageDown, from a leap day to 28 February', async () => {
      const el = await inlineRange({ value: '2024-02-29/2024-02-29' });
      await focusGrid(el);
      await press(el, 'Shift+PageDown');
      expect(focusedDate(el)).to.equal('2025-02-28');
      await press(el, 'Shift+PageUp');
      await press(el, 'Shift+PageUp');
      expect(focusedDate(el)).to.equal('2023-02-28');
    });

    it('stops at the first and last days a value can name', async () => {
      const el = await inlineRange({ value: '0001-01-01/0001-01-01' });
      await focusGrid(el);
      await press(el, 'ArrowLeft');
      await press(el, 'Shift+PageUp');
      expect(focusedDate(el)).to.equal('0001-01-01');
      el.value = '9999-12-31/9999-12-31';
      await el.updateComplete;
      await focusGrid(el);
      await press(el, 'ArrowRight');
      await press(el, 'PageDown');
      expect(focusedDate(el)).to.equal('9999-12-31');
    });

    it('picks the start then the end with Enter and Space, previewing the range', async () => {
      const el = await inlineRange();
      const inputs: string[] = [];
      let changes = 0;
      el.addEventListener('input', () => inputs.push(el.value));
      el.addEventListener('change', () => (changes += 1));
      await focusGrid(el);
      await press(el, 'Enter');
      expect(box(el, 'start').value).to.equal('03/15/2026');
      expect(statusText(el)).to.equal('Choose the last day.');
      expect(cell(el, '2026-03-15').getAttribute('aria-selected')).to.equal('true');
      await press(el, 'ArrowRight');
      await press(el, 'ArrowRight');
      const previewed = all(el, 'td.preview').map((td) => formatIsoDate(Number(td.dataset.day)));
      expect(previewed).to.deep.equal(['2026-03-16', '2026-03-17']);
      expect(changes).to.equal(0);
      await press(el, 'Space');
      expect(el.value).to.equal('2026-03-15/2026-03-17');
      expect(box(el, 'end').value).to.equal('03/17/2026');
      expect(changes).to.equal(1);
      expect(inputs.at(-1)).to.equal('2026-03-15/2026-03-17');
      const selected = all(el, 'td[aria-selected="true"]');
      expect(selected).to.have.length(3);
      expect(all(el, 'td.preview')).to.have.length(0);
      expect(focusedDate(el)).to.equal('2026-03-17');
    });

    it('previews the range under the pointer and picks by click', async () => {
      const el = await inlineRange();
      cell(el, '2026-03-10').click();
      await el.updateComplete;
      const target = cell(el, '2026-03-12').getBoundingClientRect();
      const position: [number, number] = [Math.round(target.x + 5), Math.round(target.y + 5)];
      await sendMouse({ type: 'move', position });
      await el.updateComplete;
      expect(all(el, 'td.preview')).to.have.length(2);
      cell(el, '2026-03-12').click();
      await el.updateComplete;
      expect(el.value).to.equal('2026-03-10/2026-03-12');
    });

    it('refuses an end before the start with a visible message', async () => {
      const el = await inlineRange();
      await focusGrid(el);
      await press(el, 'Enter');
      await press(el, 'ArrowLeft');
      await press(el, 'Enter');
      expect(statusText(el)).to.equal('The end cannot be before the start.');
      expect(inner(el, '[part~="status"]').classList.contains('refused')).to.be.true;
      expect(el.value).to.equal('');
      expect(box(el, 'end').value).to.equal('');
      await press(el, 'ArrowRight');
      expect(statusText(el)).to.equal('Choose the last day.');
      await press(el, 'Enter');
      expect(el.value).to.equal('2026-03-15/2026-03-15');
    });

    it('cancels a begun range with Escape', async () => {
      const el = await inlineRange();
      await focusGrid(el);
      await press(el, 'Enter');
      await press(el, 'Escape');
      expect(statusText(el)).to.equal('Choose the first day.');
      await press(el, 'ArrowLeft');
      await press(el, 'Enter');
      expect(box(el, 'start').value).to.equal('03/14/2026');
    });

    it('turns the month with its buttons and keeps the focus on them', async () => {
      const el = await inlineRange();
      const next = inner(el, '.month-button.next');
      next.focus();
      await press(el, 'Enter');
      expect(monthLabel(el)).to.equal('April 2026');
      expect(el.shadowRoot!.activeElement).to.equal(next);
      inner(el, '.month-button.previous').click();
      inner(el, '.month-button.previous').click();
      await el.updateComplete;
      expect(monthLabel(el)).to.equal('February 2026');
    });

    it('shows a visible focus ring on the focused day', async () => {
      const el = await inlineRange();
      await focusGrid(el);
      await press(el, 'ArrowRight');
      const style = getComputedStyle(cell(el, '2026-03-16'));
      expect(style.outlineStyle).to.equal('solid');
      expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
    });
  });

  describe('with min, max and max-span-days', () => {
    it('marks days outside min and max unavailable and refuses them', async () => {
      const el = await inlineRange({ min: '2026-03-05', max: '2026-03-20' });
      expect(cell(el, '2026-03-04').getAttribute('aria-disabled')).to.equal('true');
      expect(cell(el, '2026-03-05').hasAttribute('aria-disabled')).to.be.false;
      expect(cell(el, '2026-03-20').hasAttribute('aria-disabled')).to.be.false;
      expect(cell(el, '2026-03-21').getAttribute('aria-disabled')).to.equal('true');
      cell(el, '2026-03-21').click();
      await el.updateComplete;
      expect(statusText(el)).to.equal('That day cannot be chosen.');
      expect(box(el, 'start').value).to.equal('');
    });

    it('reports typed dates before min or after max', async () => {
      const el = await render(html`
        <ab-datetime-range label="Stay" min="2026-03-05" max="2026-03-20"></ab-datetime-range>
      `);
      el.value = '2026-03-04/2026-03-10';
      await el.updateComplete;
      expect(el.validity.rangeUnderflow).to.be.true;
      expect(el.validationMessage).to.equal('Choose 03/05/2026 or later.');
      el.value = '2026-03-05/2026-03-21';
      await el.updateComplete;
      expect(el.validity.rangeOverflow).to.be.true;
      expect(el.validationMessage).to.equal('Choose 03/20/2026 or earlier.');
      el.value = '2026-03-05/2026-03-20';
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
    });

    it('accepts max-span-days days and refuses one more', async () => {
      const el = await render(
        html`<ab-datetime-range label="Stay" max-span-days="7"></ab-datetime-range>`,
      );
      el.value = '2026-03-01/2026-03-07';
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
      el.value = '2026-03-01/2026-03-08';
      await el.updateComplete;
      expect(el.validity.rangeOverflow).to.be.true;
      expect(el.validationMessage).to.equal('Choose at most 7 days.');
    });

    it('refuses an end past the span on the calendar', async () => {
      const el = await render(html`
        <ab-datetime-range label="Stay" presentation="inline" max-span-days="3" .now=${now}>
        </ab-datetime-range>
      `);
      cell(el, '2026-03-10').click();
      cell(el, '2026-03-13').click();
      await el.updateComplete;
      expect(statusText(el)).to.equal('Choose at most 3 days.');
      cell(el, '2026-03-12').click();
      await el.updateComplete;
      expect(el.value).to.equal('2026-03-10/2026-03-12');
    });

    it('opens the calendar within min and max when today is outside them', async () => {
      const el = await inlineRange({ min: '2026-06-01', max: '2026-06-30' });
      expect(monthLabel(el)).to.equal('June 2026');
      expect(all(el, 'td[tabindex="0"]')).to.deep.equal([cell(el, '2026-06-01')]);
    });
  });

  describe('presets', () => {
    async function withPresets(extra: TemplateResult | string = '') {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" standard-presets="all"
          time-zone="UTC" .now=${now}>${extra}</ab-datetime-range>
      `);
      return el;
    }

    async function choose(el: AbDatetimeRange, label: string): Promise<string> {
      const button = all(el, '[part~="preset"]').find((b) => b.textContent?.trim() === label);
      if (!button) throw new Error(`no preset ${label}`);
      button.click();
      await el.updateComplete;
      return el.value;
    }

    it('set the built-in ranges from a fixed now', async () => {
      const el = await withPresets();
      const results: Record<string, string> = {};
      for (const label of ['Today', 'Yesterday', 'Last 7 days', 'Last 30 days', 'This month']) {
        results[label] = await choose(el, label);
      }
      results['Last month'] = await choose(el, 'Last month');
      results['This year'] = await choose(el, 'This year');
      expect(results).to.deep.equal({
        Today: '2026-03-15/2026-03-15',
        Yesterday: '2026-03-14/2026-03-14',
        'Last 7 days': '2026-03-09/2026-03-15',
        'Last 30 days': '2026-02-14/2026-03-15',
        'This month': '2026-03-01/2026-03-31',
        'Last month': '2026-02-01/2026-02-28',
        'This year': '2026-01-01/2026-12-31',
      });
    });

    it('fire input and change, and show which preset is in force', async () => {
      const el = await withPresets();
      const events: string[] = [];
      el.addEventListener('input', () => events.push('input'));
      el.addEventListener('change', () => events.push('change'));
      await choose(el, 'Last 7 days');
      expect(events).to.deep.equal(['input', 'change']);
      const pressed = all(el, '[part~="preset"][aria-pressed="true"]');
      expect(pressed.map((b) => b.textContent?.trim())).to.deep.equal(['Last 7 days']);
    });

    it('compute today in the time zone', async () => {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" standard-presets="today"
          time-zone="Pacific/Auckland" .now=${new Date('2026-03-15T12:00:00Z')}>
        </ab-datetime-range>
      `);
      expect(all(el, '[part~="preset"]')).to.have.length(1);
      expect(await choose(el, 'Today')).to.equal('2026-03-16/2026-03-16');
    });

    it('are clipped to min and max, and disabled when nothing is left', async () => {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" standard-presets="all"
          time-zone="UTC" min="2026-03-10" max="2026-03-15" .now=${now}></ab-datetime-range>
      `);
      const disabled = all(el, '[part~="preset"]:disabled').map((b) => b.textContent?.trim());
      expect(disabled).to.deep.equal(['Last month']);
      expect(await choose(el, 'This year')).to.equal('2026-03-10/2026-03-15');
    });

    it('are disabled when longer than max-span-days', async () => {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" standard-presets="all"
          time-zone="UTC" max-span-days="7" .now=${now}></ab-datetime-range>
      `);
      const enabled = all(el, '[part~="preset"]:not(:disabled)').map((b) => b.textContent?.trim());
      expect(enabled).to.deep.equal(['Today', 'Yesterday', 'Last 7 days']);
    });

    it('cover whole days with times', async () => {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" standard-presets="today" with-time
          time-zone="Europe/Berlin" .now=${now}></ab-datetime-range>
      `);
      expect(await choose(el, 'Today')).to.equal('2026-03-15T00:00+01:00/2026-03-15T23:59+01:00');
    });

    it('take a custom list through the presets property, told the element clock', async () => {
      const el = await render(html`
        <ab-datetime-range label="Period" presentation="inline" time-zone="UTC" .now=${now}>
        </ab-datetime-range>
      `);
      const seen: string[] = [];
      const presets: DatetimeRangePreset[] = [
        {
          label: 'Next 3 days',
          range: ({ today }) => {
            seen.push(today);
            return { start: today, end: '2026-03-17' };
          },
        },
        { label: 'Since noon', range: ({ now: clock }) => ({ start: clock, end: clock }) },
        { label: 'Broken', range: () => ({ start: 'soon', end: 'later' }) },
      ];
      el.presets = presets;
      await el.updateComplete;
      expect(seen).to.include('2026-03-15');
      expect(inner<HTMLButtonElement>(el, '[part~="preset"]:last-child').disabled).to.be.true;
      expect(await choose(el, 'Next 3 days')).to.equal('2026-03-15/2026-03-17');
      expect(await choose(el, 'Since noon')).to.equal('2026-03-15/2026-03-15');
    });

    it(`show at most ${datetimeRangePresetsMax} custom presets`, async () => {
      const el = await withPresets();
      const make = (count: number) =>
        Array.from({ length: count }, (_, index) => ({
          label: `Custom ${index + 1}`,
          range: () => ({ start: '2026-03-01', end: '2026-03-02' }),
        }));
      el.presets = make(datetimeRangePresetsMax);
      await el.updateComplete;
      const standard = 7;
      expect(all(el, '[part~="preset"]')).to.have.length(standard + datetimeRangePresetsMax);
      el.presets = make(datetimeRangePresetsMax + 1);
      await el.updateComplete;
      expect(all(el, '[part~="preset"]')).to.have.length(standard + datetimeRangePresetsMax);
    });
  });

  describe('with times', () => {
    function timed(value = '', zone = 'Europe/Berlin') {
      return render(html`
        <ab-datetime-range label="Meeting" with-time time-zone=${zone} value=${value} .now=${now}>
        </ab-datetime-range>
      `);
    }

    it('states the time zone and shows the wall times of the value', async () => {
      const el = await timed('2026-03-01T09:00+01:00/2026-03-01T17:30+01:00');
      expect(textOf(el, '[part~="time-zone"]')).to.match(/^Times are in .*\(Europe\/Berlin\)\.$/);
      expect(timeBox(el, 'start').value).to.equal('09:00');
      expect(timeBox(el, 'end').value).to.equal('17:30');
      expect(accessibleName(timeBox(el, 'start'))).to.equal('Meeting Start Time');
      expect(el.validity.valid).to.be.true;
    });

    it('shows a value with another offset in its own time zone', async () => {
      const el = await timed('2026-03-01T08:00Z/2026-03-01T16:30Z');
      expect(timeBox(el, 'start').value).to.equal('09:00');
      expect(timeBox(el, 'end').value).to.equal('17:30');
      expect(el.start).to.equal('2026-03-01T09:00+01:00');
    });

    it('writes the typed times with the offset of each date across a DST change', async () => {
      const el = await timed();
      await typeInto(el, box(el, 'start'), '3/28/2026');
      await typeInto(el, timeBox(el, 'start'), '1200P');
      await typeInto(el, box(el, 'end'), '3/30/2026');
      await typeInto(el, timeBox(el, 'end'), '1200P');
      expect(el.value).to.equal('2026-03-28T12:00+01:00/2026-03-30T12:00+02:00');
    });

    it('moves a time the clocks skip forward, and says so in the box on leaving', async () => {
      const el = await timed('2026-03-29T01:00/2026-03-29T04:00');
      await typeInto(el, timeBox(el, 'start'), '0230A');
      expect(el.value).to.equal('2026-03-29T03:30+02:00/2026-03-29T04:00+02:00');
      await leave(el);
      expect(timeBox(el, 'start').value).to.equal('03:30');
    });

    it('takes the first of a repeated time when the clocks go back (New York)', async () => {
      const el = await timed('2026-11-01T01:30/2026-11-01T01:30', 'America/New_York');
      expect(el.start).to.equal('2026-11-01T01:30-04:00');
    });

    it('refuses an end time before the start time on the same day', async () => {
      const el = await timed('2026-03-01T17:00+01:00/2026-03-01T09:00+01:00');
      expect(el.validity.rangeUnderflow).to.be.true;
    });

    it('asks for the times when only dates are given', async () => {
      const el = await timed();
      el.required = true;
      el.value = '2026-03-01/2026-03-02';
      await el.updateComplete;
      expect(el.validity.valueMissing).to.be.true;
      expect(el.validationMessage).to.equal('Enter a time for the start and the end.');
      el.required = false;
      await el.updateComplete;
      expect(el.validity.badInput).to.be.true;
    });

    it("uses the browser's time zone when time-zone is unknown", async () => {
      const el = await timed('', 'Mars/Olympus_Mons');
      const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      expect(textOf(el, '[part~="time-zone"]')).to.contain(browserZone);
    });
  });

  describe('as a popup', () => {
    async function popup(value = '') {
      const wrapper = await place<HTMLDivElement>(html`
        <div>
          <ab-datetime-range label="Stay" time-zone="UTC" value=${value} .now=${now}>
          </ab-datetime-range>
          <button id="after">After</button>
        </div>
      `);
      return wrapper.querySelector('ab-datetime-range')!;
    }

    async function openWithKeyboard(el: AbDatetimeRange): Promise<void> {
      inner(el, '[part~="trigger"]').focus();
      await press(el, 'Enter');
    }

    it('opens a modal dialog on the trigger, with focus on today', async () => {
      const el = await popup();
      await openWithKeyboard(el);
      const dialog = inner<HTMLDialogElement>(el, 'dialog');
      expect(el.open).to.be.true;
      expect(dialog.open && dialog.matches(':modal')).to.be.true;
      expect(inner(el, '[part~="trigger"]').getAttribute('aria-expanded')).to.equal('true');
      expect(focusedDate(el)).to.equal('2026-03-15');
      expect(accessibleName(dialog)).to.equal('Stay');
      await expect(el).to.be.accessible();
    });

    it('opens on the start of the range', async () => {
      const el = await popup('2026-05-10/2026-05-12');
      await openWithKeyboard(el);
      expect(focusedDate(el)).to.equal('2026-05-10');
      expect(monthLabel(el)).to.equal('May 2026');
    });

    it('closes on Escape and returns the focus to the trigger', async () => {
      const el = await popup();
      await openWithKeyboard(el);
      await press(el, 'Escape');
      await waitUntil(() => !el.open, 'the popup stayed open');
      expect(inner<HTMLDialogElement>(el, 'dialog').open).to.be.false;
      expect(el.shadowRoot!.activeElement).to.equal(inner(el, '[part~="trigger"]'));
    });

    it('closes once the range is picked, with one change', async () => {
      const el = await popup();
      let changes = 0;
      el.addEventListener('change', () => (changes += 1));
      await openWithKeyboard(el);
      await press(el, 'Enter');
      await press(el, 'ArrowDown');
      await press(el, 'Enter');
      await waitUntil(() => !el.open);
      expect(el.value).to.equal('2026-03-15/2026-03-22');
      expect(changes).to.equal(1);
      expect(el.shadowRoot!.activeElement).to.equal(inner(el, '[part~="trigger"]'));
      await leave(el);
      expect(changes).to.equal(1);
    });

    it('keeps the focus inside while open', async () => {
      const el = await popup();
      await openWithKeyboard(el);
      const dialog = inner(el, 'dialog');
      for (let step = 0; step < 6; step += 1) {
        await press(el, 'Tab');
        const active = el.shadowRoot!.activeElement;
        expect(active && dialog.contains(active), `step ${step}`).to.be.true;
      }
      expect(document.getElementById('after')!.matches(':focus')).to.be.false;
    });

    it('opens with Alt+ArrowDown in a box and continues a begun range', async () => {
      const el = await popup();
      await typeInto(el, box(el, 'start'), '3/10/2026');
      await press(el, 'Alt+ArrowDown');
      expect(el.open).to.be.true;
      expect(focusedDate(el)).to.equal('2026-03-10');
      expect(statusText(el)).to.equal('Choose the last day.');
      await press(el, 'ArrowRight');
      await press(el, 'Enter');
      await waitUntil(() => !el.open);
      expect(el.value).to.equal('2026-03-10/2026-03-11');
    });

    it('closes on a click outside the calendar and with its close button', async () => {
      const el = await popup();
      inner(el, '[part~="trigger"]').click();
      await el.updateComplete;
      await sendMouse({ type: 'click', position: [2, 2] });
      await waitUntil(() => !el.open, 'a click outside left it open');
      inner(el, '[part~="trigger"]').click();
      await el.updateComplete;
      inner(el, '[part~="close"]').click();
      await waitUntil(() => !el.open, 'the close button left it open');
    });

    it('opens and closes through the open property', async () => {
      const el = await popup();
      el.open = true;
      await el.updateComplete;
      expect(inner<HTMLDialogElement>(el, 'dialog').open).to.be.true;
      el.open = false;
      await el.updateComplete;
      expect(inner<HTMLDialogElement>(el, 'dialog').open).to.be.false;
    });
  });

  describe('when disabled or read-only', () => {
    it('disables the boxes, the trigger, the presets and the calendar', async () => {
      const el = await render(html`
        <ab-datetime-range label="Stay" presentation="inline" standard-presets="today" disabled
          value="2026-03-01/2026-03-02" .now=${now}></ab-datetime-range>
      `);
      expect(box(el, 'start').disabled && box(el, 'end').disabled).to.be.true;
      expect(inner<HTMLButtonElement>(el, '[part~="preset"]').disabled).to.be.true;
      expect(all(el, 'td[tabindex]')).to.have.length(0);
      expect(inner(el, '[role="grid"]').getAttribute('aria-disabled')).to.equal('true');
      cell(el, '2026-03-10').click();
      await el.updateComplete;
      expect(el.value).to.equal('2026-03-01/2026-03-02');
      const popupEl = await render(
        html`<ab-datetime-range label="Stay" disabled></ab-datetime-range>`,
      );
      expect(inner<HTMLButtonElement>(popupEl, '[part~="trigger"]').disabled).to.be.true;
    });

    it('shows but keeps the range when read-only', async () => {
      const el = await render(html`
        <ab-datetime-range label="Stay" presentation="inline" readonly
          value="2026-03-01/2026-03-02" .now=${now}></ab-datetime-range>
      `);
      await typeInto(el, box(el, 'start'), '9');
      expect(el.value).to.equal('2026-03-01/2026-03-02');
      await focusGrid(el);
      await press(el, 'ArrowRight');
      expect(focusedDate(el)).to.equal('2026-03-02');
      await press(el, 'Enter');
      expect(el.value).to.equal('2026-03-01/2026-03-02');
      expect(inner(el, '[role="grid"]').getAttribute('aria-readonly')).to.equal('true');
    });
  });

  describe('its strings', () => {
    it('can be translated', async () => {
      const el = await render(html`
        <ab-datetime-range label="Reise" locale="de-DE" presentation="inline" .now=${now}
          .strings=${{ start: 'Beginn', end: 'Ende', chooseStart: 'Ersten Tag wählen.' }}>
        </ab-datetime-range>
      `);
      expect(accessibleName(box(el, 'start'))).to.equal('Reise Beginn');
      expect(accessibleName(box(el, 'end'))).to.equal('Reise Ende');
      expect(statusText(el)).to.equal('Ersten Tag wählen.');
      expect(inner(el, 'td[data-day]').getAttribute('aria-label')).to.equal(
        'Sonntag, 1. März 2026',
      );
    });
  });
});
