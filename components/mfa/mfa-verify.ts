/**
 * @packageDocumentation
 * `<ab-mfa-verify>`: asks for a second factor and checks it with the server, for signing in
 * and for steps up before sensitive changes.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { ProblemError, asError, errorMessage } from '../core/api-errors.ts';
import { CountdownController, formatWait } from '../core/countdown.ts';
import { domainEvent } from '../core/domain-event.ts';
import { formatDate, localeOf } from '../core/format.ts';
import {
  backupCodeCharacters,
  codeLengthMax,
  lockedUntilOf,
  mfaProblems,
  mfaStatus,
  sendChallenge,
  sentCodeDigits,
  verifyCode,
  type CodeChannel,
  type CodeSent,
  type MfaMethod,
  type MfaStatus,
} from '../core/mfa-api.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';

/** The English strings of `ab-mfa-verify`; override any of them with `strings`. */
export const mfaVerifyStrings = {
  /** Default heading. */
  heading: 'Confirm it is you',
  /** Said while the account's methods load. */
  loading: 'Loading your sign-in methods…',
  /** Legend of the method switcher. */
  methodLegend: 'Verify with',
  /** Name of the authenticator app method. */
  methodTotp: 'Authenticator app',
  /** Name of the text message method. */
  methodSms: 'Text message',
  /** Name of the email method. */
  methodEmail: 'Email',
  /** Name of the backup code method. */
  methodBackup: 'Backup code',
  /** Label of the code field for an authenticator app. */
  labelTotp: (digits: number) => `${digits}-digit code from your authenticator app`,
  /** Label of the code field for a text message. */
  labelSms: 'Code from the text message',
  /** Label of the code field for an email. */
  labelEmail: 'Code from the email',
  /** Label of the code field for a backup code. */
  labelBackup: 'Backup code',
  /** Hint under the field for a backup code. */
  hintBackup: 'Each backup code works once. Dashes and spaces do not matter.',
  /** Button that sends the first code. */
  sendCode: (channel: CodeChannel) => (channel === 'sms' ? 'Text me a code' : 'Email me a code'),
  /** Button that sends another code. */
  resendCode: 'Send a new code',
  /** Sending a code. */
  sending: 'Sending…',
  /** Where the code went; shown by the resend button, and announced politely. */
  codeSent: (sentTo: string) => `We sent a code to ${sentTo}.`,
  /** Countdown to the next code; `wait` reads like "in 42 seconds". */
  resendIn: (wait: string) => `You can ask for a new code ${wait}.`,
  /** The submit button. */
  verify: 'Verify',
  /** The submit button while the code is checked. */
  verifying: 'Verifying…',
  /** The remember-this-device checkbox. */
  rememberDevice: (days: number) =>
    days === 1 ? 'Remember this device for 1 day' : `Remember this device for ${days} days`,
  /** Attempts left after a wrong code. */
  attemptsLeft: (count: number) =>
    count === 1
      ? '1 attempt left before verification locks.'
      : `${count} attempts left before verification locks.`,
  /** While locked; `until` is a time of day, `wait` reads like "in 14 minutes". */
  locked: (until: string, wait: string) =>
    `Verification is locked until ${until}. You can try again ${wait}.`,
  /** After a 429; `wait` reads like "in 4 seconds". */
  retryIn: (wait: string) => `Too many attempts in a row. You can try again ${wait}.`,
  /** Announced when a wait is over. */
  readyAgain: 'You can try again now.',
  /** Shown and announced once the code was accepted. */
  verified: 'Verified.',
  /** When the account has no method to verify with. */
  noMethods: 'No second factor is set up for this account.',
  /** A failure that is neither the server's answer nor a lost connection. */
  unexpected: 'Something went wrong. Please try again.',
};

/** The strings of {@link mfaVerifyStrings}. */
export type MfaVerifyStrings = typeof mfaVerifyStrings;

/** Where the element stands: loading the account's methods, asking for a code, or done. */
export type MfaVerifyState = 'loading' | 'ready' | 'verified';

/** `detail` of `ab-verified`. */
export interface VerifiedEventDetail {
  /** The method that verified. */
  method: MfaMethod;
  /** Until when this browser is remembered; `null` when it is not. */
  rememberedUntil: string | null;
}

/** The order methods are offered in. */
const methodOrder: readonly MfaMethod[] = ['totp', 'sms', 'email', 'backup'];

/** Digits of an authenticator code when the status does not say. */
const totpDigitsDefault = 6;

/**
 * Asks for a second factor and checks it with `POST {api-base}/mfa/verify`.
 *
 * On connecting it reads `GET {api-base}/mfa/status` for the account's methods and offers
 * only those: an authenticator app, a text message, an email, or a backup code. One field takes
 * the code (`autocomplete="one-time-code"`, so phones offer a code that just arrived); a
 * pasted code loses its spaces and dashes, and a complete code is sent at once. For a text
 * message or email, a button sends the code (`POST {api-base}/mfa/challenge`) and the resend
 * button counts down to when another may be sent.
 *
 * A wrong code shows the server's message and the attempts left; too many in a row (429)
 * count down the `Retry-After` seconds, and a complete code waits for the end; a lock (423)
 * disables the field and counts down to its end. When the policy allows it, a checkbox asks
 * to remember the device.
 *
 * @summary Second-factor prompt: code field, method switcher, resend and lock countdowns.
 * @tag ab-mfa-verify
 *
 * @fires ab-verified - The server accepted the code; the session is verified now. `detail`:
 * `{method, rememberedUntil}`. Bubbles, composed.
 *
 * @csspart base - The box around everything.
 * @csspart heading - The heading (absent when `heading` is empty).
 * @csspart methods - The method switcher (a fieldset of radio buttons), when there are two or
 * more methods.
 * @csspart method - One method's label, radio included.
 * @csspart sent - Where the last text message or email code went.
 * @csspart send - The button that sends (or resends) a text message or email code.
 * @csspart resend-countdown - The line counting down to when another code may be sent.
 * @csspart form - The form around the field and the submit button.
 * @csspart label - The label of the code field.
 * @csspart input - The code field.
 * @csspart hint - The hint under the field (backup codes).
 * @csspart remember - The remember-this-device label, checkbox included.
 * @csspart submit - The submit button.
 * @csspart countdown - The line counting down to the end of a lock or of a wait after too
 * many attempts.
 * @csspart verified - The line saying the code was accepted.
 * @csspart alert - The region showing errors, announced assertively.
 * @csspart status - The region announcing progress politely ("We sent a code to…"); shown
 * only to screen readers, since what it says is also shown in place.
 *
 * @cssproperty --ab-mfa-verify-max-width - Widest the element grows; 24rem by default.
 * @cssproperty --ab-mfa-verify-code-font-size - Size of the code's characters; 1.5rem.
 */
export class AbMfaVerify extends ApiBaseMixin(LitElement) {
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-mfa-verify-max-width, 24rem);
      }
      .base,
      form {
        display: grid;
        gap: ${token('space-m')};
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: ${token('space-xs')} ${token('space-l')};
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        padding: 0;
        margin-block-end: ${token('space-xs')};
        font-weight: ${token('font-weight-strong')};
      }
      .choice {
        display: inline-flex;
        align-items: center;
        gap: ${token('space-xs')};
        cursor: pointer;
      }
      input[type='radio'],
      input[type='checkbox'] {
        width: 1.125rem;
        height: 1.125rem;
        margin: 0;
        accent-color: ${token('color-primary')};
      }
      label.code-label {
        font-weight: ${token('font-weight-strong')};
      }
      .code {
        box-sizing: border-box;
        width: 100%;
        min-height: 3rem;
        padding: ${token('space-s')} ${token('space-m')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: ${token('color-surface')};
        color: ${token('color-text')};
        font: inherit;
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: var(--ab-mfa-verify-code-font-size, 1.5rem);
        letter-spacing: 0.2em;
      }
      .code[aria-invalid='true'] {
        border-color: ${token('color-danger')};
      }
      .code:disabled {
        background: ${token('color-surface-disabled')};
        cursor: not-allowed;
      }
      .primary:hover {
        background: ${token('color-primary-hover')};
      }
      .alert,
      .sending {
        display: grid;
        gap: ${token('space-xs')};
      }
      .verified {
        color: ${token('color-success')};
        font-weight: ${token('font-weight-strong')};
      }
    `,
  ];

  /** Heading above the prompt; empty for none (e.g. inside a card with its own heading). */
  @property() heading: string | undefined = undefined;

  /**
   * The method asked for. Set it to pick one; the element starts with it when the account has
   * it, else with the preferred method, and sets it when the user switches.
   */
  @property({ reflect: true }) method: MfaMethod | '' = '';

  /**
   * The account's MFA status. Read from `GET {api-base}/mfa/status` on connect unless set
   * first; its methods, code length, remember-device days and lock drive the prompt.
   */
  @property({ attribute: false }) status: MfaStatus | null = null;

  /**
   * The text message or email code sent last (as `POST /mfa/challenge` answers it). Set by the
   * element; set it to show that state, e.g. the resend countdown to `resendAvailableAt`.
   */
  @property({ attribute: false }) codeSent: CodeSent | null = null;

  /**
   * The error shown in the alert. The element sets it when a request fails and clears it on
   * the next attempt. Set it to show a problem yourself: a 423 `/mfa-locked` `ProblemError`
   * locks the field until its `lockedUntil`, a 429 counts down its `retryAfterSeconds`.
   */
  @property({ attribute: false }) error: Error | null = null;

  /**
   * Whether the remember-this-device box is ticked; the box shows at sign-in, when the policy
   * allows remembering devices.
   */
  @property({ type: Boolean, attribute: 'remember-device' }) rememberDevice = false;

  /** Disables the field and the buttons. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Overrides some or all of the English strings (see `mfaVerifyStrings`). */
  @property({ attribute: false }) strings: Partial<MfaVerifyStrings> | undefined = undefined;

  @state() private current: MfaVerifyState = 'loading';
  @state() private code = '';
  @state() private busy = false;
  @state() private sending = false;
  /** The polite announcement: what just happened. */
  @state() private announcement = '';

  @query('.code') private codeInput!: HTMLInputElement | null;

  /** Counts down a lock (423, or the status's `lockedUntil`); the field opens when it ends. */
  #lock = new CountdownController(this, { onEnd: () => this.handleLockEnd() });
  /** Counts down a 429's `Retry-After` on verifying; a complete code goes when it ends. */
  #retry = new CountdownController(this, { onEnd: () => this.handleRetryEnd() });
  /** Counts down to when another text message or email code may be sent. */
  #resend = new CountdownController(this);
  /** The next `error` came from asking for a code, so a 429 delays the resend, not a verify. */
  #errorFromChallenge = false;
  #focusWhenReady = false;
  /** Counts status loads, so the answer to an older one is ignored. */
  #loadCount = 0;

  /** Where the element stands: `loading`, `ready` or `verified`. */
  get state(): MfaVerifyState {
    return this.current;
  }

  /** The methods offered: the account's own, in a fixed order. */
  get methods(): MfaMethod[] {
    const own = this.status?.methods ?? [];
    return methodOrder.filter((method) => own.includes(method));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.status === null) void this.load();
    // Set before connecting, or connected again: the countdowns resume on their own.
    else this.current = 'ready';
  }

  /** Reads the account's status from the server again and shows the prompt for it. */
  async load(): Promise<void> {
    const load = ++this.#loadCount;
    this.current = 'loading';
    try {
      const status = await mfaStatus(this.api);
      if (load !== this.#loadCount) return;
      this.status = status;
    } catch (error) {
      if (load !== this.#loadCount) return;
      this.error = asError(error);
    }
    this.current = 'ready';
  }

  /** Focuses the code field (or the send button), once the methods have loaded. */
  override focus(options?: FocusOptions): void {
    const target = this.focusTarget();
    if (target) target.focus(options);
    else this.#focusWhenReady = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status') || changed.has('method')) this.settleMethod();
    if (changed.has('error')) this.readError();
    if (changed.has('codeSent')) {
      this.#resend.untilMs = this.codeSent ? Date.parse(this.codeSent.resendAvailableAt) : 0;
    }
    if (changed.has('status') && this.status?.lockedUntil) {
      const lockedUntilMs = Date.parse(this.status.lockedUntil);
      if (lockedUntilMs > this.#lock.untilMs) this.#lock.untilMs = lockedUntilMs;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#focusWhenReady && this.current === 'ready') {
      const target = this.focusTarget();
      if (target) {
        this.#focusWhenReady = false;
        target.focus();
      }
    }
  }

  /** Keeps `method` one of the account's methods: the one asked for, else the preferred. */
  private settleMethod(): void {
    const methods = this.methods;
    if (methods.length === 0 || (this.method !== '' && methods.includes(this.method))) return;
    const preferred = this.status?.preferredMethod;
    this.method = preferred && methods.includes(preferred) ? preferred : methods[0]!;
  }

  /**
   * Starts the lock or wait an error calls for. A cleared error leaves them running: they are
   * the server's, and end on their own.
   */
  private readError(): void {
    const error = this.error;
    const fromChallenge = this.#errorFromChallenge;
    this.#errorFromChallenge = false;
    const lockedUntil = lockedUntilOf(error);
    if (lockedUntil) {
      this.#lock.untilMs = lockedUntil.getTime();
      return;
    }
    if (!(error instanceof ProblemError) || error.status !== 429) return;
    const untilMs = Date.now() + (error.retryAfterSeconds ?? 0) * 1000;
    if (!fromChallenge) this.#retry.untilMs = untilMs;
    else if (untilMs > this.#resend.untilMs) this.#resend.untilMs = untilMs;
  }

  private get strs(): MfaVerifyStrings {
    return resolveStrings('ab-mfa-verify', mfaVerifyStrings, this.strings);
  }

  private get locked(): boolean {
    return this.#lock.running;
  }

  /** Characters a complete code has for the current method. */
  private get codeLength(): number {
    if (this.method === 'backup') return backupCodeCharacters;
    if (this.method === 'totp') return this.status?.totp.digits ?? totpDigitsDefault;
    return sentCodeDigits;
  }

  /**
   * Days the policy lets a device be remembered, offered at sign-in only: a session that is
   * verified already (a step-up) has no sign-in left to skip.
   */
  private get rememberableDays(): number {
    const status = this.status;
    return status && !status.verified ? status.rememberDeviceDays : 0;
  }

  private get isChannel(): boolean {
    return this.method === 'sms' || this.method === 'email';
  }

  private get fieldDisabled(): boolean {
    return this.disabled || this.locked || this.current !== 'ready';
  }

  override render() {
    const strings = this.strs;
    const heading = this.heading ?? strings.heading;
    return html`
      <section part="base" class="base">
        ${heading === '' ? nothing : html`<h2 part="heading">${heading}</h2>`}
        ${this.renderBody(strings)}
        <div part="alert" class="alert" role="alert">${this.renderError(strings)}</div>
        <div part="status" class="visually-hidden" role="status">${this.announcement}</div>
      </section>
    `;
  }

  private renderBody(strings: MfaVerifyStrings) {
    if (this.current === 'loading') return html`<p>${strings.loading}</p>`;
    if (this.current === 'verified') {
      return html`<p part="verified" class="verified">${strings.verified}</p>`;
    }
    if (this.methods.length === 0) {
      return this.status ? html`<p>${strings.noMethods}</p>` : nothing;
    }
    return html`
      ${this.renderMethods(strings)} ${this.isChannel ? this.renderSend(strings) : nothing}
      ${this.renderForm(strings)} ${this.renderWait(strings)}
    `;
  }

  private renderMethods(strings: MfaVerifyStrings) {
    const methods = this.methods;
    if (methods.length < 2) return nothing;
    const names: Record<MfaMethod, string> = {
      totp: strings.methodTotp,
      sms: strings.methodSms,
      email: strings.methodEmail,
      backup: strings.methodBackup,
    };
    return html`
      <fieldset part="methods" ?disabled=${this.disabled || this.busy}>
        <legend>${strings.methodLegend}</legend>
        ${methods.map(
          (method) => html`
            <label part="method" class="choice">
              <input
                type="radio"
                name="method"
                value=${method}
                .checked=${live(this.method === method)}
                @change=${this.handleMethodChange}
              />
              ${names[method]}
            </label>
          `,
        )}
      </fieldset>
    `;
  }

  /** Where the last code went, the (re)send button, and the countdown to the next code. */
  private renderSend(strings: MfaVerifyStrings) {
    const channel = this.method as CodeChannel;
    const sentTo = this.codeSent?.method === channel ? this.codeSent.sentTo : null;
    const waitSeconds = this.#resend.seconds;
    const label = this.sending
      ? strings.sending
      : sentTo !== null
        ? strings.resendCode
        : strings.sendCode(channel);
    const wait = formatWait(waitSeconds, localeOf(this));
    return html`
      <div class="sending">
        ${sentTo === null ? nothing : html`<p part="sent">${strings.codeSent(sentTo)}</p>`}
        <button
          part="send"
          class="secondary send"
          type="button"
          ?disabled=${this.disabled || this.locked || (waitSeconds > 0 && !this.sending)}
          aria-disabled=${this.sending ? 'true' : 'false'}
          aria-describedby=${ifDefined(waitSeconds > 0 ? 'resend-countdown' : undefined)}
          @click=${this.handleSend}
        >
          ${label}
        </button>
        ${waitSeconds > 0
          ? html`<p part="resend-countdown" class="muted" id="resend-countdown">
              ${strings.resendIn(wait)}
            </p>`
          : nothing}
      </div>
    `;
  }

  private renderForm(strings: MfaVerifyStrings) {
    const backup = this.method === 'backup';
    const label = this.labelOf(strings);
    const days = this.rememberableDays;
    const waiting = this.locked || this.#retry.seconds > 0;
    const invalid = this.error instanceof ProblemError && this.error.is(mfaProblems.invalidCode);
    const described = [backup ? 'hint' : '', waiting ? 'countdown' : ''].filter(Boolean);
    return html`
      <form part="form" @submit=${this.handleSubmit}>
        <label part="label" class="code-label" for="code">${label}</label>
        <input
          part="input"
          class="code"
          id="code"
          name="code"
          type="text"
          autocomplete="one-time-code"
          inputmode=${backup ? 'text' : 'numeric'}
          autocapitalize=${backup ? 'characters' : 'off'}
          spellcheck="false"
          maxlength=${backup ? codeLengthMax : this.codeLength}
          .value=${live(this.code)}
          ?disabled=${this.fieldDisabled}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${ifDefined(described.length > 0 ? described.join(' ') : undefined)}
          @input=${this.handleInput}
          @paste=${this.handlePaste}
        />
        ${backup ? html`<p part="hint" class="muted" id="hint">${strings.hintBackup}</p>` : nothing}
        ${days > 0 ? this.renderRemember(strings, days) : nothing}
        <button
          part="submit"
          class="primary"
          type="submit"
          ?disabled=${this.fieldDisabled || waiting}
          aria-disabled=${this.busy ? 'true' : 'false'}
        >
          ${this.busy ? strings.verifying : strings.verify}
        </button>
      </form>
    `;
  }

  private labelOf(strings: MfaVerifyStrings): string {
    switch (this.method) {
      case 'sms':
        return strings.labelSms;
      case 'email':
        return strings.labelEmail;
      case 'backup':
        return strings.labelBackup;
      default:
        return strings.labelTotp(this.codeLength);
    }
  }

  private renderRemember(strings: MfaVerifyStrings, days: number) {
    return html`
      <label part="remember" class="choice">
        <input
          type="checkbox"
          name="remember"
          .checked=${live(this.rememberDevice)}
          ?disabled=${this.disabled}
          @change=${this.handleRememberChange}
        />
        ${strings.rememberDevice(days)}
      </label>
    `;
  }

  /** The countdown of the wait that holds codes back: a lock, else a retry. */
  private renderWait(strings: MfaVerifyStrings) {
    const locale = localeOf(this);
    const lockSeconds = this.#lock.seconds;
    const retrySeconds = this.#retry.seconds;
    let text = '';
    if (lockSeconds > 0) {
      const until = formatDate(this.#lock.untilMs, { timeStyle: 'short' }, locale);
      text = strings.locked(until, formatWait(lockSeconds, locale));
    } else if (retrySeconds > 0) {
      text = strings.retryIn(formatWait(retrySeconds, locale));
    }
    if (text === '') return nothing;
    return html`<p part="countdown" class="muted" id="countdown">${text}</p>`;
  }

  private renderError(strings: MfaVerifyStrings) {
    const error = this.error;
    if (!error) return nothing;
    const problem = error instanceof ProblemError ? error : undefined;
    // A lock's own line says when it ends in the reader's time; the alert says why.
    const message = problem?.is(mfaProblems.locked)
      ? problem.title
      : errorMessage(error, strings.unexpected);
    const attemptsLeft = problem?.is(mfaProblems.invalidCode) ? problem.attemptsLeft : undefined;
    return html`
      <p>${message}</p>
      ${attemptsLeft === undefined ? nothing : html`<p>${strings.attemptsLeft(attemptsLeft)}</p>`}
    `;
  }

  private focusTarget(): HTMLElement | null {
    if (this.current !== 'ready') return null;
    const input = this.codeInput;
    if (input && !input.disabled && !(this.isChannel && this.codeSent?.method !== this.method)) {
      return input;
    }
    return this.renderRoot.querySelector<HTMLElement>('.send:not(:disabled)') ?? input;
  }

  private handleMethodChange(event: Event): void {
    const method = (event.target as HTMLInputElement).value as MfaMethod;
    this.method = method;
    this.code = '';
    this.announcement = '';
    if (!this.locked) this.error = null;
  }

  private handleRememberChange(event: Event): void {
    this.rememberDevice = (event.target as HTMLInputElement).checked;
  }

  private handleInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    const code = this.normalizeCode(input.value);
    // Put back what was kept, so stripped characters never show.
    if (input.value !== code) input.value = code;
    this.acceptCode(code);
  }

  private handlePaste(event: ClipboardEvent): void {
    const pasted = event.clipboardData?.getData('text') ?? '';
    if (pasted === '') return;
    event.preventDefault();
    // A pasted code replaces whatever was typed: it is the whole code, not a part of one.
    const code = this.normalizeCode(pasted.replace(/[\s-]/g, ''));
    if (this.codeInput) this.codeInput.value = code;
    this.acceptCode(code);
  }

  /** Numeric codes keep their digits; backup codes their letters, digits and dashes. */
  private normalizeCode(text: string): string {
    if (this.method === 'backup') {
      return text
        .toUpperCase()
        .replace(/[^0-9A-Z-]/g, '')
        .slice(0, codeLengthMax);
    }
    return text.replace(/\D/g, '').slice(0, this.codeLength);
  }

  /** Takes `code` as the field's value, and sends it once complete. */
  private acceptCode(code: string): void {
    this.code = code;
    if (this.isComplete(code)) void this.submit();
  }

  private isComplete(code: string): boolean {
    const significant = code.replace(/-/g, '');
    return significant.length === this.codeLength;
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.submit();
  }

  /** Sends the code unless a request, a lock or a wait is in the way. */
  private async submit(): Promise<void> {
    if (this.busy || this.fieldDisabled || this.method === '') return;
    if (this.#retry.seconds > 0) return;
    if (this.code.trim() === '') {
      this.codeInput?.focus();
      return;
    }
    const days = this.rememberableDays;
    const request = {
      method: this.method,
      code: this.code,
      ...(days > 0 && this.rememberDevice ? { rememberDevice: true } : {}),
    };
    this.busy = true;
    this.error = null;
    this.announcement = '';
    try {
      const verified = await verifyCode(this.api, request);
      this.current = 'verified';
      this.announcement = this.strs.verified;
      const detail = { method: verified.method, rememberedUntil: verified.rememberedUntil };
      this.dispatchEvent(domainEvent<VerifiedEventDetail>('ab-verified', detail));
    } catch (error) {
      this.handleVerifyFailure(asError(error));
    } finally {
      this.busy = false;
    }
  }

  private handleVerifyFailure(error: Error): void {
    this.error = error;
    // A refused code is spent; a code held back by a wait is kept for when it ends.
    const held = error instanceof ProblemError && error.status === 429;
    if (!held) this.code = '';
    void this.updateComplete.then(() => {
      const input = this.codeInput;
      if (input && !input.disabled) input.focus();
    });
  }

  private async handleSend(): Promise<void> {
    if (this.sending || !this.isChannel) return;
    const channel = this.method as CodeChannel;
    this.sending = true;
    this.error = null;
    this.announcement = '';
    try {
      this.codeSent = await sendChallenge(this.api, channel);
      this.announcement = this.strs.codeSent(this.codeSent.sentTo);
      await this.updateComplete;
      this.codeInput?.focus();
    } catch (error) {
      this.#errorFromChallenge = true;
      this.error = asError(error);
    } finally {
      this.sending = false;
    }
  }

  /** A lock ended: the field opens, and the user hears so. */
  private handleLockEnd(): void {
    this.error = null;
    this.announcement = this.strs.readyAgain;
    void this.updateComplete.then(() => this.codeInput?.focus());
  }

  /** A wait after too many attempts ended. */
  private handleRetryEnd(): void {
    this.error = null;
    // A complete code typed during the wait goes now, as it would have without one.
    if (this.isComplete(this.code)) void this.submit();
    else this.announcement = this.strs.readyAgain;
  }
}

if (!customElements.get('ab-mfa-verify')) customElements.define('ab-mfa-verify', AbMfaVerify);

declare global {
  interface HTMLElementTagNameMap {
    'ab-mfa-verify': AbMfaVerify;
  }
  interface HTMLElementEventMap {
    'ab-verified': CustomEvent<VerifiedEventDetail>;
  }
}
