/**
 * @packageDocumentation
 * Gallery of `<ab-login>`. The stories talk to the real server at same-origin `/api`; the
 * signed-out ones sign the viewer out first, so each shows what its name says.
 */
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { userEvent } from 'storybook/test';
import { ProblemError } from '../../components/core/api-errors.ts';
import '../../components/mfa/login.ts';
import type { AbLogin } from '../../components/mfa/login.ts';
import type { AbTextField } from '../../components/ui/text-field.ts';
import { enrolledAccount, signOut } from '../../test/components/support/mfa-account.ts';

/** The controls the gallery offers for the login form. */
interface LoginArgs {
  heading: string;
  username: string;
  apiBase: string;
}

/** Ends any session the viewer has, so the form shows instead of the signed-in state. */
async function signOutFirst(): Promise<Record<string, never>> {
  await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  return {};
}

const meta = {
  title: 'MFA/Login',
  component: 'ab-login',
  args: { heading: 'Sign in', username: '', apiBase: '' },
  loaders: [signOutFirst],
  render: (args) => html`
    <ab-login heading=${args.heading} username=${args.username} api-base=${args.apiBase}>
      <p slot="footer">New here? <a href="#register">Create an account</a></p>
    </ab-login>
  `,
} satisfies Meta<LoginArgs>;

export default meta;

type Story = StoryObj<LoginArgs>;

/** The element once it knows whether someone is signed in. */
async function loginIn(canvasElement: HTMLElement): Promise<AbLogin> {
  const login = canvasElement.querySelector<AbLogin>('ab-login')!;
  for (let waitedMs = 0; login.state === 'checking' && waitedMs < 5000; waitedMs += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await login.updateComplete;
  return login;
}

/** The inner `<input>` of one of the element's fields. */
async function inputOf(login: AbLogin, name: 'username' | 'password'): Promise<HTMLInputElement> {
  const field = login.shadowRoot!.querySelector<AbTextField>(`ab-text-field[name="${name}"]`)!;
  await field.updateComplete;
  return field.shadowRoot!.querySelector('input')!;
}

/** Types the credentials into the form and presses Enter, as a keyboard user would. */
async function signInAs(login: AbLogin, username: string, password: string): Promise<void> {
  await userEvent.type(await inputOf(login, 'username'), username);
  await userEvent.type(await inputOf(login, 'password'), `${password}{Enter}`);
}

/** An empty form, with a register link in the footer slot. */
export const Default: Story = {};

/** The username is filled in (e.g. remembered from last time); only the password is left. */
export const Prefilled: Story = {
  args: { username: 'ada' },
};

/**
 * A sign-in the server refuses: the alert shows the server's own explanation and the password
 * is selected for retyping.
 */
export const WithServerErrors: Story = {
  play: async ({ canvasElement }) => {
    await signInAs(await loginIn(canvasElement), 'nobody-by-this-name', 'not the password');
  },
};

/** After a successful sign-in: who is signed in, and a sign-out button. */
export const SignedIn: Story = {
  play: async ({ canvasElement }) => {
    const username = `gallery-${Date.now().toString(36)}`;
    const password = 'correct horse battery';
    await fetch('/api/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        username,
        email: `${username}@example.com`,
        password,
        firstName: 'Ada',
      }),
    });
    await signInAs(await loginIn(canvasElement), username, password);
  },
};

/**
 * The second step: an account with an authenticator app signs in with its password, and the
 * code prompt (`ab-mfa-verify`) appears in place of the form. The account is made fresh, with
 * codes from the tests' own RFC 6238 generator.
 */
export const SecondStep: Story = {
  // Made here, not in a loader: loaders run at once, and this sign-in would race the sign-out.
  play: async ({ canvasElement }) => {
    const login = await loginIn(canvasElement);
    const account = await enrolledAccount('gallery-login');
    await signOut();
    await signInAs(login, account.username, account.password);
  },
};

/**
 * Too many failed attempts: the server's 429 is shown, and sign-in stays disabled while the
 * `Retry-After` seconds count down. Rendered through the `error` property, the documented way to
 * show a problem, since producing a real lock-out would lock the demo account.
 */
export const RateLimited: Story = {
  render: (args) => html`
    <ab-login
      heading=${args.heading}
      .error=${new ProblemError(
        {
          type: '/api/problems/too-many-requests',
          title: 'Too many attempts.',
          status: 429,
          detail: 'Too many failed sign-ins for this account. Wait a moment and try again.',
          retryAfter: 90,
        },
      )}
    ></ab-login>
  `,
};

/** No server at `api-base`: the element says so and still offers the form. */
export const ServerUnreachable: Story = {
  // A loopback port nothing listens on: the browser's own "connection refused".
  tags: ['expect-network-error'],
  args: { apiBase: 'http://127.0.0.1:59999/api' },
};
