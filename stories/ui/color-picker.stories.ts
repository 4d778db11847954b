/**
 * @packageDocumentation
 * Gallery of `<ab-color-picker>`: every state a designer should see, one story each.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import '../../components/ui/color-picker.ts';
import type { AbColorPicker, ColorPaletteName } from '../../components/ui/color-picker.ts';
import type { ColorFormat } from '../../components/core/color.ts';

/** The controls the gallery offers for a colour picker. */
interface ColorPickerArgs {
  label: string;
  name: string;
  value: string;
  format: ColorFormat;
  helpText: string;
  inline: boolean;
  alpha: boolean;
  swatches: string;
  palette: ColorPaletteName | '';
  contrastWith: string;
  required: boolean;
  disabled: boolean;
  readonly: boolean;
}

const meta = {
  title: 'UI/Color picker',
  component: 'ab-color-picker',
  args: {
    label: 'Brand colour',
    name: 'brand',
    value: '',
    format: 'hex',
    helpText: 'Hex, rgb() or hsl().',
    inline: false,
    alpha: false,
    swatches: '',
    palette: '',
    contrastWith: '',
    required: true,
    disabled: false,
    readonly: false,
  },
  argTypes: {
    format: { control: 'select', options: ['hex', 'rgb', 'hsl'] },
    palette: { control: 'select', options: ['', 'basic', 'pastel', 'greys'] },
  },
  render: (args) => html`
    <ab-color-picker
      style="max-width: 20rem;"
      label=${args.label}
      name=${args.name}
      value=${args.value}
      format=${args.format}
      help-text=${args.helpText}
      swatches=${args.swatches}
      palette=${args.palette}
      contrast-with=${args.contrastWith}
      ?inline=${args.inline}
      ?alpha=${args.alpha}
      ?required=${args.required}
      ?disabled=${args.disabled}
      ?readonly=${args.readonly}
    ></ab-color-picker>
  `,
} satisfies Meta<ColorPickerArgs>;

export default meta;

type Story = StoryObj<ColorPickerArgs>;

/** The first picker of the story, rendered. */
async function firstPicker(canvasElement: HTMLElement): Promise<AbColorPicker> {
  const picker = canvasElement.querySelector<AbColorPicker>('ab-color-picker')!;
  await picker.updateComplete;
  return picker;
}

/** No colour yet: the preview is struck through and the label rests in the field. */
export const Empty: Story = {};

/** A colour is chosen: the preview shows it and the text reads it in hex. */
export const Filled: Story = {
  args: { value: '#336699' },
};

/** The user typed something that is not a colour and left the field: it is refused. */
export const InvalidText: Story = {
  play: async ({ canvasElement }) => {
    const picker = await firstPicker(canvasElement);
    const input = picker.shadowRoot!.querySelector('input')!;
    await userEvent.type(input, 'bluish');
    // What leaving the field fires; a simulated Tab inside a shadow root does not.
    input.dispatchEvent(new Event('change', { bubbles: true }));
  },
};

/** Cannot be used, is not submitted. */
export const Disabled: Story = {
  args: { value: '#336699', disabled: true, inline: true, palette: 'basic' },
};

/** Shown and submitted, but cannot be changed; the panel can still be read. */
export const Readonly: Story = {
  args: { value: '#336699', readonly: true, inline: true, helpText: 'Set by your organisation.' },
};

/** The panel in the page: area, hue slider, eye dropper (where the browser has one). */
export const Inline: Story = {
  args: { value: '#336699', inline: true },
};

/** The popup, opened from its button; Escape closes it and focus returns to the button. */
export const PopupOpen: Story = {
  args: { value: '#336699', palette: 'pastel' },
  render: (args) => html`
    <div style="min-height: 26rem;">${meta.render(args)}</div>
  `,
  play: async ({ canvasElement }) => {
    const picker = await firstPicker(canvasElement);
    await userEvent.click(picker.shadowRoot!.querySelector<HTMLButtonElement>('.trigger')!);
  },
};

/** With an opacity slider: the form value keeps the transparency (`#rrggbbaa`, `rgba()`). */
export const WithAlpha: Story = {
  args: { value: 'rgba(51, 102, 153, 0.6)', alpha: true, inline: true, format: 'rgb' },
};

/** Swatches from a `;`-separated list. */
export const WithSwatches: Story = {
  args: {
    value: '#e11d48',
    inline: true,
    swatches: '#e11d48; #f59e0b; #10b981; #0ea5e9; #6366f1; rgb(30, 41, 59); hsl(0, 0%, 90%)',
  },
};

/** Swatches from a named palette (`basic`, `pastel`, `greys`). */
export const WithPalette: Story = {
  args: { value: '#008080', inline: true, palette: 'basic' },
};

/**
 * The WCAG contrast of the colour against a reference (here white text on the chosen
 * background): the ratio and the AA/AAA verdicts for normal and large text.
 */
export const ContrastHint: Story = {
  args: {
    label: 'Button background',
    value: '#777777',
    contrastWith: '#ffffff',
    helpText: 'Button text is white.',
  },
};

/** Written in `hsl()`, which the form also receives. */
export const HslFormat: Story = {
  args: { value: 'hsl(160, 84%, 39%)', format: 'hsl', inline: true },
};

/** In a right-to-left page: the field, the area and the sliders run from the right. */
export const RightToLeft: Story = {
  args: { label: 'لون العلامة', value: '#336699', inline: true, palette: 'pastel', helpText: '' },
  render: (args) => html`<div dir="rtl" lang="ar">${meta.render(args)}</div>`,
};

/** The same picker with the dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  args: { value: '#8ab4f8', inline: true, palette: 'pastel', contrastWith: '#181b21' },
  globals: { theme: 'dark' },
};
