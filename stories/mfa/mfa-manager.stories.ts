/**
 * @packageDocumentation
 * Gallery of `<ab-mfa-manager>`. The stories talk to the real server at same-origin `/api`: a
 * loader signs in an account in the state the story shows (no factor yet, or an authenticator
 * app on a remembered device, which also fills the devices and the history).
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import '../../components/mfa/mfa-manager.ts';
import type { AbMfaManager } from '../../components/mfa/mfa-manager.ts';
import {
  registerAccount,
  rememberedAccount,
  signIn,
  signOut,
  useBackupCodes,
} from '../../test/components/support/mfa-account.ts';

/** The controls the gallery offers. */
interface ManagerArgs {
  heading: string;
  headingLevel: number;
  historyPageSize: number;
  apiBase: string;
}

/** The account a story needs, named by its `account` parameter. */
type AccountKind = 'fresh' | 'remembered' | 'few-codes' | 'none';

/**
 * Signs in the account the story's `account` parameter names: `remembered` (the default) has
 * an authenticator app and was signed in by a remembered device, so removing a method asks
 * to confirm it is them; `few-codes` is the same with two backup codes left; `fresh` has
 * no second factor; `none` signs out. One loader for every story, so sign-ins never race.
 */
async function accountFor({ parameters }: { parameters: { account?: AccountKind } }) {
  const kind = parameters.account ?? 'remembered';
  await signOut();
  if (kind === 'fresh') await signIn(await registerAccount('gallery-manager'));
  if (kind === 'remembered' || kind === 'few-codes') {
    const account = await rememberedAccount('gallery-manager');
    if (kind === 'few-codes') await useBackupCodes(account, 7);
  }
  return {};
}

const meta = {
  title: 'MFA/Manager',
  component: 'ab-mfa-manager',
  args: { heading: 'Two-step verification', headingLevel: 2, historyPageSize: 10, apiBase: '' },
  argTypes: {
    headingLevel: { control: { type: 'number', min: 1, max: 5 } },
    historyPageSize: { control: { type: 'number', min: 1, max: 100 } },
  },
  loaders: [accountFor],
  render: (args) => html`
    <ab-mfa-manager
      heading=${args.heading}
      heading-level=${args.headingLevel}
      history-page-size=${args.historyPageSize}
      api-base=${args.apiBase}
    ></ab-mfa-manager>
  `,
} satisfies Meta<ManagerArgs>;

export default meta;

type Story = StoryObj<ManagerArgs>;

/** The manager once it has read the account (or five seconds have passed). */
async function managerIn(canvasElement: HTMLElement): Promise<AbMfaManager> {
  const manager = canvasElement.querySelector<AbMfaManager>('ab-mfa-manager')!;
  for (let waitedMs = 0; manager.state === 'loading' && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await manager.updateComplete;
  return manager;
}

/** Clicks the manager's button marked `data-action="<name>"`. */
async function clickAction(manager: AbMfaManager, name: string): Promise<void> {
  await userEvent.click(manager.shadowRoot!.querySelector<HTMLElement>(`[data-action="${name}"]`)!);
  await manager.updateComplete;
}

/**
 * An authenticator app, its backup codes, this browser remembered, and the verifications so
 * far: setup, the backup code that remembered the device, and the sign-in it skipped.
 */
export const WithDevices: Story = {};

/** No second factor yet: the way to add one; nothing remembered, no history. */
export const NoMethods: Story = {
  parameters: { account: 'fresh' },
};

/** Remove, first press: the manager asks before removing anything. */
export const ConfirmRemoval: Story = {
  play: async ({ canvasElement }) => {
    await clickAction(await managerIn(canvasElement), 'remove');
  },
};

/**
 * Remove, confirmed, in a session opened by a remembered device: the server wants a fresh
 * verification, and `ab-mfa-verify` appears in place.
 */
export const RemoveWithStepUp: Story = {
  play: async ({ canvasElement }) => {
    const manager = await managerIn(canvasElement);
    await clickAction(manager, 'remove');
    await clickAction(manager, 'confirm-remove');
  },
};

/** Add a method: `ab-mfa-setup` opens in place. */
export const AddingAMethod: Story = {
  parameters: { account: 'fresh' },
  play: async ({ canvasElement }) => {
    const manager = await managerIn(canvasElement);
    await userEvent.click(manager.shadowRoot!.querySelector<HTMLElement>('[part~="add"]')!);
  },
};

/** Two backup codes left: the backup codes section warns. */
export const FewBackupCodes: Story = {
  parameters: { account: 'few-codes' },
};

/** Two history entries a page: Show more loads the next ones. */
export const HistoryPaged: Story = {
  parameters: { account: 'few-codes' },
  args: { historyPageSize: 2 },
};

/** A device forgotten: the list empties and the status line says so. */
export const DeviceForgotten: Story = {
  play: async ({ canvasElement }) => {
    await clickAction(await managerIn(canvasElement), 'forget');
  },
};

/** Nobody is signed in: the manager says to sign in. */
export const SignedOut: Story = {
  parameters: { account: 'none' },
};

/** No server at `api-base`: the manager says so and offers to try again. */
export const ServerUnreachable: Story = {
  tags: ['expect-network-error'],
  args: { apiBase: 'http://127.0.0.1:59999/api' },
};

/** Right to left: lists, badges and buttons start on the right. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="ar">
      <ab-mfa-manager
        heading="التحقق بخطوتين"
        .strings=${{ methodsHeading: 'طرق تسجيل الدخول', remove: 'إزالة' }}
      ></ab-mfa-manager>
    </div>
  `,
};

/** The dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
