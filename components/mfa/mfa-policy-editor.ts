/**
 * @packageDocumentation
 * `<ab-mfa-policy-editor>`: where an Admin manages the MFA policies: the list in the order
 * they win, a form to create or edit one (checked as the server checks it, the server's own
 * field errors shown on the field they are about), deleting, and which policy applies to a
 * given account.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiBaseMixin } from '../core/api-base.ts';
import { ProblemError, asError, errorMessage } from '../core/api-errors.ts';
import { domainEvent } from '../core/domain-event.ts';
import { formatDate, formatList, localeOf } from '../core/format.ts';
import {
  adminUserMfa,
  createPolicy,
  deletePolicy,
  failedAttemptsMaxDefault,
  failedAttemptsMaxLimit,
  gracePeriodDaysMax,
  gracePromptsMaxLimit,
  listPolicies,
  lockoutMinutesDefault,
  lockoutMinutesMax,
  mfaProblems,
  pageLimitMax,
  policyNameLengthMax,
  policyPriorityMax,
  policyRolesMax,
  rememberDeviceDaysMax,
  totpWindowStepsMax,
  updatePolicy,
  type AdminUserMfa,
  type Policy,
  type PolicyInput,
  type PrimaryMethod,
} from '../core/mfa-api.ts';
import { panelStyles } from '../core/panel-styles.ts';
import { resolveStrings } from '../core/strings.ts';
import { token } from '../core/tokens.ts';
import type { AbTextField } from '../ui/text-field.ts';
import '../ui/text-field.ts';

/** Where the editor stands. */
export type MfaPolicyEditorState = 'loading' | 'list' | 'edit' | 'forbidden' | 'unavailable';

/** `detail` of `ab-mfa-policy-saved` and `ab-mfa-policy-deleted`. */
export interface MfaPolicyEventDetail {
  /** The policy as the server answered it. */
  policy: Policy;
}

/** The roles offered when `roles` is not set: the two the server starts with. */
export const policyEditorRolesDefault: readonly string[] = ['Admin', 'User'];

/** The fields of the policy form, by the name the server's errors use (`body.<name>`). */
export type PolicyField =
  | 'name'
  | 'priority'
  | 'roles'
  | 'enforcement'
  | 'allowedMethods'
  | 'gracePeriodDays'
  | 'gracePromptsMax'
  | 'setupDeadline'
  | 'maxFailedAttempts'
  | 'lockoutMinutes'
  | 'totpWindowSteps'
  | 'rememberDeviceDays';

/** The fields of the form that hold a whole number. */
type NumberField =
  | 'priority'
  | 'gracePeriodDays'
  | 'gracePromptsMax'
  | 'maxFailedAttempts'
  | 'lockoutMinutes'
  | 'totpWindowSteps'
  | 'rememberDeviceDays';

/** The numeric fields of the form with their bounds, as the server checks them. */
const numberFields: ReadonlyArray<{
  name: NumberField;
  min: number;
  max: number;
  optional: boolean;
}> = [
  { name: 'priority', min: -policyPriorityMax, max: policyPriorityMax, optional: false },
  { name: 'gracePeriodDays', min: 0, max: gracePeriodDaysMax, optional: true },
  { name: 'gracePromptsMax', min: 0, max: gracePromptsMaxLimit, optional: true },
  { name: 'maxFailedAttempts', min: 1, max: failedAttemptsMaxLimit, optional: false },
  { name: 'lockoutMinutes', min: 1, max: lockoutMinutesMax, optional: false },
  { name: 'totpWindowSteps', min: 0, max: totpWindowStepsMax, optional: false },
  { name: 'rememberDeviceDays', min: 0, max: rememberDeviceDaysMax, optional: false },
];

const allMethods: readonly PrimaryMethod[] = ['totp', 'sms', 'email'];

/** The English strings of `ab-mfa-policy-editor`; override any of them with `strings`. */
export const mfaPolicyEditorStrings = {
  heading: 'MFA policies',
  loading: 'Loading the policies…',
  forbidden: 'Only an Admin can manage MFA policies.',
  signedOut: 'Sign in as an Admin to manage MFA policies.',
  intro: 'The policy with the highest priority among those that apply to an account wins.',
  noPolicies:
    'There is no policy: a built-in optional policy allowing authenticator apps applies.',
  name: 'Name',
  priority: 'Priority',
  appliesTo: 'Applies to',
  enforcement: 'Enforcement',
  methods: 'Methods',
  actions: 'Actions',
  everyone: 'Everyone',
  required: 'Required',
  optional: 'Optional',
  totp: 'Authenticator app',
  sms: 'Text message',
  email: 'Email',
  newPolicy: 'New policy',
  edit: 'Edit',
  delete: 'Delete',
  deleteQuestion: (name: string) =>
    `Delete “${name}”? Accounts it applies to fall back to the next policy.`,
  keep: 'Keep',
  newHeading: 'New policy',
  editHeading: (name: string) => `Edit “${name}”`,
  priorityHint: `${-policyPriorityMax} to ${policyPriorityMax}; higher wins.`,
  appliesLegend: 'Applies to',
  orgWide: 'Everyone (org-wide)',
  someRoles: 'Only accounts with these roles',
  rolesMissing: 'Choose at least one role, or apply the policy to everyone.',
  rolesTooMany: `Choose at most ${policyRolesMax} roles.`,
  enforcementLegend: 'Second factor',
  requiredHint: 'Accounts must set one up (after the grace period).',
  optionalHint: 'Accounts may set one up.',
  methodsLegend: 'Allowed methods',
  methodsMissing: 'Allow at least one method.',
  graceLegend: 'Grace period for setting up',
  gracePeriodDays: 'Grace days',
  gracePeriodDaysHint: `Days from the first prompt, up to ${gracePeriodDaysMax}; empty for none.`,
  gracePromptsMax: 'Skippable sign-ins',
  gracePromptsMaxHint: `Sign-ins that may skip the prompt, up to ${gracePromptsMaxLimit}.`,
  setupDeadline: 'Setup deadline',
  deadlineHint: 'After this day, setup can no longer be put off. Empty for none.',
  limitsLegend: 'Attempts and devices',
  maxFailedAttempts: 'Wrong codes before a lock',
  maxFailedAttemptsHint: `1 to ${failedAttemptsMaxLimit}.`,
  lockoutMinutes: 'Lock length (minutes)',
  lockoutMinutesHint: `1 to ${lockoutMinutesMax}.`,
  totpWindowSteps: 'Code window (steps)',
  totpWindowStepsHint:
    `App codes accepted either side of now, 0 to ${totpWindowStepsMax}; a step is usually 30 s.`,
  rememberDeviceDays: 'Remember devices (days)',
  rememberDeviceDaysHint: `0 to ${rememberDeviceDaysMax}; 0 never remembers a device.`,
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  created: (name: string) => `Policy “${name}” created.`,
  saved: (name: string) => `Policy “${name}” saved.`,
  deleted: (name: string) => `Policy “${name}” deleted.`,
  lookupHeading: 'Which policy applies to an account?',
  userId: 'Account number',
  check: 'Check',
  applies: (username: string, userId: number, policy: string) =>
    `Policy “${policy}” applies to ${username} (account ${userId}).`,
  userMethods: (methods: string) => `Methods set up: ${methods}.`,
  noUserMethods: 'No method set up.',
  lockedUntil: (time: string) => `Locked until ${time}.`,
  appliesBadge: (username: string) => `Applies to ${username}`,
  networkError: 'Could not reach the server. Check your connection and try again.',
  unexpectedError: 'Something went wrong. Please try again.',
  tryAgain: 'Try again',
};

/** The strings of {@link mfaPolicyEditorStrings}. */
export type MfaPolicyEditorStrings = typeof mfaPolicyEditorStrings;

/** Reads the `roles` attribute: names separated by commas or spaces. */
const rolesConverter = {
  fromAttribute: (value: string | null) =>
    (value ?? '').split(/[\s,]+/).filter((role) => role !== ''),
  toAttribute: (value: string[]) => value.join(','),
};

/**
 * The MFA policies of the installation, for an Admin: list, create, edit and delete, and
 * which policy applies to an account.
 *
 * The list (`GET {api-base}/mfa/policies`) is sorted as the server picks: highest priority
 * first, ties to the older policy. The form edits every rule of a policy: name, priority,
 * who it applies to (everyone, or the roles picked from `roles`), whether a second factor is
 * required, the allowed methods, the grace period (days, skipped prompts, a deadline), the
 * wrong codes before a lock (1 to 10), the lock's length, the authenticator window (0 to 2
 * steps) and how long a device may be remembered. It checks what the server checks before
 * sending, and shows each error the server still finds on its field. Non-Admins see that
 * the page is not for them (403).
 *
 * @summary Admin editor of MFA policies, with the policy that applies to an account.
 * @tag ab-mfa-policy-editor
 *
 * @fires ab-mfa-policy-saved - A policy was created or saved. `detail`: `{policy}`. Bubbles,
 * composed.
 * @fires ab-mfa-policy-deleted - A policy was deleted. `detail`: `{policy}`. Bubbles, composed.
 *
 * @csspart base - The box around everything.
 * @csspart heading - The main heading.
 * @csspart table - The table of policies.
 * @csspart policy - One row of the table.
 * @csspart badge - The "Applies to" badge of the row matching the account checked.
 * @csspart form - The policy form.
 * @csspart form-heading - The form's heading ("New policy", "Edit …").
 * @csspart field - Every `ab-text-field` of the form.
 * @csspart group - Every fieldset of the form (applies to, enforcement, methods, …).
 * @csspart field-error - The error line of a fieldset.
 * @csspart lookup - The "Which policy applies" form and its answer.
 * @csspart button - Every button.
 * @csspart status - The polite line announcing what just happened.
 * @csspart alert - The region that shows errors.
 *
 * @cssproperty --ab-mfa-policy-editor-max-width - Widest the element grows; 56rem by default.
 * @cssproperty --ab-mfa-policy-editor-background - Background of the form and the list.
 */
export class AbMfaPolicyEditor extends ApiBaseMixin(LitElement) {
  static override styles = [
    panelStyles,
    css`
      :host {
        max-width: var(--ab-mfa-policy-editor-max-width, 56rem);
      }
      .base,
      form,
      .panel {
        display: grid;
        gap: ${token('space-l')};
      }
      .panel {
        padding: ${token('space-l')};
        border: 1px solid ${token('color-border')};
        border-radius: ${token('radius-m')};
        background: var(--ab-mfa-policy-editor-background, ${token('color-surface')});
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        padding: ${token('space-s')};
        border-block-end: 1px solid ${token('color-surface-disabled')};
        text-align: start;
        vertical-align: top;
      }
      fieldset {
        display: grid;
        gap: ${token('space-s')};
        margin: 0;
        padding: ${token('space-m')};
        border: 1px solid ${token('color-surface-disabled')};
        border-radius: ${token('radius-m')};
      }
      legend {
        padding: 0 ${token('space-xs')};
        font-weight: ${token('font-weight-strong')};
      }
      .row {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: ${token('space-m')};
      }
      .option {
        display: flex;
        gap: ${token('space-s')};
        align-items: baseline;
      }
      .roles {
        display: flex;
        flex-wrap: wrap;
        gap: ${token('space-xs')} ${token('space-l')};
        padding-inline-start: ${token('space-xl')};
      }
      .date {
        display: grid;
        gap: ${token('space-xs')};
      }
      input[type='date'] {
        justify-self: start;
        min-height: 2.75rem;
        padding: 0 ${token('space-m')};
        border: 1px solid var(--ab-field-border-color, ${token('color-border')});
        border-radius: ${token('radius-m')};
        background: ${token('color-surface')};
        color: inherit;
        font: inherit;
      }
      .actions {
        align-items: center;
      }
      button {
        min-height: 2.25rem;
        padding: 0 ${token('space-m')};
        font-weight: inherit;
      }
      button.primary {
        border: 1px solid ${token('color-primary')};
        font-weight: ${token('font-weight-strong')};
      }
      button.danger {
        border-color: ${token('color-danger')};
        color: ${token('color-danger')};
      }
      .badge {
        display: inline-block;
        padding: 0 ${token('space-s')};
        border-radius: 999px;
        background: ${token('color-success-surface')};
        color: ${token('color-success')};
        font-size: ${token('font-size-small')};
        font-weight: ${token('font-weight-strong')};
      }
      .scroll {
        overflow-x: auto;
      }
      .field-error {
        margin: 0;
        color: ${token('color-danger')};
        font-size: ${token('font-size-small')};
      }
      .found:empty {
        display: none;
      }
    `,
  ];

  /** The main heading; empty for none (the page has its own). */
  @property() heading = mfaPolicyEditorStrings.heading;

  /** Level of the main heading (1 to 5); the form's and the lookup's are one below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /**
   * The roles offered in the role picker, as names separated by commas (attribute) or an
   * array (property). The server knows `Admin` and `User`; a name it does not know is
   * refused on the field.
   */
  @property({ converter: rolesConverter }) roles: string[] = [...policyEditorRolesDefault];

  /** Overrides some or all of the English strings (see `mfaPolicyEditorStrings`). */
  @property({ attribute: false }) strings: Partial<MfaPolicyEditorStrings> = {};

  @state() private current: MfaPolicyEditorState = 'loading';
  @state() private policies: Policy[] = [];
  /** The policy being edited; `null` for a new one. */
  @state() private editing: Policy | null = null;
  @state() private orgWide = true;
  @state() private fieldErrors: Partial<Record<PolicyField, string>> = {};
  @state() private confirmingDelete: number | null = null;
  @state() private lookedUp: AdminUserMfa | null = null;
  @state() private busy = false;
  @state() private error: Error | null = null;
  @state() private message = '';

  @query('form.policy') private form!: HTMLFormElement | null;

  #focusAfterRender = '';
  #loadCount = 0;

  /** Where the editor stands: `loading`, `list`, `edit`, `forbidden` or `unavailable`. */
  get state(): MfaPolicyEditorState {
    return this.current;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  /** Reads the policies again and shows the list. */
  async reload(): Promise<void> {
    const load = ++this.#loadCount;
    try {
      const page = await listPolicies(this.api, { limit: pageLimitMax });
      if (load !== this.#loadCount) return;
      this.policies = [...page.items].sort(byPrecedence);
      if (this.current !== 'edit') this.current = 'list';
    } catch (error) {
      if (load !== this.#loadCount) return;
      this.error = asError(error);
      const status = error instanceof ProblemError ? error.status : 0;
      this.current = status === 401 || status === 403 ? 'forbidden' : 'unavailable';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const selector = this.#focusAfterRender;
    const target = selector ? this.renderRoot.querySelector<HTMLElement>(selector) : null;
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

  private get resolvedStrings(): MfaPolicyEditorStrings {
    return resolveStrings('ab-mfa-policy-editor', mfaPolicyEditorStrings, this.strings);
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
        <div part="status" class="status" role="status">${this.message}</div>
        <div part="alert" class="alert" role="alert">${this.renderError(strings)}</div>
      </div>
    `;
  }

  private renderBody(strings: MfaPolicyEditorStrings) {
    switch (this.current) {
      case 'loading':
        return html`<p>${strings.loading}</p>`;
      case 'forbidden':
        return nothing;
      case 'unavailable':
        return html`<div class="actions">
          <button part="button" type="button" @click=${this.retry}>${strings.tryAgain}</button>
        </div>`;
      case 'edit':
        return this.renderForm(strings);
      case 'list':
        return html`${this.renderList(strings)} ${this.renderLookup(strings)}`;
    }
  }

  private renderSubheading(id: string, text: string) {
    return html`<div
      part="form-heading"
      role="heading"
      aria-level=${this.level + 1}
      id=${id}
      tabindex="-1"
    >
      ${text}
    </div>`;
  }

  // --- The list ------------------------------------------------------------------------------

  private renderList(strings: MfaPolicyEditorStrings) {
    return html`<div class="panel">
      <p class="muted" id="intro">${strings.intro}</p>
      ${this.policies.length === 0
        ? html`<p>${strings.noPolicies}</p>`
        : html`<div class="scroll" role="region" aria-labelledby="intro" tabindex="0">
            <table part="table">
              <thead>
                <tr>
                  <th scope="col">${strings.name}</th>
                  <th scope="col">${strings.priority}</th>
                  <th scope="col">${strings.appliesTo}</th>
                  <th scope="col">${strings.enforcement}</th>
                  <th scope="col">${strings.methods}</th>
                  <th scope="col">${strings.actions}</th>
                </tr>
              </thead>
              <tbody>
                ${this.policies.map((policy) => this.renderRow(policy, strings))}
              </tbody>
            </table>
          </div>`}
      <div class="actions">
        <button part="button" class="primary new" type="button" @click=${() => this.openForm(null)}>
          ${strings.newPolicy}
        </button>
      </div>
    </div>`;
  }

  private renderRow(policy: Policy, strings: MfaPolicyEditorStrings) {
    const locale = localeOf(this);
    const applies = this.lookedUp?.appliedPolicy.id === policy.id;
    const appliesTo =
      policy.roles.length === 0 ? strings.everyone : formatList(policy.roles, undefined, locale);
    return html`<tr part="policy" data-policy=${policy.id}>
      <th scope="row">
        ${policy.name}
        ${applies
          ? html`<br /><span part="badge" class="badge"
                >${strings.appliesBadge(this.lookedUp?.username ?? '')}</span
              >`
          : nothing}
      </th>
      <td>${policy.priority}</td>
      <td>${appliesTo}</td>
      <td>${strings[policy.enforcement]}</td>
      <td>${this.methodList(policy.allowedMethods, strings)}</td>
      <td>
        ${this.confirmingDelete === policy.id
          ? this.renderConfirmDelete(policy, strings)
          : html`<div class="actions">
              <button
                part="button"
                type="button"
                data-action="edit"
                @click=${() => this.openForm(policy)}
              >
                ${strings.edit}<span class="visually-hidden">: ${policy.name}</span>
              </button>
              <button
                part="button"
                type="button"
                data-action="delete"
                @click=${() => this.askDelete(policy)}
              >
                ${strings.delete}<span class="visually-hidden">: ${policy.name}</span>
              </button>
            </div>`}
      </td>
    </tr>`;
  }

  private renderConfirmDelete(policy: Policy, strings: MfaPolicyEditorStrings) {
    return html`<div class="actions" role="group" aria-labelledby="delete-question">
      <p id="delete-question">${strings.deleteQuestion(policy.name)}</p>
      <button
        part="button"
        class="danger"
        type="button"
        data-action="confirm-delete"
        aria-disabled=${this.busy ? 'true' : 'false'}
        @click=${() => this.handleDelete(policy)}
      >
        ${strings.delete}
      </button>
      <button part="button" type="button" data-action="keep" @click=${this.handleKeep}>
        ${strings.keep}
      </button>
    </div>`;
  }

  private renderLookup(strings: MfaPolicyEditorStrings) {
    const found = this.lookedUp;
    return html`<div part="lookup" class="panel">
      ${this.renderSubheading('lookup-heading', strings.lookupHeading)}
      <form class="lookup" novalidate @submit=${this.handleLookup}>
        <div class="actions">
          <ab-text-field
            part="field"
            name="userId"
            type="number"
            min="1"
            step="1"
            required
            label=${strings.userId}
            inputmode="numeric"
            @input=${clearCustomError}
          ></ab-text-field>
          <button part="button" type="submit">${strings.check}</button>
        </div>
      </form>
      <p class="found" role="status">${found ? this.describeUser(found, strings) : nothing}</p>
    </div>`;
  }

  /** `Authenticator app and Email`, in the reader's language. */
  private methodList(methods: PrimaryMethod[], strings: MfaPolicyEditorStrings): string {
    return formatList(methods.map((method) => strings[method]), undefined, localeOf(this));
  }

  private describeUser(found: AdminUserMfa, strings: MfaPolicyEditorStrings): string {
    const locale = localeOf(this);
    const status = found.status;
    const methods = allMethods.filter((method) => status[method].enabled);
    const parts = [
      strings.applies(found.username, found.userId, found.appliedPolicy.name),
      methods.length === 0
        ? strings.noUserMethods
        : strings.userMethods(this.methodList(methods, strings)),
    ];
    if (status.lockedUntil) {
      const when = { dateStyle: 'medium', timeStyle: 'short' } as const;
      const time = formatDate(status.lockedUntil, when, locale);
      parts.push(strings.lockedUntil(time));
    }
    return parts.join(' ');
  }

  private renderError(strings: MfaPolicyEditorStrings) {
    const error = this.error;
    if (!error) return nothing;
    if (error instanceof ProblemError) {
      if (error.status === 401) return strings.signedOut;
      if (error.status === 403) return strings.forbidden;
    }
    return errorMessage(error, strings.unexpectedError, strings.networkError);
  }

  // --- The form ------------------------------------------------------------------------------

  private renderForm(strings: MfaPolicyEditorStrings) {
    const policy = this.editing;
    const values = policy ?? newPolicyValues;
    const heading = policy ? strings.editHeading(policy.name) : strings.newHeading;
    return html`<form part="form" class="policy panel" novalidate @submit=${this.handleSave}>
      ${this.renderSubheading('form-heading', heading)}
      <div class="row">
        <ab-text-field
          part="field"
          name="name"
          label=${strings.name}
          required
          maxlength=${policyNameLengthMax}
          value=${values.name}
          @input=${clearCustomError}
        ></ab-text-field>
        ${this.renderNumber('priority', values, strings)}
      </div>
      ${this.renderAppliesTo(values.roles, strings)} ${this.renderEnforcement(values, strings)}
      ${this.renderMethods(values.allowedMethods, strings)} ${this.renderGrace(values, strings)}
      ${this.renderLimits(values, strings)}
      <div class="actions">
        <button
          part="button"
          class="primary"
          type="submit"
          aria-disabled=${this.busy ? 'true' : 'false'}
        >
          ${this.busy ? strings.saving : strings.save}
        </button>
        <button part="button" type="button" @click=${this.closeForm}>${strings.cancel}</button>
      </div>
    </form>`;
  }

  private renderNumber(
    name: NumberField,
    values: PolicyValues,
    strings: MfaPolicyEditorStrings,
  ) {
    const bounds = numberFields.find((field) => field.name === name)!;
    const value = values[name];
    return html`<ab-text-field
      part="field"
      name=${name}
      type="number"
      label=${strings[name]}
      help-text=${strings[`${name}Hint`]}
      min=${bounds.min}
      max=${bounds.max}
      step="1"
      inputmode="numeric"
      ?required=${!bounds.optional}
      value=${value === null ? '' : String(value)}
      @input=${clearCustomError}
    ></ab-text-field>`;
  }

  /** The error line of a fieldset, and the `aria-describedby` that points at it. */
  private groupError(field: PolicyField) {
    const message = this.fieldErrors[field];
    return {
      describedBy: message ? `${field}-error` : nothing,
      line: message
        ? html`<p part="field-error" class="field-error" id="${field}-error">${message}</p>`
        : nothing,
    };
  }

  private renderAppliesTo(chosen: string[], strings: MfaPolicyEditorStrings) {
    const offered = [...new Set([...this.roles, ...chosen])];
    const error = this.groupError('roles');
    return html`<fieldset part="group" data-field="roles" aria-describedby=${error.describedBy}>
      <legend>${strings.appliesLegend}</legend>
      <label class="option">
        <input
          type="radio"
          name="scope"
          value="everyone"
          .checked=${this.orgWide}
          @change=${() => this.setOrgWide(true)}
        />
        ${strings.orgWide}
      </label>
      <label class="option">
        <input
          type="radio"
          name="scope"
          value="roles"
          .checked=${!this.orgWide}
          @change=${() => this.setOrgWide(false)}
        />
        ${strings.someRoles}
      </label>
      <div class="roles">
        ${offered.map(
          (role) => html`<label class="option">
            <input
              type="checkbox"
              name="roles"
              .value=${role}
              ?checked=${chosen.includes(role)}
              ?disabled=${this.orgWide}
              @change=${() => this.clearGroupError('roles')}
            />
            ${role}
          </label>`,
        )}
      </div>
      ${error.line}
    </fieldset>`;
  }

  private renderEnforcement(values: PolicyValues, strings: MfaPolicyEditorStrings) {
    const error = this.groupError('enforcement');
    const option = (value: 'required' | 'optional', hint: string) => html`<label class="option">
      <input
        type="radio"
        name="enforcement"
        .value=${value}
        ?checked=${values.enforcement === value}
      />
      <span>${strings[value]} <span class="muted">${hint}</span></span>
    </label>`;
    return html`<fieldset
      part="group"
      data-field="enforcement"
      aria-describedby=${error.describedBy}
    >
      <legend>${strings.enforcementLegend}</legend>
      ${option('required', strings.requiredHint)} ${option('optional', strings.optionalHint)}
      ${error.line}
    </fieldset>`;
  }

  private renderMethods(chosen: PrimaryMethod[], strings: MfaPolicyEditorStrings) {
    const error = this.groupError('allowedMethods');
    return html`<fieldset
      part="group"
      data-field="allowedMethods"
      aria-describedby=${error.describedBy}
    >
      <legend>${strings.methodsLegend}</legend>
      ${allMethods.map(
        (method) => html`<label class="option">
          <input
            type="checkbox"
            name="allowedMethods"
            .value=${method}
            ?checked=${chosen.includes(method)}
            @change=${() => this.clearGroupError('allowedMethods')}
          />
          ${strings[method]}
        </label>`,
      )}
      ${error.line}
    </fieldset>`;
  }

  private renderGrace(values: PolicyValues, strings: MfaPolicyEditorStrings) {
    const error = this.groupError('setupDeadline');
    return html`<fieldset part="group" data-field="grace">
      <legend>${strings.graceLegend}</legend>
      <div class="row">
        ${this.renderNumber('gracePeriodDays', values, strings)}
        ${this.renderNumber('gracePromptsMax', values, strings)}
        <div class="date" data-field="setupDeadline">
          <label for="setup-deadline">${strings.setupDeadline}</label>
          <input
            id="setup-deadline"
            type="date"
            name="setupDeadline"
            .value=${dateInputValue(values.setupDeadline)}
            aria-invalid=${error.describedBy === nothing ? 'false' : 'true'}
            aria-describedby=${error.describedBy === nothing ? 'deadline-hint' : error.describedBy}
            @input=${() => this.clearGroupError('setupDeadline')}
          />
          <span class="muted" id="deadline-hint">${strings.deadlineHint}</span>
          ${error.line}
        </div>
      </div>
    </fieldset>`;
  }

  private renderLimits(values: PolicyValues, strings: MfaPolicyEditorStrings) {
    return html`<fieldset part="group" data-field="limits">
      <legend>${strings.limitsLegend}</legend>
      <div class="row">
        ${this.renderNumber('maxFailedAttempts', values, strings)}
        ${this.renderNumber('lockoutMinutes', values, strings)}
        ${this.renderNumber('totpWindowSteps', values, strings)}
        ${this.renderNumber('rememberDeviceDays', values, strings)}
      </div>
    </fieldset>`;
  }

  // --- Actions -------------------------------------------------------------------------------

  private openForm(policy: Policy | null): void {
    this.editing = policy;
    this.orgWide = policy === null || policy.roles.length === 0;
    this.fieldErrors = {};
    this.confirmingDelete = null;
    this.error = null;
    this.message = '';
    this.current = 'edit';
    this.focusLater('#form-heading');
  }

  private closeForm(): void {
    const editing = this.editing;
    this.editing = null;
    this.fieldErrors = {};
    this.error = null;
    this.current = 'list';
    this.focusLater(editing ? `[data-policy="${editing.id}"] [data-action="edit"]` : '.new');
  }

  private setOrgWide(orgWide: boolean): void {
    this.orgWide = orgWide;
    this.clearGroupError('roles');
  }

  private clearGroupError(field: PolicyField): void {
    if (!this.fieldErrors[field]) return;
    const { [field]: _cleared, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  private async handleSave(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (this.busy) return;
    const input = this.readForm(form);
    if (!(await this.checkForm(form, input))) return;
    const editing = this.editing;
    const strings = this.resolvedStrings;
    this.busy = true;
    this.error = null;
    try {
      const policy = editing
        ? await updatePolicy(this.api, editing.id, input)
        : await createPolicy(this.api, input);
      this.message = editing ? strings.saved(policy.name) : strings.created(policy.name);
      this.dispatchEvent(domainEvent<MfaPolicyEventDetail>('ab-mfa-policy-saved', { policy }));
      this.editing = null;
      const others = this.policies.filter((listed) => listed.id !== policy.id);
      this.policies = [...others, policy].sort(byPrecedence);
      this.current = 'list';
      this.focusLater(`[data-policy="${policy.id}"] [data-action="edit"]`);
      // Other Admins may have changed the list meanwhile.
      await this.reload();
    } catch (error) {
      if (!this.showServerProblem(form, error, input)) this.error = asError(error);
    } finally {
      this.busy = false;
    }
  }

  /** The policy the form describes now. */
  private readForm(form: HTMLFormElement): PolicyInput {
    const data = new FormData(form);
    const numberOf = (name: PolicyField) => {
      const text = String(data.get(name) ?? '').trim();
      return text === '' ? null : Number(text);
    };
    return {
      name: String(data.get('name') ?? '').trim(),
      priority: numberOf('priority') ?? 0,
      roles: this.orgWide ? [] : data.getAll('roles').map(String),
      enforcement: data.get('enforcement') === 'required' ? 'required' : 'optional',
      allowedMethods: data.getAll('allowedMethods').map(String) as PrimaryMethod[],
      gracePeriodDays: numberOf('gracePeriodDays'),
      gracePromptsMax: numberOf('gracePromptsMax'),
      setupDeadline: deadlineOf(String(data.get('setupDeadline') ?? ''), this.editing),
      maxFailedAttempts: numberOf('maxFailedAttempts') ?? failedAttemptsMaxDefault,
      lockoutMinutes: numberOf('lockoutMinutes') ?? lockoutMinutesDefault,
      totpWindowSteps: numberOf('totpWindowSteps') ?? 1,
      rememberDeviceDays: numberOf('rememberDeviceDays') ?? 0,
    };
  }

  /**
   * Checks the form as the server would: every field's own constraints (shown on the field)
   * and the rules across a group. Focuses the first problem; whether there was none.
   */
  private async checkForm(form: HTMLFormElement, input: PolicyInput): Promise<boolean> {
    const strings = this.resolvedStrings;
    const errors: Partial<Record<PolicyField, string>> = {};
    const roles = input.roles ?? [];
    if (!this.orgWide && roles.length === 0) errors.roles = strings.rolesMissing;
    if (roles.length > policyRolesMax) errors.roles = strings.rolesTooMany;
    if (input.allowedMethods.length === 0) errors.allowedMethods = strings.methodsMissing;
    this.fieldErrors = errors;
    const fields = [...form.querySelectorAll<AbTextField>('ab-text-field')];
    // `checkValidity` on each (not stopping at the first) makes every invalid field say why.
    const fieldsValid = fields.map((field) => field.checkValidity()).every(Boolean);
    const valid = fieldsValid && Object.keys(errors).length === 0;
    if (!valid) {
      await this.updateComplete;
      this.focusFirstProblem(form);
    }
    return valid;
  }

  private focusFirstProblem(form: HTMLFormElement): void {
    const candidates = form.querySelectorAll<HTMLElement>('ab-text-field, [data-field]');
    for (const candidate of candidates) {
      if (isTextField(candidate)) {
        if (candidate.validity.valid) continue;
        candidate.focus();
        return;
      }
      const field = candidate.dataset.field as PolicyField;
      if (this.fieldErrors[field]) {
        // The inputs the error is about (the roles, not the "everyone" radio before them).
        const own = candidate.querySelector<HTMLInputElement>(`[name="${field}"]:not(:disabled)`);
        (own ?? candidate.querySelector<HTMLInputElement>('input:not(:disabled)'))?.focus();
        return;
      }
    }
  }

  /**
   * Shows a refusal on the fields it is about: a 400's `errors` (`body.<field>...`) and a name
   * another policy has (409). Whether it could; anything left over goes to the alert too.
   */
  private showServerProblem(form: HTMLFormElement, error: unknown, input: PolicyInput): boolean {
    if (!(error instanceof ProblemError)) return false;
    const nameField = form.querySelector<AbTextField>('ab-text-field[name="name"]');
    const editingId = this.editing?.id;
    const nameTaken = this.policies.some((policy) => {
      return policy.name === input.name && policy.id !== editingId;
    });
    if (error.is(mfaProblems.policyConflict) && nameTaken && nameField) {
      markInvalid(nameField, error.detail ?? error.title);
      nameField.focus();
      return true;
    }
    if (error.status !== 400 || error.errors.length === 0) return false;
    const errors: Partial<Record<PolicyField, string>> = {};
    let leftOver = false;
    for (const problem of error.errors) {
      const field = /^body\.([A-Za-z]+)/.exec(problem.path)?.[1] as PolicyField | undefined;
      const textField = field
        ? form.querySelector<AbTextField>(`ab-text-field[name="${field}"]`)
        : null;
      if (textField) markInvalid(textField, problem.message);
      else if (field && form.querySelector(`[data-field="${field}"]`)) {
        errors[field] ??= problem.message;
      } else leftOver = true;
    }
    this.fieldErrors = errors;
    if (leftOver) this.error = error;
    void this.updateComplete.then(() => this.focusFirstProblem(form));
    return true;
  }

  private askDelete(policy: Policy): void {
    this.confirmingDelete = policy.id;
    this.message = '';
    this.focusLater(`[data-policy="${policy.id}"] [data-action="keep"]`);
  }

  private handleKeep(): void {
    const id = this.confirmingDelete;
    this.confirmingDelete = null;
    this.focusLater(`[data-policy="${id}"] [data-action="delete"]`);
  }

  private async handleDelete(policy: Policy): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const deleted = await deletePolicy(this.api, policy.id);
      this.confirmingDelete = null;
      this.policies = this.policies.filter((listed) => listed.id !== deleted.id);
      this.message = this.resolvedStrings.deleted(deleted.name);
      const detail = { policy: deleted };
      this.dispatchEvent(domainEvent<MfaPolicyEventDetail>('ab-mfa-policy-deleted', detail));
      await this.reload();
      this.focusLater('.new');
    } catch (error) {
      this.error = asError(error);
    } finally {
      this.busy = false;
    }
  }

  private async handleLookup(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = form.querySelector<AbTextField>('ab-text-field')!;
    if (!field.checkValidity()) {
      field.focus();
      return;
    }
    this.error = null;
    this.lookedUp = null;
    try {
      this.lookedUp = await adminUserMfa(this.api, Number(field.value));
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) {
        markInvalid(field, error.detail ?? error.title);
        field.focus();
      } else {
        this.error = asError(error);
      }
    }
  }

  private async retry(): Promise<void> {
    this.error = null;
    this.current = 'loading';
    await this.reload();
  }
}

/** What a new policy's form starts with: the server's defaults. */
type PolicyValues = Omit<Policy, 'id' | 'createdAt' | 'updatedAt'>;

const newPolicyValues: PolicyValues = {
  name: '',
  priority: 0,
  roles: [],
  enforcement: 'optional',
  allowedMethods: ['totp'],
  gracePeriodDays: null,
  gracePromptsMax: null,
  setupDeadline: null,
  maxFailedAttempts: failedAttemptsMaxDefault,
  lockoutMinutes: lockoutMinutesDefault,
  totpWindowSteps: 1,
  rememberDeviceDays: 0,
};

/** The server's precedence: highest priority first, ties to the older policy. */
function byPrecedence(left: Policy, right: Policy): number {
  return right.priority - left.priority || left.id - right.id;
}

/** `YYYY-MM-DD` of `iso` in the reader's time zone, for `<input type="date">`; '' for none. */
function dateInputValue(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The deadline to send for the date typed: the end of that day in the reader's time zone,
 * so "30 June" means setup may wait through 30 June. An unchanged date keeps the stored
 * instant, so saving other fields never moves it.
 */
function deadlineOf(day: string, editing: Policy | null): string | null {
  if (day === '') return null;
  const stored = editing?.setupDeadline ?? null;
  if (stored && dateInputValue(stored) === day) return stored;
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date!, 23, 59, 59).toISOString();
}

function isTextField(element: Element): element is AbTextField {
  return element.localName === 'ab-text-field';
}

/** Shows `message` on `field` as its error, as a failed submit would. */
function markInvalid(field: AbTextField, message: string): void {
  field.setCustomValidity(message);
  // `checkValidity` fires `invalid`, which makes the field show its message; no browser bubble.
  field.checkValidity();
}

/** An edited field forgets the server's complaint about its old value. */
function clearCustomError(event: Event): void {
  (event.currentTarget as AbTextField).setCustomValidity('');
}

if (!customElements.get('ab-mfa-policy-editor')) {
  customElements.define('ab-mfa-policy-editor', AbMfaPolicyEditor);
}

declare global {
  interface HTMLElementTagNameMap {
    'ab-mfa-policy-editor': AbMfaPolicyEditor;
  }
  interface HTMLElementEventMap {
    'ab-mfa-policy-saved': CustomEvent<MfaPolicyEventDetail>;
    'ab-mfa-policy-deleted': CustomEvent<MfaPolicyEventDetail>;
  }
}
