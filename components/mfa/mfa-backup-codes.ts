/**
 * @packageDocumentation
 * `<ab-mfa-backup-codes>`: shows fresh backup codes once, with ways to keep them, and how many
 * are left, with a way to make new ones.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { asError, errorMessage } from '../core/api-errors.ts';
import { domainEvent } from '../core/domain-event.ts';
import { formatDate, localeOf } from '../core/format.ts';
import {
  backupCodeCounts,
  isStepUpRequired,
  regenerateBackupCodes,
  type BackupCodeCounts,
} from '../core/mfa-api.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { StepUpController } from '../core/step-up.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';

/** At or below this many codes left, the element warns that they are running out. */
export const backupCodesFewMax = 3;

/** The English strings of `ab-mfa-backup-codes`; override any of them with `strings`. */
export const mfaBackupCodesStrings = {
  /** Heading of the summary (how many are left). */
  heading: 'Backup codes',
  /** Heading while fresh codes are shown. */
  freshHeading: 'Save your backup codes',
  /** Text above fresh codes. */
  freshText:
    'Each code signs you in once when you cannot use your other methods. They are shown ' +
    'only now: copy, download or print them and keep them somewhere safe.',
  /** Accessible name of the list of codes. */
  listLabel: 'Your backup codes',
  /** Said while the counts load. */
  loading: 'Loading your backup codes…',
  /** How many are left. */
  remaining: (remaining: number, total: number) =>
    `${remaining} of ${total} backup codes left.`,
  /** When the account has none. */
  none: 'You have no backup codes.',
  /** The warning at or below `backupCodesFewMax` codes left. */
  few: (remaining: number) =>
    remaining === 0
      ? 'You have used every backup code. Generate new ones now.'
      : `Only ${remaining} left. Generate new codes before you run out.`,
  /** When the codes were made; `date` is formatted for the reader. */
  generatedAt: (date: string) => `Generated ${date}.`,
  /** The copy button. */
  copy: 'Copy all',
  /** Announced after copying. */
  copied: 'The codes are copied to the clipboard.',
  /** When the clipboard refused. */
  copyFailed: 'The codes could not be copied. Select them and copy them yourself.',
  /** The download link. */
  download: 'Download as .txt',
  /** The print button. */
  print: 'Print',
  /** The first line of the downloaded file. */
  fileHeading: 'Backup codes',
  /** The second line of the downloaded file. */
  fileNote: 'Each code works once. Keep this file somewhere safe.',
  /** The confirmation checkbox. */
  saved: 'I have saved these codes',
  /** The button that closes the fresh codes. */
  done: 'Done',
  /** The regenerate button. */
  regenerate: 'Generate new codes',
  /** What regenerating means. */
  regenerateHint: 'New codes replace all of your current ones.',
  /** The regenerate button while working. */
  regenerating: 'Generating…',
  /** Announced after regenerating. */
  regenerated: 'New backup codes are ready. Save them now.',
  /** Heading of the step-up prompt. */
  stepUpHeading: 'Confirm it is you to generate new codes',
  /** Leaves the step-up prompt. */
  cancel: 'Cancel',
  /** A failure that is neither the server's answer nor a lost connection. */
  unexpected: 'Something went wrong. Please try again.',
};

/** The strings of {@link mfaBackupCodesStrings}. */
export type MfaBackupCodesStrings = typeof mfaBackupCodesStrings;

/** `detail` of `ab-mfa-backup-codes-saved`. */
export interface BackupCodesSavedEventDetail {
  /** How many codes were shown and confirmed as saved. */
  count: number;
}

/** `detail` of `ab-mfa-backup-codes-regenerated`. */
export interface BackupCodesRegeneratedEventDetail {
  /** How many new codes there are. */
  count: number;
}

/** The file name a download gets when `filename` is empty. */
const filenameDefault = 'backup-codes.txt';

/**
 * Shows fresh backup codes once, or how many are left.
 *
 * With `codes` set (after enrolment, or after regenerating) it lists them with three ways to
 * keep them: copy all (Clipboard API), download as a .txt file, and print (a print style
 * leaves out everything but the codes). Ticking "I have saved these codes" enables Done, which
 * fires `ab-mfa-backup-codes-saved` and hides the codes for good.
 *
 * Without codes it reads `GET {api-base}/mfa/backup-codes` and says how many are left, with a
 * warning at or below `backupCodesFewMax` (3). "Generate new codes" calls
 * `POST {api-base}/mfa/backup-codes`; when the server asks for a fresh verification (403
 * `/step-up-required`) an `ab-mfa-verify` appears in place and the codes are made once it
 * succeeds.
 *
 * @summary Fresh backup codes (copy, download, print, confirm) and the count left (regenerate).
 * @tag ab-mfa-backup-codes
 *
 * @fires ab-mfa-backup-codes-saved - Done was pressed after ticking "I have saved these
 * codes". `detail`: `{count}`. Bubbles, composed.
 * @fires ab-mfa-backup-codes-regenerated - New codes were made and are shown. `detail`:
 * `{count}`. Bubbles, composed.
 * @fires ab-verified - From the inner `ab-mfa-verify` of a step-up: the session verified a
 * second factor. `detail`: `{method, rememberedUntil}`. Bubbles, composed.
 *
 * @csspart base - The box around everything.
 * @csspart heading - The heading (absent when `heading` is empty).
 * @csspart codes - The list of codes.
 * @csspart code - One code.
 * @csspart actions - The copy, download and print controls.
 * @csspart copy - The copy button.
 * @csspart download - The download link.
 * @csspart print - The print button.
 * @csspart saved - The "I have saved these codes" label, checkbox included.
 * @csspart done - The Done button.
 * @csspart remaining - The "n of m backup codes left" line.
 * @csspart warning - The warning when few codes are left.
 * @csspart regenerate - The regenerate button.
 * @csspart verify - The `ab-mfa-verify` of a step-up.
 * @csspart cancel - The button that leaves the step-up.
 * @csspart alert - The region showing errors, announced assertively.
 * @csspart status - The region announcing progress politely.
 *
 * @cssproperty --ab-mfa-backup-codes-max-width - Widest the element grows; 30rem by default.
 * @cssproperty --ab-mfa-backup-codes-warning-color - Colour of the few-left warning.
 */
export class AbMfaBackupCodes extends ApiBaseMixin(LitElement) {
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-mfa-backup-codes-max-width, 30rem);
      }
      .base {
        display: grid;
        gap: ${token('space-m')};
      }
      h2:focus {
        outline: none;
      }
      .codes {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        gap: ${token('space-xs')} ${token('space-l')};
        margin: 0;
        padding: ${token('space-m')} ${token('space-l')};
        padding-inline-start: calc(${token('space-l')} + 1.5em);
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: ${token('color-surface-raised')};
      }
      code {
        font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
        font-size: ${token('font-size-medium')};
        letter-spacing: 0.05em;
      }
      button,
      .button {
        display: inline-flex;
        align-items: center;
        box-sizing: border-box;
        text-decoration: none;
      }
      .primary {
        justify-self: start;
      }
      .primary:hover:not(:disabled) {
        background: ${token('color-primary-hover')};
      }
      .saved {
        display: inline-flex;
        align-items: center;
        gap: ${token('space-s')};
        cursor: pointer;
      }
      input[type='checkbox'] {
        width: 1.125rem;
        height: 1.125rem;
        margin: 0;
        accent-color: ${token('color-primary')};
      }
      .warning {
        padding: ${token('space-s')} ${token('space-m')};
        border-inline-start: 4px solid
          var(--ab-mfa-backup-codes-warning-color, ${token('color-danger')});
        border-radius: ${token('radius-s')};
        background: ${token('color-danger-surface')};
        color: var(--ab-mfa-backup-codes-warning-color, ${token('color-danger')});
      }
      @media print {
        :host {
          max-width: none;
          color: #000;
        }
        .actions,
        .confirm,
        .alert,
        .status,
        .fresh-text {
          display: none;
        }
        .codes {
          border-color: #000;
          background: none;
        }
      }
    `,
  ];

  /**
   * Fresh codes to show, once (as `POST /mfa/totp/confirm` or `POST /mfa/backup-codes`
   * answer them). Empty shows how many are left instead. Regenerating sets it; Done empties it.
   */
  @property({ attribute: false }) codes: string[] = [];

  /**
   * How many codes are left. Read from `GET {api-base}/mfa/backup-codes` when the count is
   * shown and this is not set; the element clears it when new codes are made.
   */
  @property({ attribute: false }) counts: BackupCodeCounts | null = null;

  /** Heading; the element's own (per view) when unset, none when empty. */
  @property() heading: string | undefined = undefined;

  /** Name of the downloaded file. */
  @property() filename = filenameDefault;

  /**
   * Leaves out the "I have saved these codes" checkbox and Done, for a host that asks for it
   * itself (as `ab-mfa-setup` does).
   */
  @property({ type: Boolean, attribute: 'no-confirm' }) noConfirm = false;

  /** Prints the page; `window.print` unless replaced (e.g. by a test). */
  @property({ attribute: false }) printer: () => void = () => window.print();

  /** Overrides some or all of the English strings (see `mfaBackupCodesStrings`). */
  @property({ attribute: false }) strings: Partial<MfaBackupCodesStrings> | undefined = undefined;

  /** The error shown in the alert; set by the element when a request fails. */
  @property({ attribute: false }) error: Error | null = null;

  @state() private savedConfirmed = false;
  @state() private busy = false;
  @state() private loading = false;
  /** The clipboard refused the codes. */
  @state() private copyFailed = false;
  /** The polite announcement: what just happened. */
  @state() private announcement = '';

  @query('h2') private headingElement!: HTMLElement | null;

  /** Regenerating waits here for a step-up (rare next to showing codes) when the server asks. */
  #stepUp = new StepUpController(this, () => import('./mfa-verify.ts'));
  #downloadUrl = '';
  /** Counts count loads, so the answer to an older one is ignored. */
  #loadCount = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.revokeDownload();
  }

  /** Reads how many codes are left from the server. */
  async loadCounts(): Promise<void> {
    const load = ++this.#loadCount;
    this.loading = true;
    try {
      const counts = await backupCodeCounts(this.api);
      if (load === this.#loadCount) this.counts = counts;
    } catch (error) {
      if (load === this.#loadCount) this.error = asError(error);
    } finally {
      if (load === this.#loadCount) this.loading = false;
    }
  }

  /**
   * Makes a new set of codes and shows them. When the server asks for a fresh verification,
   * shows `ab-mfa-verify` first and makes them once it succeeds.
   */
  async regenerate(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.announcement = '';
    try {
      const { backupCodes } = await regenerateBackupCodes(this.api);
      this.#stepUp.end();
      this.counts = null;
      this.codes = backupCodes;
      this.savedConfirmed = false;
      this.announcement = this.strs.regenerated;
      const detail = { count: backupCodes.length };
      this.dispatchEvent(
        domainEvent<BackupCodesRegeneratedEventDetail>('ab-mfa-backup-codes-regenerated', detail),
      );
      await this.updateComplete;
      this.headingElement?.focus();
    } catch (error) {
      if (isStepUpRequired(error)) await this.startStepUp();
      else this.error = asError(error);
    } finally {
      this.busy = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('codes')) {
      this.copyFailed = false;
      this.revokeDownload();
      if (this.codes.length > 0) {
        const blob = new Blob([this.fileText()], { type: 'text/plain;charset=utf-8' });
        this.#downloadUrl = URL.createObjectURL(blob);
      }
    }
    // The count is read when it is about to show and not known; in this update, not the next.
    const showsCount = this.codes.length === 0 && !this.#stepUp.pending;
    if (showsCount && this.counts === null && !this.loading && this.error === null) {
      void this.loadCounts();
    }
  }


  private get strs(): MfaBackupCodesStrings {
    return resolveStrings('ab-mfa-backup-codes', mfaBackupCodesStrings, this.strings);
  }

  override render() {
    const strings = this.strs;
    return html`
      <section part="base" class="base">
        ${this.codes.length > 0
          ? this.renderFresh(strings)
          : this.#stepUp.pending
            ? this.renderStepUp(strings)
            : this.renderSummary(strings)}
        <div part="alert" class="alert" role="alert">${this.renderError(strings)}</div>
        <div part="status" class="status" role="status">${this.announcement}</div>
      </section>
    `;
  }

  private renderHeading(fallback: string) {
    const heading = this.heading ?? fallback;
    if (heading === '') return nothing;
    return html`<h2 part="heading" tabindex="-1">${heading}</h2>`;
  }

  private renderFresh(strings: MfaBackupCodesStrings) {
    return html`
      ${this.renderHeading(strings.freshHeading)}
      <p class="fresh-text">${strings.freshText}</p>
      <ol part="codes" class="codes" aria-label=${strings.listLabel}>
        ${this.codes.map((code) => html`<li><code part="code">${code}</code></li>`)}
      </ol>
      <div part="actions" class="actions">
        <button part="copy" class="secondary" type="button" @click=${this.handleCopy}>
          ${strings.copy}
        </button>
        <a
          part="download"
          class="button secondary"
          href=${this.#downloadUrl}
          download=${this.filename}
        >
          ${strings.download}
        </a>
        <button part="print" class="secondary" type="button" @click=${this.handlePrint}>
          ${strings.print}
        </button>
      </div>
      ${this.noConfirm ? nothing : this.renderConfirm(strings)}
    `;
  }

  private renderConfirm(strings: MfaBackupCodesStrings) {
    return html`
      <div class="confirm base">
        <label part="saved" class="saved">
          <input
            type="checkbox"
            name="saved"
            .checked=${this.savedConfirmed}
            @change=${this.handleSavedChange}
          />
          ${strings.saved}
        </label>
        <button
          part="done"
          class="primary"
          type="button"
          ?disabled=${!this.savedConfirmed}
          @click=${this.handleDone}
        >
          ${strings.done}
        </button>
      </div>
    `;
  }

  private renderSummary(strings: MfaBackupCodesStrings) {
    const counts = this.counts;
    const locale = localeOf(this);
    let body;
    if (counts === null) {
      body = this.loading ? html`<p>${strings.loading}</p>` : nothing;
    } else if (counts.total === 0) {
      body = html`<p part="remaining">${strings.none}</p>`;
    } else {
      const few = counts.remaining <= backupCodesFewMax;
      const generated = counts.generatedAt
        ? formatDate(counts.generatedAt, { dateStyle: 'medium' }, locale)
        : '';
      body = html`
        <p part="remaining">${strings.remaining(counts.remaining, counts.total)}</p>
        ${few
          ? html`<p part="warning" class="warning">${strings.few(counts.remaining)}</p>`
          : nothing}
        ${generated ? html`<p class="muted">${strings.generatedAt(generated)}</p>` : nothing}
      `;
    }
    return html`
      ${this.renderHeading(strings.heading)} ${body}
      <p class="muted" id="regenerate-hint">${strings.regenerateHint}</p>
      <button
        part="regenerate"
        class="secondary"
        type="button"
        aria-describedby="regenerate-hint"
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${this.regenerate}
      >
        ${this.busy ? strings.regenerating : strings.regenerate}
      </button>
    `;
  }

  private renderStepUp(strings: MfaBackupCodesStrings) {
    return html`
      <ab-mfa-verify
        part="verify"
        heading=${strings.stepUpHeading}
        api-base=${this.apiBase}
        @ab-verified=${this.handleVerified}
      ></ab-mfa-verify>
      <button part="cancel" class="secondary" type="button" @click=${this.handleCancel}>
        ${strings.cancel}
      </button>
    `;
  }

  private renderError(strings: MfaBackupCodesStrings) {
    if (this.copyFailed) return strings.copyFailed;
    return this.error ? errorMessage(this.error, strings.unexpected) : nothing;
  }

  /** The downloaded file: a heading, a note, the date, and one code per line. */
  private fileText(): string {
    const strings = this.strs;
    const date = formatDate(Date.now(), { dateStyle: 'long' }, localeOf(this));
    const lines = [strings.fileHeading, strings.fileNote, strings.generatedAt(date), ''];
    return `${[...lines, ...this.codes].join('\n')}\n`;
  }

  private revokeDownload(): void {
    if (this.#downloadUrl !== '') URL.revokeObjectURL(this.#downloadUrl);
    this.#downloadUrl = '';
  }

  private async startStepUp(): Promise<void> {
    await this.#stepUp.request(() => this.regenerate());
    await this.updateComplete;
    this.renderRoot.querySelector('ab-mfa-verify')?.focus();
  }

  private async handleCopy(): Promise<void> {
    this.announcement = '';
    this.copyFailed = false;
    try {
      await navigator.clipboard.writeText(this.codes.join('\n'));
      this.announcement = this.strs.copied;
    } catch {
      this.copyFailed = true;
    }
  }

  private handlePrint(): void {
    this.printer();
  }

  private handleSavedChange(event: Event): void {
    this.savedConfirmed = (event.target as HTMLInputElement).checked;
  }

  private async handleDone(): Promise<void> {
    if (!this.savedConfirmed) return;
    const detail = { count: this.codes.length };
    this.codes = [];
    this.savedConfirmed = false;
    this.announcement = '';
    this.dispatchEvent(
      domainEvent<BackupCodesSavedEventDetail>('ab-mfa-backup-codes-saved', detail),
    );
    await this.updateComplete;
    this.headingElement?.focus();
  }

  private handleVerified(): void {
    void this.#stepUp.resume();
  }

  private async handleCancel(): Promise<void> {
    this.#stepUp.end();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part~="regenerate"]')?.focus();
  }
}

if (!customElements.get('ab-mfa-backup-codes')) {
  customElements.define('ab-mfa-backup-codes', AbMfaBackupCodes);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-mfa-backup-codes': AbMfaBackupCodes;
  }
  interface HTMLElementEventMap {
    'ab-mfa-backup-codes-saved': CustomEvent<BackupCodesSavedEventDetail>;
    'ab-mfa-backup-codes-regenerated': CustomEvent<BackupCodesRegeneratedEventDetail>;
  }
}
