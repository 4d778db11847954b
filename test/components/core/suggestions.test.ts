import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { NetworkError, ProblemError } from '../../../components/core/api-errors.ts';
import {
  SuggestionsController,
  suggestionsAnswerMax,
  suggestionsDebounceMsDefault,
  suggestionsFromUrl,
  type SuggestionsSource,
} from '../../../components/core/suggestions.ts';

/** A host that records what the controller asks of it. */
class FakeHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updateRequests = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updateRequests += 1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Harness {
  host: FakeHost;
  controller: SuggestionsController;
  results: { results: string[]; query: string }[];
  errors: unknown[];
}

function harness(source: SuggestionsSource | undefined, debounceMs = 20): Harness {
  const host = new FakeHost();
  const results: Harness['results'] = [];
  const errors: unknown[] = [];
  const controller = new SuggestionsController(host, {
    source: () => source,
    debounceMs,
    onResults: (list, query) => results.push({ results: list, query }),
    onError: (error) => errors.push(error),
  });
  return { host, controller, results, errors };
}

describe('SuggestionsController', () => {
  it('registers with its host and waits suggestionsDebounceMsDefault by default', async () => {
    const host = new FakeHost();
    const queries: string[] = [];
    const controller = new SuggestionsController(host, {
      source: () => async (query) => {
        queries.push(query);
        return [];
      },
      onResults: () => {},
    });
    expect(host.controllers).to.deep.equal([controller]);
    controller.request('a');
    await sleep(suggestionsDebounceMsDefault - 100);
    expect(queries).to.deep.equal([]);
    await waitUntil(() => queries.length === 1);
  });

  describe('when the user types', () => {
    it('asks once for the last query after the pause', async () => {
      const queries: string[] = [];
      const { controller, results } = harness(async (query) => {
        queries.push(query);
        return [`${query}!`];
      });
      controller.request('l');
      controller.request('li');
      expect(controller.pending).to.be.true;
      await sleep(5);
      controller.request('lit');
      await waitUntil(() => results.length === 1);
      expect(queries).to.deep.equal(['lit']);
      expect(results).to.deep.equal([{ results: ['lit!'], query: 'lit' }]);
      await waitUntil(() => !controller.pending);
    });

    it('aborts the request in flight and drops its late answer', async () => {
      const pending: { query: string; signal: AbortSignal; answer(list: string[]): void }[] = [];
      const { controller, results } = harness(
        (query, signal) =>
          new Promise((resolve) => pending.push({ query, signal, answer: resolve })),
      );
      controller.request('a');
      await waitUntil(() => pending.length === 1);
      controller.request('ab');
      expect(pending[0]!.signal.aborted).to.be.true;
      await waitUntil(() => pending.length === 2);
      pending[1]!.answer(['ab']);
      pending[0]!.answer(['a']);
      await waitUntil(() => results.length === 1);
      await sleep(10);
      expect(results).to.deep.equal([{ results: ['ab'], query: 'ab' }]);
    });

    it('drops a late answer even from a source that ignores the signal', async () => {
      let release: ((list: string[]) => void) | undefined;
      const { controller, results } = harness(
        () => new Promise((resolve) => (release = resolve)),
      );
      controller.request('a');
      await waitUntil(() => release !== undefined, 'the source was never asked');
      controller.cancel();
      release!(['a']);
      await sleep(10);
      expect(results).to.deep.equal([]);
      expect(controller.pending).to.be.false;
    });

    it('cuts an answer at suggestionsAnswerMax entries', async () => {
      const many = Array.from({ length: suggestionsAnswerMax + 1 }, (_, index) => `${index}`);
      const { controller, results } = harness(async () => many);
      controller.request('x');
      await waitUntil(() => results.length === 1);
      expect(results[0]!.results).to.have.length(suggestionsAnswerMax);
    });
  });

  describe('when the source fails', () => {
    it('reports the failure of the latest query', async () => {
      const failure = new Error('offline');
      const { controller, errors, results } = harness(() => Promise.reject(failure));
      controller.request('a');
      await waitUntil(() => errors.length === 1);
      expect(errors[0]).to.equal(failure);
      expect(results).to.deep.equal([]);
    });

    it('says nothing about an aborted query', async () => {
      const { controller, errors } = harness(
        (_query, signal) =>
          new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          ),
      );
      controller.request('a');
      await waitUntil(() => controller.pending);
      await sleep(30);
      controller.cancel();
      await sleep(10);
      expect(errors).to.deep.equal([]);
    });
  });

  it('asks nothing without a source', async () => {
    const { controller, results, errors } = harness(undefined);
    controller.request('a');
    await sleep(40);
    expect(results).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(controller.pending).to.be.false;
  });

  it('stops when its host leaves the page', async () => {
    const queries: string[] = [];
    const { controller } = harness(async (query) => {
      queries.push(query);
      return [];
    });
    controller.request('a');
    controller.hostDisconnected();
    await sleep(40);
    expect(queries).to.deep.equal([]);
  });
});

describe('suggestionsFromUrl', () => {
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
  });

  it('reads the JSON array a URL answers', async () => {
    const source = suggestionsFromUrl('/test/components/fixtures/tag-suggestions.json');
    const list = await source('web', new AbortController().signal);
    expect(list).to.deep.equal(['Web components', 'Web Awesome', 'WebAssembly', 'Webpack']);
  });

  it('sends the query as q, with cookies, asking for JSON', async () => {
    const requests: { url: string; init: RequestInit | undefined }[] = [];
    window.fetch = async (input, init) => {
      requests.push({ url: String(input), init });
      return new Response(JSON.stringify(['Lit', 3, null, 'Vite']), {
        headers: { 'Content-Type': 'application/json' },
      });
    };
    const source = suggestionsFromUrl('/api/tags?q=old&kind=topic');
    const list = await source('l i', new AbortController().signal);
    expect(list).to.deep.equal(['Lit', 'Vite']);
    const url = new URL(requests[0]!.url);
    expect(url.pathname).to.equal('/api/tags');
    expect(url.searchParams.get('q')).to.equal('l i');
    expect(url.searchParams.get('kind')).to.equal('topic');
    expect(requests[0]!.init?.credentials).to.equal('include');
    expect(new Headers(requests[0]!.init?.headers).get('Accept')).to.equal('application/json');
  });

  it('answers no suggestions for a body that is not an array', async () => {
    window.fetch = async () => new Response('{"items": []}');
    const list = await suggestionsFromUrl('/api/tags')('a', new AbortController().signal);
    expect(list).to.deep.equal([]);
  });

  it('throws a ProblemError for an error answer', async () => {
    window.fetch = async () => new Response('Not here', { status: 404, statusText: 'Not Found' });
    const source = suggestionsFromUrl('/api/tags');
    const error = await source('a', new AbortController().signal).catch((caught) => caught);
    expect(error).to.be.instanceOf(ProblemError);
    expect((error as ProblemError).status).to.equal(404);
  });

  it('throws a NetworkError when no answer arrives, but passes an abort through', async () => {
    window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const source = suggestionsFromUrl('/api/tags');
    const failed = await source('a', new AbortController().signal).catch((caught) => caught);
    expect(failed).to.be.instanceOf(NetworkError);
    const aborter = new AbortController();
    aborter.abort();
    window.fetch = (_input, init) => Promise.reject(init?.signal?.reason);
    const aborted = await source('a', aborter.signal).catch((caught) => caught);
    expect(aborted).to.not.be.instanceOf(NetworkError);
    expect((aborted as DOMException).name).to.equal('AbortError');
  });
});
