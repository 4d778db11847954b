import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../../components/ui/color-picker.ts';
import {
  colorPickerStrings,
  swatchesMax,
  type AbColorPicker,
} from '../../../components/ui/color-picker.ts';
import { accessibleName } from '../support/accessibility-tree.ts';
import { runFormControlSuite } from '../support/form-control-suite.ts';
import { place } from '../support/place.ts';

function picker(template: ReturnType<typeof html>): Promise<AbColorPicker> {
  return fixture<AbColorPicker>(template);
}

function part<T extends HTMLElement = HTMLElement>(el: AbColorPicker, name: string): T | null {
  return el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
}

function parts(el: AbColorPicker, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

function textInput(el: AbColorPicker): HTMLInputElement {
  return part<HTMLInputElement>(el, 'input')!;
}

function errorText(el: AbColorPicker): string {
  return part(el, 'error')!.textContent!.trim();
}

function visible(element: Element | null): boolean {
  return element !== null && (element as HTMLElement).checkVisibility();
}

/** The slider's current value, as assistive technology reads it. */
function now(slider: HTMLElement | null): number {
  return Number(slider!.getAttribute('aria-valuenow'));
}

/** Types `text` into the empty text field and leaves it with Tab, as a user does. */
async function typeAndLeave(el: AbColorPicker, text: string): Promise<void> {
  textInput(el).focus();
  textInput(el).select();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Tab' });
  await el.updateComplete;
  await el.updateComplete;
}

/** Presses `key` with the slider focused and waits for the picker to render it. */
async function press(el: AbColorPicker, slider: HTMLElement, key: string): Promise<void> {
  slider.focus();
  const shifted = key.startsWith('Shift+');
  if (shifted) await sendKeys({ down: 'Shift' });
  await sendKeys({ press: key.replace('Shift+', '') });
  if (shifted) await sendKeys({ up: 'Shift' });
  await el.updateComplete;
}

/** Page coordinates of a point inside `element`, as fractions of its box from its top-left. */
function pointIn(element: Element, x: number, y: number): [number, number] {
  const box = element.getBoundingClientRect();
  return [Math.round(box.left + box.width * x), Math.round(box.top + box.height * y)];
}

/** A primary-button `pointerdown` at a point of `element`, for input the picker must ignore. */
function pointerDown(element: Element, x: number, y: number): PointerEvent {
  const [clientX, clientY] = pointIn(element, x, y);
  return new PointerEvent('pointerdown', { clientX, clientY, button: 0, bubbles: true });
}

/** Counts the `input` and `change` events the picker fires from now on. */
function countEvents(el: AbColorPicker): { input: number; change: number } {
  const counts = { input: 0, change: 0 };
  el.addEventListener('input', () => (counts.input += 1));
  el.addEventListener('change', () => (counts.change += 1));
  return counts;
}

describe('ab-color-picker', () => {
  afterEach(() => resetMouse());

  it('passes the axe accessibility audit', async () => {
    const el = await picker(html`
      <ab-color-picker label="Brand colour" help-text="Used for buttons" required>
      </ab-color-picker>
    `);
    await expect(el).to.be.accessible();
  });

  it('passes the axe audit with every part of the panel shown', async () => {
    const el = await picker(html`
      <ab-color-picker
        label="Brand colour"
        inline
        alpha
        value="#336699"
        palette="basic"
        contrast-with="#ffffff"
      ></ab-color-picker>
    `);
    el.eyeDropper = async () => '#000000';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('starts empty, in hex, as a popup with no alpha, swatches or contrast hint', async () => {
    const el = await picker(html`<ab-color-picker label="Colour"></ab-color-picker>`);
    expect(el.value).to.equal('');
    expect(el.format).to.equal('hex');
    expect(el.alpha).to.be.false;
    expect(el.inline).to.be.false;
    expect(el.swatches).to.equal('');
    expect(el.palette).to.equal('');
    expect(el.contrastWith).to.equal('');
    expect(el.validity.valid).to.be.true;
    expect(visible(part(el, 'trigger'))).to.be.true;
    expect(visible(part(el, 'panel'))).to.be.false;
    expect(part(el, 'contrast')).to.equal(null);
    expect(textInput(el).value).to.equal('');
  });

  runFormControlSuite({
    tagName: 'ab-color-picker',
    role: 'textbox',
    module: '/components/ui/color-picker.ts',
    validValue: '#336699',
    render: ({ name, label, value, required }) => html`
      <ab-color-picker name=${name} label=${label} value=${ifDefined(value)} ?required=${required}>
      </ab-color-picker>
    `,
  });

  describe('when the user types a colour', () => {
    const accepted: Array<[string, string]> = [
      ['#369', '#336699'],
      ['#336699', '#336699'],
      ['#ABCDEF', '#abcdef'],
      ['rgb(51, 102, 153)', '#336699'],
      ['rgba(51, 102, 153, 1)', '#336699'],
      ['rgb(51 102 153)', '#336699'],
      ['hsl(210, 50%, 40%)', '#336699'],
      ['hsla(210, 50%, 40%, 1)', '#336699'],
    ];
    for (const [typed, value] of accepted) {
      it(`accepts ${typed} and shows it as ${value}`, async () => {
        const el = await picker(html`<ab-color-picker label="Colour"></ab-color-picker>`);
        await typeAndLeave(el, typed);
        expect(el.value).to.equal(value);
        expect(textInput(el).value).to.equal(value);
        expect(errorText(el)).to.equal('');
        expect(el.validity.valid).to.be.true;
      });
    }

    it('updates the value and the panel while typing, before leaving', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      const counts = countEvents(el);
      textInput(el).focus();
      await sendKeys({ type: 'hsl(120, 100%, 50%)' });
      await el.updateComplete;
      expect(el.value).to.equal('#00ff00');
      expect(textInput(el).value).to.equal('hsl(120, 100%, 50%)');
      expect(now(part(el, 'hue'))).to.equal(120);
      expect(counts.input).to.be.greaterThan(0);
      expect(counts.change).to.equal(0);
    });

    it('keeps the transparency with alpha, in #rrggbbaa', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" alpha></ab-color-picker>`);
      await typeAndLeave(el, 'rgba(51, 102, 153, 0.5)');
      expect(el.value).to.equal('#33669980');
    });

    it('drops the transparency without alpha', async () => {
      const el = await picker(html`<ab-color-picker label="Colour"></ab-color-picker>`);
      await typeAndLeave(el, '#33669980');
      expect(el.value).to.equal('#336699');
    });

    for (const typed of ['blue', '#12345', 'rgb(1, 2)', 'hwb(10 20% 30%)', 'hsl(50%, 1%, 2%)']) {
      it(`refuses "${typed}" with a visible message and blocks submit`, async () => {
        const form = await place<HTMLFormElement>(html`
          <form><ab-color-picker name="c" label="Colour" value="#336699"></ab-color-picker></form>
        `);
        const el = form.querySelector('ab-color-picker')!;
        const counts = countEvents(el);
        await typeAndLeave(el, typed);
        await waitUntil(() => errorText(el) !== '', 'no message for the refused text');
        expect(errorText(el)).to.equal(colorPickerStrings.invalidText);
        expect(visible(part(el, 'error'))).to.be.true;
        expect(textInput(el).value).to.equal(typed);
        expect(textInput(el).getAttribute('aria-invalid')).to.equal('true');
        expect(textInput(el).getAttribute('aria-describedby')).to.equal('error');
        expect(el.validity.badInput).to.be.true;
        expect(el.value).to.equal('#336699');
        expect(form.checkValidity()).to.be.false;
        expect(counts.change).to.equal(0);
      });
    }

    it('drops the message once the text is corrected', async () => {
      const el = await picker(html`<ab-color-picker label="Colour"></ab-color-picker>`);
      await typeAndLeave(el, 'tomato');
      await waitUntil(() => errorText(el) !== '');
      await typeAndLeave(el, '#ff6347');
      await waitUntil(() => errorText(el) === '', 'the message stayed');
      expect(el.value).to.equal('#ff6347');
      expect(el.validity.valid).to.be.true;
    });

    it('clears the value when the text is emptied', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" value="#336699" required></ab-color-picker>
      `);
      const changed = oneEvent(el, 'change');
      textInput(el).focus();
      textInput(el).select();
      await sendKeys({ press: 'Backspace' });
      await sendKeys({ press: 'Tab' });
      await changed;
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(el.validity.valueMissing).to.be.true;
      expect(part(el, 'preview')!.classList.contains('empty')).to.be.true;
    });

    it('submits the form on Enter', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-color-picker name="c" label="Colour"></ab-color-picker><button>Go</button></form>
      `);
      form.addEventListener('submit', (event) => event.preventDefault());
      const submitted = oneEvent(form, 'submit');
      const el = form.querySelector('ab-color-picker')!;
      textInput(el).focus();
      await sendKeys({ type: '#abc' });
      await sendKeys({ press: 'Enter' });
      await submitted;
      expect(new FormData(form).get('c')).to.equal('#aabbcc');
    });
  });

  describe('its format', () => {
    it('decides the notation of the form value', async () => {
      const form = await place<HTMLFormElement>(html`
        <form>
          <ab-color-picker name="a" label="A" value="#336699" format="rgb"></ab-color-picker>
          <ab-color-picker name="b" label="B" value="rgb(51 102 153)" format="hsl">
          </ab-color-picker>
          <ab-color-picker name="c" label="C" value="hsl(210 50% 40% / 0.5)" alpha>
          </ab-color-picker>
          <ab-color-picker name="d" label="D" value="not a colour"></ab-color-picker>
        </form>
      `);
      const data = new FormData(form);
      expect(data.get('a')).to.equal('rgb(51, 102, 153)');
      expect(data.get('b')).to.equal('hsl(210, 50%, 40%)');
      expect(data.get('c')).to.equal('#33669980');
      expect(data.get('d')).to.equal('not a colour');
      const shown = [...form.querySelectorAll('ab-color-picker')].map((el) => textInput(el).value);
      expect(shown).to.deep.equal([
        'rgb(51, 102, 153)',
        'hsl(210, 50%, 40%)',
        '#33669980',
        'not a colour',
      ]);
    });

    it('writes the colours the user picks', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline format="hsl" value="#ff0000"></ab-color-picker>
      `);
      await press(el, part(el, 'hue')!, 'End');
      await press(el, part(el, 'area')!, 'PageDown');
      expect(el.value).to.equal('hsl(0, 100%, 45.1%)');
      el.format = 'rgb';
      await press(el, part(el, 'area')!, 'PageUp');
      expect(el.value).to.equal('rgb(255, 0, 0)');
    });
  });

  describe('the saturation and brightness area', () => {
    async function inlinePicker(value = 'hsl(210, 50%, 50%)') {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline value=${value}></ab-color-picker>
      `);
      return { el, area: part(el, 'area')! };
    }

    it('is a 2D slider named and described in words', async () => {
      const { el, area } = await inlinePicker('#336699');
      expect(area.getAttribute('role')).to.equal('slider');
      expect(area.getAttribute('aria-roledescription')).to.equal('2D slider');
      expect(accessibleName(area)).to.equal('Saturation and brightness');
      expect(area.getAttribute('aria-valuemin')).to.equal('0');
      expect(area.getAttribute('aria-valuemax')).to.equal('100');
      expect(now(area)).to.equal(67);
      expect(area.getAttribute('aria-valuetext')).to.equal(
        'blue, saturation 67%, brightness 60%',
      );
      el.value = '#000080';
      await el.updateComplete;
      expect(area.getAttribute('aria-valuetext')).to.equal(
        'dark blue, saturation 100%, brightness 50%',
      );
    });

    it('moves by 1 with the arrows and by 10 with Shift', async () => {
      const { el, area } = await inlinePicker('hsl(0, 0%, 50%)');
      // hsl(0, 0%, 50%) is saturation 0, brightness 50 (rounded from 50.2).
      await press(el, area, 'ArrowRight');
      expect(now(area)).to.equal(1);
      await press(el, area, 'Shift+ArrowRight');
      expect(now(area)).to.equal(11);
      await press(el, area, 'ArrowLeft');
      expect(now(area)).to.equal(10);
      await press(el, area, 'ArrowUp');
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness 51%$/);
      await press(el, area, 'Shift+ArrowDown');
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness 41%$/);
    });

    it('moves brightness by 10 with PageUp/Down, saturation to 0 or 100 by Home/End', async () => {
      const { el, area } = await inlinePicker('hsl(0, 100%, 25%)');
      await press(el, area, 'PageUp');
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness 60%$/);
      await press(el, area, 'PageDown');
      await press(el, area, 'PageDown');
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness 40%$/);
      await press(el, area, 'Home');
      expect(now(area)).to.equal(0);
      await press(el, area, 'End');
      expect(now(area)).to.equal(100);
      expect(el.value).to.equal('#660000');
    });

    it('stops at the edges', async () => {
      const { el, area } = await inlinePicker('#ffffff');
      await press(el, area, 'ArrowLeft');
      await press(el, area, 'Shift+ArrowUp');
      expect(now(area)).to.equal(0);
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness 100%$/);
      expect(el.value).to.equal('#ffffff');
    });

    it('fires input and change for each key that moves the colour', async () => {
      const { el, area } = await inlinePicker('#808080');
      const counts = countEvents(el);
      await press(el, area, 'ArrowRight');
      await press(el, area, 'ArrowRight');
      expect(counts).to.deep.equal({ input: 2, change: 2 });
      await press(el, area, 'Home');
      await press(el, area, 'Home');
      expect(counts).to.deep.equal({ input: 3, change: 3 });
    });

    it('keeps the hue of a grey and the saturation of black', async () => {
      const { el, area } = await inlinePicker('hsl(120, 100%, 50%)');
      await press(el, area, 'Home');
      expect(el.value).to.equal('#ffffff');
      expect(now(part(el, 'hue'))).to.equal(120);
      await press(el, area, 'End');
      expect(el.value).to.equal('#00ff00');
      el.value = '#000000';
      await el.updateComplete;
      expect(now(area)).to.equal(100);
      expect(now(part(el, 'hue'))).to.equal(120);
    });

    it('follows a pointer drag, past its edges too, and commits on release', async function () {
      // With two test pages open, the one in the background gets no frames, and Chromium holds
      // each pressed-button move and release for a ~5 s fallback; so this drag moves only once.
      this.timeout(30_000);
      const { el, area } = await inlinePicker('#808080');
      const counts = countEvents(el);
      await sendMouse({ type: 'move', position: pointIn(area, 0.25, 0.25) });
      await sendMouse({ type: 'down' });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(area);
      expect(now(area)).to.be.closeTo(25, 1);
      expect(area.getAttribute('aria-valuetext')).to.match(/brightness (74|75|76)%$/);
      // Pointer capture: the drag goes on outside the area, clamped to its edge.
      const [right, below] = pointIn(area, 1, 1);
      await sendMouse({ type: 'move', position: [right + 40, below + 40] });
      await el.updateComplete;
      expect(counts.change).to.equal(0);
      await sendMouse({ type: 'up' });
      await el.updateComplete;
      expect(now(area)).to.equal(100);
      expect(el.value).to.equal('#000000');
      expect(counts.input).to.equal(2);
      expect(counts.change).to.equal(1);
    });
  });

  describe('the hue slider', () => {
    it('is a slider from 0 to 360 degrees, moved with the keys', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline value="#ff0000"></ab-color-picker>
      `);
      const hue = part(el, 'hue')!;
      expect(accessibleName(hue)).to.equal('Hue');
      expect(hue.getAttribute('aria-valuemax')).to.equal('360');
      expect(hue.getAttribute('aria-valuetext')).to.equal('0°, red');
      await press(el, hue, 'ArrowRight');
      await press(el, hue, 'ArrowUp');
      expect(now(hue)).to.equal(2);
      await press(el, hue, 'Shift+ArrowRight');
      await press(el, hue, 'PageUp');
      expect(now(hue)).to.equal(22);
      await press(el, hue, 'ArrowDown');
      await press(el, hue, 'PageDown');
      expect(now(hue)).to.equal(11);
      await press(el, hue, 'End');
      expect(now(hue)).to.equal(360);
      await press(el, hue, 'Home');
      expect(hue.getAttribute('aria-valuetext')).to.equal('0°, red');
      await press(el, hue, 'Shift+ArrowLeft');
      expect(now(hue)).to.equal(0);
    });

    it('sets the hue where it is clicked and dragged', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline value="#ff0000"></ab-color-picker>
      `);
      const hue = part(el, 'hue')!;
      const changed = oneEvent(el, 'change');
      await sendMouse({ type: 'click', position: pointIn(hue, 2 / 3, 0.5) });
      await changed;
      expect(now(hue)).to.be.closeTo(240, 2);
      expect(hue.getAttribute('aria-valuetext')).to.match(/, blue$/);
      expect(el.value).to.match(/^#[0-9a-f]{2}00ff$/);
    });
  });

  describe('with alpha', () => {
    it('offers an opacity slider that writes #rrggbbaa', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline alpha value="#336699"></ab-color-picker>
      `);
      const alpha = part(el, 'alpha')!;
      expect(accessibleName(alpha)).to.equal('Opacity');
      expect(now(alpha)).to.equal(100);
      expect(alpha.getAttribute('aria-valuetext')).to.equal('100% opaque');
      await press(el, alpha, 'PageDown');
      expect(el.value).to.equal('#336699e6');
      await press(el, alpha, 'Home');
      expect(el.value).to.equal('#33669900');
      await press(el, alpha, 'Shift+ArrowRight');
      expect(alpha.getAttribute('aria-valuetext')).to.equal('10% opaque');
      await press(el, alpha, 'End');
      expect(el.value).to.equal('#336699');
    });

    it('has no opacity slider without it', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      expect(part(el, 'alpha')).to.equal(null);
    });
  });

  describe('swatches', () => {
    it('come from a ;-separated list, each a named button that picks its colour', async () => {
      const el = await picker(html`
        <ab-color-picker
          label="Colour"
          inline
          swatches="#000080; rgb(255, 0, 0) ;not-a-colour;hsl(120, 100%, 50%)"
        ></ab-color-picker>
      `);
      const swatches = parts(el, 'swatch') as HTMLButtonElement[];
      expect(swatches.map((swatch) => accessibleName(swatch))).to.deep.equal([
        'dark blue, #000080',
        'red, rgb(255, 0, 0)',
        'green, hsl(120, 100%, 50%)',
      ]);
      expect(accessibleName(part(el, 'swatches')!)).to.equal('Swatches');
      const changed = oneEvent(el, 'change');
      swatches[1]!.click();
      await changed;
      expect(el.value).to.equal('#ff0000');
      expect(now(part(el, 'hue'))).to.equal(0);
    });

    it('come from a named palette, before the listed ones', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline palette="basic" swatches="#123456">
        </ab-color-picker>
      `);
      const swatches = parts(el, 'swatch');
      expect(swatches).to.have.length(17);
      expect(accessibleName(swatches[0]!)).to.equal('black, #000000');
      expect(accessibleName(swatches[16]!)).to.equal('dark blue, #123456');
    });

    it(`show at most ${swatchesMax}`, async () => {
      const list = (count: number) =>
        Array.from({ length: count }, (_, i) => `rgb(${i}, 0, 0)`).join(';');
      const el = await picker(html`
        <ab-color-picker label="Colour" inline swatches=${list(swatchesMax)}></ab-color-picker>
      `);
      expect(parts(el, 'swatch')).to.have.length(swatchesMax);
      el.swatches = list(swatchesMax + 1);
      await el.updateComplete;
      expect(parts(el, 'swatch')).to.have.length(swatchesMax);
      expect(accessibleName(parts(el, 'swatch').at(-1)!)).to.match(/rgb\(47, 0, 0\)$/);
    });

    it('are one Tab stop, with arrows, Home and End moving between them', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline palette="pastel"></ab-color-picker>
      `);
      const swatches = parts(el, 'swatch');
      swatches[0]!.focus();
      await sendKeys({ press: 'ArrowRight' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[1]);
      await sendKeys({ press: 'End' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[7]);
      await sendKeys({ press: 'ArrowRight' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[7]);
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[6]);
      await sendKeys({ press: 'Home' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[0]);
      await sendKeys({ press: 'ArrowDown' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[0]);
      expect(swatches.filter((swatch) => swatch.tabIndex === 0)).to.deep.equal([swatches[0]]);
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.value).to.equal('#ffadad');
    });

    it('are absent without a list or palette', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      expect(part(el, 'swatches')).to.equal(null);
    });
  });

  describe('the eye dropper', () => {
    it('shows where the browser has the EyeDropper API', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      expect(visible(part(el, 'eye-dropper'))).to.equal('EyeDropper' in window);
    });

    it('is hidden when there is no picker', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      el.eyeDropper = null;
      await el.updateComplete;
      expect(part(el, 'eye-dropper')).to.equal(null);
    });

    it('picks the colour the screen picker returns', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" inline></ab-color-picker>`);
      el.eyeDropper = async () => '#1e90ff';
      await el.updateComplete;
      const button = part<HTMLButtonElement>(el, 'eye-dropper')!;
      expect(accessibleName(button)).to.equal('Pick a colour from the screen');
      const changed = oneEvent(el, 'change');
      button.click();
      await changed;
      expect(el.value).to.equal('#1e90ff');
    });

    it('leaves the colour alone when the user cancels', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline value="#336699"></ab-color-picker>
      `);
      let calls = 0;
      el.eyeDropper = () => {
        calls += 1;
        return Promise.reject(new DOMException('The user canceled the selection.', 'AbortError'));
      };
      await el.updateComplete;
      const counts = countEvents(el);
      part<HTMLButtonElement>(el, 'eye-dropper')!.click();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(calls).to.equal(1);
      expect(el.value).to.equal('#336699');
      expect(counts).to.deep.equal({ input: 0, change: 0 });
    });
  });

  describe('the contrast hint', () => {
    async function contrast(value: string, reference: string) {
      const el = await picker(html`
        <ab-color-picker label="Text colour" value=${value} contrast-with=${reference}>
        </ab-color-picker>
      `);
      return { el, hint: part(el, 'contrast') };
    }

    function checks(hint: HTMLElement): string[] {
      const items = [...hint.querySelectorAll('li')];
      return items.map((item) => item.textContent!.replace(/\s+/g, ' ').trim());
    }

    it('shows the WCAG ratio: #777 on white is 4.48 and fails AA for normal text', async () => {
      const { el, hint } = await contrast('#777777', '#fff');
      expect(visible(hint)).to.be.true;
      expect(hint!.textContent).to.include('Contrast 4.48:1 against #fff');
      expect(checks(hint!)).to.deep.equal([
        '✗ AA normal text: fail',
        '✓ AA large text: pass',
        '✗ AAA normal text: fail',
        '✗ AAA large text: fail',
      ]);
      expect(textInput(el).getAttribute('aria-describedby')).to.equal('contrast');
      await expect(el).to.be.accessible();
    });

    it('passes AA at #767676 and everything at black', async () => {
      const { el, hint } = await contrast('#767676', '#ffffff');
      expect(hint!.textContent).to.include('4.54:1');
      expect(checks(hint!)[0]).to.equal('✓ AA normal text: pass');
      el.value = '#000';
      await el.updateComplete;
      expect(part(el, 'contrast')!.textContent).to.include('21:1');
      expect(checks(part(el, 'contrast')!).every((check) => check.startsWith('✓'))).to.be.true;
    });

    it('follows the colour while the user moves it', async () => {
      const { el } = await contrast('#ffffff', '#ffffff');
      el.inline = true;
      await el.updateComplete;
      expect(part(el, 'contrast')!.textContent).to.include('1:1');
      await press(el, part(el, 'area')!, 'End');
      await press(el, part(el, 'area')!, 'Shift+ArrowDown');
      expect(el.value).to.equal('#e60000');
      expect(part(el, 'contrast')!.textContent).to.include('4.81:1');
    });

    it('is absent without a colour or with a reference that is not one', async () => {
      expect((await contrast('', '#fff')).hint).to.equal(null);
      expect((await contrast('#777', 'white')).hint).to.equal(null);
    });

    it('formats the ratio for the page language', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div lang="de">
          <ab-color-picker label="Farbe" value="#777" contrast-with="#fff"></ab-color-picker>
        </div>
      `);
      const el = wrapper.querySelector('ab-color-picker')!;
      expect(part(el, 'contrast')!.textContent).to.include('4,48:1');
    });
  });

  describe('as a popup', () => {
    it('opens from its button, moves focus to the area, and closes on Escape', async () => {
      const el = await picker(html`
        <ab-color-picker label="Brand colour" value="#336699"></ab-color-picker>
      `);
      const trigger = part<HTMLButtonElement>(el, 'trigger')!;
      expect(accessibleName(trigger)).to.equal('Open colour picker for Brand colour');
      expect(trigger.getAttribute('aria-expanded')).to.equal('false');
      trigger.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'area'), 'no focus');
      const panel = part(el, 'panel')!;
      expect(panel.matches(':popover-open')).to.be.true;
      expect(panel.getAttribute('role')).to.equal('dialog');
      expect(accessibleName(panel)).to.equal('Brand colour');
      expect(trigger.getAttribute('aria-expanded')).to.equal('true');
      await expect(el).to.be.accessible();

      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.value).to.not.equal('#336699');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !panel.matches(':popover-open'), 'the popup stayed open');
      await waitUntil(() => el.shadowRoot!.activeElement === trigger, 'focus did not return');
      await el.updateComplete;
      expect(trigger.getAttribute('aria-expanded')).to.equal('false');
    });

    it('sits under the field and closes from its button', async () => {
      const wrapper = await place<HTMLDivElement>(html`
        <div style="padding: 2rem">
          <ab-color-picker label="Colour"></ab-color-picker>
        </div>
      `);
      const el = wrapper.querySelector('ab-color-picker')!;
      part(el, 'trigger')!.click();
      const panel = part(el, 'panel')!;
      await waitUntil(() => panel.matches(':popover-open'));
      await el.updateComplete;
      const field = part(el, 'field')!.getBoundingClientRect();
      const box = panel.getBoundingClientRect();
      expect(box.top).to.be.closeTo(field.bottom + 4, 2);
      expect(box.left).to.be.closeTo(field.left, 1);
      part(el, 'trigger')!.click();
      await waitUntil(() => !panel.matches(':popover-open'), 'the popup stayed open');
    });

    it('does not render the panel until it opens', async () => {
      const el = await picker(html`<ab-color-picker label="Colour"></ab-color-picker>`);
      expect(part(el, 'area')).to.equal(null);
    });
  });

  describe('inline', () => {
    it('shows the panel under the field, with no button, in the Tab order', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline palette="greys"></ab-color-picker>
      `);
      el.eyeDropper = async () => '#000000';
      await el.updateComplete;
      expect(part(el, 'trigger')).to.equal(null);
      const panel = part(el, 'panel')!;
      expect(visible(panel)).to.be.true;
      expect(panel.getAttribute('role')).to.equal('group');
      expect(accessibleName(panel)).to.equal('Colour');
      el.focus();
      const order: Array<string | null> = [];
      for (let i = 0; i < 4; i++) {
        order.push(el.shadowRoot!.activeElement!.getAttribute('part'));
        await sendKeys({ press: 'Tab' });
      }
      expect(order).to.deep.equal(['input', 'area', 'hue', 'eye-dropper']);
      expect(el.shadowRoot!.activeElement!.getAttribute('part')).to.equal('swatch');
    });

    it('names the panel with the strings when there is no label', async () => {
      const el = await picker(html`<ab-color-picker inline></ab-color-picker>`);
      expect(accessibleName(part(el, 'panel')!)).to.equal('Colour picker');
    });
  });

  describe('when disabled', () => {
    it('takes no input from the text, keys, pointer or buttons', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline disabled value="#336699" palette="basic">
        </ab-color-picker>
      `);
      el.eyeDropper = async () => '#000000';
      await el.updateComplete;
      const area = part(el, 'area')!;
      expect(textInput(el).disabled).to.be.true;
      expect(area.tabIndex).to.equal(-1);
      expect(area.getAttribute('aria-disabled')).to.equal('true');
      expect((part(el, 'swatch') as HTMLButtonElement).disabled).to.be.true;
      expect((part(el, 'eye-dropper') as HTMLButtonElement).disabled).to.be.true;
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
      area.dispatchEvent(pointerDown(area, 0.9, 0.9));
      await el.updateComplete;
      expect(el.value).to.equal('#336699');
    });

    it('disables the popup button', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" disabled></ab-color-picker>`);
      expect((part(el, 'trigger') as HTMLButtonElement).disabled).to.be.true;
    });
  });

  describe('when read-only', () => {
    it('can be inspected but not changed', async () => {
      const el = await picker(html`
        <ab-color-picker label="Colour" inline readonly value="#336699" palette="basic">
        </ab-color-picker>
      `);
      const area = part(el, 'area')!;
      expect(textInput(el).readOnly).to.be.true;
      expect(area.getAttribute('aria-readonly')).to.equal('true');
      expect(area.tabIndex).to.equal(0);
      await press(el, area, 'ArrowRight');
      area.dispatchEvent(pointerDown(area, 0.9, 0.9));
      await el.updateComplete;
      expect((part(el, 'swatch') as HTMLButtonElement).disabled).to.be.true;
      expect(el.value).to.equal('#336699');
      await typeAndLeave(el, '#000');
      expect(el.value).to.equal('#336699');
    });

    it('still opens its popup', async () => {
      const el = await picker(html`<ab-color-picker label="Colour" readonly></ab-color-picker>`);
      expect((part(el, 'trigger') as HTMLButtonElement).disabled).to.be.false;
    });
  });

  describe('in a right-to-left page', () => {
    async function rtlPicker(value: string) {
      const wrapper = await place<HTMLDivElement>(html`
        <div dir="rtl">
          <ab-color-picker label="لون" inline palette="pastel" value=${value}></ab-color-picker>
        </div>
      `);
      return wrapper.querySelector('ab-color-picker')!;
    }

    it('runs saturation and hue from right to left, for the pointer and the arrows', async () => {
      const el = await rtlPicker('#808080');
      const area = part(el, 'area')!;
      await press(el, area, 'ArrowLeft');
      expect(now(area)).to.equal(1);
      await press(el, area, 'ArrowRight');
      expect(now(area)).to.equal(0);
      await sendMouse({ type: 'click', position: pointIn(area, 0.1, 0.5) });
      await el.updateComplete;
      expect(now(area)).to.be.closeTo(90, 1);
      const thumb = area.querySelector('.thumb')!.getBoundingClientRect();
      expect(thumb.left + thumb.width / 2).to.be.closeTo(pointIn(area, 0.1, 0.5)[0], 2);
      const hue = part(el, 'hue')!;
      await press(el, hue, 'ArrowLeft');
      expect(now(hue)).to.equal(1);
    });

    it('lays the field out from the right and flips the arrows between swatches', async () => {
      const el = await rtlPicker('#336699');
      const field = part(el, 'field')!.getBoundingClientRect();
      const preview = part(el, 'preview')!.getBoundingClientRect();
      expect(preview.right).to.be.closeTo(field.right, 20);
      const swatches = parts(el, 'swatch');
      swatches[0]!.focus();
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.shadowRoot!.activeElement).to.equal(swatches[1]);
      await expect(el).to.be.accessible();
    });
  });

  describe('its strings', () => {
    it('can be translated per instance', async () => {
      const el = await picker(html`
        <ab-color-picker
          label="Farbe"
          inline
          value="#336699"
          .strings=${{
            area: 'Sättigung und Helligkeit',
            invalidText: 'Keine Farbe.',
            colorName: () => 'Blau',
          }}
        ></ab-color-picker>
      `);
      expect(accessibleName(part(el, 'area')!)).to.equal('Sättigung und Helligkeit');
      expect(part(el, 'area')!.getAttribute('aria-valuetext')).to.match(/^Blau, /);
      await typeAndLeave(el, 'blau');
      await waitUntil(() => errorText(el) === 'Keine Farbe.');
    });
  });

  describe('when the page sets the value', () => {
    it('shows it, and a later reset goes back to the attribute', async () => {
      const form = await place<HTMLFormElement>(html`
        <form><ab-color-picker name="c" label="C" inline value="#ff0000"></ab-color-picker></form>
      `);
      const el = form.querySelector('ab-color-picker')!;
      await typeAndLeave(el, 'nope');
      await waitUntil(() => errorText(el) !== '');
      el.value = 'hsl(240, 100%, 50%)';
      await el.updateComplete;
      expect(textInput(el).value).to.equal('#0000ff');
      expect(now(part(el, 'hue'))).to.equal(240);
      expect(el.validity.valid).to.be.true;
      form.reset();
      await el.updateComplete;
      expect(el.value).to.equal('#ff0000');
      expect(now(part(el, 'hue'))).to.equal(0);
    });
  });
});
