/**
 * @packageDocumentation
 * `<ab-login>`: the sign-in form of the ab-elements server, with its signed-in state and sign-out.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { ProblemError, asError, errorMessage } from '../core/api-errors.ts';
import { CountdownController, formatWait } from '../core/countdown.ts';
import { domainEvent } from '../core/domain-event.ts';
import { localeOf } from '../core/format.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { token } from '../core/tokens.ts';
import type { AbTextField } from '../ui/text-field.ts';
import '../ui/text-field.ts';
import type { AbMfaVerify } from './mfa-verify.ts';
import {
  awaitsSecondFactor,
  currentSession,
  displayName,
  signIn,
  signOut,
  type MfaMethod,
  type Session,
  type SessionMfa,
  type SessionUser,
} from '../core/session-api.ts';

/** Where the element stands: finding out, showing the form, waiting for MFA, or signed in. */
export type LoginState = 'checking' | 'signed-out' | 'second-factor' | 'signed-in';

/** `detail` of `ab-login`. */
export interface LoginEventDetail {
  /** The person who signed in. */
  user: SessionUser;
  /** Where their session stands on the second factor (passed or not required). */
  mfa: SessionMfa;
}

/** `detail` of `ab-mfa-required`. */
export interface MfaRequiredEventDetail {
  /** The person whose password was accepted. */
  user: SessionUser;
  /** The second factors they can use to finish signing in. */
  methods: MfaMethod[];
  /**
   * The policy requires a second factor and none is set up: the session can do nothing but
   * set one up (host `ab-mfa-setup` for that). `methods` is empty then.
   */
  mustEnrol: boolean;
}

/** `detail` of `ab-logout`. */
export interface LogoutEventDetail {
  /** The person who signed out. */
  user: SessionUser;
}

/** Said when something failed that is neither an answer from the server nor a lost connection. */
const unexpectedErrorMessage = 'Something went wrong. Please try again.';

/** Said to someone who must set up a second factor before signing in. */
const mustEnrolMessage =
  'Your account needs a second factor before you can continue. Set one up to finish ' +
  'signing in.';

/**
 * The sign-in form: username and password, sent to `POST {api-base}/auth/login`.
 *
 * On connecting it asks `GET {api-base}/auth/me` whether someone is signed in already, and if
 * so shows who, with a sign-out button (`POST {api-base}/auth/logout`).
 *
 * When the password is accepted but a second factor is due, it shows `ab-mfa-verify` in place
 * (the second step) and fires `ab-mfa-required`; once the code is accepted it reads the session
 * again and fires `ab-login`. Someone who must set up a second factor first (the policy
 * requires one and none is set up) gets a message and `ab-mfa-required` with `mustEnrol`: the
 * page shows `ab-mfa-setup` for them. Errors from the server
 * appear in place, in an alert: a wrong password shows the server's explanation; too many
 * attempts (429) disable the button and count down the `Retry-After` seconds; no connection
 * says so. Enter in either field submits.
 *
 * @summary Sign-in form with signed-in state and sign-out.
 * @tag ab-login
 *
 * @slot header - Replaces the heading, e.g. with a logo and a title.
 * @slot footer - Under the form, e.g. a "Create an account" link.
 *
 * @fires ab-login - Signed in; no second factor is due. `detail`: `{user, mfa}`. Bubbles,
 * composed.
 * @fires ab-mfa-required - The password was accepted (or a pending session was found on
 * connect) and a second factor is due; the element asks for it in place. `detail`:
 * `{user, methods, mustEnrol}`; with `mustEnrol` there is no method yet and the page shows
 * `ab-mfa-setup`. Bubbles, composed.
 * @fires ab-verified - From the inner `ab-mfa-verify` of the second step, just before
 * `ab-login`. `detail`: `{method, rememberedUntil}`. Bubbles, composed.
 * @fires ab-logout - Signed out. `detail`: `{user}`. Bubbles, composed.
 *
 * @csspart base - The card around everything.
 * @csspart heading - The default heading: `heading` over the form, "Signed in" after.
 * @csspart form - The sign-in form.
 * @csspart username - The username `ab-text-field`.
 * @csspart password - The password `ab-text-field`.
 * @csspart submit - The sign-in button.
 * @csspart retry - The countdown shown while sign-in is refused for too many attempts.
 * @csspart alert - The region that shows errors.
 * @csspart status - The "checking" and "signed in as" texts.
 * @csspart verify - The `ab-mfa-verify` of the second step.
 * @csspart must-enrol - The message to someone who must set up a second factor first.
 * @csspart sign-out - The sign-out button.
 *
 * @cssproperty --ab-login-max-width - Widest the card grows; 24rem by default.
 * @cssproperty --ab-login-background - Card background.
 * @cssproperty --ab-login-padding - Space inside the card.
 */
export class AbLogin extends ApiBaseMixin(LitElement) {
  // On top of the shared look: the card, and a sign-out button that is not dimmed while a
  // request runs (it is `aria-disabled` then, as the sign-in button is).
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-login-max-width, 24rem);
      }
      .base {
        display: grid;
        gap: ${token('space-l')};
        padding: var(--ab-login-padding, ${token('space-xl')});
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: var(--ab-login-background, ${token('color-surface')});
      }
      .form {
        display: grid;
        gap: ${token('space-m')};
      }
      .primary:hover {
        background: ${token('color-primary-hover')};
      }
      .sign-out[aria-disabled='true'] {
        opacity: 1;
        cursor: pointer;
      }
    `,
  ];

  /** Heading above the sign-in form, unless the `header` slot replaces it. */
  @property() heading = 'Sign in';

  /** Username to prefill, e.g. the one used last time. */
  @property() username = '';

  /**
   * The error shown in the alert. The element sets it when signing in, signing out or checking
   * the session fails, and clears it on the next attempt. Set it to show a problem yourself: a
   * `ProblemError` with status 429 and `retryAfterSeconds` disables sign-in and counts down.
   */
  @property({ attribute: false }) error: Error | null = null;

  /** A request (sign-in or sign-out) is on its way. */
  @state() private busy = false;

  @state() private current: LoginState = 'checking';

  @state() private currentSession: Session | null = null;

  @query('ab-text-field[name="username"]') private usernameField!: AbTextField | null;
  @query('ab-text-field[name="password"]') private passwordField!: AbTextField | null;
  @query('.sign-out') private signOutButton!: HTMLButtonElement | null;
  @query('ab-mfa-verify') private verifyElement!: AbMfaVerify | null;

  /** Counts down a 429's `Retry-After`; the error it explains goes when it ends. */
  #retry = new CountdownController(this, { onEnd: () => (this.error = null) });
  /** Counts session checks, so an answer to an older check is ignored. */
  #checkCount = 0;

  /** Where the element stands: `checking`, `signed-out`, `second-factor` or `signed-in`. */
  get state(): LoginState {
    return this.current;
  }

  /** The session the element shows, or `null` when signed out. */
  get session(): Session | null {
    return this.currentSession;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.checkSession();
  }

  /** Asks the server who is signed in and shows that; called on connect. */
  async checkSession(): Promise<void> {
    const check = ++this.#checkCount;
    this.current = 'checking';
    try {
      const session = await currentSession(this.api);
      if (check !== this.#checkCount) return;
      if (session) this.acceptSession(session, false);
      else this.current = 'signed-out';
    } catch (error) {
      if (check !== this.#checkCount) return;
      this.current = 'signed-out';
      this.error = asError(error);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('error')) {
      const error = this.error;
      const seconds =
        error instanceof ProblemError && error.status === 429 ? error.retryAfterSeconds : undefined;
      this.#retry.untilMs = seconds ? Date.now() + seconds * 1000 : 0;
    }
  }

  /** The default heading: `heading` for the form, a plain statement once signed in. */
  private get headingText(): string {
    if (this.current === 'signed-in') return 'Signed in';
    if (this.current === 'second-factor') return 'One more step';
    return this.heading;
  }

  override render() {
    return html`
      <section part="base" class="base">
        <slot name="header"><h2 part="heading">${this.headingText}</h2></slot>
        ${this.renderBody()}
        <div part="alert" class="alert" role="alert">${this.renderError()}</div>
        <slot name="footer"></slot>
      </section>
    `;
  }

  private renderBody() {
    const session = this.currentSession;
    switch (this.current) {
      case 'checking':
        return html`<p part="status" role="status">Checking whether you are signed in…</p>`;
      case 'signed-out':
        return this.renderForm();
      case 'second-factor':
      case 'signed-in':
        if (!session) return nothing;
        return html`
          <p part="status">
            ${this.current === 'signed-in' ? 'Signed in as' : 'Password accepted for'}
            <strong>${displayName(session.user)}</strong>${this.current === 'signed-in'
              ? '.'
              : '. Confirm it is you with your second factor to finish signing in.'}
          </p>
          ${this.current === 'second-factor' ? this.renderSecondStep(session) : nothing}
          <button
            part="sign-out"
            class="secondary sign-out"
            type="button"
            aria-disabled=${this.busy ? 'true' : 'false'}
            @click=${this.handleSignOut}
          >
            Sign out
          </button>
        `;
    }
  }

  /** The second step: the code prompt, or the message to someone who must enrol first. */
  private renderSecondStep(session: Session) {
    if (mustEnrol(session)) {
      return html`<p part="must-enrol" class="must-enrol">${mustEnrolMessage}</p>`;
    }
    // Loaded when first needed: most sign-ins have no second step. The element upgrades in
    // place once its module has arrived.
    void loadVerifyElement();
    return html`
      <ab-mfa-verify
        part="verify"
        heading=""
        api-base=${this.apiBase}
        @ab-verified=${this.handleVerified}
      ></ab-mfa-verify>
    `;
  }

  private renderForm() {
    const waitSeconds = this.#retry.seconds;
    const locale = localeOf(this);
    return html`
      <form part="form" class="form" @submit=${this.handleSubmit}>
        <ab-text-field
          part="username"
          name="username"
          label="Username"
          autocomplete="username"
          required
          value=${this.username}
        ></ab-text-field>
        <ab-text-field
          part="password"
          name="password"
          type="password"
          label="Password"
          autocomplete="current-password"
          required
        ></ab-text-field>
        ${waitSeconds > 0
          ? html`<p part="retry" class="muted" id="retry">
              You can try again ${formatWait(waitSeconds, locale)}.
            </p>`
          : nothing}
        <button
          part="submit"
          class="primary"
          type="submit"
          ?disabled=${waitSeconds > 0}
          aria-disabled=${this.busy ? 'true' : 'false'}
          aria-describedby=${waitSeconds > 0 ? 'retry' : nothing}
        >
          ${this.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    `;
  }

  private renderError() {
    return this.error ? errorMessage(this.error, unexpectedErrorMessage) : nothing;
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    // While busy the button stays focusable (aria-disabled), so Enter still arrives here.
    if (this.busy || this.#retry.seconds > 0) return;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const username = String(data.get('username') ?? '');
    const password = String(data.get('password') ?? '');
    this.busy = true;
    this.error = null;
    try {
      this.acceptSession(await signIn(this.api, { username, password }), true);
    } catch (error) {
      this.error = asError(error);
      if (error instanceof ProblemError && error.status === 401) await this.retypePassword();
    } finally {
      this.busy = false;
    }
  }

  private async handleSignOut(): Promise<void> {
    const session = this.currentSession;
    if (this.busy || !session) return;
    this.busy = true;
    this.error = null;
    try {
      await signOut(this.api);
    } catch (error) {
      // A session that already ended is as good as a sign-out; anything else keeps it.
      if (!(error instanceof ProblemError && error.status === 401)) {
        this.error = asError(error);
        return;
      }
    } finally {
      this.busy = false;
    }
    this.currentSession = null;
    this.current = 'signed-out';
    this.dispatchEvent(domainEvent<LogoutEventDetail>('ab-logout', { user: session.user }));
    await this.updateComplete;
    this.usernameField?.focus();
  }

  /** Shows `session` and announces it; `fromSignIn` is false for a session found on connect. */
  private acceptSession(session: Session, fromSignIn: boolean): void {
    this.currentSession = session;
    if (awaitsSecondFactor(session)) {
      this.current = 'second-factor';
      const methods = session.mfa.methods;
      const detail = { user: session.user, methods, mustEnrol: mustEnrol(session) };
      this.dispatchEvent(domainEvent<MfaRequiredEventDetail>('ab-mfa-required', detail));
    } else {
      this.current = 'signed-in';
      const detail = { user: session.user, mfa: session.mfa };
      if (fromSignIn) this.dispatchEvent(domainEvent<LoginEventDetail>('ab-login', detail));
    }
    // The form (and the focused field in it) is gone; keep keyboard users in the card: on the
    // code field of the second step, else on sign-out.
    if (fromSignIn) void this.focusNextStep();
  }

  /** Focuses the second step's code field once it is defined, or sign-out. */
  private async focusNextStep(): Promise<void> {
    await this.updateComplete;
    if (this.verifyElement) {
      await loadVerifyElement();
      this.verifyElement?.focus();
    } else {
      this.signOutButton?.focus();
    }
  }

  /** The second factor was accepted: read the upgraded session and finish signing in. */
  private async handleVerified(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const session = await currentSession(this.api);
      if (session) this.acceptSession(session, true);
      else this.current = 'signed-out';
    } catch (error) {
      this.error = asError(error);
    } finally {
      this.busy = false;
    }
  }

  /** After a wrong password: the password selected, ready to be typed again. */
  private async retypePassword(): Promise<void> {
    await this.updateComplete;
    const field = this.passwordField;
    if (!field) return;
    field.focus();
    field.select();
  }

}

/** Loads (once) the module that defines `ab-mfa-verify`. */
function loadVerifyElement(): Promise<unknown> {
  return import('./mfa-verify.ts');
}

/** A session that must set up a second factor before it can verify one. */
function mustEnrol(session: Session): boolean {
  return awaitsSecondFactor(session) && session.mfa.methods.length === 0;
}

if (!customElements.get('ab-login')) customElements.define('ab-login', AbLogin);

declare global {
  interface HTMLElementTagNameMap {
    'ab-login': AbLogin;
  }
  interface HTMLElementEventMap {
    'ab-login': CustomEvent<LoginEventDetail>;
    'ab-mfa-required': CustomEvent<MfaRequiredEventDetail>;
    'ab-logout': CustomEvent<LogoutEventDetail>;
  }
}
