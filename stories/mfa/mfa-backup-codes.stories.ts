/**
 * @packageDocumentation
 * Gallery of `<ab-mfa-backup-codes>`. The stories talk to the real server at same-origin `/api`:
 * a loader registers a fresh account and sets up an authenticator app, whose confirmation
 * answers real backup codes, and leaves the viewer signed in as that account.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { userEvent } from 'storybook/test';
import '../../components/mfa/mfa-backup-codes.ts';
import type { AbMfaBackupCodes } from '../../components/mfa/mfa-backup-codes.ts';
import {
  enrolledAccount,
  rememberedAccount,
  useBackupCodes,
  type EnrolledAccount,
} from '../../test/components/support/mfa-account.ts';

/** The controls the gallery offers. */
interface BackupCodesArgs {
  heading: string | undefined;
  filename: string;
  noConfirm: boolean;
}

/** What the loaders leave for the story. */
interface Loaded {
  account: EnrolledAccount;
}

/** The account a story needs, named by its `account` parameter. */
type AccountKind = 'fresh' | 'two-left' | 'remembered';

/**
 * Signs in the account the story's `account` parameter names: `fresh` (the default) has an
 * authenticator app and its 10 codes, `two-left` has used 8 of them, `remembered` was signed
 * in by a remembered device (no verification in this session). One loader for every story:
 * Storybook runs a story's loaders at once, and two sign-ins would race.
 */
async function accountFor({ parameters }: { parameters: { account?: AccountKind } }) {
  const kind = parameters.account ?? 'fresh';
  if (kind === 'remembered') return { account: await rememberedAccount('gallery-codes') };
  const account = await enrolledAccount('gallery-codes');
  if (kind === 'two-left') await useBackupCodes(account, 8);
  return { account };
}

const meta = {
  title: 'MFA/Backup codes',
  component: 'ab-mfa-backup-codes',
  args: { heading: undefined, filename: 'backup-codes.txt', noConfirm: false },
  loaders: [accountFor],
  render: (args, context) => html`
    <ab-mfa-backup-codes
      heading=${ifDefined(args.heading)}
      filename=${args.filename}
      ?no-confirm=${args.noConfirm}
      .codes=${(context.loaded as Loaded).account.backupCodes}
      .printer=${() => undefined}
    ></ab-mfa-backup-codes>
  `,
} satisfies Meta<BackupCodesArgs>;

export default meta;

type Story = StoryObj<BackupCodesArgs>;

/** The summary (no fresh codes): how many are left, and "Generate new codes". */
function renderSummary() {
  return html`<ab-mfa-backup-codes></ab-mfa-backup-codes>`;
}

/** The element, and its regenerate button once the count has loaded. */
async function regenerateButton(canvasElement: HTMLElement): Promise<HTMLButtonElement> {
  const element = canvasElement.querySelector<AbMfaBackupCodes>('ab-mfa-backup-codes')!;
  for (let waitedMs = 0; element.counts === null && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await element.updateComplete;
  return element.shadowRoot!.querySelector<HTMLButtonElement>('[part~="regenerate"]')!;
}

/**
 * Fresh codes, shown once (here the ones the authenticator's confirmation answered): copy,
 * download, print, and Done once "I have saved these codes" is ticked.
 */
export const FreshCodes: Story = {};

/** Fresh codes inside a host that asks for the confirmation itself (as `ab-mfa-setup` does). */
export const WithoutConfirmation: Story = {
  args: { noConfirm: true, heading: '' },
};

/** How many codes are left, with the way to make new ones. */
export const Remaining: Story = {
  render: renderSummary,
};

/** Two codes left: the warning asks for new ones. */
export const LowRemaining: Story = {
  parameters: { account: 'two-left' },
  render: renderSummary,
};

/** "Generate new codes" right after a verification: the new codes appear at once. */
export const Regenerated: Story = {
  render: renderSummary,
  play: async ({ canvasElement }) => {
    await userEvent.click(await regenerateButton(canvasElement));
  },
};

/**
 * "Generate new codes" in a session opened by a remembered device, with no verification in the
 * last 5 minutes: the server asks for one, and `ab-mfa-verify` appears in place.
 */
export const RegenerateWithStepUp: Story = {
  parameters: { account: 'remembered' },
  render: renderSummary,
  play: async ({ canvasElement }) => {
    await userEvent.click(await regenerateButton(canvasElement));
  },
};

/** Right to left: the list and the buttons start on the right. */
export const RightToLeft: Story = {
  render: (_args, context) => html`
    <div dir="rtl" lang="ar" style="max-width: 28rem;">
      <ab-mfa-backup-codes
        .codes=${(context.loaded as Loaded).account.backupCodes}
        .strings=${{ freshHeading: 'احفظ رموز الاسترداد', copy: 'نسخ الكل', done: 'تم' }}
      ></ab-mfa-backup-codes>
    </div>
  `,
};

/** The dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
