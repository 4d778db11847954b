import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ApiClient } from '../../../components/core/api-client.ts';
import type { ValidityChangeDetail } from '../../../components/core/form-control.ts';
import { setStrings } from '../../../components/core/strings.ts';
import {
  validationDebounceMs,
  validatorsMax,
  type Validator,
} from '../../../components/core/validators.ts';
import { place } from '../support/place.ts';
import type { PlainControl } from '../support/plain-control.ts';
import '../support/plain-control.ts';

/** A request the stub server saw. */
interface SeenRequest {
  url: URL;
  method: string;
  signal: AbortSignal | null | undefined;
}

/**
 * An ApiClient whose `fetch` is answered by `answer` in this page: the fake `validate-url`
 * endpoint. `answer` may return a promise to hold the response back.
 */
function stubApi(answer: (url: URL) => Response | Promise<Response>) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), location.href);
    seen.push({ url, method: init.method ?? 'GET', signal: init.signal });
    const response = await answer(url);
    if (init.signal?.aborted) throw init.signal.reason;
    return response;
  };
  return { seen, api: new ApiClient({ baseUrl: '/api', fetch: fetch as typeof globalThis.fetch }) };
}

/** Answers "taken" for `ada`, "free" for anything else, as a username check would. */
function usernameAnswer(url: URL): Response {
  const taken = url.searchParams.get('value') === 'ada';
  const refusal = { valid: false, message: 'That username is taken.' };
  return Response.json(taken ? refusal : { valid: true });
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function control(template = html`<ab-test-plain-control label="Username">
  </ab-test-plain-control>`): Promise<PlainControl> {
  return fixture<PlainControl>(template);
}

async function setValue(el: PlainControl, value: string): Promise<void> {
  el.value = value;
  await el.updateComplete;
}

function errorText(el: PlainControl): string {
  return el.shadowRoot!.querySelector('[part~="error"]')!.textContent!.trim();
}

describe('validation rules (FormControlMixin)', () => {
  it('leave a control without rules valid and not validating', async () => {
    const el = await control();
    expect(el.validators).to.deep.equal([]);
    expect(el.validateUrl).to.equal('');
    expect(el.validationApi).to.equal(undefined);
    await setValue(el, 'anything');
    expect(el.validity.valid).to.be.true;
    expect(el.validating).to.be.false;
  });

  describe('with synchronous validators', () => {
    const noSpaces: Validator = (value) => (value.includes(' ') ? 'No spaces, please.' : null);

    it('make the control invalid with the message at once, and valid again', async () => {
      const el = await control();
      el.validators = [noSpaces];
      await setValue(el, 'ada lovelace');
      expect(el.validity.valid).to.be.false;
      expect(el.validity.customError).to.be.true;
      expect(el.validationMessage).to.equal('No spaces, please.');
      expect(el.validating).to.be.false;
      await setValue(el, 'ada');
      expect(el.validity.valid).to.be.true;
    });

    it('are judged by checkValidity before any update has run', async () => {
      const el = await control();
      el.validators = [noSpaces];
      el.value = 'a b';
      expect(el.checkValidity()).to.be.false;
      expect(el.validationMessage).to.equal('No spaces, please.');
    });

    it('answer with the first refusal, in array order', async () => {
      const el = await control();
      el.validators = [() => null, () => 'First', () => 'Second'];
      await setValue(el, 'x');
      expect(el.validationMessage).to.equal('First');
    });

    it('get the value and the control', async () => {
      const el = await control();
      const calls: unknown[][] = [];
      el.validators = [(value, target, signal) => (calls.push([value, target, signal]), null)];
      await setValue(el, 'ada');
      expect(calls).to.have.length(1);
      expect(calls[0]![0]).to.equal('ada');
      expect(calls[0]![1]).to.equal(el);
      expect(calls[0]![2]).to.be.instanceOf(AbortSignal);
    });

    it('do not run on an empty value: that is for required', async () => {
      const el = await control();
      let calls = 0;
      el.validators = [() => (calls++, 'never')];
      await setValue(el, '');
      expect(calls).to.equal(0);
      expect(el.validity.valid).to.be.true;
    });

    it('yield to the built-in message while a built-in constraint fails', async () => {
      const el = await fixture<PlainControl>(
        html`<ab-test-plain-control label="Name" required></ab-test-plain-control>`,
      );
      el.validators = [() => 'Rule message'];
      await el.updateComplete;
      expect(el.validity.valueMissing).to.be.true;
      expect(el.validity.customError).to.be.false;
      await setValue(el, 'x');
      expect(el.validationMessage).to.equal('Rule message');
    });

    it('lose to a message from setCustomValidity', async () => {
      const el = await control();
      el.validators = [() => 'Rule message'];
      await setValue(el, 'x');
      el.setCustomValidity('Custom message');
      expect(el.validationMessage).to.equal('Custom message');
      el.setCustomValidity('');
      expect(el.validationMessage).to.equal('Rule message');
    });

    it('run again when a new array is assigned', async () => {
      const el = await control();
      await setValue(el, 'x');
      el.validators = [() => 'Refused'];
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Refused');
      el.validators = [];
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
    });

    it('accept the value when a validator throws, and report the bug', async () => {
      const el = await control();
      const logged: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => logged.push(args);
      try {
        el.validators = [
          () => {
            throw new Error('bug');
          },
        ];
        await setValue(el, 'x');
      } finally {
        console.error = original;
      }
      expect(el.validity.valid).to.be.true;
      expect(logged).to.have.length(1);
    });

    it('are shown to the user after the value is committed', async () => {
      const el = await control();
      el.validators = [noSpaces];
      el.focus();
      await sendKeys({ type: 'a b' });
      await el.updateComplete;
      expect(errorText(el)).to.equal('');
      el.blur();
      await waitUntil(() => errorText(el) === 'No spaces, please.');
    });
  });

  describe(`at the limit of ${validatorsMax} validators`, () => {
    it(`runs all ${validatorsMax}`, async () => {
      const el = await control();
      const validators: Validator[] = Array.from({ length: validatorsMax - 1 }, () => () => null);
      el.validators = [...validators, () => 'The last one'];
      await setValue(el, 'x');
      expect(el.validationMessage).to.equal('The last one');
    });

    it('ignores the one past the limit, with a warning', async () => {
      const el = await control();
      const warnings: unknown[] = [];
      const original = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args);
      try {
        const validators: Validator[] = Array.from({ length: validatorsMax }, () => () => null);
        el.validators = [...validators, () => 'Past the limit'];
        await setValue(el, 'x');
      } finally {
        console.warn = original;
      }
      expect(el.validity.valid).to.be.true;
      expect(warnings).to.have.length(1);
    });
  });

  describe('with asynchronous validators', () => {
    it('are validating, and invalid, until the answer arrives', async () => {
      const el = await control();
      const answer = deferred<string | null>();
      el.validators = [() => answer.promise];
      await setValue(el, 'ada');
      expect(el.validating).to.be.true;
      expect(el.matches(':state(validating)')).to.be.true;
      expect(el.validity.valid).to.be.false;
      expect(el.validationMessage).to.equal('Checking…');
      answer.resolve('Taken.');
      await waitUntil(() => !el.validating);
      expect(el.matches(':state(validating)')).to.be.false;
      expect(el.validationMessage).to.equal('Taken.');
    });

    it('become valid when the answer accepts the value', async () => {
      const el = await control();
      el.validators = [async () => null];
      await setValue(el, 'ada');
      await waitUntil(() => !el.validating);
      expect(el.validity.valid).to.be.true;
    });

    it('drop a stale answer and abort its signal', async () => {
      const el = await control();
      const answers = new Map<string, ReturnType<typeof deferred<string | null>>>();
      const signals = new Map<string, AbortSignal>();
      el.validators = [
        (value, _control, signal) => {
          const answer = deferred<string | null>();
          answers.set(value, answer);
          signals.set(value, signal);
          return answer.promise;
        },
      ];
      await setValue(el, 'old');
      await setValue(el, 'new');
      expect(signals.get('old')!.aborted).to.be.true;
      answers.get('new')!.resolve(null);
      await waitUntil(() => !el.validating);
      answers.get('old')!.resolve('Stale refusal');
      await sleep(10);
      expect(el.validity.valid).to.be.true;
      expect(el.validationMessage).to.equal('');
    });

    it('let a synchronous refusal before them answer without waiting', async () => {
      const el = await control();
      el.validators = [() => 'At once', () => new Promise<string | null>(() => {})];
      await setValue(el, 'x');
      expect(el.validating).to.be.false;
      expect(el.validationMessage).to.equal('At once');
    });

    it('wait for an earlier asynchronous one before a later refusal counts', async () => {
      const el = await control();
      const first = deferred<string | null>();
      el.validators = [() => first.promise, () => 'Second'];
      await setValue(el, 'x');
      expect(el.validating).to.be.true;
      first.resolve('First');
      await waitUntil(() => !el.validating);
      expect(el.validationMessage).to.equal('First');
    });

    it('accept the value when a validator rejects, and report the bug', async () => {
      const el = await control();
      const original = console.error;
      let logged = 0;
      console.error = () => (logged += 1);
      try {
        el.validators = [() => Promise.reject(new Error('bug'))];
        await setValue(el, 'x');
        await waitUntil(() => !el.validating);
      } finally {
        console.error = original;
      }
      expect(el.validity.valid).to.be.true;
      expect(logged).to.equal(1);
    });

    it('show no error text while pending, even after interaction', async () => {
      const el = await control();
      const answer = deferred<string | null>();
      el.validators = [() => answer.promise];
      el.focus();
      await sendKeys({ type: 'ada' });
      el.blur();
      await el.updateComplete;
      await el.updateComplete;
      expect(errorText(el)).to.equal('');
      answer.resolve('Taken.');
      await waitUntil(() => errorText(el) === 'Taken.');
    });

    it('speak the strings of the page for the pending message', async () => {
      setStrings('ab-test-plain-control', { validating: 'Wird geprüft…' });
      try {
        const el = await control();
        el.validators = [() => new Promise<string | null>(() => {})];
        await setValue(el, 'x');
        expect(el.validationMessage).to.equal('Wird geprüft…');
      } finally {
        setStrings('ab-test-plain-control', { validating: 'Checking…' });
      }
    });

    it('stop for a control that leaves the page, and check again when it returns', async () => {
      const el = await control();
      let calls = 0;
      el.validators = [() => (calls++, new Promise<string | null>(() => {}))];
      await setValue(el, 'x');
      const parent = el.parentElement!;
      el.remove();
      expect(el.validating).to.be.false;
      parent.append(el);
      await el.updateComplete;
      expect(calls).to.equal(2);
      expect(el.validating).to.be.true;
    });
  });

  describe('ab-validity-change', () => {
    it('fires, bubbling and composed, when the validity changes, and not otherwise', async () => {
      const el = await control();
      const details: ValidityChangeDetail[] = [];
      const events: Event[] = [];
      el.addEventListener('ab-validity-change', (event) => {
        events.push(event);
        details.push((event as CustomEvent<ValidityChangeDetail>).detail);
      });
      const answer = deferred<string | null>();
      el.validators = [() => answer.promise];
      await setValue(el, 'ada');
      answer.resolve('Taken.');
      await waitUntil(() => !el.validating);
      await el.updateComplete;
      el.requestUpdate();
      await el.updateComplete;
      expect(details).to.deep.equal([
        { valid: false, message: 'Checking…', validating: true },
        { valid: false, message: 'Taken.', validating: false },
      ]);
      expect(events.every((event) => event.bubbles && event.composed)).to.be.true;
    });
  });

  describe('with validate-url', () => {
    it('asks the server with GET ?value=&name= after the value rests, once', async () => {
      const { seen, api } = stubApi(usernameAnswer);
      const el = await fixture<PlainControl>(html`
        <ab-test-plain-control name="username" label="Username" validate-url="/users/available">
        </ab-test-plain-control>
      `);
      el.validationApi = api;
      el.focus();
      await sendKeys({ type: 'ad' });
      expect(el.validating).to.be.true;
      await sendKeys({ type: 'a' });
      expect(seen).to.have.length(0);
      await waitUntil(() => !el.validating, 'the check never settled', { timeout: 3000 });
      expect(seen).to.have.length(1);
      const request = seen[0]!;
      expect(request.method).to.equal('GET');
      expect(request.url.pathname).to.equal('/api/users/available');
      expect(request.url.searchParams.get('value')).to.equal('ada');
      expect(request.url.searchParams.get('name')).to.equal('username');
      expect(el.validationMessage).to.equal('That username is taken.');
    });

    it(`waits ${validationDebounceMs} ms of rest before asking`, async () => {
      const { seen, api } = stubApi(usernameAnswer);
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/users/available';
      const startedMs = performance.now();
      await setValue(el, 'grace');
      await waitUntil(() => seen.length === 1, 'no request', { timeout: 3000 });
      expect(performance.now() - startedMs).to.be.at.least(validationDebounceMs - 20);
      await waitUntil(() => !el.validating);
      expect(el.validity.valid).to.be.true;
    });

    it('keeps query parameters already in the URL', async () => {
      const { seen, api } = stubApi(usernameAnswer);
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/check?field=login';
      await setValue(el, 'grace');
      await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
      expect(seen[0]!.url.searchParams.get('field')).to.equal('login');
      expect(seen[0]!.url.searchParams.get('value')).to.equal('grace');
    });

    it('drops the answer for an older value and aborts its request', async () => {
      const held = new Map<string, ReturnType<typeof deferred<Response>>>();
      const { seen, api } = stubApi((url) => {
        const answer = deferred<Response>();
        held.set(url.searchParams.get('value')!, answer);
        return answer.promise;
      });
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/users/available';
      await setValue(el, 'ada');
      await waitUntil(() => seen.length === 1, 'no request', { timeout: 3000 });
      await setValue(el, 'grace');
      expect(seen[0]!.signal!.aborted).to.be.true;
      await waitUntil(() => seen.length === 2, 'no second request', { timeout: 3000 });
      held.get('grace')!.resolve(Response.json({ valid: true }));
      held.get('ada')!.resolve(Response.json({ valid: false, message: 'Stale.' }));
      await waitUntil(() => !el.validating);
      await sleep(10);
      expect(el.validity.valid).to.be.true;
    });

    it('takes the detail of a 422 problem as the message', async () => {
      const problem = { type: '/invalid', title: 'Invalid', status: 422, detail: 'Too rude.' };
      const { api } = stubApi(
        () =>
          new Response(JSON.stringify(problem), {
            status: 422,
            headers: { 'content-type': 'application/problem+json' },
          }),
      );
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/names/check';
      await setValue(el, 'x');
      await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
      expect(el.validationMessage).to.equal('Too rude.');
    });

    it('says the generic message for a refusal without one', async () => {
      const { api } = stubApi(() => Response.json({ valid: false }));
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/names/check';
      await setValue(el, 'x');
      await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
      expect(el.validationMessage).to.equal('This value is not accepted.');
    });

    it('accepts the value when the server cannot answer', async () => {
      const { api } = stubApi(() => new Response('oops', { status: 503 }));
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/names/check';
      await setValue(el, 'x');
      await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
      expect(el.validity.valid).to.be.true;
    });

    it('asks only when every validator accepted the value', async () => {
      const { seen, api } = stubApi(usernameAnswer);
      const el = await control();
      el.validationApi = api;
      el.validateUrl = '/users/available';
      el.validators = [(value) => (value.length < 3 ? 'Too short.' : null)];
      await setValue(el, 'ab');
      expect(el.validationMessage).to.equal('Too short.');
      await sleep(validationDebounceMs + 50);
      expect(seen).to.have.length(0);
    });

    it('uses the default API base when no client is given', async () => {
      const el = await control();
      el.validateUrl = '/health';
      await setValue(el, 'x');
      // The real server answers /api/health with its status, not a refusal: accepted.
      await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
      expect(el.validity.valid).to.be.true;
    });

    describe('when the form is submitted while a check is pending', () => {
      it('blocks the submit, asks at once, and lets the next submit through', async () => {
        const { seen, api } = stubApi(usernameAnswer);
        const form = await place<HTMLFormElement>(html`
          <form>
            <ab-test-plain-control name="username" label="Username" validate-url="/users">
            </ab-test-plain-control>
          </form>
        `);
        const el = form.querySelector('ab-test-plain-control')!;
        el.validationApi = api;
        let submits = 0;
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          submits += 1;
        });
        await setValue(el, 'grace');
        const invalid = oneEvent(el, 'invalid');
        const startedMs = performance.now();
        form.requestSubmit();
        await invalid;
        expect(submits).to.equal(0);
        await waitUntil(() => seen.length === 1, 'no request', { timeout: 3000 });
        expect(performance.now() - startedMs).to.be.below(validationDebounceMs);
        await waitUntil(() => !el.validating);
        form.requestSubmit();
        expect(submits).to.equal(1);
      });

      it('keeps blocking when the answer refuses the value', async () => {
        const { api } = stubApi(usernameAnswer);
        const form = await place<HTMLFormElement>(html`
          <form>
            <ab-test-plain-control name="username" label="Username" validate-url="/users">
            </ab-test-plain-control>
          </form>
        `);
        const el = form.querySelector('ab-test-plain-control')!;
        el.validationApi = api;
        await setValue(el, 'ada');
        expect(form.checkValidity()).to.be.false;
        await waitUntil(() => !el.validating, 'never settled', { timeout: 3000 });
        expect(form.checkValidity()).to.be.false;
        await waitUntil(() => errorText(el) === 'That username is taken.');
      });
    });
  });
});
