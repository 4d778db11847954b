/**
 * @packageDocumentation
 * `<ab-color-picker>`: a form-associated colour picker: a text field that reads hex, `rgb()` and
 * `hsl()`, and a panel with a saturation/brightness area, a hue slider, an optional opacity
 * slider, swatches and the browser's eye dropper, plus a WCAG contrast hint against a
 * reference colour. The maths lives in `core/color.ts`.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import {
  contrastMinimums,
  contrastRatio,
  describeColor,
  formatColor,
  hsvToRgb,
  parseColor,
  rgbToHsv,
  type ColorFamily,
  type ColorFormat,
  type ColorTone,
  type ContrastLevel,
  type Hsva,
  type Rgba,
} from '../core/color.ts';
import { fieldStyles } from '../core/field-styles.ts';
import { formatNumber, localeOf } from '../core/format.ts';
import { FormControlMixin, type ValidityResult } from '../core/form-control.ts';
import { SlotPresenceController } from '../core/slot-presence.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';

/** The most swatches shown; entries past it (palette first, then `swatches`) are dropped. */
export const swatchesMax = 48;

/** The named palettes the `palette` attribute offers. */
export const colorPalettes = {
  /** The sixteen basic colours of HTML 4 and CSS 1. */
  basic:
    '#000000;#808080;#c0c0c0;#ffffff;#800000;#ff0000;#808000;#ffff00;' +
    '#008000;#00ff00;#008080;#00ffff;#000080;#0000ff;#800080;#ff00ff',
  /** Eight soft tints. */
  pastel: '#ffadad;#ffd6a5;#fdffb6;#caffbf;#9bf6ff;#a0c4ff;#bdb2ff;#ffc6ff',
  /** Eight steps from white to black. */
  greys: '#ffffff;#e0e0e0;#c0c0c0;#a0a0a0;#808080;#606060;#404040;#000000',
} as const;

/** A name the `palette` attribute takes. */
export type ColorPaletteName = keyof typeof colorPalettes;

/** What the user can pick up from the screen: resolves to a colour string (`#rrggbb`). */
export type EyeDropperPick = () => Promise<string>;

/** The English defaults of every text the picker shows or speaks; see `strings`. */
export const colorPickerStrings = {
  /** Name of the button that opens the panel. */
  openPicker: (label: string) => (label ? `Open colour picker for ${label}` : 'Open colour picker'),
  /** Name of the panel when the picker has no label. */
  panel: 'Colour picker',
  area: 'Saturation and brightness',
  /** How screen readers announce the kind of the area (`aria-roledescription`). */
  areaRole: '2D slider',
  hue: 'Hue',
  alpha: 'Opacity',
  areaText: (words: string, saturation: number, brightness: number) =>
    `${words}, saturation ${saturation}%, brightness ${brightness}%`,
  hueText: (degrees: number, words: string) => `${degrees}°, ${words}`,
  alphaText: (percent: number) => `${percent}% opaque`,
  /** Words for a colour: its family and tone, e.g. `dark blue`. */
  colorName: (family: ColorFamily, tone: ColorTone) => (tone ? `${tone} ${family}` : family),
  swatches: 'Swatches',
  swatch: (words: string, color: string) => `${words}, ${color}`,
  eyeDropper: 'Pick a colour from the screen',
  invalidText: 'Enter a colour as #rrggbb, rgb(r, g, b) or hsl(h, s%, l%).',
  contrast: (ratio: string, reference: string) => `Contrast ${ratio}:1 against ${reference}`,
  contrastCheck: (level: ContrastLevel, passes: boolean) =>
    `${level.startsWith('aaa') ? 'AAA' : 'AA'} ${level.endsWith('Large') ? 'large' : 'normal'}` +
    ` text: ${passes ? 'pass' : 'fail'}`,
};

/** The strings of `<ab-color-picker>`, for translations. */
export type ColorPickerStrings = typeof colorPickerStrings;

/** The three things the pointer and the keys can move. */
type Channel = 'area' | 'hue' | 'alpha';

/** What one slider shows: its channel, name, value (0..max), spoken value and CSS variables. */
interface PadSpec {
  channel: Channel;
  name: string;
  now: number;
  max: number;
  valueText: string;
  style: string;
}

/** The browser's EyeDropper API where it has one (Chromium on desktop), else `null`. */
function browserEyeDropper(): EyeDropperPick | null {
  type EyeDropperApi = new () => { open(): Promise<{ sRGBHex: string }> };
  const api = (globalThis as { EyeDropper?: EyeDropperApi }).EyeDropper;
  return api ? async () => (await new api().open()).sRGBHex : null;
}

/** The colour as CSS, for swatches and previews. */
const cssOf = (color: Rgba) => formatColor(color, 'rgb');

/**
 * A colour picker: a text field for hex, `rgb()` or `hsl()` and a panel to pick with the pointer
 * or the keyboard, shown inline or as a popup.
 *
 * The area is a 2D slider: Left/Right move saturation and Up/Down brightness by 1, by 10 with
 * Shift; PageUp/PageDown move brightness by 10; Home/End set saturation to 0 or 100. The hue and
 * opacity sliders take arrows (Shift for 10), PageUp/PageDown and Home/End. Left and Right follow
 * the layout, so they swap in right-to-left pages. A popup opens from its button and closes on
 * Escape, returning focus to the button.
 *
 * The form value is the colour in `format`, with alpha only when it is not opaque; a value the
 * page sets in another notation is submitted converted, one that is not a colour as it is. Text
 * that is not a colour is refused with a message and blocks submit until it is corrected.
 *
 * @summary Colour picker with hex/rgb/hsl text, swatches and a contrast hint; a form control.
 * @tag ab-color-picker
 *
 * @slot label - Rich label content; used instead of the `label` attribute.
 * @slot help-text - Hint under the field; used instead of the `help-text` attribute.
 *
 * @fires input - While the user changes the colour (typing, dragging, keys). Bubbles, composed.
 * @fires change - When the user commits a colour: leaves the text, ends a drag, presses a key on
 * a slider, picks a swatch or from the screen. Bubbles, composed.
 * @fires invalid - When a submit or `checkValidity()` finds the value invalid. Cancelable.
 *
 * @csspart field - Box around the preview, the label, the text input and the button.
 * @csspart preview - The swatch of the current colour at the start of the field.
 * @csspart label - The floating label.
 * @csspart input - The text input.
 * @csspart trigger - The button that opens the popup (not with `inline`).
 * @csspart panel - The area, sliders, eye dropper and swatches; a popover unless `inline`.
 * @csspart area - The saturation/brightness area.
 * @csspart hue - The hue slider.
 * @csspart alpha - The opacity slider (with `alpha`).
 * @csspart thumb - The handle of the area and of each slider.
 * @csspart eye-dropper - The button that picks a colour from the screen.
 * @csspart swatches - The row of swatches.
 * @csspart swatch - One swatch button.
 * @csspart contrast - The contrast hint (with `contrast-with`).
 * @csspart help-text - The help text under the field.
 * @csspart error - The error text, shown only while invalid after interaction.
 *
 * @cssproperty --ab-field-border-color - Border colour at rest.
 * @cssproperty --ab-field-focus-color - Border and label colour while focused.
 * @cssproperty --ab-field-label-color - Label colour at rest.
 * @cssproperty --ab-field-background - Background of the field box.
 * @cssproperty --ab-field-radius - Corner radius of the field box.
 * @cssproperty --ab-field-height - Minimum height of the field box.
 * @cssproperty --ab-color-picker-panel-width - Width of the panel; default 16rem.
 * @cssproperty --ab-color-picker-area-height - Height of the saturation/brightness area; 10rem.
 * @cssproperty --ab-color-picker-swatch-size - Side of a swatch button; default 1.5rem.
 */
export class AbColorPicker extends FormControlMixin(LitElement) {
  static override styles = [
    fieldStyles,
    css`
      :host {
        --checker: repeating-conic-gradient(#c8c8c8 0 25%, #fff 0 50%) 0 0 / 0.5rem 0.5rem;
        --ring: ${token('focus-ring-width')} solid ${token('color-focus-ring')};
        --toward-end: right;
      }
      :host(:dir(rtl)) {
        --toward-end: left;
      }
      .preview,
      .swatch,
      .alpha {
        background:
          linear-gradient(var(--color), var(--color)),
          var(--checker);
      }
      .preview {
        align-self: center;
        flex: none;
        width: 1.5rem;
        height: 1.5rem;
        border-radius: ${token('radius-s')};
        box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.25);
      }
      .preview.empty {
        background: linear-gradient(
          to bottom right,
          transparent calc(50% - 1px),
          ${token('color-danger')} 0 calc(50% + 1px),
          transparent 0
        );
      }
      .trigger,
      .tool {
        align-self: center;
        display: inline-flex;
        align-items: center;
        justify-content: center;
        flex: none;
        width: 2rem;
        height: 2rem;
        padding: 0;
        border: 0;
        border-radius: ${token('radius-s')};
        background: transparent;
        color: ${token('color-text-muted')};
        cursor: pointer;
      }
      .trigger {
        margin-inline-end: calc(-1 * ${token('space-s')});
      }
      .trigger:hover,
      .tool:hover {
        color: ${token('color-text')};
      }
      .trigger:focus-visible,
      .tool:focus-visible,
      .swatch:focus-visible {
        outline: var(--ring);
        outline-offset: 2px;
      }
      .trigger:disabled,
      .tool:disabled,
      .swatch:disabled {
        cursor: not-allowed;
        opacity: 0.5;
      }
      svg {
        width: 1.25rem;
        height: 1.25rem;
      }
      .panel {
        box-sizing: border-box;
        width: var(--ab-color-picker-panel-width, 16rem);
        max-width: 100%;
        display: grid;
        gap: ${token('space-m')};
      }
      .panel:not([popover]) {
        margin-block-start: ${token('space-s')};
      }
      .panel[popover] {
        margin: ${token('space-xs')} 0;
        padding: ${token('space-m')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: ${token('color-surface')};
        color: ${token('color-text')};
        box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.25);
      }
      .panel[popover]:not(:popover-open) {
        display: none;
      }
      /* Beside the field where the browser can anchor it; centred in the viewport elsewhere. */
      @supports (anchor-name: --a) {
        .field {
          anchor-name: --ab-color-picker-field;
        }
        .panel[popover] {
          position-anchor: --ab-color-picker-field;
          inset: auto;
          top: anchor(bottom);
          left: anchor(left);
          position-try-fallbacks: flip-block;
        }
        :host(:dir(rtl)) .panel[popover] {
          left: auto;
          right: anchor(right);
        }
      }
      .pad {
        position: relative;
        touch-action: none;
        outline: none;
        border-radius: ${token('radius-s')};
        cursor: pointer;
      }
      .area {
        height: var(--ab-color-picker-area-height, 10rem);
        background:
          linear-gradient(to top, #000, transparent),
          linear-gradient(to var(--toward-end), #fff, transparent),
          hsl(var(--hue) 100% 50%);
      }
      .hue,
      .alpha {
        height: 0.75rem;
        border-radius: 999px;
      }
      .hue {
        background: linear-gradient(
          to var(--toward-end),
          #f00,
          #ff0 16.67%,
          #0f0 33.33%,
          #0ff 50%,
          #00f 66.67%,
          #f0f 83.33%,
          #f00
        );
      }
      .alpha {
        background:
          linear-gradient(to var(--toward-end), transparent, var(--color)),
          var(--checker);
      }
      .thumb {
        position: absolute;
        inset-inline-start: var(--x);
        top: var(--y, 50%);
        box-sizing: border-box;
        width: 1.125rem;
        height: 1.125rem;
        margin-inline-start: -0.5625rem;
        margin-top: -0.5625rem;
        border: 2px solid #fff;
        border-radius: 50%;
        box-shadow: 0 0 0 1px rgb(0 0 0 / 0.6);
        background: var(--color);
        pointer-events: none;
      }
      .hue .thumb {
        background: hsl(var(--hue) 100% 50%);
      }
      .pad:focus-visible .thumb {
        outline: var(--ring);
        outline-offset: 2px;
      }
      .pad[aria-disabled] {
        opacity: 0.5;
        cursor: not-allowed;
      }
      .sliders {
        display: flex;
        align-items: center;
        gap: ${token('space-s')};
      }
      .tracks {
        flex: 1;
        display: grid;
        gap: ${token('space-m')};
        padding-inline: 0.5625rem;
      }
      .swatches {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem;
      }
      .swatch {
        width: var(--ab-color-picker-swatch-size, 1.5rem);
        height: var(--ab-color-picker-swatch-size, 1.5rem);
        padding: 0;
        border: 0;
        border-radius: ${token('radius-s')};
        box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.25);
        cursor: pointer;
      }
      .contrast {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: ${token('space-xs')} ${token('space-s')};
        margin-block-start: ${token('space-xs')};
        padding-inline: ${token('space-m')};
        font-size: ${token('font-size-small')};
      }
      .sample::before {
        content: 'Aa';
        padding: 0 0.375rem;
        border-radius: ${token('radius-s')};
        font-weight: ${token('font-weight-strong')};
        background: inherit;
      }
      .sample {
        border-radius: ${token('radius-s')};
        box-shadow: inset 0 0 0 1px rgb(0 0 0 / 0.25);
      }
      .checks {
        flex-basis: 100%;
        display: flex;
        flex-wrap: wrap;
        column-gap: ${token('space-l')};
        margin: 0;
        padding: 0;
        list-style: none;
        white-space: nowrap;
      }
      .pass {
        color: ${token('color-success')};
      }
      .fail {
        color: ${token('color-danger')};
      }
    `,
  ];

  /** Focus goes to the text input: `focus()`, a click on an outer `<label>`, `reportValidity`. */
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** The notation of the form value and of colours the user picks: `hex`, `rgb` or `hsl`. */
  @property({ reflect: true }) format: ColorFormat = 'hex';

  /** Offers an opacity slider and keeps transparency; without it every colour is opaque. */
  @property({ type: Boolean, reflect: true }) alpha = false;

  /** Shows the panel in the page under the field instead of in a popup. */
  @property({ type: Boolean, reflect: true }) inline = false;

  /** Colours offered as swatches, separated by `;` (any notation the text field reads). */
  @property() swatches = '';

  /** A named palette of swatches, shown before `swatches`: `basic`, `pastel` or `greys`. */
  @property() palette: ColorPaletteName | '' = '';

  /** A reference colour (e.g. the background); shows the WCAG contrast ratio against it. */
  @property({ attribute: 'contrast-with' }) contrastWith = '';

  /** Overrides of the texts the picker shows and speaks (see `colorPickerStrings`). */
  @property({ attribute: false }) strings: Partial<ColorPickerStrings> | undefined;

  /**
   * Picks a colour from the screen; defaults to the browser's EyeDropper API and is `null` where
   * there is none, which hides the button. Set it to supply another picker, or `null` to hide it.
   */
  @property({ attribute: false }) eyeDropper: EyeDropperPick | null = browserEyeDropper();

  /** The colour the panel shows; keeps hue and saturation where a grey or black has none. */
  @state() private hsva: Hsva = { h: 0, s: 0, v: 100, a: 1 };

  /** The text the user is typing, until it is committed; `null` shows the value. */
  @state() private draft: string | null = null;

  /** Whether the committed text was not a colour. */
  @state() private textRefused = false;

  /** Whether the popup is open. */
  @state() private open = false;

  @query('.input') private input!: HTMLInputElement | null;
  @query('.panel') private panel!: HTMLElement | null;

  private readonly slots = new SlotPresenceController(this, 'label', 'help-text');

  /** The value this element set itself, so it is not read back into `hsva`. */
  #emitted: string | null = null;
  /** The value at the last `change`, so a commit that changed nothing fires none. */
  #committed = '';
  /** Whether focus was in the popup when it began to close, and should go back to the button. */
  #returnFocus = false;

  protected override get validationAnchor(): HTMLInputElement | null {
    return this.input;
  }

  protected override validityOf(): ValidityResult {
    if (!this.textRefused) return super.validityOf();
    return { flags: { badInput: true }, message: this.text.invalidText };
  }

  /** The value in `format`; a value that is not a colour goes as it is. */
  protected override formValue(): string {
    const color = this.#parse(this.value);
    return color ? formatColor(color, this.format) : this.value;
  }

  override formResetCallback(): void {
    this.draft = null;
    this.textRefused = false;
    super.formResetCallback();
  }

  private get text(): ColorPickerStrings {
    return resolveStrings('ab-color-picker', colorPickerStrings, this.strings);
  }

  private get editable(): boolean {
    return !this.isDisabled && !this.readonly;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (!changed.has('value') || this.value === this.#emitted) return;
    // The page set the value: show it, forget any refused text.
    this.#emitted = null;
    this.#committed = this.value;
    this.draft = null;
    this.textRefused = false;
    const color = this.#parse(this.value);
    if (color) this.#adopt(color);
  }

  /** A colour read from text, opaque unless `alpha` is on. */
  #parse(text: string): Rgba | null {
    const color = parseColor(text);
    return color && !this.alpha ? { ...color, a: 1 } : color;
  }

  /** Shows `color` in the panel; a grey keeps the hue, black also the saturation. */
  #adopt(color: Rgba): void {
    const next = rgbToHsv(color);
    if (next.s === 0 || next.v === 0) next.h = this.hsva.h;
    if (next.v === 0) next.s = this.hsva.s;
    this.hsva = next;
  }

  /** The user picked `next` in the panel: shows it, sets the value, fires `input`. */
  #pick(next: Hsva, commit: boolean): void {
    this.hsva = next;
    this.draft = null;
    this.textRefused = false;
    this.#setValue(formatColor(this.#rgbaOf(next), this.format));
    if (commit) this.#commit();
  }

  #setValue(text: string): void {
    if (text === this.value) return;
    this.#emitted = text;
    this.applyUserInput(text);
  }

  /** Fires `change` when the value differs from the last committed one. */
  #commit(): void {
    this.interacted = true;
    if (this.value === this.#committed) return;
    this.#committed = this.value;
    this.commitUserInput();
  }

  #rgbaOf(hsva: Hsva): Rgba {
    return hsvToRgb(this.alpha ? hsva : { ...hsva, a: 1 });
  }

  private pad(channel: Channel): HTMLElement | null {
    return this.renderRoot.querySelector(`[data-channel="${channel}"]`);
  }

  override render() {
    const text = this.text;
    const color = this.#parse(this.value);
    const hasLabel = this.label !== '' || this.slots.has('label');
    const hasHelp = this.helpText !== '' || this.slots.has('help-text');
    const showsError = this.errorText !== '';
    const reference = parseColor(this.contrastWith);
    const contrast = color && reference ? this.renderContrast(color, reference) : nothing;
    const describedBy = [
      showsError ? 'error' : hasHelp ? 'help-text' : '',
      contrast === nothing ? '' : 'contrast',
    ].join(' ');
    return html`
      ${this.renderField(text, color, describedBy.trim())}
      <div part="help-text" class="help-text" id="help-text" ?hidden=${!hasHelp || showsError}>
        <slot name="help-text">${this.helpText}</slot>
      </div>
      <div part="error" class="error" id="error">${this.errorText}</div>
      ${contrast}
      <div
        part="panel"
        class="panel"
        id="panel"
        popover=${this.inline ? nothing : 'auto'}
        role=${this.inline ? 'group' : 'dialog'}
        aria-labelledby=${hasLabel ? 'label' : nothing}
        aria-label=${hasLabel ? nothing : text.panel}
        @beforetoggle=${this.handleBeforeToggle}
        @toggle=${this.handleToggle}
      >
        ${this.inline || this.open ? this.renderPanel(text) : nothing}
      </div>
    `;
  }

  /** The field box: preview, text input with its floating label, and the popup button. */
  private renderField(text: ColorPickerStrings, color: Rgba | null, describedBy: string) {
    const showsError = this.errorText !== '';
    const fieldClasses = [
      'field',
      this.value !== '' || this.draft ? 'float' : '',
      showsError ? 'invalid' : '',
      this.isDisabled ? 'disabled' : '',
      this.readonly ? 'readonly' : '',
    ].join(' ');
    return html`<div part="field" class=${fieldClasses}>
      <span
        part="preview"
        class="preview ${color ? '' : 'empty'}"
        style=${color ? `--color: ${cssOf(color)}` : nothing}
      ></span>
      <div class="control">
        <input
          part="input"
          class="input"
          id="input"
          type="text"
          autocomplete="off"
          spellcheck="false"
          .value=${live(this.draft ?? this.formValue())}
          ?required=${this.required}
          ?disabled=${this.isDisabled}
          ?readonly=${this.readonly}
          aria-describedby=${describedBy || nothing}
          aria-invalid=${showsError ? 'true' : 'false'}
          @input=${this.handleTextInput}
          @change=${this.handleTextChange}
          @keydown=${this.handleTextKeyDown}
        />
        <label part="label" class="label" for="input" id="label">
          <slot name="label">${this.label}</slot>${this.required
            ? html`<span class="required-mark" aria-hidden="true">*</span>`
            : nothing}
        </label>
      </div>
      ${this.inline ? nothing : this.renderTrigger(text)}
    </div>`;
  }

  private renderTrigger(text: ColorPickerStrings) {
    return html`<button
      part="trigger"
      class="trigger"
      type="button"
      popovertarget="panel"
      aria-haspopup="dialog"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-label=${text.openPicker(this.label)}
      ?disabled=${this.isDisabled}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path fill="none" stroke="currentColor" stroke-width="2" d="M6 9l6 6 6-6" />
      </svg>
    </button>`;
  }

  private renderPanel(text: ColorPickerStrings) {
    const { h, s, v, a } = this.hsva;
    const rgba = this.#rgbaOf(this.hsva);
    const opaque = cssOf({ ...rgba, a: 1 });
    const [saturation, brightness, degrees, percent] = [s, v, h, a * 100].map(Math.round);
    const pureHue = this.words(hsvToRgb({ h, s: 100, v: 100, a: 1 }));
    const area = this.renderPad({
      channel: 'area',
      name: text.area,
      now: saturation!,
      max: 100,
      valueText: text.areaText(this.words(rgba), saturation!, brightness!),
      style: `--x: ${s}%; --y: ${100 - v}%; --hue: ${h}; --color: ${opaque}`,
    });
    const hue = this.renderPad({
      channel: 'hue',
      name: text.hue,
      now: degrees!,
      max: 360,
      valueText: text.hueText(degrees!, pureHue),
      style: `--x: ${(h / 360) * 100}%; --hue: ${h}`,
    });
    const alpha = this.renderPad({
      channel: 'alpha',
      name: text.alpha,
      now: percent!,
      max: 100,
      valueText: text.alphaText(percent!),
      style: `--x: ${a * 100}%; --color: ${opaque}`,
    });
    return html`
      ${area}
      <div class="sliders">
        <div class="tracks">${hue} ${this.alpha ? alpha : nothing}</div>
        ${this.eyeDropper ? this.renderEyeDropper(text) : nothing}
      </div>
      ${this.renderSwatches(text)}
    `;
  }

  /** The area or a slider: one focusable `role="slider"` with its thumb. */
  private renderPad(pad: PadSpec) {
    return html`<div
      part=${pad.channel}
      class="pad ${pad.channel}"
      data-channel=${pad.channel}
      style=${pad.style}
      role="slider"
      tabindex=${this.isDisabled ? -1 : 0}
      aria-label=${pad.name}
      aria-roledescription=${pad.channel === 'area' ? this.text.areaRole : nothing}
      aria-valuemin="0"
      aria-valuemax=${pad.max}
      aria-valuenow=${pad.now}
      aria-valuetext=${pad.valueText}
      aria-disabled=${this.isDisabled ? 'true' : nothing}
      aria-readonly=${this.readonly ? 'true' : nothing}
      @keydown=${this.handlePadKeyDown}
      @pointerdown=${this.handlePointerDown}
      @pointermove=${this.handlePointerMove}
      @lostpointercapture=${this.handlePointerEnd}
    >
      <span part="thumb" class="thumb"></span>
    </div>`;
  }

  private renderEyeDropper(text: ColorPickerStrings) {
    return html`<button
      part="eye-dropper"
      class="tool"
      type="button"
      aria-label=${text.eyeDropper}
      ?disabled=${!this.editable}
      @click=${this.handleEyeDropper}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linejoin="round"
          d="M14 4l6 6M12 6l6 6-9 9H3v-6zM17 3l4 4-2 2-4-4z"
        />
      </svg>
    </button>`;
  }

  private renderSwatches(text: ColorPickerStrings) {
    const palette = Object.hasOwn(colorPalettes, this.palette)
      ? colorPalettes[this.palette as ColorPaletteName]
      : '';
    const entries = [palette, this.swatches]
      .join(';')
      .split(';')
      .map((entry) => entry.trim())
      .filter((entry) => parseColor(entry))
      .slice(0, swatchesMax);
    if (entries.length === 0) return nothing;
    return html`<div
      part="swatches"
      class="swatches"
      role="toolbar"
      aria-label=${text.swatches}
      @keydown=${this.handleSwatchKeyDown}
    >
      ${entries.map((entry, index) => {
        const color = parseColor(entry)!;
        return html`<button
          part="swatch"
          class="swatch"
          type="button"
          tabindex=${index === 0 ? 0 : -1}
          style="--color: ${cssOf(color)}"
          aria-label=${text.swatch(this.words(color), entry)}
          ?disabled=${!this.editable}
          @click=${() => this.handleSwatch(color)}
        ></button>`;
      })}
    </div>`;
  }

  private renderContrast(color: Rgba, reference: Rgba) {
    const text = this.text;
    const ratio = contrastRatio(color, reference);
    const shown = formatNumber(ratio, { maximumFractionDigits: 2 }, localeOf(this));
    const levels = Object.keys(contrastMinimums) as ContrastLevel[];
    return html`<div part="contrast" class="contrast" id="contrast">
      <span
        class="sample"
        aria-hidden="true"
        style="color: ${cssOf(color)}; background: ${cssOf({ ...reference, a: 1 })}"
      ></span>
      <span>${text.contrast(shown, this.contrastWith.trim())}</span>
      <ul class="checks">
        ${levels.map((level) => {
          const passes = ratio >= contrastMinimums[level];
          return html`<li class=${passes ? 'pass' : 'fail'}>
            <span aria-hidden="true">${passes ? '✓' : '✗'}</span>
            ${text.contrastCheck(level, passes)}
          </li>`;
        })}
      </ul>
    </div>`;
  }

  /** Words for `color` in the page's strings, e.g. `dark blue`. */
  private words(color: Rgba): string {
    const { family, tone } = describeColor(color);
    return this.text.colorName(family, tone);
  }

  private handleTextInput(event: Event): void {
    event.stopPropagation();
    this.draft = (event.target as HTMLInputElement).value;
    const color = this.#parse(this.draft);
    if (!color) return;
    this.#adopt(color);
    this.#setValue(formatColor(color, this.format));
  }

  private handleTextChange(event: Event): void {
    event.stopPropagation();
    const draft = (event.target as HTMLInputElement).value.trim();
    const color = this.#parse(draft);
    if (draft !== '' && !color) {
      // Refused: the value goes back to the last committed colour, and submit is blocked.
      const committed = this.#parse(this.#committed);
      if (committed) this.#adopt(committed);
      this.#setValue(this.#committed);
      this.textRefused = true;
      this.interacted = true;
      return;
    }
    if (draft === '') this.#setValue('');
    this.draft = null;
    this.textRefused = false;
    this.#commit();
  }

  private handleTextKeyDown(event: KeyboardEvent): void {
    const modified = event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;
    if (event.key !== 'Enter' || event.isComposing || modified) return;
    // Give the browser's own `change` (fired on Enter) its turn before the form submits.
    setTimeout(() => this.submitFormImplicitly());
  }

  private handlePadKeyDown(event: KeyboardEvent): void {
    const pad = event.currentTarget as HTMLElement;
    const step = event.shiftKey ? 10 : 1;
    // Left and Right follow the layout: in right-to-left pages the axis runs the other way.
    const forward = getComputedStyle(pad).direction === 'rtl' ? -step : step;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [forward, 0],
      ArrowLeft: [-forward, 0],
      ArrowUp: [0, step],
      ArrowDown: [0, -step],
      PageUp: [0, 10],
      PageDown: [0, -10],
      Home: [-Infinity, 0],
      End: [Infinity, 0],
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    if (!this.editable) return;
    const [dx, dy] = move;
    const { h, s, v, a } = this.hsva;
    const limit = (n: number, max: number) => Math.min(Math.max(n, 0), max);
    const channel = pad.dataset.channel as Channel;
    // A 1-D slider moves the same way for Right and Up, and Home/End reach its ends.
    const along = dx + dy;
    const next =
      channel === 'area'
        ? { h, s: limit(Math.round(s) + dx, 100), v: limit(Math.round(v) + dy, 100), a }
        : channel === 'hue'
          ? { h: limit(Math.round(h) + along, 360), s, v, a }
          : { h, s, v, a: limit(Math.round(a * 100) + along, 100) / 100 };
    this.#pick(next, true);
  }

  private handlePointerDown(event: PointerEvent): void {
    if (event.button !== 0 || !this.editable) return;
    const pad = event.currentTarget as HTMLElement;
    pad.setPointerCapture(event.pointerId);
    pad.focus();
    // No text selection or scrolling while dragging.
    event.preventDefault();
    this.moveTo(pad, event);
  }

  private handlePointerMove(event: PointerEvent): void {
    const pad = event.currentTarget as HTMLElement;
    if (pad.hasPointerCapture(event.pointerId)) this.moveTo(pad, event);
  }

  private handlePointerEnd(): void {
    this.#commit();
  }

  /** Moves the thumb of `pad` to the pointer. */
  private moveTo(pad: HTMLElement, event: PointerEvent): void {
    const box = pad.getBoundingClientRect();
    const fraction = (n: number) => Math.min(Math.max(n, 0), 1);
    const across = fraction((event.clientX - box.left) / box.width);
    const x = getComputedStyle(pad).direction === 'rtl' ? 1 - across : across;
    const y = fraction((event.clientY - box.top) / box.height);
    const { h, s, v, a } = this.hsva;
    const channel = pad.dataset.channel as Channel;
    const next =
      channel === 'area'
        ? { h, s: x * 100, v: (1 - y) * 100, a }
        : channel === 'hue'
          ? { h: x * 360, s, v, a }
          : { h, s, v, a: x };
    this.#pick(next, false);
  }

  private handleSwatch(color: Rgba): void {
    this.#adopt(color);
    this.#pick(this.hsva, true);
  }

  private handleSwatchKeyDown(event: KeyboardEvent): void {
    const buttons = [...(event.currentTarget as HTMLElement).querySelectorAll('button')];
    const index = buttons.indexOf(event.target as HTMLButtonElement);
    const forward = getComputedStyle(event.currentTarget as Element).direction === 'rtl' ? -1 : 1;
    const targets: Record<string, number> = {
      ArrowRight: index + forward,
      ArrowLeft: index - forward,
      Home: 0,
      End: buttons.length - 1,
    };
    const target = buttons[targets[event.key] ?? -1];
    if (!target) return;
    event.preventDefault();
    // Roving tab stop: the toolbar is one stop in the Tab order, arrows move within it.
    for (const button of buttons) button.tabIndex = button === target ? 0 : -1;
    target.focus();
  }

  private async handleEyeDropper(): Promise<void> {
    let picked: string;
    try {
      picked = await this.eyeDropper!();
    } catch {
      return; // The user pressed Escape: nothing picked.
    }
    const color = this.#parse(picked);
    if (color) this.handleSwatch(color);
  }

  private handleBeforeToggle(event: ToggleEvent): void {
    const opening = event.newState === 'open';
    this.#returnFocus = !opening && this.panel!.contains(this.shadowRoot!.activeElement);
    this.open = opening;
  }

  /** Runs once the popup is shown or hidden (`beforetoggle` is too early to move focus). */
  private async handleToggle(event: ToggleEvent): Promise<void> {
    if (event.newState === 'open') {
      await this.updateComplete;
      this.pad('area')?.focus();
    } else if (this.#returnFocus) {
      this.renderRoot.querySelector<HTMLElement>('.trigger')?.focus();
    }
  }
}

if (!customElements.get('ab-color-picker')) {
  customElements.define('ab-color-picker', AbColorPicker);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-color-picker': AbColorPicker;
  }
}
