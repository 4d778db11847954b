import { expect } from '@open-wc/testing';
import {
  ApiClient,
  getDefaultApiBase,
  sameOriginApiBase,
  setDefaultApiBase,
} from '../../../components/core/api-client.ts';
import { NetworkError, ProblemError } from '../../../components/core/api-errors.ts';

/** Records what a request would have sent and answers with `response`. */
function recordingFetch(response: () => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    return response();
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

describe('ApiClient', () => {
  afterEach(() => setDefaultApiBase(sameOriginApiBase));

  describe('against the real server', () => {
    it('reads a JSON answer', async () => {
      const health = await new ApiClient().get<{ status: string }>('/health');
      expect(health.status).to.equal('ok');
    });

    it('turns an error answer into a ProblemError with the problem members', async () => {
      const error = await new ApiClient().post('/nothing-here', {}).catch((caught) => caught);
      expect(error).to.be.instanceOf(ProblemError);
      const problem = error as ProblemError;
      expect(problem.status).to.equal(404);
      expect(problem.is('not-found')).to.be.true;
      expect(problem.title).to.be.a('string').and.not.equal('');
      expect(problem.detail).to.contain('/nothing-here');
      expect(problem.message).to.equal(problem.detail);
    });
  });

  describe('when no answer arrives', () => {
    it('throws a NetworkError that says so', async () => {
      const client = new ApiClient({ baseUrl: 'http://127.0.0.1:9/api' });
      const error = await client.get('/health').catch((caught) => caught);
      expect(error).to.be.instanceOf(NetworkError);
      expect((error as NetworkError).message).to.match(/could not reach the server/i);
      expect((error as NetworkError).url).to.equal('http://127.0.0.1:9/api/health');
    });

    it('passes a cancellation through as it is', async () => {
      const controller = new AbortController();
      controller.abort();
      const client = new ApiClient();
      const error = await client.get('/health', { signal: controller.signal }).catch((e) => e);
      expect(error).to.not.be.instanceOf(NetworkError);
      expect((error as Error).name).to.equal('AbortError');
    });
  });

  describe('what it sends', () => {
    it('sends JSON with the session cookie', async () => {
      const { calls, fetch } = recordingFetch(() => Response.json({ ok: true }));
      const client = new ApiClient({ baseUrl: '/api/', fetch });
      const answer = await client.post<{ ok: boolean }>('/auth/login', { username: 'ada' });
      expect(answer).to.deep.equal({ ok: true });
      const [call] = calls;
      expect(call!.url).to.equal('/api/auth/login');
      expect(call!.init.method).to.equal('POST');
      expect(call!.init.credentials).to.equal('include');
      expect(call!.init.body).to.equal('{"username":"ada"}');
      const headers = new Headers(call!.init.headers);
      expect(headers.get('content-type')).to.equal('application/json');
      expect(headers.get('accept')).to.contain('application/problem+json');
    });

    it('adds query parameters, leaving out empty ones, and keeps extra headers', async () => {
      const { calls, fetch } = recordingFetch(() => Response.json({ items: [] }));
      const client = new ApiClient({ baseUrl: '/api', fetch });
      await client.get('wallets', {
        query: { limit: 10, cursor: undefined, archived: false, q: 'a b' },
        headers: { 'Idempotency-Key': 'k-1' },
      });
      expect(calls[0]!.url).to.equal('/api/wallets?limit=10&archived=false&q=a+b');
      expect(new Headers(calls[0]!.init.headers).get('idempotency-key')).to.equal('k-1');
      expect(calls[0]!.init.body).to.equal(undefined);
    });

    it('resolves an empty answer (204) to undefined', async () => {
      const { fetch } = recordingFetch(() => new Response(null, { status: 204 }));
      expect(await new ApiClient({ fetch }).post('/auth/logout')).to.equal(undefined);
    });
  });

  describe('its base URL', () => {
    it('is same-origin /api unless set otherwise', () => {
      expect(getDefaultApiBase()).to.equal('/api');
      expect(new ApiClient().baseUrl).to.equal('/api');
    });

    it('follows setDefaultApiBase for clients created afterwards', () => {
      setDefaultApiBase('https://wallet.example.com/api/');
      expect(new ApiClient().url('/health')).to.equal('https://wallet.example.com/api/health');
    });

    it('refuses an empty default', () => {
      expect(() => setDefaultApiBase('  ')).to.throw(TypeError);
    });
  });
});
