/**
 * @packageDocumentation
 * Gallery of `<ab-mfa-verify>`. Every story talks to the real server at same-origin `/api`: a
 * loader registers a fresh account, sets up an authenticator app (codes from the tests' own
 * RFC 6238 generator), signs out and in again, and leaves the viewer with that pending session,
 * so each story shows a real second step.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import { ProblemError } from '../../components/core/api-errors.ts';
import type { MfaMethod, MfaStatus } from '../../components/core/mfa-api.ts';
import '../../components/mfa/mfa-verify.ts';
import type { AbMfaVerify } from '../../components/mfa/mfa-verify.ts';
import { pendingAccount, type EnrolledAccount } from '../../test/components/support/mfa-account.ts';

/** The controls the gallery offers. */
interface VerifyArgs {
  heading: string;
  method: MfaMethod | '';
  rememberDevice: boolean;
  disabled: boolean;
}

/** What the loader leaves for the story: the pending account and its status. */
interface Loaded {
  account: EnrolledAccount;
  status: MfaStatus;
}

/**
 * Signs in a fresh account with an authenticator app, up to its second step. One loader for
 * every story: Storybook runs a story's loaders at once, and two sign-ins would race.
 */
async function pendingSession(): Promise<Loaded> {
  const account = await pendingAccount('gallery-verify');
  const status = (await (await fetch('/api/mfa/status')).json()) as MfaStatus;
  return { account, status };
}

const meta = {
  title: 'MFA/Verify',
  component: 'ab-mfa-verify',
  args: { heading: 'Confirm it is you', method: '', rememberDevice: false, disabled: false },
  argTypes: {
    method: { control: 'inline-radio', options: ['', 'totp', 'sms', 'email', 'backup'] },
  },
  loaders: [pendingSession],
  render: (args) => html`
    <ab-mfa-verify
      heading=${args.heading}
      method=${args.method}
      ?remember-device=${args.rememberDevice}
      ?disabled=${args.disabled}
    ></ab-mfa-verify>
  `,
} satisfies Meta<VerifyArgs>;

export default meta;

type Story = StoryObj<VerifyArgs>;

/** The element once it has read the account's methods. */
async function verifyIn(canvasElement: HTMLElement): Promise<AbMfaVerify> {
  const verify = canvasElement.querySelector<AbMfaVerify>('ab-mfa-verify')!;
  for (let waitedMs = 0; verify.state === 'loading' && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await verify.updateComplete;
  return verify;
}

function loadedAccount(context: { loaded: unknown }): EnrolledAccount {
  return (context.loaded as Loaded).account;
}

/** Types `code` into the code field, as a person would. */
async function typeCode(canvasElement: HTMLElement, code: string): Promise<void> {
  const verify = await verifyIn(canvasElement);
  await userEvent.type(verify.shadowRoot!.querySelector<HTMLInputElement>('input.code')!, code);
}

/**
 * The second step of a sign-in: the account's methods (an authenticator app and backup
 * codes), the code field, and "remember this device" as the default policy allows it.
 */
export const Default: Story = {};

/** A wrong code: the server's message and the attempts left, and the field ready again. */
export const WrongCode: Story = {
  play: async (context) => {
    await typeCode(context.canvasElement, await loadedAccount(context).authenticator.wrongCode());
  },
};

/** The right code, typed: sent as soon as it is complete; the session is verified. */
export const Verified: Story = {
  play: async (context) => {
    await typeCode(context.canvasElement, await loadedAccount(context).authenticator.nextCode());
  },
};

/**
 * Locked after too many wrong codes: the field is disabled and the lock counts down. Rendered
 * through the `error` property, the documented way to show a problem, since a real lock takes
 * five wrong codes and the server's growing waits between them.
 */
export const Locked: Story = {
  render: () => html`
    <ab-mfa-verify
      .error=${new ProblemError({
        type: '/api/problems/mfa-locked',
        title: 'Too many wrong codes.',
        status: 423,
        detail: 'Verification is locked.',
        lockedUntil: new Date(Date.now() + 15 * 60_000).toISOString(),
      })}
    ></ab-mfa-verify>
  `,
};

/** A backup code instead: a text field (letters and digits) and a hint. */
export const BackupCode: Story = {
  args: { method: 'backup' },
};

/**
 * A text message was sent: where it went, and the resend button counting down to when another
 * may be sent. The default policy allows no text messages, so the account's real status gets
 * an SMS method through the `status` property and the sent code through `codeSent`, the
 * documented properties for this state.
 */
export const SmsResendCountdown: Story = {
  render: (_args, context) => {
    const real = (context.loaded as Loaded).status;
    const destination = '+44•••••••789';
    const status: MfaStatus = {
      ...real,
      methods: ['totp', 'sms', 'backup'],
      sms: { ...real.sms, enabled: true, allowed: true, destination },
    };
    const nowMs = Date.now();
    const codeSent = {
      method: 'sms' as const,
      sentTo: destination,
      expiresAt: new Date(nowMs + 5 * 60_000).toISOString(),
      resendAvailableAt: new Date(nowMs + 60_000).toISOString(),
    };
    return html`
      <ab-mfa-verify method="sms" .status=${status} .codeSent=${codeSent}></ab-mfa-verify>
    `;
  },
};

/** Without its own heading, e.g. inside a card that has one (as in `ab-login`). */
export const WithoutHeading: Story = {
  args: { heading: '' },
};

/** Disabled: nothing can be typed or sent. */
export const Disabled: Story = {
  args: { disabled: true },
};

/** Right to left: the switcher, field and buttons start on the right. */
export const RightToLeft: Story = {
  render: () => html`
    <div dir="rtl" lang="ar" style="max-width: 24rem;">
      <ab-mfa-verify
        .strings=${{ heading: 'تأكيد الهوية', verify: 'تحقق', methodLegend: 'التحقق عبر' }}
      ></ab-mfa-verify>
    </div>
  `,
};

/** The dark tokens (the toolbar's theme switch does this for any story). */
export const DarkTheme: Story = {
  globals: { theme: 'dark' },
};
