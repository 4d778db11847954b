/**
 * @packageDocumentation
 * `<ab-mfa-setup>`: the wizard that sets up a second factor. It chooses a method the policy
 * allows, proves it (an authenticator app's first code, or a code sent by SMS or email), and
 * hands out the backup codes, which the user must confirm they saved before finishing.
 *
 * The QR code is SVG markup made by the server. It is shown as an `<img>` with a `data:` URL,
 * never inserted into the document: an SVG loaded as an image runs no script, follows no
 * link and loads nothing, whatever it contains, so even a tampered answer cannot reach the
 * page. Cleaning the markup with an allow-list would have to know every scriptable corner of
 * SVG (event attributes, `javascript:` links, `<animate>` rewriting them, `<foreignObject>`);
 * the image path needs none of that.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { ProblemError, asError, errorMessage } from '../core/api-errors.ts';
import { CountdownController } from '../core/countdown.ts';
import { domainEvent } from '../core/domain-event.ts';
import { formatDate, localeOf } from '../core/format.ts';
import {
  confirmSetup,
  emailLengthMax,
  isStepUpRequired,
  lockedUntilOf,
  mfaProblems,
  mfaStatus,
  phoneLengthMax,
  sentCodeDigits,
  startEmailSetup,
  startSmsSetup,
  startTotpSetup,
  type CodeSent,
  type MfaStatus,
  type PrimaryMethod,
  type TotpSetup,
} from '../core/mfa-api.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { StepUpController } from '../core/step-up.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';
import type { AbTextField } from '../ui/text-field.ts';
import '../ui/text-field.ts';

/** Where the wizard stands. */
export type MfaSetupStep =
  | 'loading'
  | 'choose'
  | 'step-up'
  | 'scan'
  | 'destination'
  | 'code'
  | 'backup-codes'
  | 'finished'
  | 'unavailable';

/** `detail` of `ab-mfa-enrolled`. */
export interface MfaEnrolledEventDetail {
  /** The method that was set up. */
  method: PrimaryMethod;
}

/** `detail` of `ab-mfa-setup-cancel`. */
export interface MfaSetupCancelEventDetail {
  /** The step the user left. */
  step: MfaSetupStep;
}

/** Characters per group of the manual key: four, as authenticator apps print them. */
export const secretGroupLength = 4;

/**
 * Loads the backup codes element, which the last step shows: it comes at the very end, so the
 * wizard itself loads small. (`ab-mfa-verify`, which a step-up shows, comes the same way.)
 */
const loadBackupCodes = () => import('./mfa-backup-codes.ts');

/** The English strings of `ab-mfa-setup`; override any of them with `strings`. */
export const mfaSetupStrings = {
  loading: 'Loading your sign-in methods…',
  chooseHeading: 'Add a second factor',
  chooseLegend: 'How do you want to confirm it is you?',
  continue: 'Continue',
  back: 'Back',
  cancel: 'Cancel',
  tryAgain: 'Try again',
  startAgain: 'Start again',
  totp: 'Authenticator app',
  sms: 'Text message',
  email: 'Email',
  totpHint: 'Codes from an app such as Aegis, 1Password or Google Authenticator.',
  smsHint: 'Codes sent to your phone.',
  emailHint: 'Codes sent to your email address.',
  replaces: (current: string) => `Set up already (${current}); this replaces it.`,
  replacesApp: 'Set up already; this replaces your current app.',
  stepUpHeading: 'Confirm it is you',
  stepUpText: 'Enter a code from a method you already use before changing your methods.',
  scanHeading: 'Scan the QR code',
  scanText: 'Open your authenticator app, add an account and scan this code.',
  qrAlt: 'QR code to add this account to an authenticator app',
  manualKey: 'Cannot scan? Enter this key instead:',
  copyKey: 'Copy key',
  keyCopied: 'Key copied.',
  copyFailed: 'Could not copy. Select the key and copy it yourself.',
  account: 'Account',
  issuer: 'Issuer',
  parameters: (algorithm: string, digits: number, seconds: number) =>
    `${algorithm}, ${digits} digits, a new code every ${seconds} seconds`,
  codeLabel: 'Code',
  codeHint: (digits: number) => `The ${digits}-digit code the app shows now.`,
  codeFormat: (digits: number) => `Enter the ${digits}-digit code.`,
  confirm: 'Confirm',
  confirming: 'Checking…',
  phoneHeading: 'Your phone number',
  phoneLabel: 'Phone number',
  phoneHint: 'International format, like +44 7700 900123.',
  emailHeading: 'Your email address',
  emailLabel: 'Email address',
  emailFieldHint: 'Leave empty to use the address of your account.',
  sendCode: 'Send code',
  sending: 'Sending…',
  codeHeading: 'Enter the code',
  codeSentTo: (destination: string) => `We sent a ${sentCodeDigits}-digit code to ${destination}.`,
  resend: 'Send a new code',
  resendIn: (seconds: number) => `You can ask for a new code in ${seconds} s.`,
  wrongCode: (attemptsLeft: number | undefined) =>
    attemptsLeft === undefined
      ? 'That code is not right.'
      : `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left.`,
  waitSeconds: (seconds: number) => `Too many tries. Wait ${seconds} s before the next one.`,
  lockedUntil: (time: string) => `Too many wrong codes. Codes are refused until ${time}.`,
  expired: 'This setup has expired. Start again to get a new QR code.',
  backupHeading: 'Save your backup codes',
  backupSaved: 'I have saved these codes somewhere safe',
  backupSavedMissing: 'Confirm that you saved the codes before finishing.',
  finish: 'Finish',
  finishedHeading: 'Two-step verification is on',
  finished: (method: string) => `${method} is set up. You will use it when you sign in.`,
  setUpAnother: 'Set up another method',
  signedOut: 'Sign in to set up two-step verification.',
  nothingToSetUp: 'Your organisation allows no method that can be set up here.',
  networkError: 'Could not reach the server. Check your connection and try again.',
  unexpectedError: 'Something went wrong. Please try again.',
};

/** The strings of {@link mfaSetupStrings}. */
export type MfaSetupStrings = typeof mfaSetupStrings;

/**
 * A wizard that sets up a second factor for the signed-in account.
 *
 * 1. **Choose** a method the policy allows (`GET {api-base}/mfa/status`); `method` skips this.
 *    An account that already has a factor confirms it is them first (step-up, with
 *    `ab-mfa-verify`), as the server asks.
 * 2. **Authenticator app**: the server's QR code, the key for typing in by hand (grouped in
 *    fours, copyable) with the account and issuer, then the app's first code.
 *    **Text message or email**: where codes go, then the code sent there, with a resend
 *    countdown.
 * 3. **Backup codes**, for a first method: shown once with `ab-mfa-backup-codes`; finishing
 *    needs the user to confirm they saved them.
 *
 * Each step's heading takes the focus when the step opens; Back returns to the previous step
 * and Cancel leaves the wizard. Errors appear in place: a wrong code on the code field, the
 * rest in the alert under the step.
 *
 * @summary Wizard that sets up TOTP, SMS or email as a second factor.
 * @tag ab-mfa-setup
 *
 * @fires ab-mfa-enrolled - The method is set up and the user finished the wizard (after saving
 * the backup codes, if any). `detail`: `{method}`. Bubbles, composed.
 * @fires ab-mfa-setup-cancel - The user pressed Cancel. `detail`: `{step}`, the step they left.
 * Bubbles, composed.
 * @fires ab-verified - From the inner `ab-mfa-verify` of a step-up: the session verified a
 * second factor. `detail`: `{method, rememberedUntil}`. Bubbles, composed.
 *
 * @csspart base - The card around everything.
 * @csspart heading - The heading of the current step; it takes the focus when the step opens.
 * @csspart methods - The fieldset of methods to choose from.
 * @csspart qr - The QR code image.
 * @csspart secret - The manual key, grouped for reading.
 * @csspart copy - The button that copies the key.
 * @csspart code - The code field (`ab-text-field`).
 * @csspart destination - The phone or email field (`ab-text-field`).
 * @csspart resend - The button that sends a new code.
 * @csspart countdown - The text that counts down to the next resend.
 * @csspart backup-codes - The `ab-mfa-backup-codes` showing the new codes.
 * @csspart saved - The "I have saved these codes" checkbox's label.
 * @csspart actions - The row of buttons under each step.
 * @csspart primary - The main button of a step (Continue, Confirm, Send code, Finish).
 * @csspart secondary - The Back, Cancel and Start again buttons.
 * @csspart alert - The region that shows errors.
 * @csspart announcer - A visually hidden live region that announces copy and code results.
 *
 * @cssproperty --ab-mfa-setup-max-width - Widest the card grows; 32rem by default.
 * @cssproperty --ab-mfa-setup-background - Card background.
 * @cssproperty --ab-mfa-setup-qr-size - Size of the QR code; 12rem by default.
 */
export class AbMfaSetup extends ApiBaseMixin(LitElement) {
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-mfa-setup-max-width, 32rem);
      }
      .base {
        display: grid;
        gap: ${token('space-l')};
        padding: ${token('space-xl')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: var(--ab-mfa-setup-background, ${token('color-surface')});
      }
      form {
        display: grid;
        gap: ${token('space-l')};
      }
      fieldset {
        display: grid;
        gap: ${token('space-s')};
        margin: 0;
        padding: 0;
        border: 0;
      }
      legend {
        margin-block-end: ${token('space-s')};
        padding: 0;
      }
      .choice {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 ${token('space-s')};
        align-items: start;
        padding: ${token('space-m')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        cursor: pointer;
      }
      .choice input,
      .saved input {
        margin: 0.3rem 0 0;
      }
      .choice strong,
      .choice span {
        grid-column: 2;
      }
      .qr {
        justify-self: center;
        width: var(--ab-mfa-setup-qr-size, 12rem);
        height: var(--ab-mfa-setup-qr-size, 12rem);
        padding: ${token('space-s')};
        border-radius: ${token('radius-s')};
        /* Scanners need dark on light, whatever the theme. */
        background: #ffffff;
      }
      .key {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: ${token('space-s')};
      }
      .secret {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0 0.6em;
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: ${token('font-size-large')};
        letter-spacing: 0.05em;
        user-select: all;
        /* Keys read left to right in every language. */
        direction: ltr;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: ${token('space-xs')} ${token('space-m')};
        margin: 0;
      }
      dt {
        color: ${token('color-text-muted')};
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .secondary {
        font-weight: inherit;
      }
      .primary:hover {
        background: ${token('color-primary-hover')};
      }
      .saved {
        display: flex;
        gap: ${token('space-s')};
        align-items: start;
      }
    `,
  ];

  /** Sets up this method straight away, without the choice step, when the policy allows it. */
  @property() method: PrimaryMethod | '' = '';

  /** Level of the step headings (1 to 6), to fit the page's outline; 2 by default. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** Overrides some or all of the English strings (see `mfaSetupStrings`). */
  @property({ attribute: false }) strings: Partial<MfaSetupStrings> = {};

  @state() private current: MfaSetupStep = 'loading';
  @state() private status: MfaStatus | null = null;
  @state() private chosen: PrimaryMethod = 'totp';
  @state() private totp: TotpSetup | null = null;
  @state() private sent: CodeSent | null = null;
  @state() private destination = '';
  @state() private backupCodes: string[] = [];
  @state() private savedConfirmed = false;
  @state() private savedMissing = false;
  @state() private busy = false;
  /** The error the alert shows; `null` for none. */
  @state() private error: Error | null = null;
  /** After a 409 `/no-pending-enrolment`: the alert offers Start again. */
  @state() private expired = false;
  /** What the live region says last (copy results, a wrong code). */
  @state() private announcement = '';

  @query('[part~="heading"]') private headingElement!: HTMLElement | null;
  @query('ab-text-field[part~="code"]') private codeField!: AbTextField | null;
  @query('ab-text-field[part~="destination"]') private destinationField!: AbTextField | null;
  @query('[part~="secret"]') private secretElement!: HTMLElement | null;

  /** Holds what to do once the step-up verification succeeds. */
  #stepUp = new StepUpController(this, () => import('./mfa-verify.ts'));
  /** Counts down the server's refusal of attempts (429 `Retry-After`). */
  #retry = new CountdownController(this);
  /** Counts down to when another code may be sent. */
  #resend = new CountdownController(this);
  #focusHeading = false;
  /**
   * Whether the first status load is over. Steps opened before (a preset `method`) do not
   * take the focus: a page that merely shows the wizard keeps its own focus.
   */
  #settled = false;
  /** Counts status loads, so the answer to an older one is ignored. */
  #loadCount = 0;

  /** Where the wizard stands now. */
  get step(): MfaSetupStep {
    return this.current;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  /**
   * Starts over: reads the account's status and opens the first step (the choice, or the
   * `method` given). Called on connect; call it again to offer the wizard anew.
   */
  async start(): Promise<void> {
    const load = ++this.#loadCount;
    this.resetProgress();
    this.current = 'loading';
    this.#settled = false;
    try {
      const status = await mfaStatus(this.api);
      if (load !== this.#loadCount) return;
      this.status = status;
      this.chosen = this.defaultChoice(status);
      this.current = status.allowedMethods.length === 0 ? 'unavailable' : 'choose';
      const preset = this.method;
      if (preset !== '' && status.allowedMethods.includes(preset)) await this.begin(preset);
    } catch (error) {
      if (load !== this.#loadCount) return;
      this.current = 'unavailable';
      this.error = asError(error);
    }
    this.#settled = true;
  }

  /** Focuses the current step's heading, or the first one once the status has loaded. */
  override focus(options?: FocusOptions): void {
    const heading = this.headingElement;
    if (heading) heading.focus(options);
    else this.#focusHeading = true;
  }

  private resetProgress(): void {
    this.totp = null;
    this.sent = null;
    this.destination = '';
    this.backupCodes = [];
    this.savedConfirmed = false;
    this.savedMissing = false;
    this.error = null;
    this.expired = false;
    this.#retry.untilMs = 0;
    this.announcement = '';
    this.#stepUp.end();
  }

  /** The first allowed method not set up yet, else the first allowed one. */
  private defaultChoice(status: MfaStatus): PrimaryMethod {
    const allowed = status.allowedMethods;
    return allowed.find((method) => !status[method].enabled) ?? allowed[0] ?? 'totp';
  }

  private get resolvedStrings(): MfaSetupStrings {
    return resolveStrings('ab-mfa-setup', mfaSetupStrings, this.strings);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('sent')) {
      this.#resend.untilMs = this.sent ? Date.parse(this.sent.resendAvailableAt) : 0;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const heading = this.headingElement;
    if (this.#focusHeading && heading) {
      this.#focusHeading = false;
      heading.focus();
    }
  }

  /** Opens the step-up, to run `retry` once the user has verified. */
  private async openStepUp(retry: () => Promise<void>): Promise<void> {
    await this.#stepUp.request(retry);
    this.goTo('step-up');
  }

  /** Opens `step` and moves the focus to its heading once it is rendered. */
  private goTo(step: MfaSetupStep): void {
    // A code step ends in the backup codes: have them ready by then.
    if (step === 'scan' || step === 'code') void loadBackupCodes();
    // Whatever waited for a step-up went ahead, or the user went elsewhere.
    if (step !== 'step-up') this.#stepUp.end();
    this.current = step;
    this.error = null;
    this.expired = false;
    if (this.#settled) this.#focusHeading = true;
  }

  override render() {
    const strings = this.resolvedStrings;
    return html`
      <section part="base" class="base">
        ${this.renderStep(strings)}
        <div part="alert" class="alert" role="alert">${this.renderError(strings)}</div>
        ${this.expired ? this.renderStartAgain(strings) : nothing}
        <div part="announcer" class="visually-hidden" role="status">${this.announcement}</div>
      </section>
    `;
  }

  private renderStep(strings: MfaSetupStrings) {
    switch (this.current) {
      case 'loading':
        return html`<p role="status">${strings.loading}</p>`;
      case 'choose':
        return this.renderChoose(strings);
      case 'step-up':
        return this.renderStepUp(strings);
      case 'scan':
        return this.renderScan(strings);
      case 'destination':
        return this.renderDestination(strings);
      case 'code':
        return this.renderCode(strings);
      case 'backup-codes':
        return this.renderBackupCodes(strings);
      case 'finished':
        return this.renderFinished(strings);
      case 'unavailable':
        return this.renderUnavailable(strings);
    }
  }

  private renderHeading(text: string) {
    const level = Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2));
    return html`<div part="heading" role="heading" aria-level=${level} tabindex="-1">
      ${text}
    </div>`;
  }

  private renderChoose(strings: MfaSetupStrings) {
    const status = this.status;
    if (!status) return nothing;
    return html`
      ${this.renderHeading(strings.chooseHeading)}
      <form @submit=${this.handleChoose}>
        <fieldset part="methods">
          <legend>${strings.chooseLegend}</legend>
          ${status.allowedMethods.map((method) => this.renderChoice(status, method, strings))}
        </fieldset>
        <div part="actions" class="actions">
          <button part="primary" class="primary" type="submit">${strings.continue}</button>
          ${this.renderCancel(strings)}
        </div>
      </form>
    `;
  }

  private renderChoice(status: MfaStatus, method: PrimaryMethod, strings: MfaSetupStrings) {
    const hint = { totp: strings.totpHint, sms: strings.smsHint, email: strings.emailHint };
    const methodStatus = status[method];
    let replaces = '';
    if (methodStatus.enabled) {
      const current = method === 'totp' ? null : status[method].destination;
      replaces = current ? strings.replaces(current) : strings.replacesApp;
    }
    return html`<label class="choice">
      <input
        type="radio"
        name="method"
        .value=${method}
        .checked=${this.chosen === method}
        aria-describedby="hint-${method}"
        @change=${() => (this.chosen = method)}
      />
      <strong>${strings[method]}</strong>
      <span class="muted" id="hint-${method}">${hint[method]} ${replaces}</span>
    </label>`;
  }

  private renderStepUp(strings: MfaSetupStrings) {
    return html`
      ${this.renderHeading(strings.stepUpHeading)}
      <p>${strings.stepUpText}</p>
      <ab-mfa-verify
        heading=""
        api-base=${ifDefined(this.apiBase || undefined)}
        @ab-verified=${this.handleStepUpVerified}
      ></ab-mfa-verify>
      <div part="actions" class="actions">
        ${this.renderBack(strings, 'choose')} ${this.renderCancel(strings)}
      </div>
    `;
  }

  private renderScan(strings: MfaSetupStrings) {
    const totp = this.totp;
    if (!totp) return nothing;
    const label = otpauthLabel(totp.otpauthUri);
    const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(totp.qrSvg)}`;
    return html`
      ${this.renderHeading(strings.scanHeading)}
      <p>${strings.scanText}</p>
      <img part="qr" class="qr" src=${qrSource} alt=${strings.qrAlt} />
      <p>${strings.manualKey}</p>
      <div class="key">
        <code part="secret" class="secret" aria-label=${groupSecret(totp.secret).join(' ')}
          >${groupSecret(totp.secret).map((group) => html`<span>${group}</span>`)}</code
        >
        <button part="copy secondary" class="secondary" type="button" @click=${this.handleCopy}>
          ${strings.copyKey}
        </button>
      </div>
      <dl>
        <dt>${strings.account}</dt>
        <dd>${label.account}</dd>
        <dt>${strings.issuer}</dt>
        <dd>${label.issuer}</dd>
      </dl>
      <p class="muted">${strings.parameters(totp.algorithm, totp.digits, totp.periodSeconds)}</p>
      ${this.renderCodeForm(strings, totp.digits, strings.codeHint(totp.digits), 'choose')}
    `;
  }

  /** The code field with Confirm, Back and Cancel; shared by the app and the sent codes. */
  private renderCodeForm(
    strings: MfaSetupStrings,
    digits: number,
    hint: string,
    backTo: MfaSetupStep,
    extra: unknown = nothing,
  ) {
    const waiting = this.#retry.seconds;
    return html`<form @submit=${this.handleConfirm} novalidate>
      <ab-text-field
        part="code"
        name="code"
        label=${strings.codeLabel}
        help-text=${waiting > 0 ? strings.waitSeconds(waiting) : hint}
        autocomplete="one-time-code"
        inputmode="numeric"
        enterkeyhint="done"
        maxlength=${digits + 2}
        required
        @input=${this.handleCodeInput}
      ></ab-text-field>
      ${extra}
      <div part="actions" class="actions">
        <button
          part="primary"
          class="primary"
          type="submit"
          aria-disabled=${this.busy || waiting > 0 ? 'true' : 'false'}
        >
          ${this.busy ? strings.confirming : strings.confirm}
        </button>
        ${this.renderBack(strings, backTo)} ${this.renderCancel(strings)}
      </div>
    </form>`;
  }

  private renderDestination(strings: MfaSetupStrings) {
    const sms = this.chosen === 'sms';
    return html`
      ${this.renderHeading(sms ? strings.phoneHeading : strings.emailHeading)}
      <form @submit=${this.handleSend} novalidate>
        <ab-text-field
          part="destination"
          name=${sms ? 'phone' : 'email'}
          type=${sms ? 'tel' : 'email'}
          label=${sms ? strings.phoneLabel : strings.emailLabel}
          help-text=${sms ? strings.phoneHint : strings.emailFieldHint}
          autocomplete=${sms ? 'tel' : 'email'}
          maxlength=${sms ? phoneLengthMax : emailLengthMax}
          ?required=${sms}
          .value=${this.destination}
          @input=${this.handleDestinationInput}
        ></ab-text-field>
        <div part="actions" class="actions">
          <button
            part="primary"
            class="primary"
            type="submit"
            aria-disabled=${this.busy ? 'true' : 'false'}
          >
            ${this.busy ? strings.sending : strings.sendCode}
          </button>
          ${this.renderBack(strings, 'choose')} ${this.renderCancel(strings)}
        </div>
      </form>
    `;
  }

  private renderCode(strings: MfaSetupStrings) {
    const sent = this.sent;
    if (!sent) return nothing;
    const wait = this.#resend.seconds;
    const resend = html`<div class="actions">
      <button
        part="resend secondary"
        class="secondary"
        type="button"
        ?disabled=${wait > 0}
        aria-describedby=${wait > 0 ? 'countdown' : nothing}
        @click=${this.handleResend}
      >
        ${strings.resend}
      </button>
      ${wait > 0
        ? html`<p part="countdown" class="muted" id="countdown">${strings.resendIn(wait)}</p>`
        : nothing}
    </div>`;
    return html`
      ${this.renderHeading(strings.codeHeading)}
      <p>${strings.codeSentTo(sent.sentTo)}</p>
      ${this.renderCodeForm(strings, sentCodeDigits, '', 'destination', resend)}
    `;
  }

  private renderBackupCodes(strings: MfaSetupStrings) {
    return html`
      ${this.renderHeading(strings.backupHeading)}
      <ab-mfa-backup-codes
        part="backup-codes"
        heading=""
        no-confirm
        api-base=${ifDefined(this.apiBase || undefined)}
        .codes=${this.backupCodes}
      ></ab-mfa-backup-codes>
      <form @submit=${this.handleFinish} novalidate>
        <label part="saved" class="saved">
          <input
            type="checkbox"
            name="saved"
            .checked=${this.savedConfirmed}
            aria-invalid=${this.savedMissing ? 'true' : 'false'}
            aria-describedby=${this.savedMissing ? 'saved-missing' : nothing}
            @change=${this.handleSavedChange}
          />
          <span>${strings.backupSaved}</span>
        </label>
        ${this.savedMissing
          ? html`<p class="alert" id="saved-missing">${strings.backupSavedMissing}</p>`
          : nothing}
        <div part="actions" class="actions">
          <button part="primary" class="primary" type="submit">${strings.finish}</button>
        </div>
      </form>
    `;
  }

  private renderFinished(strings: MfaSetupStrings) {
    const status = this.status;
    const more = status?.allowedMethods.some((method) => !status[method].enabled) ?? false;
    return html`
      ${this.renderHeading(strings.finishedHeading)}
      <p>${strings.finished(strings[this.chosen])}</p>
      ${more
        ? html`<div part="actions" class="actions">
            <button part="secondary" class="secondary" type="button" @click=${this.restart}>
              ${strings.setUpAnother}
            </button>
          </div>`
        : nothing}
    `;
  }

  private renderUnavailable(strings: MfaSetupStrings) {
    const signedOut = this.error instanceof ProblemError && this.error.status === 401;
    // Signed out: the alert says so, and there is nothing to try again.
    let body: unknown = nothing;
    if (this.error === null) body = html`<p>${strings.nothingToSetUp}</p>`;
    else if (!signedOut) {
      body = html`<div part="actions" class="actions">
        <button part="secondary" class="secondary" type="button" @click=${this.restart}>
          ${strings.tryAgain}
        </button>
      </div>`;
    }
    return html`${this.renderHeading(strings.chooseHeading)} ${body}`;
  }

  private renderBack(strings: MfaSetupStrings, step: MfaSetupStep) {
    return html`<button
      part="secondary"
      class="secondary"
      type="button"
      @click=${() => this.goBack(step)}
    >
      ${strings.back}
    </button>`;
  }

  private renderCancel(strings: MfaSetupStrings) {
    return html`<button part="secondary" class="secondary" type="button" @click=${this.cancel}>
      ${strings.cancel}
    </button>`;
  }

  private renderStartAgain(strings: MfaSetupStrings) {
    return html`<div part="actions" class="actions">
      <button part="secondary" class="secondary" type="button" @click=${this.handleStartAgain}>
        ${strings.startAgain}
      </button>
    </div>`;
  }

  private renderError(strings: MfaSetupStrings) {
    const error = this.error;
    if (!error) return nothing;
    if (error instanceof ProblemError) {
      if (error.status === 401) return strings.signedOut;
      if (error.is(mfaProblems.noPendingEnrolment)) return strings.expired;
      const lockedUntil = lockedUntilOf(error);
      if (lockedUntil) {
        const time = formatDate(lockedUntil, { timeStyle: 'short' }, localeOf(this));
        return strings.lockedUntil(time);
      }
    }
    return errorMessage(error, strings.unexpectedError, strings.networkError);
  }

  // --- Actions -------------------------------------------------------------------------------

  private async handleChoose(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.busy) await this.begin(this.chosen);
  }

  /** Sets up `method`, after a step-up when the server will ask for one. */
  private async begin(method: PrimaryMethod): Promise<void> {
    this.chosen = method;
    if (this.status && needsStepUp(this.status)) {
      await this.openStepUp(() => this.proceedWith(method));
      return;
    }
    await this.proceedWith(method);
  }

  /** Opens the method's first step: a new app secret, or the destination form. */
  private async proceedWith(method: PrimaryMethod): Promise<void> {
    this.chosen = method;
    if (method !== 'totp') {
      this.goTo('destination');
      return;
    }
    await this.run(
      async () => {
        this.totp = await startTotpSetup(this.api);
        this.goTo('scan');
      },
      () => this.proceedWith(method),
    );
  }

  /**
   * Runs `action` with the busy flag, showing its error in the alert. A request the server
   * refuses for want of a fresh verification opens the step-up, then runs `retry`.
   */
  private async run(action: () => Promise<void>, retry?: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await action();
    } catch (error) {
      const stepUp =
        isStepUpRequired(error) ||
        (error instanceof ProblemError && error.is(mfaProblems.mfaRequired));
      if (stepUp && retry) {
        await this.openStepUp(retry);
      } else {
        this.showError(asError(error));
      }
    } finally {
      this.busy = false;
    }
  }

  private showError(error: Error): void {
    this.error = error;
    this.expired = error instanceof ProblemError && error.is(mfaProblems.noPendingEnrolment);
    if (error instanceof ProblemError && error.status === 429) {
      this.#retry.untilMs = Date.now() + (error.retryAfterSeconds ?? 1) * 1000;
    }
  }

  private async handleStepUpVerified(): Promise<void> {
    // The verification changed what the session may do: read the status afresh.
    try {
      this.status = await mfaStatus(this.api);
    } catch {
      // The old status still names the allowed methods; the next request reports any problem.
    }
    if (this.#stepUp.pending) await this.#stepUp.resume();
    else this.goTo('choose');
  }

  private async handleSend(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const field = this.destinationField;
    if (!field || this.busy) return;
    field.setCustomValidity('');
    if (!field.reportValidity()) return;
    this.destination = field.value.trim();
    await this.sendCode(true);
  }

  private async handleResend(): Promise<void> {
    await this.sendCode(false);
    this.announcement = this.error ? '' : this.resolvedStrings.codeSentTo(this.sent?.sentTo ?? '');
  }

  /** Sends a code to the destination; `opensStep` moves on to the code step. */
  private async sendCode(opensStep: boolean): Promise<void> {
    const method = this.chosen;
    const destination = this.destination;
    await this.run(
      async () => {
        try {
          this.sent =
            method === 'sms'
              ? await startSmsSetup(this.api, destination)
              : await startEmailSetup(this.api, destination === '' ? undefined : destination);
        } catch (error) {
          if (this.showFieldProblem(error)) return;
          throw error;
        }
        if (opensStep) this.goTo('code');
      },
      () => this.sendCode(opensStep),
    );
  }

  /** Shows a 400's message for the destination on its field; whether there was one. */
  private showFieldProblem(error: unknown): boolean {
    const field = this.destinationField;
    if (!(error instanceof ProblemError) || error.status !== 400 || !field) return false;
    const problem = error.errors.find((entry) => /^body\.(phone|email)$/.test(entry.path));
    if (!problem) return false;
    markInvalid(field, problem.message);
    this.announcement = problem.message;
    return true;
  }

  private async handleConfirm(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const field = this.codeField;
    if (!field || this.busy || this.#retry.seconds > 0) return;
    const digits = this.current === 'scan' ? (this.totp?.digits ?? 6) : sentCodeDigits;
    // A pasted code may come with spaces ("123 456"); the server reads the digits alone.
    const code = field.value.replace(/\s+/g, '');
    if (!new RegExp(`^\\d{${digits}}$`).test(code)) {
      const message = this.resolvedStrings.codeFormat(digits);
      markInvalid(field, message);
      field.focus();
      this.announcement = message;
      return;
    }
    await this.confirmCode(code);
  }

  private async confirmCode(code: string): Promise<void> {
    const method = this.chosen;
    await this.run(async () => {
      try {
        const { backupCodes } = await confirmSetup(this.api, method, code);
        this.backupCodes = backupCodes;
      } catch (error) {
        if (this.showWrongCode(error)) return;
        throw error;
      }
      if (this.backupCodes.length > 0) {
        await loadBackupCodes();
        this.goTo('backup-codes');
      } else {
        this.finish();
      }
    });
  }

  /** Shows a 422 `/invalid-code` on the code field; whether it was one. */
  private showWrongCode(error: unknown): boolean {
    const field = this.codeField;
    if (!(error instanceof ProblemError) || !error.is(mfaProblems.invalidCode) || !field) {
      return false;
    }
    const message = this.resolvedStrings.wrongCode(error.attemptsLeft);
    markInvalid(field, message);
    field.focus();
    field.select();
    this.announcement = message;
    return true;
  }

  private handleCodeInput(): void {
    this.codeField?.setCustomValidity('');
  }

  private handleDestinationInput(): void {
    this.destinationField?.setCustomValidity('');
  }

  private handleSavedChange(event: Event): void {
    this.savedConfirmed = (event.target as HTMLInputElement).checked;
    if (this.savedConfirmed) this.savedMissing = false;
  }

  private handleFinish(event: SubmitEvent): void {
    event.preventDefault();
    if (!this.savedConfirmed) {
      this.savedMissing = true;
      const checkbox = this.renderRoot.querySelector<HTMLInputElement>('input[name="saved"]');
      checkbox?.focus();
      return;
    }
    this.finish();
  }

  private finish(): void {
    const method = this.chosen;
    this.backupCodes = [];
    if (this.status) this.status = withEnabled(this.status, method);
    this.goTo('finished');
    this.dispatchEvent(domainEvent<MfaEnrolledEventDetail>('ab-mfa-enrolled', { method }));
  }

  private async handleStartAgain(): Promise<void> {
    this.expired = false;
    await this.proceedWith('totp');
  }

  private async handleCopy(): Promise<void> {
    const strings = this.resolvedStrings;
    const secret = this.totp?.secret ?? '';
    try {
      await navigator.clipboard.writeText(secret);
      this.announcement = strings.keyCopied;
    } catch {
      // No clipboard (permission, insecure page): select the key so a shortcut copies it.
      const element = this.secretElement;
      const selection = window.getSelection();
      if (element && selection) selection.selectAllChildren(element);
      this.announcement = strings.copyFailed;
    }
  }

  private goBack(step: MfaSetupStep): void {
    this.#retry.untilMs = 0;
    this.goTo(step);
  }

  private cancel(): void {
    const step = this.current;
    this.resetProgress();
    this.goTo(this.status && this.status.allowedMethods.length > 0 ? 'choose' : 'unavailable');
    const detail = { step };
    this.dispatchEvent(domainEvent<MfaSetupCancelEventDetail>('ab-mfa-setup-cancel', detail));
  }

  private async restart(): Promise<void> {
    this.#focusHeading = true;
    await this.start();
  }

}

/** The key in groups of {@link secretGroupLength} characters, for reading aloud or typing. */
export function groupSecret(secret: string): string[] {
  const groups: string[] = [];
  const compact = secret.replace(/\s+/g, '');
  for (let index = 0; index < compact.length; index += secretGroupLength) {
    groups.push(compact.slice(index, index + secretGroupLength));
  }
  return groups;
}

/** The account and issuer an `otpauth://` URI names (`otpauth://totp/Issuer:account?...`). */
export function otpauthLabel(uri: string): { account: string; issuer: string } {
  try {
    const url = new URL(uri);
    const label = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
    const colon = label.indexOf(':');
    const account = colon >= 0 ? label.slice(colon + 1).trim() : label;
    const issuer = url.searchParams.get('issuer') ?? (colon >= 0 ? label.slice(0, colon) : '');
    return { account, issuer };
  } catch {
    return { account: '', issuer: '' };
  }
}

/** Whether the server will ask for a fresh verification before another method is set up. */
function needsStepUp(status: MfaStatus): boolean {
  const enrolled = status.totp.enabled || status.sms.enabled || status.email.enabled;
  if (!enrolled) return false;
  const until = status.stepUpValidUntil === null ? 0 : Date.parse(status.stepUpValidUntil);
  return until <= Date.now();
}

/** `status` with `method` set up, until the next load says more. */
function withEnabled(status: MfaStatus, method: PrimaryMethod): MfaStatus {
  return { ...status, [method]: { ...status[method], enabled: true } };
}

/** Shows `message` on `field` as its error, as a failed submit would. */
function markInvalid(field: AbTextField, message: string): void {
  field.setCustomValidity(message);
  // `checkValidity` fires `invalid`, which makes the field show its message; no browser bubble.
  field.checkValidity();
}

if (!customElements.get('ab-mfa-setup')) customElements.define('ab-mfa-setup', AbMfaSetup);

declare global {
  interface HTMLElementTagNameMap {
    'ab-mfa-setup': AbMfaSetup;
  }
  interface HTMLElementEventMap {
    'ab-mfa-enrolled': CustomEvent<MfaEnrolledEventDetail>;
    'ab-mfa-setup-cancel': CustomEvent<MfaSetupCancelEventDetail>;
  }
}
