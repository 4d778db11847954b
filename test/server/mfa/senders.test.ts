import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { ConfigError, loadConfig } from '../../../server/config.ts';
import { countRows, signedInUser } from '../support/auth-client.ts';
import { jsonOf } from '../support/http.ts';
import { sendJson, setDefaultPolicy } from '../support/mfa-client.ts';
import { startTestServer, testDialect, type TestServer } from '../support/test-context.ts';

/** A message the local SMTP server accepted. */
interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a random local port that keeps what it receives. */
async function startSmtpServer(): Promise<{
  port: number;
  received: ReceivedMail[];
  refuseRecipients(refuse: boolean): void;
  close(): Promise<void>;
}> {
  const received: ReceivedMail[] = [];
  let refusing = false;
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(
        refusing
          ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })
          : undefined,
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom;
        received.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const address = smtp.server.address() as AddressInfo;
  return {
    port: address.port,
    received,
    refuseRecipients: (refuse) => {
      refusing = refuse;
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** What the Twilio-like server was sent. */
interface TwilioRequest {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

/** A local HTTP server that answers like Twilio's Messages resource. */
async function startTwilioServer(): Promise<{
  base: string;
  requests: TwilioRequest[];
  failNext(status: number, code: number): void;
  close(): Promise<void>;
}> {
  const requests: TwilioRequest[] = [];
  let failure: { status: number; code: number } | null = null;
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        form,
      });
      response.setHeader('content-type', 'application/json');
      if (failure) {
        response.statusCode = failure.status;
        response.end(
          JSON.stringify({ code: failure.code, message: 'refused', status: failure.status }),
        );
        failure = null;
        return;
      }
      response.statusCode = 201;
      response.end(
        JSON.stringify({
          sid: `SM${'0'.repeat(30)}${String(requests.length).padStart(2, '0')}`,
          status: 'queued',
          to: form.get('To'),
          from: form.get('From'),
          body: form.get('Body'),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    failNext: (status, code) => {
      failure = { status, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const accountSid = `AC${'a1'.repeat(16)}`;
const authToken = 'T0kenT0kenT0kenT0kenT0kenT0ken12';

describe(`email over SMTP on ${testDialect}`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: TestServer;
  before(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMTP_FROM: 'ab-elements <mfa@example.test>',
    });
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'email'] });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  it('delivers the code to the SMTP server, not the outbox, and the code works', async () => {
    const { user, cookie } = await signedInUser(server);
    const response = await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
    assert.equal(response.status, 200);
    const mail = smtp.received.at(-1);
    assert.ok(mail);
    assert.equal(mail.from, 'mfa@example.test');
    assert.deepEqual(mail.to, [user.email]);
    assert.match(mail.raw, /Subject: Confirm your email address/);
    const code = mail.raw.match(/code is (\d{6})/)?.[1] ?? '';
    assert.match(code, /^\d{6}$/);
    assert.equal(await countRows(server, 'ab_mfa_outbox'), 0);
    const confirmed = await sendJson(server, 'POST', '/api/mfa/email/confirm', cookie, { code });
    assert.equal(confirmed.status, 200);
    assert.match(smtp.received.at(-1)?.raw ?? '', /Subject: A sign-in method was added/);
  });

  it('answers 502 when the SMTP server refuses, and that code never works', async () => {
    const { cookie } = await signedInUser(server);
    smtp.refuseRecipients(true);
    const before = smtp.received.length;
    try {
      const response = await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
      assert.equal(response.status, 502);
      assert.equal((await jsonOf(response)).type, '/api/problems/delivery-failed');
    } finally {
      smtp.refuseRecipients(false);
    }
    assert.equal(smtp.received.length, before);
    assert.equal(await countRows(server, 'ab_mfa_otp_codes'), 1, "only the first test's code");
  });

  it('keeps no email in the outbox, which still holds SMS while Twilio is not set', async () => {
    const { cookie } = await signedInUser(server);
    await sendJson(server, 'POST', '/api/mfa/email/setup', cookie, {});
    const response = await sendJson(server, 'GET', '/api/mfa/outbox', cookie);
    assert.equal(response.status, 200);
    assert.deepEqual(await jsonOf(response), { items: [], nextCursor: null });
  });
});

describe(`SMS through a Twilio-like API on ${testDialect}`, () => {
  let twilio: Awaited<ReturnType<typeof startTwilioServer>>;
  let server: TestServer;
  before(async () => {
    twilio = await startTwilioServer();
    server = await startTestServer({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE: twilio.base,
    });
    await setDefaultPolicy(server, { allowedMethods: ['totp', 'sms'] });
  });
  after(async () => {
    await server.close();
    await twilio.close();
  });

  it('posts To, From and Body with Basic auth to the Messages resource', async () => {
    const { cookie } = await signedInUser(server);
    const response = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
      phone: '+44 7700 900 456',
    });
    assert.equal(response.status, 200);
    const request = twilio.requests.at(-1);
    assert.ok(request);
    assert.equal(request.path, `/2010-04-01/Accounts/${accountSid}/Messages.json`);
    const basic = Buffer.from(`${accountSid}:${authToken}`).toString('base64');
    assert.equal(request.authorization, `Basic ${basic}`);
    assert.equal(request.contentType, 'application/x-www-form-urlencoded');
    assert.equal(request.form.get('To'), '+447700900456');
    assert.equal(request.form.get('From'), '+15005550006');
    const code = request.form.get('Body')?.match(/code is (\d{6})/)?.[1] ?? '';
    const confirmed = await sendJson(server, 'POST', '/api/mfa/sms/confirm', cookie, { code });
    assert.equal(confirmed.status, 200);
    assert.equal(await countRows(server, 'ab_mfa_outbox'), 1, 'only the notice by email');
  });

  it('answers 502 when Twilio refuses, and logs neither number nor code', async () => {
    const { cookie } = await signedInUser(server);
    twilio.failNext(400, 21211);
    const response = await sendJson(server, 'POST', '/api/mfa/sms/setup', cookie, {
      phone: '+447700900789',
    });
    assert.equal(response.status, 502);
    const refused = twilio.requests.at(-1);
    const code = refused?.form.get('Body')?.match(/(\d{6})/)?.[1] ?? 'no code';
    const logs = server.logLines.join('\n');
    assert.match(logs, /Twilio answered 400 code 21211/);
    assert.ok(!logs.includes('7700900789'));
    assert.ok(!logs.includes(code));
    assert.ok(!logs.includes(authToken));
  });
});

describe('the sender configuration', () => {
  const base = { NODE_ENV: 'test' };

  it('keeps email and SMS in the outbox when nothing is set', () => {
    const config = loadConfig(base);
    assert.equal(config.smtp, null);
    assert.equal(config.twilio, null);
  });

  it('reads SMTP_URL and SMTP_FROM', () => {
    const config = loadConfig({
      ...base,
      SMTP_URL: 'smtps://u:p@mail.example:465',
      SMTP_FROM: 'a@b.example',
    });
    assert.deepEqual(config.smtp, { url: 'smtps://u:p@mail.example:465', from: 'a@b.example' });
  });

  it('refuses a bad SMTP_URL without repeating its password', () => {
    assert.throws(
      () => loadConfig({ ...base, SMTP_URL: 'http://u:secretpw@mail.example' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /SMTP_URL must be/.test(error.message) &&
        !error.message.includes('secretpw'),
    );
  });

  it('wants all three of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM', () => {
    assert.throws(() => loadConfig({ ...base, TWILIO_ACCOUNT_SID: accountSid }), /set together/);
    const twilio = { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken };
    assert.throws(() => loadConfig({ ...base, ...twilio, TWILIO_FROM: '5550006' }), /TWILIO_FROM/);
    assert.throws(
      () =>
        loadConfig({
          ...base,
          ...twilio,
          TWILIO_ACCOUNT_SID: 'AC123',
          TWILIO_FROM: '+15005550006',
        }),
      /TWILIO_ACCOUNT_SID must be/,
    );
    const config = loadConfig({ ...base, ...twilio, TWILIO_FROM: '+15005550006' });
    assert.equal(config.twilio?.apiBase, 'https://api.twilio.com');
  });

  it('refuses a plain-http TWILIO_API_BASE in production', () => {
    const env = {
      NODE_ENV: 'production',
      SECRET_KEYS: 'v9SflYOCOHhV8vXZVO6AUfOnJ6tyxGVSiw-wO4tWks8=',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE: 'http://127.0.0.1:9999',
    };
    assert.throws(() => loadConfig(env), /TWILIO_API_BASE must be .*https in production/);
  });
});
