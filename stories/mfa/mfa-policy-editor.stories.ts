/**
 * @packageDocumentation
 * Gallery of `<ab-mfa-policy-editor>`. The stories talk to the real server at same-origin
 * `/api`, signed in as the Admin the test and gallery servers create (`ADMIN_USER`, see
 * test/support/test-admin.mjs). On a server without that account they show what anyone who is
 * not an Admin sees. The stories only open forms and look things up; nothing is saved, so the
 * server's policies stay as they were.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import '../../components/mfa/mfa-policy-editor.ts';
import type { AbMfaPolicyEditor } from '../../components/mfa/mfa-policy-editor.ts';
import {
  registerAccount,
  signIn,
  signOut,
  type TestAccount,
} from '../../test/components/support/mfa-account.ts';
import { testAdmin } from '../../test/support/test-admin.mjs';

/** The controls the gallery offers. */
interface PolicyEditorArgs {
  heading: string;
  headingLevel: number;
  roles: string;
  apiBase: string;
}

/** Who a story is signed in as, named by its `as` parameter. */
type Viewer = 'admin' | 'user' | 'none';

/** What the loader leaves for the story. */
interface Loaded {
  /** An account that is not an Admin, e.g. to look up which policy applies to it. */
  account: TestAccount;
}

/**
 * Registers an ordinary account, then signs in as the story's `as` parameter says: the Admin
 * (the default), that account, or nobody. One loader, so the sign-ins never race.
 */
async function viewerFor({ parameters }: { parameters: { as?: Viewer } }): Promise<Loaded> {
  await signOut();
  const account = await registerAccount('gallery-policy');
  const viewer = parameters.as ?? 'admin';
  // A server without the test Admin answers 401; the story then shows the refusal.
  if (viewer === 'admin') await signIn(testAdmin).catch(() => undefined);
  if (viewer === 'user') await signIn(account);
  return { account };
}

const meta = {
  title: 'MFA/Policy editor',
  component: 'ab-mfa-policy-editor',
  args: { heading: 'MFA policies', headingLevel: 2, roles: 'Admin, User', apiBase: '' },
  argTypes: { headingLevel: { control: { type: 'number', min: 1, max: 5 } } },
  loaders: [viewerFor],
  render: (args) => html`
    <ab-mfa-policy-editor
      heading=${args.heading}
      heading-level=${args.headingLevel}
      roles=${args.roles}
      api-base=${args.apiBase}
    ></ab-mfa-policy-editor>
  `,
} satisfies Meta<PolicyEditorArgs>;

export default meta;

type Story = StoryObj<PolicyEditorArgs>;

/** The editor once it has read the policies (or five seconds have passed). */
async function editorIn(canvasElement: HTMLElement): Promise<AbMfaPolicyEditor> {
  const editor = canvasElement.querySelector<AbMfaPolicyEditor>('ab-mfa-policy-editor')!;
  for (let waitedMs = 0; editor.state === 'loading' && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await editor.updateComplete;
  return editor;
}

/** Clicks the editor's first button whose text starts with `label`. */
async function clickButton(editor: AbMfaPolicyEditor, label: string): Promise<void> {
  const button = [...editor.shadowRoot!.querySelectorAll('button')].find((candidate) =>
    candidate.textContent!.trim().startsWith(label),
  );
  if (button) await userEvent.click(button);
  await editor.updateComplete;
}

/** The policies in the order they win, each with Edit and Delete, and New policy. */
export const PolicyList: Story = {};

/** New policy: the form with the server's defaults. */
export const NewPolicy: Story = {
  play: async ({ canvasElement }) => {
    await clickButton(await editorIn(canvasElement), 'New policy');
  },
};

/** Editing the seeded policy: every rule in its field. */
export const EditPolicy: Story = {
  play: async ({ canvasElement }) => {
    await clickButton(await editorIn(canvasElement), 'Edit');
  },
};

/**
 * Save pressed on a form with no name, no method and out-of-range numbers: each field says
 * what is wrong, as the server would, and nothing is sent.
 */
export const InvalidForm: Story = {
  play: async ({ canvasElement }) => {
    const editor = await editorIn(canvasElement);
    await clickButton(editor, 'New policy');
    const root = editor.shadowRoot!;
    await userEvent.click(root.querySelector<HTMLInputElement>('[name="allowedMethods"]')!);
    await userEvent.click(root.querySelector<HTMLInputElement>('[value="roles"]')!);
    const attempts = root.querySelector<HTMLElement>('ab-text-field[name="maxFailedAttempts"]')!;
    const input = attempts.shadowRoot!.querySelector('input')!;
    // Typed over the default (5), as a person who selects it first would.
    const selection = { initialSelectionStart: 0, initialSelectionEnd: input.value.length };
    await userEvent.type(input, '11', selection);
    await clickButton(editor, 'Save');
  },
};

/** Delete, first press: the editor asks before deleting. */
export const ConfirmDelete: Story = {
  play: async ({ canvasElement }) => {
    await clickButton(await editorIn(canvasElement), 'Delete');
  },
};

/** Which policy applies to an account: named, and marked in the list. */
export const PolicyForAnAccount: Story = {
  play: async (context) => {
    const editor = await editorIn(context.canvasElement);
    const field = editor.shadowRoot!.querySelector<HTMLElement>('ab-text-field[name="userId"]')!;
    const { account } = context.loaded as Loaded;
    await userEvent.type(field.shadowRoot!.querySelector('input')!, `${account.id}{Enter}`);
  },
};

/** Signed in, but not as an Admin: the server refuses (403) and the editor says so. */
export const NotAnAdmin: Story = {
  parameters: { as: 'user' },
};

/** Nobody is signed in: the editor asks for an Admin. */
export const SignedOut: Story = {
  parameters: { as: 'none' },
};

/** No server at `api-base`: the editor says so and offers to try again. */
export const ServerUnreachable: Story = {
  tags: ['expect-network-error'],
  args: { apiBase: 'http://127.0.0.1:59999/api' },
};

/** Right to left: the table and the form start on the right. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="ar">
      <ab-mfa-policy-editor
        heading="سياسات التحقق"
        .strings=${{ newPolicy: 'سياسة جديدة', edit: 'تعديل', delete: 'حذف' }}
      ></ab-mfa-policy-editor>
    </div>
  `,
};

/** The dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
