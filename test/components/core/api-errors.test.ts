import { expect } from '@open-wc/testing';
import {
  NetworkError,
  ProblemError,
  asError,
  errorMessage,
  parseRetryAfter,
  problemFromResponse,
} from '../../../components/core/api-errors.ts';

function problemResponse(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    ...init,
    headers: { 'Content-Type': 'application/problem+json', ...(init.headers ?? {}) },
  });
}

describe('problemFromResponse', () => {
  it('types the members of a validation problem', async () => {
    const error = await problemFromResponse(
      problemResponse(
        {
          type: '/api/problems/validation',
          title: 'The request is not valid.',
          status: 400,
          detail: 'body.amount: Required',
          errors: [{ path: 'body.amount', message: 'Required' }],
        },
        { status: 400 },
      ),
    );
    expect(error).to.be.instanceOf(ProblemError);
    expect(error.status).to.equal(400);
    expect(error.is('validation')).to.be.true;
    expect(error.is('dation')).to.be.false;
    expect(error.errors).to.deep.equal([{ path: 'body.amount', message: 'Required' }]);
    expect(error.message).to.equal('body.amount: Required');
  });

  it('keeps extensions such as attemptsLeft', async () => {
    const error = await problemFromResponse(
      problemResponse(
        { type: '/api/problems/invalid-code', title: 'Wrong code.', status: 422, attemptsLeft: 2 },
        { status: 422 },
      ),
    );
    expect(error.attemptsLeft).to.equal(2);
    expect(error.extensions).to.deep.equal({ attemptsLeft: 2 });
    expect(error.message).to.equal('Wrong code.');
  });

  it('reads the wait from Retry-After, else from the body', async () => {
    const body = {
      type: '/api/problems/too-many-requests',
      title: 'Too many.',
      status: 429,
      retryAfter: 30,
    };
    const fromHeader = await problemFromResponse(
      problemResponse(body, { status: 429, headers: { 'Retry-After': '12' } }),
    );
    expect(fromHeader.retryAfterSeconds).to.equal(12);
    const fromBody = await problemFromResponse(problemResponse(body, { status: 429 }));
    expect(fromBody.retryAfterSeconds).to.equal(30);
  });

  it('makes a problem of an answer that is not problem+json', async () => {
    const error = await problemFromResponse(
      new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(error.status).to.equal(502);
    expect(error.title).to.equal('Bad Gateway');
    expect(error.type).to.equal('about:blank');
    expect(error.errors).to.deep.equal([]);
  });

  it('survives a JSON body that does not parse', async () => {
    const error = await problemFromResponse(
      new Response('{oops', { status: 500, headers: { 'Content-Type': 'application/json' } }),
    );
    expect(error.status).to.equal(500);
    expect(error.title).to.equal('HTTP 500');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const nowMs = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', nowMs)).to.equal(120);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', nowMs)).to.equal(30);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', nowMs)).to.equal(0);
    expect(parseRetryAfter('soon', nowMs)).to.equal(undefined);
    expect(parseRetryAfter(null, nowMs)).to.equal(undefined);
  });
});

describe('asError', () => {
  it('keeps an Error and wraps anything else', () => {
    const error = new TypeError('broken');
    expect(asError(error)).to.equal(error);
    expect(asError('broken')).to.be.instanceOf(Error);
    expect(asError('broken').message).to.equal('broken');
    expect(asError(undefined).message).to.equal('undefined');
  });
});

describe('errorMessage', () => {
  const type = '/api/problems/invalid-code';
  const problem = (detail?: string) =>
    new ProblemError({ type, title: 'Wrong code.', status: 422, detail });

  it("says the server's detail, else its title", () => {
    expect(errorMessage(problem('That code has expired.'), 'Oops.')).to.equal(
      'That code has expired.',
    );
    expect(errorMessage(problem(), 'Oops.')).to.equal('Wrong code.');
    expect(errorMessage(problem(''), 'Oops.')).to.equal('Wrong code.');
  });

  it("says the element's words for a lost connection, else the error's own", () => {
    const offline = new NetworkError('/api/mfa/status');
    expect(errorMessage(offline, 'Oops.', 'You are offline.')).to.equal('You are offline.');
    expect(errorMessage(offline, 'Oops.')).to.equal(offline.message);
  });

  it('says the unexpected words for anything else', () => {
    expect(errorMessage(new TypeError('x is undefined'), 'Oops.', 'Offline.')).to.equal('Oops.');
  });
});
