/**
 * @packageDocumentation
 * Gallery of `<ab-tag-input>`: every state a designer should see, one story each.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import '../../components/ui/tag-input.ts';
import type { AbTagInput } from '../../components/ui/tag-input.ts';

/** The controls the gallery offers for a tag input. */
interface TagInputArgs {
  label: string;
  name: string;
  value: string;
  helpText: string;
  placeholder: string;
  suggestions: string;
  allowNew: boolean;
  maxTags: number;
  minTags: number;
  maxLength: number;
  required: boolean;
  disabled: boolean;
  readonly: boolean;
}

const frameworks = 'Lit,Lighthouse,Angular,React,Svelte,Solid,Vue,Preact,Qwik,Stencil';

const meta = {
  title: 'UI/Tag input',
  component: 'ab-tag-input',
  args: {
    label: 'Topics',
    name: 'topics',
    value: '',
    helpText: 'Press Enter, comma or Tab after each topic.',
    placeholder: '',
    suggestions: '',
    allowNew: false,
    maxTags: 10,
    minTags: 0,
    maxLength: 32,
    required: false,
    disabled: false,
    readonly: false,
  },
  render: (args) => html`
    <ab-tag-input
      style="max-width: 28rem;"
      label=${args.label}
      name=${args.name}
      value=${args.value}
      help-text=${args.helpText}
      placeholder=${args.placeholder}
      suggestions=${args.suggestions}
      ?allow-new=${args.allowNew}
      max-tags=${args.maxTags}
      min-tags=${args.minTags}
      max-length=${args.maxLength}
      ?required=${args.required}
      ?disabled=${args.disabled}
      ?readonly=${args.readonly}
    ></ab-tag-input>
  `,
} satisfies Meta<TagInputArgs>;

export default meta;

type Story = StoryObj<TagInputArgs>;

/** The first tag input of the story, rendered. */
async function tagInputIn(canvasElement: HTMLElement): Promise<AbTagInput> {
  const element = canvasElement.querySelector<AbTagInput>('ab-tag-input')!;
  await element.updateComplete;
  return element;
}

/** Types into the tag input's text field as a user would (`{enter}` presses Enter). */
async function typeInto(canvasElement: HTMLElement, text: string): Promise<void> {
  const element = await tagInputIn(canvasElement);
  await userEvent.type(element.shadowRoot!.querySelector('input')!, text);
}

/** No tags yet: the label rests inside the field. */
export const Empty: Story = {};

/** Three tags as chips, each with its remove button. */
export const Filled: Story = {
  args: { value: 'Lit, Web components, Accessibility' },
};

/**
 * Required with at least two tags, and a submit was tried with one: the message replaces the
 * help text.
 */
export const Invalid: Story = {
  args: { value: 'Lit', required: true, minTags: 2, helpText: 'At least two topics.' },
  play: async ({ canvasElement }) => {
    // What a submit attempt does: the check fires `invalid`, after which the error shows.
    (await tagInputIn(canvasElement)).checkValidity();
  },
};

/** Holding `max-tags` tags; one more was typed and refused with a notice. */
export const AtMax: Story = {
  args: { value: 'Lit, Vite, Rollup', maxTags: 3, helpText: 'Up to three topics.' },
  play: async ({ canvasElement }) => {
    await typeInto(canvasElement, 'esbuild{enter}');
  },
};

/** A list of suggestions, open on what was typed; free text is allowed too (`allow-new`). */
export const WithSuggestions: Story = {
  args: { suggestions: frameworks, allowNew: true, value: 'Lit' },
  play: async ({ canvasElement }) => {
    await typeInto(canvasElement, 'l');
  },
};

/** Only suggestions may be added: typed text that is not one is refused with a notice. */
export const SuggestionsOnly: Story = {
  args: { suggestions: frameworks, helpText: 'Pick from the list.' },
  play: async ({ canvasElement }) => {
    await typeInto(canvasElement, 'Ember{enter}');
  },
};

/**
 * Suggestions fetched as the user types (here from a stand-in for `suggestions-url`, with a
 * network delay): asked once the user pauses, older answers dropped.
 */
export const FetchedSuggestions: Story = {
  args: { allowNew: true, helpText: 'Suggestions arrive after a short pause.' },
  render: (args) => html`
    <ab-tag-input
      style="max-width: 28rem;"
      label=${args.label}
      name=${args.name}
      help-text=${args.helpText}
      allow-new
      .fetchSuggestions=${async (query: string, signal: AbortSignal) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        signal.throwIfAborted();
        const wanted = query.toLowerCase();
        return frameworks.split(',').filter((name) => name.toLowerCase().includes(wanted));
      }}
    ></ab-tag-input>
  `,
};

/** Cannot be used, is not submitted; the chips have no remove buttons. */
export const Disabled: Story = {
  args: { value: 'Lit, Web components', disabled: true },
};

/** Shown and submitted, but cannot be changed. */
export const Readonly: Story = {
  args: { value: 'Lit, Web components', readonly: true, helpText: 'Set by your team.' },
};

/** Right to left: chips run from the right, and the arrow keys follow the screen. */
export const RightToLeft: Story = {
  args: { label: 'مواضيع', value: 'ليت, مكونات الويب, إمكانية الوصول', helpText: '' },
  decorators: [(story) => html`<div dir="rtl" lang="ar">${story()}</div>`],
};

/** The same field with the dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  args: { value: 'Lit, Web components', suggestions: frameworks, allowNew: true },
  globals: { theme: 'dark' },
};

/**
 * In a plain `<form>`: each tag is its own entry; the submitted entries are listed under the
 * form.
 */
export const InsideAForm: Story = {
  args: { required: true },
  render: (args) => html`
    <form
      style="display: grid; gap: 1rem; max-width: 28rem;"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault();
        const form = event.currentTarget as HTMLFormElement;
        const entries = [...new FormData(form)].map(([key, value]) => `${key}=${String(value)}`);
        form.querySelector('output')!.textContent = `Submitted: ${entries.join('&')}`;
      }}
    >
      <ab-tag-input
        label=${args.label}
        name=${args.name}
        help-text=${args.helpText}
        ?required=${args.required}
      ></ab-tag-input>
      <div style="display: flex; gap: 0.5rem;">
        <button type="submit">Submit</button>
        <button type="reset">Reset</button>
      </div>
      <output aria-live="polite"></output>
    </form>
  `,
};
