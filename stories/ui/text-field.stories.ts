/**
 * @packageDocumentation
 * Gallery of `<ab-text-field>`: every state a designer should see, one story each.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { userEvent } from 'storybook/test';
import '../../components/ui/text-field.ts';
import type {
  AbTextField,
  FieldSize,
  FieldVariant,
  TextFieldType,
} from '../../components/ui/text-field.ts';

/** The controls the gallery offers for a text field. */
interface TextFieldArgs {
  label: string;
  name: string;
  type: TextFieldType;
  value: string;
  placeholder: string;
  helpText: string;
  required: boolean;
  disabled: boolean;
  readonly: boolean;
  pattern: string;
  minlength: number | undefined;
  maxlength: number | undefined;
  autocomplete: string;
  clearable: boolean;
  counter: boolean;
  variant: FieldVariant;
  size: FieldSize;
  pill: boolean;
  enterkeyhint: string;
}

const meta = {
  title: 'UI/Text field',
  component: 'ab-text-field',
  args: {
    label: 'Email',
    name: 'email',
    type: 'email',
    value: '',
    placeholder: '',
    helpText: 'We only use it to send your receipts.',
    required: true,
    disabled: false,
    readonly: false,
    pattern: '',
    minlength: undefined,
    maxlength: undefined,
    autocomplete: 'email',
    clearable: false,
    counter: false,
    variant: 'outlined',
    size: 'medium',
    pill: false,
    enterkeyhint: '',
  },
  argTypes: {
    type: {
      control: 'select',
      options: ['text', 'email', 'password', 'url', 'tel', 'search', 'number'],
    },
    variant: { control: 'inline-radio', options: ['outlined', 'filled', 'pill'] },
    size: { control: 'inline-radio', options: ['small', 'medium', 'large'] },
    enterkeyhint: {
      control: 'select',
      options: ['', 'enter', 'done', 'go', 'next', 'previous', 'search', 'send'],
    },
  },
  render: (args) => html`
    <ab-text-field
      label=${args.label}
      name=${args.name}
      type=${args.type}
      value=${args.value}
      placeholder=${args.placeholder}
      help-text=${args.helpText}
      ?required=${args.required}
      ?disabled=${args.disabled}
      ?readonly=${args.readonly}
      pattern=${args.pattern}
      minlength=${ifDefined(args.minlength)}
      maxlength=${ifDefined(args.maxlength)}
      autocomplete=${args.autocomplete}
      ?clearable=${args.clearable}
      ?counter=${args.counter}
      variant=${args.variant}
      size=${args.size}
      ?pill=${args.pill}
      enterkeyhint=${ifDefined(args.enterkeyhint || undefined)}
    ></ab-text-field>
  `,
} satisfies Meta<TextFieldArgs>;

export default meta;

type Story = StoryObj<TextFieldArgs>;

/** The inner input of the first text field in the story, for `play` functions to type into. */
async function innerInput(canvasElement: HTMLElement): Promise<HTMLInputElement> {
  const field = canvasElement.querySelector<AbTextField>('ab-text-field')!;
  await field.updateComplete;
  return field.shadowRoot!.querySelector('input')!;
}

/** Nothing typed yet: the label rests inside the field. */
export const Empty: Story = {};

/** A value is present: the label has floated above it. */
export const Filled: Story = {
  args: { value: 'ada@example.com' },
};

/**
 * The user typed something that is not an email address and tried to submit: the browser's own
 * message replaces the help text.
 */
export const Invalid: Story = {
  play: async ({ canvasElement }) => {
    await userEvent.type(await innerInput(canvasElement), 'ada-at-example');
    // What a submit attempt does: the check fires `invalid`, after which the error shows.
    canvasElement.querySelector<AbTextField>('ab-text-field')!.checkValidity();
  },
};

/** Cannot be used, is not submitted. */
export const Disabled: Story = {
  args: { value: 'ada@example.com', disabled: true },
};

/** Shown and submitted, but cannot be changed. */
export const Readonly: Story = {
  args: { value: 'ada@example.com', readonly: true, helpText: 'Ask support to change it.' },
};

/** Masked, with a button that shows and hides the password. */
export const Password: Story = {
  args: {
    label: 'Password',
    name: 'password',
    type: 'password',
    value: 'correct horse battery',
    helpText: 'At least 10 characters.',
    minlength: 10,
    autocomplete: 'new-password',
  },
};

/** Content before and after the input: a currency sign and a unit. */
export const WithPrefixAndSuffix: Story = {
  args: { label: 'Price', name: 'price', type: 'number', helpText: '', autocomplete: 'off' },
  render: (args) => html`
    <ab-text-field label=${args.label} name=${args.name} type="number" min="0" step="0.01">
      <span slot="prefix" aria-hidden="true">€</span>
      <span slot="suffix">per night</span>
    </ab-text-field>
  `,
};

/**
 * In a plain `<form>`: Enter or the button submits, an empty required field blocks the submit,
 * and the submitted entries are listed under the form.
 */
export const InsideAForm: Story = {
  render: (args) => html`
    <form
      style="display: grid; gap: 1rem; max-width: 24rem;"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const entries = [...new FormData(form)].map(([key, value]) => `${key}=${String(value)}`);
        form.querySelector('output')!.textContent = `Submitted: ${entries.join('&')}`;
      }}
    >
      <ab-text-field label="Name" name="name" autocomplete="name" required></ab-text-field>
      <ab-text-field
        label=${args.label}
        name=${args.name}
        type=${args.type}
        help-text=${args.helpText || nothing}
        ?required=${args.required}
      ></ab-text-field>
      <div style="display: flex; gap: 0.5rem;">
        <button type="submit">Submit</button>
        <button type="reset">Reset</button>
      </div>
      <output aria-live="polite"></output>
    </form>
  `,
};

/** The same field with the dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  args: { value: 'ada@example.com' },
  globals: { theme: 'dark' },
};

/** A button empties the field while it has a value, and puts the caret back. */
export const Clearable: Story = {
  args: {
    label: 'Search',
    name: 'q',
    type: 'search',
    value: 'form-associated elements',
    helpText: '',
    required: false,
    autocomplete: 'off',
    clearable: true,
    enterkeyhint: 'search',
  },
};

/** Counts down to `maxlength`; screen readers hear what is left once the typing pauses. */
export const WithCounter: Story = {
  args: {
    label: 'Display name',
    name: 'displayName',
    type: 'text',
    value: 'Ada',
    helpText: 'Shown next to your posts.',
    required: false,
    autocomplete: 'nickname',
    counter: true,
    maxlength: 30,
  },
};

/** The filled look: a tinted box with an underline. */
export const FilledVariant: Story = {
  args: { value: 'ada@example.com', variant: 'filled' },
};

/** Round ends, on its own (`variant="pill"`) or as a shape of the filled look (`pill`). */
export const PillVariant: Story = {
  render: () => html`
    <div style="display: grid; gap: 1rem; max-width: 24rem;">
      <ab-text-field label="Search" variant="pill" clearable value="lit"></ab-text-field>
      <ab-text-field label="Search" variant="filled" pill></ab-text-field>
    </div>
  `,
};

/** Small, medium (default) and large. */
export const Sizes: Story = {
  render: () => html`
    <div style="display: grid; gap: 1rem; max-width: 24rem;">
      <ab-text-field label="Small" size="small" value="Ada"></ab-text-field>
      <ab-text-field label="Medium" size="medium" value="Ada"></ab-text-field>
      <ab-text-field label="Large" size="large" value="Ada"></ab-text-field>
    </div>
  `,
};

/** Right to left: the label starts on the right, the buttons and counter sit on the left. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="he" style="max-width: 24rem;">
      <ab-text-field label="מחיר" type="number" value="120" clearable help-text="בשקלים">
        <span slot="prefix" aria-hidden="true">₪</span>
      </ab-text-field>
    </div>
  `,
};

/**
 * A rule that asks a server (here a stand-in that answers after a second): while it checks, a
 * note replaces the help text and a submit is held back; "ada" is taken, other names are free.
 */
export const CheckingWithAServer: Story = {
  args: {
    label: 'Username',
    name: 'username',
    type: 'text',
    value: '',
    helpText: 'Letters and digits.',
    required: true,
    autocomplete: 'username',
  },
  play: async ({ canvasElement }) => {
    const field = canvasElement.querySelector<AbTextField>('ab-text-field')!;
    field.validators = [
      (value, _control, signal) =>
        new Promise((resolve) => {
          const answer = value === 'ada' ? 'That name is taken.' : null;
          const timer = setTimeout(() => resolve(answer), 1000);
          signal.addEventListener('abort', () => clearTimeout(timer));
        }),
    ];
    await userEvent.type(await innerInput(canvasElement), 'ada');
    await userEvent.tab();
  },
};
