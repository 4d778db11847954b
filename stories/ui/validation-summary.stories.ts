/**
 * @packageDocumentation
 * Gallery of `<ab-validation-summary>`: a sign-up form with ab- controls and native inputs, in
 * each state of its summary.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import '../../components/ui/validation-summary.ts';
import '../../components/ui/text-field.ts';
import '../../components/ui/textarea.ts';
import type {
  AbValidationSummary,
  ValidationSummaryMode,
} from '../../components/ui/validation-summary.ts';

/** The controls the gallery offers for the summary. */
interface SummaryArgs {
  mode: ValidationSummaryMode;
  headingLevel: number;
}

/** A sign-up form: two ab- controls, a native input and a native select, all required. */
function signUpForm(summary: TemplateResult, values: Record<string, string> = {}) {
  return html`
    <form
      style="display: grid; gap: 1rem; max-width: 30rem; color: var(--ab-color-text);"
      @submit=${(event: SubmitEvent) => event.preventDefault()}
    >
      ${summary}
      <ab-text-field id="full-name" name="name" label="Full name" required
        value=${values.name ?? ''}></ab-text-field>
      <ab-textarea id="bio" name="bio" label="About you" required minlength="20"
        value=${values.bio ?? ''}></ab-textarea>
      <label style="display: grid; gap: 0.25rem;">
        Email
        <input id="email" name="email" type="email" required value=${values.email ?? ''} />
      </label>
      <label style="display: grid; gap: 0.25rem;">
        Plan
        <select name="plan" required>
          <option value="">Choose a plan</option>
          <option value="basic">Basic</option>
          <option value="team">Team</option>
        </select>
      </label>
      <div><button type="submit">Sign up</button></div>
    </form>
  `;
}

/** Presses the form's submit button, as a user would. */
async function submit(canvasElement: HTMLElement): Promise<void> {
  canvasElement.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  const summary = canvasElement.querySelector<AbValidationSummary>('ab-validation-summary')!;
  await new Promise((resolve) => setTimeout(resolve, 50));
  await summary.updateComplete;
}

const meta = {
  title: 'UI/Validation summary',
  component: 'ab-validation-summary',
  args: { mode: 'submit', headingLevel: 2 },
  argTypes: {
    mode: { control: 'inline-radio', options: ['submit', 'live'] },
    headingLevel: { control: { type: 'number', min: 1, max: 6 } },
  },
  render: (args) =>
    signUpForm(html`
      <ab-validation-summary mode=${args.mode} heading-level=${args.headingLevel}>
      </ab-validation-summary>
    `),
} satisfies Meta<SummaryArgs>;

export default meta;

type Story = StoryObj<SummaryArgs>;

/** Before any submit: nothing to show, the summary is hidden. */
export const BeforeSubmit: Story = {};

/**
 * After a submit attempt: every problem listed, announced as an alert, focus on the summary.
 * Each entry is a link to its control.
 */
export const AfterSubmit: Story = {
  play: async ({ canvasElement }) => submit(canvasElement),
};

/** Some problems fixed: the list follows the form, and says how many are left. */
export const PartlyFixed: Story = {
  render: (args) =>
    signUpForm(
      html`<ab-validation-summary mode=${args.mode}></ab-validation-summary>`,
      { name: 'Ada Lovelace', email: 'ada@example.com' },
    ),
  play: async ({ canvasElement }) => submit(canvasElement),
};

/** `mode="live"`: the problems are listed from the start, politely, without taking focus. */
export const Live: Story = {
  args: { mode: 'live' },
};

/**
 * A `novalidate` form: the browser checks nothing, so the summary does. The submit is held
 * back and each control shows its own error too.
 */
export const NoValidateForm: Story = {
  render: () => html`
    <form novalidate style="display: grid; gap: 1rem; max-width: 30rem;">
      <ab-validation-summary>
        <p style="margin: 0;">Fix these and send the form again.</p>
      </ab-validation-summary>
      <ab-text-field name="name" label="Full name" required></ab-text-field>
      <ab-text-field name="email" label="Email" type="email" required></ab-text-field>
      <div><button type="submit">Send</button></div>
    </form>
  `,
  play: async ({ canvasElement }) => submit(canvasElement),
};

/** Translated: the heading and the entries through `strings`. */
export const Translated: Story = {
  render: () =>
    signUpForm(html`
      <ab-validation-summary
        .strings=${{
          heading: 'Es gibt ein Problem',
          entry: (label: string, message: string) => `${label} – ${message}`,
        }}
      ></ab-validation-summary>
    `),
  play: async ({ canvasElement }) => submit(canvasElement),
};

/** Right to left: the heading and the entries start on the right. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="he">
      <form style="display: grid; gap: 1rem; max-width: 30rem;"
        @submit=${(event: SubmitEvent) => event.preventDefault()}>
        <ab-validation-summary .strings=${{ heading: 'יש בעיה' }}></ab-validation-summary>
        <ab-text-field name="name" label="שם מלא" required></ab-text-field>
        <ab-text-field name="city" label="עיר" required></ab-text-field>
        <div><button type="submit">שליחה</button></div>
      </form>
    </div>
  `,
  play: async ({ canvasElement }) => submit(canvasElement),
};

/** The summary after a submit, with the dark tokens. */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => submit(canvasElement),
};
