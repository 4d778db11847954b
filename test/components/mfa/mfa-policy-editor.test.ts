import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Policy } from '../../../components/core/mfa-api.ts';
import { policyRolesMax } from '../../../components/core/mfa-api.ts';
import '../../../components/mfa/mfa-policy-editor.ts';
import type {
  AbMfaPolicyEditor,
  MfaPolicyEventDetail,
} from '../../../components/mfa/mfa-policy-editor.ts';
import type { AbTextField } from '../../../components/ui/text-field.ts';
import {
  callApi,
  enrolledAccount,
  registerAccount,
  signIn,
  signOut,
} from '../support/mfa-account.ts';
import { testAdmin } from '../../support/test-admin.mjs';

/**
 * Policies made here rank below the seeded org-wide `Default` (priority 0), so none of them
 * ever applies to anyone while the other test files run against the same server.
 */
const harmlessPriority = -700;

let nameCount = 0;

function uniqueName(prefix: string): string {
  nameCount += 1;
  return `${prefix}-${Date.now().toString(36)}-${nameCount}`;
}

/** A request whose status the test reads itself. */
function call(method: string, path: string): Promise<Response> {
  return fetch(`/api${path}`, { method });
}

async function policiesOnServer(): Promise<Policy[]> {
  return (await callApi<{ items: Policy[] }>('GET', '/mfa/policies?limit=100')).items;
}

/** A policy made through the API, for the tests that edit or delete one. */
function makePolicy(name: string): Promise<Policy> {
  const body = {
    name,
    priority: harmlessPriority,
    roles: ['Admin'],
    enforcement: 'optional',
    allowedMethods: ['totp'],
  };
  return callApi<Policy>('POST', '/mfa/policies', body, 201);
}

async function render(
  template = html`<ab-mfa-policy-editor></ab-mfa-policy-editor>`,
): Promise<AbMfaPolicyEditor> {
  const el = await fixture<AbMfaPolicyEditor>(template);
  await waitUntil(() => el.state !== 'loading', 'the policies never loaded');
  await el.updateComplete;
  return el;
}

function part(el: AbMfaPolicyEditor, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

function text(element: Element | null): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

function row(el: AbMfaPolicyEditor, id: number): HTMLTableRowElement | null {
  return el.shadowRoot!.querySelector(`tr[data-policy="${id}"]`);
}

function rowNamed(el: AbMfaPolicyEditor, name: string): HTMLTableRowElement | undefined {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr')].find((candidate) =>
    text(candidate.querySelector('th')).startsWith(name),
  );
}

function field(el: AbMfaPolicyEditor, name: string): AbTextField {
  const found = el.shadowRoot!.querySelector<AbTextField>(`ab-text-field[name="${name}"]`);
  expect(found, `no field ${name}`).to.exist;
  return found!;
}

function fieldError(fieldElement: AbTextField): string {
  return text(fieldElement.shadowRoot!.querySelector('[part~="error"]'));
}

function groupError(el: AbMfaPolicyEditor, name: string): string {
  return text(el.shadowRoot!.querySelector(`#${name}-error`));
}

function input(el: AbMfaPolicyEditor, selector: string): HTMLInputElement {
  const found = el.shadowRoot!.querySelector<HTMLInputElement>(selector);
  expect(found, `no input ${selector}`).to.exist;
  return found!;
}

function button(el: AbMfaPolicyEditor, label: string, scope: ParentNode = el.shadowRoot!) {
  const found = [...scope.querySelectorAll<HTMLButtonElement>('button')].find(
    (candidate) => text(candidate) === label || text(candidate).startsWith(`${label}:`),
  );
  expect(found, `no button ${label}`).to.exist;
  return found!;
}

/** Whether `target` has the focus in `el`'s shadow root (a boolean: quick to report). */
function focused(el: AbMfaPolicyEditor, target: Element | null): boolean {
  return target !== null && el.shadowRoot!.activeElement === target;
}

/** Presses a button (or toggles a box) the way a keyboard user does. */
async function press(target: HTMLElement, key = 'Enter'): Promise<void> {
  target.focus();
  await sendKeys({ press: key });
}

/** Replaces a field's text by typing, as a user who selects it all first. */
async function retype(fieldElement: AbTextField, value: string): Promise<void> {
  fieldElement.focus();
  await sendKeys({ down: 'Control' });
  await sendKeys({ press: 'a' });
  await sendKeys({ up: 'Control' });
  if (value === '') await sendKeys({ press: 'Backspace' });
  else await sendKeys({ type: value });
}

describe('ab-mfa-policy-editor', () => {
  beforeEach(async () => {
    await signOut();
    await signIn(testAdmin);
  });

  after(async () => {
    await signOut();
  });

  it('passes the axe accessibility audit', async () => {
    const el = await render();
    await expect(el).to.be.accessible();
  });

  it('lists the policies in the order they win', async () => {
    const el = await render();
    expect(el.state).to.equal('list');
    expect(el.heading).to.equal('MFA policies');
    expect(el.roles).to.deep.equal(['Admin', 'User']);
    expect(text(part(el, 'heading'))).to.equal('MFA policies');
    const headers = [...el.shadowRoot!.querySelectorAll('thead th')].map((cell) => text(cell));
    expect(headers).to.deep.equal([
      'Name',
      'Priority',
      'Applies to',
      'Enforcement',
      'Methods',
      'Actions',
    ]);
    const server = await policiesOnServer();
    const shown = [...el.shadowRoot!.querySelectorAll<HTMLElement>('tbody tr')].map((tr) =>
      Number(tr.dataset.policy),
    );
    const expected = [...server]
      .sort((left, right) => right.priority - left.priority || left.id - right.id)
      .map((policy) => policy.id);
    expect(shown).to.deep.equal(expected);
    const seeded = rowNamed(el, 'Default')!;
    expect(text(seeded)).to.contain('Default 0 Everyone Optional Authenticator app');
    expect(text(button(el, 'New policy'))).to.equal('New policy');
    expect(text(part(el, 'alert'))).to.equal('');
  });

  describe('when creating a policy with the keyboard', () => {
    it('saves every rule and shows the new policy in the list', async () => {
      const el = await render();
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      const heading = el.shadowRoot!.querySelector('#form-heading')!;
      expect(text(heading)).to.equal('New policy');
      expect(focused(el, heading), 'the form heading has the focus').to.be.true;
      await expect(el).to.be.accessible();

      const name = uniqueName('created');
      await retype(field(el, 'name'), name);
      await retype(field(el, 'priority'), String(harmlessPriority));
      await press(input(el, 'input[name="scope"][value="roles"]'), 'Space');
      await press(input(el, 'input[name="roles"][value="Admin"]'), 'Space');
      await press(input(el, 'input[name="enforcement"][value="required"]'), 'Space');
      await press(input(el, 'input[name="allowedMethods"][value="email"]'), 'Space');
      await retype(field(el, 'gracePeriodDays'), '7');
      await retype(field(el, 'gracePromptsMax'), '3');
      input(el, '#setup-deadline').focus();
      await sendKeys({ type: '12312030' });
      expect(input(el, '#setup-deadline').value).to.equal('2030-12-31');
      await retype(field(el, 'maxFailedAttempts'), '3');
      await retype(field(el, 'lockoutMinutes'), '30');
      await retype(field(el, 'totpWindowSteps'), '0');
      await retype(field(el, 'rememberDeviceDays'), '14');

      const saved = oneEvent(el, 'ab-mfa-policy-saved');
      await sendKeys({ press: 'Enter' });
      const { policy } = ((await saved) as CustomEvent<MfaPolicyEventDetail>).detail;
      expect(policy).to.include({
        name,
        priority: harmlessPriority,
        enforcement: 'required',
        gracePeriodDays: 7,
        gracePromptsMax: 3,
        maxFailedAttempts: 3,
        lockoutMinutes: 30,
        totpWindowSteps: 0,
        rememberDeviceDays: 14,
      });
      expect(policy.roles).to.deep.equal(['Admin']);
      expect(policy.allowedMethods).to.deep.equal(['totp', 'email']);
      const deadline = new Date(policy.setupDeadline!);
      expect([deadline.getFullYear(), deadline.getMonth(), deadline.getDate()]).to.deep.equal([
        2030, 11, 31,
      ]);
      expect(deadline.getHours()).to.equal(23);

      await waitUntil(() => el.state === 'list' && row(el, policy.id));
      await el.updateComplete;
      expect(text(row(el, policy.id))).to.contain(
        `${name} ${harmlessPriority} Admin Required Authenticator app and Email`,
      );
      expect(text(part(el, 'status'))).to.equal(`Policy “${name}” created.`);
      const edit = row(el, policy.id)!.querySelector('[data-action="edit"]');
      await waitUntil(() => focused(el, edit), 'the new row is not focused');
      await callApi('DELETE', `/mfa/policies/${policy.id}`);
    });
  });

  describe('when the form is not valid', () => {
    it('says what is wrong on each field and sends nothing', async () => {
      const before = (await policiesOnServer()).length;
      const el = await render();
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      await press(input(el, 'input[name="allowedMethods"][value="totp"]'), 'Space');
      await press(input(el, 'input[name="scope"][value="roles"]'), 'Space');
      await retype(field(el, 'maxFailedAttempts'), '11');
      await retype(field(el, 'totpWindowSteps'), '3');
      await retype(field(el, 'lockoutMinutes'), '');
      await press(button(el, 'Save'));
      await el.updateComplete;

      expect(fieldError(field(el, 'name'))).to.not.equal('');
      expect(focused(el, field(el, 'name')), 'the first problem has the focus').to.be.true;
      expect(groupError(el, 'roles')).to.equal(
        'Choose at least one role, or apply the policy to everyone.',
      );
      expect(groupError(el, 'allowedMethods')).to.equal('Allow at least one method.');
      expect(fieldError(field(el, 'maxFailedAttempts'))).to.match(/10/);
      expect(fieldError(field(el, 'totpWindowSteps'))).to.match(/2/);
      expect(fieldError(field(el, 'lockoutMinutes'))).to.not.equal('');
      expect(fieldError(field(el, 'priority'))).to.equal('');
      const fieldset = el.shadowRoot!.querySelector('[data-field="allowedMethods"]')!;
      expect(fieldset.getAttribute('aria-describedby')).to.equal('allowedMethods-error');
      await expect(el).to.be.accessible();
      expect((await policiesOnServer()).length).to.equal(before);

      await press(input(el, 'input[name="allowedMethods"][value="sms"]'), 'Space');
      await el.updateComplete;
      expect(groupError(el, 'allowedMethods')).to.equal('');
    });

    it("shows the server's field errors on the field they are about", async () => {
      const el = await render(html`<ab-mfa-policy-editor
        roles="Admin, User, Auditor"
      ></ab-mfa-policy-editor>`);
      expect(el.roles).to.deep.equal(['Admin', 'User', 'Auditor']);
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      await retype(field(el, 'name'), uniqueName('unknown-role'));
      await press(input(el, 'input[name="scope"][value="roles"]'), 'Space');
      await press(input(el, 'input[name="roles"][value="Auditor"]'), 'Space');
      await press(button(el, 'Save'));
      await waitUntil(() => groupError(el, 'roles') !== '', 'no error on the roles');
      expect(groupError(el, 'roles')).to.equal('There is no role Auditor.');
      expect(el.state).to.equal('edit');
      expect(text(part(el, 'alert'))).to.equal('');
      await waitUntil(() =>
        focused(el, input(el, 'input[name="roles"][value="Admin"]')),
      );
    });

    it("shows the server's message on a text field the browser let through", async () => {
      const el = await render();
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      // Spaces fill a required field, but the server trims them and finds no name.
      await retype(field(el, 'name'), '   ');
      await press(button(el, 'Save'));
      await waitUntil(() => fieldError(field(el, 'name')) !== '', 'no error on the name');
      expect(fieldError(field(el, 'name'))).to.equal('Required.');
      await waitUntil(() => focused(el, field(el, 'name')), 'the name is not focused');
      await retype(field(el, 'name'), 'x');
      await field(el, 'name').updateComplete;
      expect(fieldError(field(el, 'name'))).to.equal('');
    });

    it('goes back to New policy on Cancel', async () => {
      const el = await render();
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await press(button(el, 'Cancel'));
      await waitUntil(() => el.state === 'list');
      await el.updateComplete;
      expect(focused(el, button(el, 'New policy')), 'New policy has the focus').to.be.true;
    });

    it('says so on the name when another policy has it', async () => {
      const el = await render();
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      await retype(field(el, 'name'), 'Default');
      await press(button(el, 'Save'));
      await waitUntil(() => fieldError(field(el, 'name')) !== '', 'no error on the name');
      expect(fieldError(field(el, 'name'))).to.equal('A policy named "Default" exists.');
      expect(focused(el, field(el, 'name'))).to.be.true;
    });

    it(`takes ${policyRolesMax} roles and refuses one more`, async () => {
      const names = Array.from({ length: policyRolesMax + 1 }, (_, index) => `Role${index}`);
      const el = await render();
      el.roles = names;
      await press(button(el, 'New policy'));
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      await retype(field(el, 'name'), uniqueName('many-roles'));
      await press(input(el, 'input[name="scope"][value="roles"]'), 'Space');
      for (const role of names) input(el, `input[name="roles"][value="${role}"]`).click();
      await press(button(el, 'Save'));
      await el.updateComplete;
      expect(groupError(el, 'roles')).to.equal(`Choose at most ${policyRolesMax} roles.`);

      input(el, `input[name="roles"][value="${names.at(-1)}"]`).click();
      await press(button(el, 'Save'));
      // At the limit the form goes out; the server names the first role it does not know.
      await waitUntil(() => groupError(el, 'roles').startsWith('There is no role'));
      expect(groupError(el, 'roles')).to.equal('There is no role Role0.');
    });
  });

  describe('when editing a policy', () => {
    it('shows its rules and saves the change', async () => {
      const name = uniqueName('edited');
      const made = await makePolicy(name);
      const el = await render();
      await press(row(el, made.id)!.querySelector<HTMLButtonElement>('[data-action="edit"]')!);
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      expect(text(el.shadowRoot!.querySelector('#form-heading'))).to.equal(`Edit “${name}”`);
      expect(field(el, 'name').value).to.equal(name);
      expect(field(el, 'priority').value).to.equal(String(harmlessPriority));
      expect(input(el, 'input[name="scope"][value="roles"]').checked).to.be.true;
      expect(input(el, 'input[name="roles"][value="Admin"]').checked).to.be.true;
      expect(input(el, 'input[name="roles"][value="User"]').checked).to.be.false;
      expect(input(el, 'input[name="enforcement"][value="optional"]').checked).to.be.true;
      expect(field(el, 'maxFailedAttempts').value).to.equal('5');

      await retype(field(el, 'priority'), String(harmlessPriority - 1));
      await press(input(el, 'input[name="scope"][value="everyone"]'), 'Space');
      const saved = oneEvent(el, 'ab-mfa-policy-saved');
      await press(button(el, 'Save'));
      const { policy } = ((await saved) as CustomEvent<MfaPolicyEventDetail>).detail;
      expect(policy.priority).to.equal(harmlessPriority - 1);
      expect(policy.roles).to.deep.equal([]);
      await waitUntil(() => el.state === 'list');
      expect(text(part(el, 'status'))).to.equal(`Policy “${name}” saved.`);
      expect(text(row(el, made.id))).to.contain(`${name} ${harmlessPriority - 1} Everyone`);
      await callApi('DELETE', `/mfa/policies/${made.id}`);
    });

    it('keeps a stored deadline when other rules change', async () => {
      const name = uniqueName('deadline');
      const setupDeadline = '2031-03-15T12:00:00.000Z';
      const body = { name, priority: harmlessPriority, roles: ['Admin'], setupDeadline };
      const made = await callApi<Policy>(
        'POST',
        '/mfa/policies',
        { ...body, enforcement: 'optional', allowedMethods: ['totp'] },
        201,
      );
      const el = await render();
      await press(row(el, made.id)!.querySelector<HTMLButtonElement>('[data-action="edit"]')!);
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      const local = new Date(setupDeadline);
      const day = [local.getFullYear(), local.getMonth() + 1, local.getDate()]
        .map((part) => String(part).padStart(2, '0'))
        .join('-');
      expect(input(el, '#setup-deadline').value).to.equal(day);
      await retype(field(el, 'lockoutMinutes'), '20');
      const saved = oneEvent(el, 'ab-mfa-policy-saved');
      await press(button(el, 'Save'));
      const { policy } = ((await saved) as CustomEvent<MfaPolicyEventDetail>).detail;
      expect(policy.lockoutMinutes).to.equal(20);
      expect(policy.setupDeadline).to.equal(setupDeadline);
      await callApi('DELETE', `/mfa/policies/${made.id}`);
    });

    it('goes back to the list on Cancel, focusing the Edit button', async () => {
      const made = await makePolicy(uniqueName('cancelled'));
      const el = await render();
      const edit = () => row(el, made.id)!.querySelector<HTMLButtonElement>('[data-action="edit"]');
      await press(edit()!);
      await waitUntil(() => el.state === 'edit');
      await el.updateComplete;
      await retype(field(el, 'name'), 'never saved');
      await press(button(el, 'Cancel'));
      await waitUntil(() => el.state === 'list');
      await el.updateComplete;
      expect(focused(el, edit()), 'Edit has the focus').to.be.true;
      expect((await callApi<Policy>('GET', `/mfa/policies/${made.id}`)).name).to.equal(made.name);
      await callApi('DELETE', `/mfa/policies/${made.id}`);
    });
  });

  describe('when deleting a policy', () => {
    it('asks first, and deletes on confirmation', async () => {
      const name = uniqueName('deleted');
      const made = await makePolicy(name);
      const el = await render();
      await press(row(el, made.id)!.querySelector<HTMLButtonElement>('[data-action="delete"]')!);
      await el.updateComplete;
      const question = row(el, made.id)!.querySelector('[role="group"]')!;
      expect(text(question)).to.contain(`Delete “${name}”?`);
      const keep = question.querySelector('[data-action="keep"]');
      expect(focused(el, keep), 'Keep has the focus').to.be.true;
      await press(keep as HTMLElement);
      await el.updateComplete;
      const remove = row(el, made.id)!.querySelector('[data-action="delete"]');
      expect(focused(el, remove), 'Delete has the focus again').to.be.true;

      await press(remove as HTMLElement);
      await el.updateComplete;
      const deleted = oneEvent(el, 'ab-mfa-policy-deleted');
      await press(row(el, made.id)!.querySelector<HTMLElement>('[data-action="confirm-delete"]')!);
      const event = (await deleted) as CustomEvent<MfaPolicyEventDetail>;
      expect(event.detail.policy.id).to.equal(made.id);
      expect(event.bubbles && event.composed).to.be.true;
      await waitUntil(() => row(el, made.id) === null);
      expect(text(part(el, 'status'))).to.equal(`Policy “${name}” deleted.`);
      expect((await call('GET', `/mfa/policies/${made.id}`)).status).to.equal(404);
    });
  });

  describe('when a policy is deleted meanwhile', () => {
    it("shows the server's answer in the alert", async () => {
      const made = await makePolicy(uniqueName('gone'));
      const el = await render();
      await callApi('DELETE', `/mfa/policies/${made.id}`);
      await press(row(el, made.id)!.querySelector<HTMLButtonElement>('[data-action="delete"]')!);
      await el.updateComplete;
      await press(row(el, made.id)!.querySelector<HTMLElement>('[data-action="confirm-delete"]')!);
      await waitUntil(() => text(part(el, 'alert')) !== '', 'no alert');
      expect(text(part(el, 'alert'))).to.equal(`There is no MFA policy ${made.id}.`);
    });
  });

  describe('when checking which policy applies to an account', () => {
    it('names the policy and marks it in the list', async () => {
      const account = await registerAccount('policy-user');
      const el = await render();
      const userField = field(el, 'userId');
      userField.focus();
      await sendKeys({ type: String(account.id) });
      await sendKeys({ press: 'Enter' });
      const found = () => el.shadowRoot!.querySelector('.found');
      await waitUntil(() => text(found()) !== '', 'no answer');
      expect(found()!.getAttribute('role')).to.equal('status');
      const applied = await callApi<{ appliedPolicy: { id: number; name: string } }>(
        'GET',
        `/mfa/users/${account.id}`,
      );
      expect(text(found())).to.equal(
        `Policy “${applied.appliedPolicy.name}” applies to ${account.username} ` +
          `(account ${account.id}). No method set up.`,
      );
      expect(text(row(el, applied.appliedPolicy.id)!.querySelector('[part~="badge"]'))).to.equal(
        `Applies to ${account.username}`,
      );
      await expect(el).to.be.accessible();
    });

    it('lists the methods the account has set up', async () => {
      const account = await enrolledAccount('policy-user');
      await signOut();
      await signIn(testAdmin);
      const el = await render();
      field(el, 'userId').focus();
      await sendKeys({ type: String(account.id) });
      await sendKeys({ press: 'Enter' });
      const found = () => text(el.shadowRoot!.querySelector('.found'));
      await waitUntil(() => found() !== '', 'no answer');
      expect(found()).to.match(/ Methods set up: Authenticator app\.$/);
    });

    it('asks for a number before looking anything up', async () => {
      const el = await render();
      const userField = field(el, 'userId');
      await press(button(el, 'Check'));
      await el.updateComplete;
      expect(fieldError(userField)).to.not.equal('');
      expect(text(el.shadowRoot!.querySelector('.found'))).to.equal('');
    });

    it('says so on the field for an unknown account', async () => {
      const el = await render();
      const userField = field(el, 'userId');
      userField.focus();
      await sendKeys({ type: '999999999' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => fieldError(userField) !== '', 'no error');
      expect(fieldError(userField)).to.equal('There is no account 999999999.');
    });
  });

  describe('when the user is not an Admin', () => {
    it('refuses (403) and shows nothing to edit', async () => {
      const account = await registerAccount('policy-user');
      await signOut();
      await signIn(account);
      const el = await render();
      expect(el.state).to.equal('forbidden');
      expect(text(part(el, 'alert'))).to.equal('Only an Admin can manage MFA policies.');
      expect(part(el, 'table')).to.equal(null);
      expect(part(el, 'form')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('asks to sign in when nobody is', async () => {
      await signOut();
      const el = await render();
      expect(el.state).to.equal('forbidden');
      expect(text(part(el, 'alert'))).to.equal('Sign in as an Admin to manage MFA policies.');
    });
  });

  describe('when the server cannot be reached', () => {
    it('says so and offers to try again', async () => {
      const unreachable = 'http://127.0.0.1:9/api';
      const el = await render(
        html`<ab-mfa-policy-editor api-base=${unreachable}></ab-mfa-policy-editor>`,
      );
      expect(el.state).to.equal('unavailable');
      expect(text(part(el, 'alert'))).to.equal(
        'Could not reach the server. Check your connection and try again.',
      );
      el.apiBase = '';
      await press(button(el, 'Try again'));
      await waitUntil(() => el.state === 'list');
    });
  });

  describe('with options', () => {
    it('takes its heading, heading level and strings from the page', async () => {
      const el = await render(html`<ab-mfa-policy-editor
        heading="Richtlinien"
        heading-level="3"
        .strings=${{ newPolicy: 'Neue Richtlinie' }}
      ></ab-mfa-policy-editor>`);
      expect(text(part(el, 'heading'))).to.equal('Richtlinien');
      expect(part(el, 'heading')!.getAttribute('aria-level')).to.equal('3');
      expect(el.shadowRoot!.querySelector('#lookup-heading')!.getAttribute('aria-level')).to.equal(
        '4',
      );
      expect(text(button(el, 'Neue Richtlinie'))).to.equal('Neue Richtlinie');
    });

    it('lays out right to left', async () => {
      const el = await render(html`<ab-mfa-policy-editor dir="rtl"></ab-mfa-policy-editor>`);
      expect(getComputedStyle(part(el, 'table')!).direction).to.equal('rtl');
      await expect(el).to.be.accessible();
    });
  });
});
