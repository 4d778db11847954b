/**
 * @packageDocumentation
 * `<ab-mfa-manager>`: the account page's two-step verification section. It lists the methods
 * set up, with when each was last used, lets the user choose the preferred one, remove one
 * (after confirming it is them), add one with `ab-mfa-setup`, keep an eye on the backup codes
 * with `ab-mfa-backup-codes`, forget remembered devices and read the recent verifications.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { ProblemError, asError, errorMessage } from '../core/api-errors.ts';
import { domainEvent } from '../core/domain-event.ts';
import { formatDate, formatTimeFromNow, localeOf } from '../core/format.ts';
import {
  forgetTrustedDevice,
  isStepUpRequired,
  mfaStatus,
  pageLimitMax,
  removeMethod,
  setPreferredMethod,
  trustedDevices,
  verificationHistory,
  type MfaStatus,
  type PrimaryMethod,
  type TrustedDevice,
  type VerificationEntry,
} from '../core/mfa-api.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { StepUpController } from '../core/step-up.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';
import type { MfaEnrolledEventDetail } from './mfa-setup.ts';

/** Where the manager stands: reading the account, showing it, or unable to. */
export type MfaManagerState = 'loading' | 'ready' | 'unavailable';

/** `detail` of `ab-mfa-changed`. */
export interface MfaChangedEventDetail {
  /** What changed. */
  change: 'enrolled' | 'removed' | 'preferred' | 'device-forgotten';
  /** The method concerned; absent for a device. */
  method?: PrimaryMethod;
  /** The account's status after the change. */
  status: MfaStatus;
}

/** History entries per page when `history-page-size` is not set. */
export const historyPageSizeDefault = 10;

/** Largest page of history one request may ask for (the server's own limit). */
export const historyPageSizeMax = pageLimitMax;

/** Most history pages "Show more" loads; older entries are left to the server. */
export const historyPagesMax = 10;

/** Most remembered devices listed: the server keeps at most 20 per account. */
export const trustedDevicesShownMax = 20;

/** The methods in the order they are listed. */
const methodOrder: readonly PrimaryMethod[] = ['totp', 'sms', 'email'];

/** The English strings of `ab-mfa-manager`; override any of them with `strings`. */
export const mfaManagerStrings = {
  heading: 'Two-step verification',
  loading: 'Loading your two-step verification settings…',
  signedOut: 'Sign in to manage two-step verification.',
  policy: (name: string) => `Policy in force: ${name}.`,
  due: 'Your organisation requires a second factor. Set one up below.',
  graceUntil: (date: string) => `You can put it off until ${date}.`,
  gracePrompts: (count: number) =>
    count === 1
      ? 'You can skip the reminder once more.'
      : `You can skip the reminder ${count} more times.`,
  methodsHeading: 'Sign-in methods',
  noMethods: 'You have not set up a second factor yet.',
  totp: 'Authenticator app',
  sms: 'Text message',
  email: 'Email',
  totpDetail: (algorithm: string, digits: number) => `${algorithm}, ${digits} digits`,
  added: (date: string) => `Added ${date}`,
  lastUsed: (when: string) => `last used ${when}`,
  neverUsed: 'not used yet',
  preferred: 'Preferred',
  makePreferred: 'Make preferred',
  remove: 'Remove',
  removeQuestion: (method: string) =>
    `Remove ${method}? You will no longer be able to sign in with it.`,
  keep: 'Keep',
  addMethod: 'Add a method',
  changeMethod: 'Change a method',
  stepUpHeading: 'Confirm it is you',
  stepUpText: (action: string) => `Enter a code to ${action}.`,
  stepUpRemove: (method: string) => `remove ${method}`,
  cancel: 'Cancel',
  backupHeading: 'Backup codes',
  devicesHeading: 'Remembered devices',
  noDevices: 'No device is remembered. Sign in with “Remember this device” to skip codes.',
  thisDevice: 'This device',
  deviceRemembered: (created: string, expires: string) =>
    `Remembered ${created}, until ${expires}`,
  deviceAddress: (ip: string) => `from ${ip}`,
  forget: 'Forget',
  historyHeading: 'Recent activity',
  noHistory: 'No verification yet.',
  historyTable: 'Verifications, newest first',
  when: 'When',
  method: 'Method',
  purpose: 'Purpose',
  result: 'Result',
  address: 'Address',
  backup: 'Backup code',
  device: 'Remembered device',
  admin: 'Admin',
  'sign-in': 'Sign-in',
  'step-up': 'Confirmation',
  enrolment: 'Setup',
  unlock: 'Unlock',
  reset: 'Reset',
  success: 'Succeeded',
  failure: 'Failed',
  refused: 'Refused',
  showMore: 'Show more',
  historyCut: 'Older activity is not shown here.',
  enrolledMessage: (method: string) => `${method} is set up.`,
  removedMessage: (method: string) => `${method} was removed.`,
  preferredMessage: (method: string) => `${method} is now offered first.`,
  forgottenMessage: (device: string) => `${device} is forgotten.`,
  networkError: 'Could not reach the server. Check your connection and try again.',
  unexpectedError: 'Something went wrong. Please try again.',
  tryAgain: 'Try again',
};

/** The strings of {@link mfaManagerStrings}. */
export type MfaManagerStrings = typeof mfaManagerStrings;

/**
 * The two-step verification settings of the signed-in account.
 *
 * It reads `GET {api-base}/mfa/status`, `/mfa/devices` and `/mfa/verifications` and shows:
 * - the methods set up, each with when it was added and last used, a Make preferred button
 *   (`PUT /mfa/preferred`) and Remove (`DELETE /mfa/methods/:method`). Removing asks first;
 *   when the server wants a fresh verification, an `ab-mfa-verify` appears in place and the
 *   removal goes ahead once it succeeds;
 * - Add a method, which opens `ab-mfa-setup` in place;
 * - the backup codes left, with regenerate, through `ab-mfa-backup-codes`;
 * - the remembered devices, each with Forget (`DELETE /mfa/devices/:id`);
 * - the recent verifications, `history-page-size` at a time, with Show more.
 *
 * Results are announced in a polite status line, errors in an alert; after a change the
 * focus stays in the section the user was working in. The events of the elements inside
 * (`ab-mfa-enrolled`, `ab-mfa-backup-codes-regenerated`, ...) bubble out as well.
 *
 * @summary Account settings for MFA: methods, preferred, remove, devices, history, codes.
 * @tag ab-mfa-manager
 *
 * @fires ab-mfa-changed - A method was set up, removed or made preferred, or a device was
 * forgotten. `detail`: `{change, method?, status}`. Bubbles, composed.
 * @fires ab-verified - From the inner `ab-mfa-verify` of a step-up: the session verified a
 * second factor. `detail`: `{method, rememberedUntil}`. Bubbles, composed.
 *
 * @csspart base - The box around everything.
 * @csspart heading - The main heading.
 * @csspart policy - The line naming the policy and whether it requires a second factor.
 * @csspart section - Each section: methods, backup codes, devices, history.
 * @csspart section-heading - The heading of each section.
 * @csspart methods - The list of methods set up.
 * @csspart method - One method.
 * @csspart badge - The "Preferred" and "This device" badges.
 * @csspart add - The Add a method button.
 * @csspart setup - The `ab-mfa-setup` opened by Add a method.
 * @csspart step-up - The box asking to confirm it is the user, with its `ab-mfa-verify`.
 * @csspart backup-codes - The `ab-mfa-backup-codes`.
 * @csspart devices - The list of remembered devices.
 * @csspart device - One remembered device.
 * @csspart history - The table of recent verifications.
 * @csspart more - The Show more button under the history.
 * @csspart button - Every button of the manager's own.
 * @csspart status - The polite line announcing what just happened.
 * @csspart alert - The region that shows errors.
 *
 * @cssproperty --ab-mfa-manager-max-width - Widest the element grows; 48rem by default.
 * @cssproperty --ab-mfa-manager-background - Background of each section.
 */
export class AbMfaManager extends ApiBaseMixin(LitElement) {
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-mfa-manager-max-width, 48rem);
      }
      .base,
      .section {
        display: grid;
        gap: ${token('space-l')};
      }
      .section {
        padding: ${token('space-l')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: var(--ab-mfa-manager-background, ${token('color-surface')});
      }
      ul {
        display: grid;
        gap: ${token('space-m')};
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: ${token('space-s')} ${token('space-l')};
        padding-block-end: ${token('space-m')};
        border-block-end: 1px solid ${token('color-surface-disabled')};
      }
      li:last-child {
        padding-block-end: 0;
        border-block-end: 0;
      }
      .what {
        display: grid;
        gap: ${token('space-xs')};
      }
      .badge {
        margin-inline-start: ${token('space-s')};
        padding: 0 ${token('space-s')};
        border-radius: 999px;
        background: ${token('color-success-surface')};
        color: ${token('color-success')};
        font-size: ${token('font-size-small')};
        font-weight: ${token('font-weight-strong')};
      }
      .actions {
        align-items: center;
      }
      button {
        min-height: 2.25rem;
        padding: 0 ${token('space-m')};
        font-weight: inherit;
      }
      button.danger {
        border-color: ${token('color-danger')};
        color: ${token('color-danger')};
      }
      .scroll {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: ${token('font-size-small')};
      }
      th,
      td {
        padding: ${token('space-xs')} ${token('space-s')};
        border-block-end: 1px solid ${token('color-surface-disabled')};
        text-align: start;
        vertical-align: top;
      }
      .failure,
      .refused {
        color: ${token('color-danger')};
      }
    `,
  ];

  /** The main heading; empty for none (the page has its own). */
  @property() heading = mfaManagerStrings.heading;

  /** Level of the main heading (1 to 6); the sections' headings are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** History entries per page, 1 to {@link historyPageSizeMax}; larger values are capped. */
  @property({ type: Number, attribute: 'history-page-size' })
  historyPageSize = historyPageSizeDefault;

  /** Overrides some or all of the English strings (see `mfaManagerStrings`). */
  @property({ attribute: false }) strings: Partial<MfaManagerStrings> = {};

  @state() private current: MfaManagerState = 'loading';
  @state() private status: MfaStatus | null = null;
  @state() private devices: TrustedDevice[] = [];
  @state() private history: VerificationEntry[] = [];
  @state() private historyCursor: string | null = null;
  @state() private historyPages = 0;
  @state() private adding = false;
  @state() private confirming: PrimaryMethod | null = null;
  /** What the action waiting for a step-up does, in words ("remove Text message"). */
  @state() private stepUpDescription = '';
  @state() private busy = false;
  @state() private error: Error | null = null;
  @state() private message = '';

  /** Holds the action waiting for a step-up. */
  #stepUp = new StepUpController(this, () => import('./mfa-verify.ts'));
  /** A selector to focus after the next render; see {@link focusLater}. */
  #focusAfterRender = '';
  /** Counts loads, so the answer to an older one is ignored. */
  #loadCount = 0;

  /** Where the manager stands: `loading`, `ready` or `unavailable`. */
  get state(): MfaManagerState {
    return this.current;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Reads the status, the devices and the first page of history again. */
  async reload(): Promise<void> {
    const load = ++this.#loadCount;
    if (!this.status) this.current = 'loading';
    try {
      const [status] = await Promise.all([
        mfaStatus(this.api),
        this.loadDevices(load),
        this.loadHistory(load, null),
      ]);
      if (load !== this.#loadCount) return;
      this.status = status;
      this.current = 'ready';
    } catch (error) {
      if (load !== this.#loadCount) return;
      this.error = asError(error);
      if (!this.status) this.current = 'unavailable';
    }
  }

  private async loadDevices(load: number): Promise<void> {
    const page = await trustedDevices(this.api, { limit: trustedDevicesShownMax });
    if (load === this.#loadCount) this.devices = page.items.slice(0, trustedDevicesShownMax);
  }

  /** Loads the history page after `cursor` (the first for `null`) and adds it to the list. */
  private async loadHistory(load: number, cursor: string | null): Promise<void> {
    const limit = Math.min(historyPageSizeMax, Math.max(1, Math.trunc(this.historyPageSize) || 1));
    const page = await verificationHistory(this.api, { limit, cursor: cursor ?? undefined });
    if (load !== this.#loadCount) return;
    this.history = cursor === null ? page.items : [...this.history, ...page.items];
    this.historyPages = cursor === null ? 1 : this.historyPages + 1;
    this.historyCursor = page.nextCursor;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const selector = this.#focusAfterRender;
    if (selector === '') return;
    const target = this.renderRoot.querySelector<HTMLElement>(selector);
    if (target) {
      this.#focusAfterRender = '';
      target.focus();
    }
  }

  /** Focuses what `selector` finds once the element has rendered next. */
  private focusLater(selector: string): void {
    this.#focusAfterRender = selector;
    this.requestUpdate();
  }

  private get resolvedStrings(): MfaManagerStrings {
    return resolveStrings('ab-mfa-manager', mfaManagerStrings, this.strings);
  }

  private get level(): number {
    return Math.min(5, Math.max(1, Math.trunc(this.headingLevel) || 2));
  }

  override render() {
    const strings = this.resolvedStrings;
    return html`
      <div part="base" class="base">
        ${this.heading
          ? html`<div part="heading" role="heading" aria-level=${this.level}>${this.heading}</div>`
          : nothing}
        ${this.renderBody(strings)}
      </div>
    `;
  }

  /** The status line and the alert: under the policy, above the sections they speak of. */
  private renderMessages(strings: MfaManagerStrings) {
    return html`<div part="status" class="status" role="status">${this.message}</div>
      <div part="alert" class="alert" role="alert">${this.renderError(strings)}</div>`;
  }

  private renderBody(strings: MfaManagerStrings) {
    const status = this.status;
    if (this.current === 'loading') {
      return html`<p>${strings.loading}</p>
        ${this.renderMessages(strings)}`;
    }
    if (!status) {
      const signedOut = this.error instanceof ProblemError && this.error.status === 401;
      return html`${this.renderMessages(strings)}
      ${signedOut
        ? nothing
        : html`<div class="actions">
            <button part="button" type="button" @click=${this.reload}>${strings.tryAgain}</button>
          </div>`}`;
    }
    return html`
      <p part="policy">${this.policyText(status, strings)}</p>
      ${this.renderMessages(strings)} ${this.renderMethodsSection(status, strings)}
      ${this.enrolled ? this.renderBackupSection(strings) : nothing}
      ${this.renderDevicesSection(strings)} ${this.renderHistorySection(strings)}
    `;
  }

  /** The policy's name and, while a required setup is due, how long it may wait. */
  private policyText(status: MfaStatus, strings: MfaManagerStrings): string {
    const parts = [strings.policy(status.policy.name)];
    const { due, graceEndsAt, promptsLeft } = status.enrolment;
    if (due) {
      parts.push(strings.due);
      const locale = localeOf(this);
      if (graceEndsAt) parts.push(strings.graceUntil(formatDate(graceEndsAt, undefined, locale)));
      if (promptsLeft !== null) parts.push(strings.gracePrompts(promptsLeft));
    }
    return parts.join(' ');
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // The backup codes section shows once a method is set up; its element comes with it.
    if (changed.has('status') && this.enrolled) void import('./mfa-backup-codes.ts');
  }

  private get enrolled(): boolean {
    const status = this.status;
    return status !== null && methodOrder.some((method) => status[method].enabled);
  }

  private renderSectionHeading(id: string, text: string) {
    return html`<div
      part="section-heading"
      role="heading"
      aria-level=${this.level + 1}
      id=${id}
      tabindex="-1"
    >
      ${text}
    </div>`;
  }

  private renderMethodsSection(status: MfaStatus, strings: MfaManagerStrings) {
    let body;
    if (this.#stepUp.pending) body = this.renderStepUp(strings);
    else if (this.adding) body = this.renderSetup();
    else body = this.renderMethods(status, strings);
    return html`<section part="section" class="section" aria-labelledby="methods-heading">
      ${this.renderSectionHeading('methods-heading', strings.methodsHeading)} ${body}
    </section>`;
  }

  private renderMethods(status: MfaStatus, strings: MfaManagerStrings) {
    const enabled = methodOrder.filter((method) => status[method].enabled);
    const canAdd = status.allowedMethods.some((method) => !status[method].enabled);
    return html`
      ${enabled.length === 0
        ? html`<p>${strings.noMethods}</p>`
        : html`<ul part="methods">
            ${enabled.map((method) => this.renderMethod(status, method, enabled.length, strings))}
          </ul>`}
      ${status.allowedMethods.length > 0
        ? html`<div class="actions">
            <button part="button add" class="add" type="button" @click=${this.handleAdd}>
              ${canAdd ? strings.addMethod : strings.changeMethod}
            </button>
          </div>`
        : nothing}
    `;
  }

  private renderMethod(
    status: MfaStatus,
    method: PrimaryMethod,
    enabledCount: number,
    strings: MfaManagerStrings,
  ) {
    const name = strings[method];
    const locale = localeOf(this);
    const details = status[method];
    const preferred = status.preferredMethod === method;
    const totp = status.totp;
    const detail =
      method === 'totp'
        ? totp.algorithm && totp.digits
          ? strings.totpDetail(totp.algorithm, totp.digits)
          : ''
        : (status[method].destination ?? '');
    const added = details.enabledAt
      ? strings.added(formatDate(details.enabledAt, undefined, locale))
      : '';
    const used = details.lastUsedAt
      ? strings.lastUsed(formatTimeFromNow(details.lastUsedAt, Date.now(), locale))
      : strings.neverUsed;
    return html`<li part="method" data-method=${method}>
      <div class="what">
        <span>
          <strong>${name}</strong>
          ${preferred
            ? html`<span part="badge" class="badge">${strings.preferred}</span>`
            : nothing}
        </span>
        ${detail ? html`<span class="muted">${detail}</span>` : nothing}
        <span class="muted">${[added, used].filter(Boolean).join(' · ')}</span>
      </div>
      ${this.confirming === method
        ? this.renderConfirmRemoval(method, strings)
        : this.renderMethodActions(method, name, !preferred && enabledCount > 1, strings)}
    </li>`;
  }

  private renderMethodActions(
    method: PrimaryMethod,
    name: string,
    offersPreferred: boolean,
    strings: MfaManagerStrings,
  ) {
    const busy = this.busy ? 'true' : 'false';
    return html`<div class="actions">
      ${offersPreferred
        ? html`<button
            part="button"
            type="button"
            data-action="prefer"
            aria-disabled=${busy}
            @click=${() => this.handlePreferred(method)}
          >
            ${strings.makePreferred}<span class="visually-hidden">: ${name}</span>
          </button>`
        : nothing}
      <button
        part="button"
        type="button"
        data-action="remove"
        aria-disabled=${busy}
        @click=${() => this.askRemoval(method)}
      >
        ${strings.remove}<span class="visually-hidden">: ${name}</span>
      </button>
    </div>`;
  }

  private renderConfirmRemoval(method: PrimaryMethod, strings: MfaManagerStrings) {
    const name = strings[method];
    return html`<div class="actions" role="group" aria-labelledby="remove-question">
      <p id="remove-question">${strings.removeQuestion(name)}</p>
      <button
        part="button"
        class="danger"
        type="button"
        data-action="confirm-remove"
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${() => this.handleRemove(method)}
      >
        ${strings.remove}
      </button>
      <button part="button" type="button" data-action="keep" @click=${this.handleKeep}>
        ${strings.keep}
      </button>
    </div>`;
  }

  private renderStepUp(strings: MfaManagerStrings) {
    return html`<div part="step-up" class="section">
      <div role="heading" aria-level=${this.level + 2} id="step-up-heading" tabindex="-1">
        ${strings.stepUpHeading}
      </div>
      <p>${strings.stepUpText(this.stepUpDescription)}</p>
      <ab-mfa-verify
        heading=""
        api-base=${ifDefined(this.apiBase || undefined)}
        @ab-verified=${this.handleStepUpVerified}
      ></ab-mfa-verify>
      <div class="actions">
        <button part="button" type="button" @click=${this.cancelStepUp}>${strings.cancel}</button>
      </div>
    </div>`;
  }

  private renderSetup() {
    return html`<ab-mfa-setup
      part="setup"
      heading-level=${this.level + 2}
      api-base=${ifDefined(this.apiBase || undefined)}
      @ab-mfa-enrolled=${this.handleEnrolled}
      @ab-mfa-setup-cancel=${this.handleSetupCancel}
    ></ab-mfa-setup>`;
  }

  private renderBackupSection(strings: MfaManagerStrings) {
    return html`<section part="section" class="section" aria-labelledby="backup-heading">
      ${this.renderSectionHeading('backup-heading', strings.backupHeading)}
      <ab-mfa-backup-codes
        part="backup-codes"
        heading=""
        api-base=${ifDefined(this.apiBase || undefined)}
      ></ab-mfa-backup-codes>
    </section>`;
  }

  private renderDevicesSection(strings: MfaManagerStrings) {
    return html`<section part="section" class="section" aria-labelledby="devices-heading">
      ${this.renderSectionHeading('devices-heading', strings.devicesHeading)}
      ${this.devices.length === 0
        ? html`<p>${strings.noDevices}</p>`
        : html`<ul part="devices">
            ${this.devices.map((device) => this.renderDevice(device, strings))}
          </ul>`}
    </section>`;
  }

  private renderDevice(device: TrustedDevice, strings: MfaManagerStrings) {
    const locale = localeOf(this);
    const created = formatDate(device.createdAt, undefined, locale);
    const expires = formatDate(device.expiresAt, undefined, locale);
    const used = device.lastUsedAt
      ? strings.lastUsed(formatTimeFromNow(device.lastUsedAt, Date.now(), locale))
      : strings.neverUsed;
    const where = device.ip ? strings.deviceAddress(device.ip) : '';
    return html`<li part="device" data-device=${device.id}>
      <div class="what">
        <span>
          <strong>${device.label}</strong>
          ${device.current
            ? html`<span part="badge" class="badge">${strings.thisDevice}</span>`
            : nothing}
        </span>
        <span class="muted">${strings.deviceRemembered(created, expires)}</span>
        <span class="muted">${[used, where].filter(Boolean).join(' · ')}</span>
      </div>
      <div class="actions">
        <button
          part="button"
          type="button"
          data-action="forget"
          aria-disabled=${this.busy ? 'true' : 'false'}
          @click=${() => this.handleForget(device)}
        >
          ${strings.forget}<span class="visually-hidden">: ${device.label}</span>
        </button>
      </div>
    </li>`;
  }

  private renderHistorySection(strings: MfaManagerStrings) {
    const cut = this.historyCursor !== null && this.historyPages >= historyPagesMax;
    const more = this.historyCursor !== null && !cut;
    return html`<section part="section" class="section" aria-labelledby="history-heading">
      ${this.renderSectionHeading('history-heading', strings.historyHeading)}
      ${this.history.length === 0
        ? html`<p>${strings.noHistory}</p>`
        : html`<div class="scroll" role="region" aria-label=${strings.historyTable} tabindex="0">
            ${this.renderHistoryTable(strings)}
          </div>`}
      ${more
        ? html`<div class="actions">
            <button part="button more" type="button" @click=${this.handleMore}>
              ${strings.showMore}
            </button>
          </div>`
        : nothing}
      ${cut ? html`<p class="muted">${strings.historyCut}</p>` : nothing}
    </section>`;
  }

  private renderHistoryTable(strings: MfaManagerStrings) {
    const locale = localeOf(this);
    const when = { dateStyle: 'medium', timeStyle: 'short' } as const;
    return html`<table part="history">
      <thead>
        <tr>
          <th scope="col">${strings.when}</th>
          <th scope="col">${strings.method}</th>
          <th scope="col">${strings.purpose}</th>
          <th scope="col">${strings.result}</th>
          <th scope="col">${strings.address}</th>
        </tr>
      </thead>
      <tbody>
        ${this.history.map(
          (entry) => html`<tr data-entry=${entry.id}>
            <td>${formatDate(entry.createdAt, when, locale)}</td>
            <td>${strings[entry.method]}</td>
            <td>${strings[entry.purpose]}</td>
            <td class=${entry.outcome}>
              ${strings[entry.outcome]}${entry.reason ? ` (${readableReason(entry.reason)})` : ''}
            </td>
            <td>${entry.ip ?? ''}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private renderError(strings: MfaManagerStrings) {
    const error = this.error;
    if (!error) return nothing;
    if (error instanceof ProblemError && error.status === 401) return strings.signedOut;
    return errorMessage(error, strings.unexpectedError, strings.networkError);
  }

  // --- Actions -------------------------------------------------------------------------------

  /**
   * Runs `action` with the busy flag and the alert cleared; a refusal for want of a fresh
   * verification opens the step-up, described by `describe`, and runs `action` again after it.
   */
  private async run(action: () => Promise<void>, describe = ''): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.message = '';
    try {
      await action();
    } catch (error) {
      if (isStepUpRequired(error) && describe !== '') {
        await this.#stepUp.request(action);
        this.stepUpDescription = describe;
        this.focusLater('#step-up-heading');
      } else {
        this.error = asError(error);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Shows the account's new status, says what happened and tells the page. */
  private changed(status: MfaStatus, detail: Omit<MfaChangedEventDetail, 'status'>): void {
    this.status = status;
    this.dispatchEvent(domainEvent<MfaChangedEventDetail>('ab-mfa-changed', { ...detail, status }));
  }

  private async handlePreferred(method: PrimaryMethod): Promise<void> {
    const strings = this.resolvedStrings;
    await this.run(async () => {
      this.changed(await setPreferredMethod(this.api, method), { change: 'preferred', method });
      this.message = strings.preferredMessage(strings[method]);
      this.focusLater(`[data-method="${method}"] [data-action="remove"]`);
    });
  }

  private askRemoval(method: PrimaryMethod): void {
    if (this.busy) return;
    this.confirming = method;
    this.message = '';
    this.focusLater('[data-action="keep"]');
  }

  private handleKeep(): void {
    const method = this.confirming;
    this.confirming = null;
    this.focusLater(`[data-method="${method}"] [data-action="remove"]`);
  }

  private async handleRemove(method: PrimaryMethod): Promise<void> {
    const strings = this.resolvedStrings;
    const name = strings[method];
    await this.run(async () => {
      const status = await removeMethod(this.api, method);
      this.confirming = null;
      this.#stepUp.end();
      this.changed(status, { change: 'removed', method });
      this.message = strings.removedMessage(name);
      this.focusLater('#methods-heading');
      // Removing a factor forgets the remembered devices, and the history has a new line.
      await this.reload();
    }, strings.stepUpRemove(name));
  }

  private async handleStepUpVerified(): Promise<void> {
    if (this.#stepUp.pending) await this.run(() => this.#stepUp.resume());
  }

  private cancelStepUp(): void {
    const method = this.confirming;
    this.#stepUp.end();
    this.confirming = null;
    this.focusLater(
      method ? `[data-method="${method}"] [data-action="remove"]` : '#methods-heading',
    );
  }

  private async handleAdd(): Promise<void> {
    // The wizard is loaded on first use: most visits to the settings add nothing.
    await import('./mfa-setup.ts');
    this.adding = true;
    this.focusLater('ab-mfa-setup');
    this.message = '';
    this.error = null;
  }

  private async handleEnrolled(event: CustomEvent<MfaEnrolledEventDetail>): Promise<void> {
    const strings = this.resolvedStrings;
    const method = event.detail.method;
    this.adding = false;
    this.message = strings.enrolledMessage(strings[method]);
    this.focusLater('#methods-heading');
    await this.reload();
    if (this.status) this.changed(this.status, { change: 'enrolled', method });
  }

  private handleSetupCancel(): void {
    this.adding = false;
    this.focusLater('.add');
  }

  private async handleForget(device: TrustedDevice): Promise<void> {
    const strings = this.resolvedStrings;
    await this.run(async () => {
      await forgetTrustedDevice(this.api, device.id);
      const index = this.devices.findIndex((listed) => listed.id === device.id);
      this.devices = this.devices.filter((listed) => listed.id !== device.id);
      this.message = strings.forgottenMessage(device.label);
      const next = this.devices[Math.min(index, this.devices.length - 1)];
      this.focusLater(
        next ? `[data-device="${next.id}"] [data-action="forget"]` : '#devices-heading',
      );
      if (this.status) this.changed(this.status, { change: 'device-forgotten' });
    });
  }

  private async handleMore(): Promise<void> {
    await this.run(() => this.loadHistory(this.#loadCount, this.historyCursor));
    // Show more stays focused while it stays; when it goes, the table's region takes over.
    const stays = this.historyCursor !== null && this.historyPages < historyPagesMax;
    if (!stays) this.focusLater('.scroll');
  }
}

/** A reason slug as words: `remembered-device` reads "remembered device". */
function readableReason(reason: string): string {
  return reason.replace(/-/g, ' ');
}

if (!customElements.get('ab-mfa-manager')) customElements.define('ab-mfa-manager', AbMfaManager);

declare global {
  interface HTMLElementTagNameMap {
    'ab-mfa-manager': AbMfaManager;
  }
  interface HTMLElementEventMap {
    'ab-mfa-changed': CustomEvent<MfaChangedEventDetail>;
  }
}
