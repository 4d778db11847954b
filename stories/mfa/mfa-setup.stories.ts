/**
 * @packageDocumentation
 * Gallery of `<ab-mfa-setup>`. The stories talk to the real server at same-origin `/api`: a
 * loader registers a fresh account and signs in with it, and the play functions go through the
 * wizard as a person would, with the gallery's own authenticator app computing the codes.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import '../../components/mfa/mfa-setup.ts';
import type { AbMfaSetup, MfaSetupStep } from '../../components/mfa/mfa-setup.ts';
import {
  registerAccount,
  rememberedAccount,
  signIn,
  signOut,
} from '../../test/components/support/mfa-account.ts';
import { TestAuthenticator } from '../../test/components/support/totp.ts';

/** The controls the gallery offers. */
interface SetupArgs {
  method: '' | 'totp' | 'sms' | 'email';
  headingLevel: number;
  apiBase: string;
}

/** The account a story needs, named by its `account` parameter. */
type AccountKind = 'fresh' | 'remembered' | 'none';

/**
 * Signs in the account the story's `account` parameter names: `fresh` (the default) has no
 * second factor, `remembered` has an authenticator app and was signed in by a remembered
 * device (so adding a method asks to confirm it is them), `none` signs out. One loader for
 * every story: Storybook runs a story's loaders at once, and two sign-ins would race.
 */
async function accountFor({ parameters }: { parameters: { account?: AccountKind } }) {
  const kind = parameters.account ?? 'fresh';
  await signOut();
  if (kind === 'remembered') await rememberedAccount('gallery-setup');
  if (kind === 'fresh') await signIn(await registerAccount('gallery-setup'));
  return {};
}

const meta = {
  title: 'MFA/Setup',
  component: 'ab-mfa-setup',
  args: { method: '', headingLevel: 2, apiBase: '' },
  argTypes: {
    method: { control: 'inline-radio', options: ['', 'totp', 'sms', 'email'] },
    headingLevel: { control: { type: 'number', min: 1, max: 6 } },
  },
  loaders: [accountFor],
  render: (args) => html`
    <ab-mfa-setup
      method=${args.method}
      heading-level=${args.headingLevel}
      api-base=${args.apiBase}
    ></ab-mfa-setup>
  `,
} satisfies Meta<SetupArgs>;

export default meta;

type Story = StoryObj<SetupArgs>;

/** The wizard, once it has reached `step` (or five seconds have passed). */
async function setupAt(canvasElement: HTMLElement, step: MfaSetupStep): Promise<AbMfaSetup> {
  const setup = canvasElement.querySelector<AbMfaSetup>('ab-mfa-setup')!;
  for (let waitedMs = 0; setup.step !== step && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await setup.updateComplete;
  return setup;
}

/** The inner `<input>` of the wizard's code field. */
async function codeInput(setup: AbMfaSetup): Promise<HTMLInputElement> {
  const field = setup.shadowRoot!.querySelector<HTMLElement & { updateComplete: Promise<unknown> }>(
    '[part~="code"]',
  )!;
  await field.updateComplete;
  return field.shadowRoot!.querySelector('input')!;
}

/** The authenticator app for the key the wizard shows. */
function appFor(setup: AbMfaSetup): TestAuthenticator {
  const key = setup.shadowRoot!.querySelector('[part~="secret"]')!.textContent!;
  return new TestAuthenticator(key.replace(/\s+/g, ''));
}

/** Scans (reads the key), types the app's code and presses Enter: the backup codes follow. */
async function confirmApp(canvasElement: HTMLElement): Promise<AbMfaSetup> {
  const setup = await setupAt(canvasElement, 'scan');
  const code = await appFor(setup).nextCode();
  await userEvent.type(await codeInput(setup), `${code}{Enter}`);
  return setupAt(canvasElement, 'backup-codes');
}

/** The first step: the methods the policy allows, the first one not set up chosen. */
export const ChooseMethod: Story = {};

/** An authenticator app: the QR code, the key grouped in fours to copy, and the code field. */
export const ScanQrCode: Story = {
  args: { method: 'totp' },
};

/** A wrong code: the error and the tries left on the field, ready for another try. */
export const WrongCode: Story = {
  args: { method: 'totp' },
  play: async ({ canvasElement }) => {
    const setup = await setupAt(canvasElement, 'scan');
    const wrong = await appFor(setup).wrongCode();
    await userEvent.type(await codeInput(setup), `${wrong}{Enter}`);
  },
};

/** A code in the wrong shape: said on the field before anything is sent. */
export const CodeTooShort: Story = {
  args: { method: 'totp' },
  play: async ({ canvasElement }) => {
    const setup = await setupAt(canvasElement, 'scan');
    await userEvent.type(await codeInput(setup), '12{Enter}');
  },
};

/**
 * The right code: the app is set up and the first backup codes are shown once, with copy,
 * download and print; Finish needs "I have saved these codes somewhere safe".
 */
export const BackupCodes: Story = {
  args: { method: 'totp' },
  play: async ({ canvasElement }) => {
    await confirmApp(canvasElement);
  },
};

/** Finish before ticking the box: the wizard asks to confirm the codes are saved. */
export const BackupCodesNotConfirmed: Story = {
  args: { method: 'totp' },
  play: async ({ canvasElement }) => {
    const setup = await confirmApp(canvasElement);
    const finish = [...setup.shadowRoot!.querySelectorAll('button')].find(
      (button) => button.textContent!.trim() === 'Finish',
    )!;
    await userEvent.click(finish);
  },
};

/** Done: two-step verification is on (and `ab-mfa-enrolled` was fired). */
export const Finished: Story = {
  args: { method: 'totp' },
  play: async ({ canvasElement }) => {
    const setup = await confirmApp(canvasElement);
    await userEvent.click(setup.shadowRoot!.querySelector<HTMLInputElement>('[name="saved"]')!);
    const finish = setup.shadowRoot!.querySelector<HTMLButtonElement>('[part~="primary"]')!;
    await userEvent.click(finish);
  },
};

/**
 * An account with a factor already, signed in on a remembered device: before changing its
 * methods the wizard asks to confirm it is them, with `ab-mfa-verify`.
 */
export const ConfirmItIsYou: Story = {
  parameters: { account: 'remembered' },
  play: async ({ canvasElement }) => {
    const setup = await setupAt(canvasElement, 'choose');
    const next = setup.shadowRoot!.querySelector<HTMLButtonElement>('[part~="primary"]')!;
    await userEvent.click(next);
  },
};

/** Nobody is signed in: the wizard says to sign in first. */
export const SignedOut: Story = {
  parameters: { account: 'none' },
};

/** No server at `api-base`: the wizard says so and offers to try again. */
export const ServerUnreachable: Story = {
  // A loopback port nothing listens on: the browser's own "connection refused".
  tags: ['expect-network-error'],
  args: { apiBase: 'http://127.0.0.1:59999/api' },
};

/** Right to left: the layout starts on the right; the key still reads left to right. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="ar" style="max-width: 32rem;">
      <ab-mfa-setup
        method="totp"
        .strings=${{ scanHeading: 'امسح رمز الاستجابة السريعة', confirm: 'تأكيد' }}
      ></ab-mfa-setup>
    </div>
  `,
};

/** The dark tokens (the toolbar's theme switch does this for any story); the QR stays light. */
export const DarkTheme: Story = {
  args: { method: 'totp' },
  globals: { theme: 'dark' },
};
