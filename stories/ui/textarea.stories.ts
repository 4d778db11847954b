/**
 * @packageDocumentation
 * Gallery of `<ab-textarea>`: every state a designer should see, one story each.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { userEvent } from 'storybook/test';
import '../../components/ui/textarea.ts';
import type {
  AbTextarea,
  FieldSize,
  FieldVariant,
  TextareaResize,
} from '../../components/ui/textarea.ts';

/** The controls the gallery offers for a textarea. */
interface TextareaArgs {
  label: string;
  name: string;
  value: string;
  placeholder: string;
  helpText: string;
  required: boolean;
  disabled: boolean;
  readonly: boolean;
  minlength: number | undefined;
  maxlength: number | undefined;
  minRows: number;
  maxRows: number;
  resize: TextareaResize;
  counter: boolean;
  variant: FieldVariant;
  size: FieldSize;
}

const poem = [
  'The Analytical Engine weaves algebraic patterns',
  'just as the Jacquard loom weaves flowers and leaves.',
  'It might act upon other things besides number,',
  'were objects found whose mutual relations',
  'could be expressed by those of the abstract science',
  'of operations, and which should be also',
  'susceptible of adaptations to the action',
  'of the operating notation and mechanism of the engine.',
].join('\n');

const meta = {
  title: 'UI/Textarea',
  component: 'ab-textarea',
  args: {
    label: 'Message',
    name: 'message',
    value: '',
    placeholder: '',
    helpText: 'What should we know before we call you?',
    required: true,
    disabled: false,
    readonly: false,
    minlength: 10,
    maxlength: undefined,
    minRows: 3,
    maxRows: 8,
    resize: 'auto',
    counter: false,
    variant: 'outlined',
    size: 'medium',
  },
  argTypes: {
    resize: { control: 'inline-radio', options: ['auto', 'vertical', 'none'] },
    variant: { control: 'inline-radio', options: ['outlined', 'filled', 'pill'] },
    size: { control: 'inline-radio', options: ['small', 'medium', 'large'] },
  },
  render: (args) => html`
    <ab-textarea
      style="max-width: 32rem;"
      label=${args.label}
      name=${args.name}
      value=${args.value}
      placeholder=${args.placeholder}
      help-text=${args.helpText}
      ?required=${args.required}
      ?disabled=${args.disabled}
      ?readonly=${args.readonly}
      minlength=${ifDefined(args.minlength)}
      maxlength=${ifDefined(args.maxlength)}
      min-rows=${args.minRows}
      max-rows=${args.maxRows}
      resize=${args.resize}
      ?counter=${args.counter}
      variant=${args.variant}
      size=${args.size}
    ></ab-textarea>
  `,
} satisfies Meta<TextareaArgs>;

export default meta;

type Story = StoryObj<TextareaArgs>;

async function innerTextarea(canvasElement: HTMLElement): Promise<HTMLTextAreaElement> {
  const field = canvasElement.querySelector<AbTextarea>('ab-textarea')!;
  await field.updateComplete;
  return field.shadowRoot!.querySelector('textarea')!;
}

/** Nothing typed yet: the label rests on the first line, `min-rows` tall. */
export const Empty: Story = {};

/** Some text: the label has floated above it. */
export const Filled: Story = {
  args: { value: 'Please call after 5 pm; the doorbell is broken, so knock.' },
};

/** The user typed too little and left the field: the browser's message replaces the help. */
export const Invalid: Story = {
  play: async ({ canvasElement }) => {
    await userEvent.type(await innerTextarea(canvasElement), 'Hi');
    await userEvent.tab();
  },
};

/** Cannot be used, is not submitted. */
export const Disabled: Story = {
  args: { value: 'Please call after 5 pm.', disabled: true },
};

/** Shown and submitted, but cannot be changed. */
export const Readonly: Story = {
  args: { value: 'Please call after 5 pm.', readonly: true, helpText: 'Sent on 2 May.' },
};

/** Grown to `max-rows` (here 5): the rest of the text scrolls. */
export const GrownToMaxRows: Story = {
  args: { label: 'Quote', value: poem, maxRows: 5, required: false, minlength: undefined },
};

/** Counts down to `maxlength`; screen readers hear what is left once the typing pauses. */
export const WithCounter: Story = {
  args: {
    value: 'Please call after 5 pm.',
    counter: true,
    maxlength: 280,
    minlength: undefined,
  },
};

/** A handle lets the user make it taller, up to `max-rows`; it does not grow by itself. */
export const VerticalHandle: Story = {
  args: { resize: 'vertical', value: poem, required: false, minlength: undefined },
};

/** A fixed height of `min-rows`: the text scrolls. */
export const FixedHeight: Story = {
  args: { resize: 'none', value: poem, minRows: 3, required: false, minlength: undefined },
};

/** The filled look. */
export const FilledVariant: Story = {
  args: { variant: 'filled', value: 'Please call after 5 pm.' },
};

/** Right to left: the label starts on the right, the counter sits on the left. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="he" style="max-width: 32rem;">
      <ab-textarea label="הודעה" help-text="מה כדאי שנדע?" counter maxlength="200"
        value="נא להתקשר אחרי חמש."></ab-textarea>
    </div>
  `,
};

/** The same textarea with the dark tokens. */
export const DarkTheme: Story = {
  args: { value: 'Please call after 5 pm.', counter: true, maxlength: 280 },
  globals: { theme: 'dark' },
};
