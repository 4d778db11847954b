/**
 * @module
 * MFA figures for `npm run bench`:
 *  - `POST /api/mfa/verify` with a right TOTP code over real HTTP, against a bare Hono route that
 *    parses the same JSON body and answers the same shape, in the same process and run. Each of
 *    `users` accounts verifies once per TOTP step (a code is accepted once: replay protection),
 *    so the clock (the context's ManualClock) moves one step between rounds. The verification is
 *    a step-up on a full session: the same `verifySecondFactor` path as the sign-in's second step.
 *  - The cost of one backup-code attempt with 10 codes on file, against one bare bcrypt
 *    comparison at the same cost: the selector:verifier form makes them equal, however many
 *    codes a user has.
 * The server runs with `NODE_ENV=development`, so hashes have their production costs. The verify
 * figures are taken on SQLite and on PostgreSQL; the backup-code cost is the same on both (it
 * is one bcrypt comparison), so it is taken once.
 */
import bcrypt from 'bcrypt';
import { Hono } from 'hono';
import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import {
  backupCodeHashCost,
  consumeBackupCode,
  formatBackupCode,
  parseBackupCode,
} from '../server/mfa/backup-codes.ts';
import { sessionCookieOf } from '../test/server/support/auth-client.ts';
import {
  authenticatorCode,
  enrolledUser,
  nextStep,
  type EnrolledUser,
} from '../test/server/support/mfa-client.ts';
import { startTestServer, type TestServer } from '../test/server/support/test-context.ts';
import { listen } from './listen.ts';
import { describeLoad, LoadRecorder } from './load.ts';

const users = 20;
const rounds = 40;
const backupAttempts = 20;

async function verifyFigures(
  server: TestServer,
  enrolled: EnrolledUser[],
  dialect: Dialect,
): Promise<string[]> {
  const api = await listen(server.app.fetch);
  const bareApp = new Hono().post('/api/mfa/verify', async (c) => {
    const body = await c.req.json<{ method: string }>();
    return c.json({ verified: true, method: body.method });
  });
  const bare = await listen(bareApp.fetch);
  const cookies = enrolled.map((user) => user.cookie);
  const post = async (origin: string, index: number, code: string) => {
    const response = await fetch(`${origin}/api/mfa/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies[index] as string },
      body: JSON.stringify({ method: 'totp', code }),
    });
    await response.arrayBuffer();
    cookies[index] = sessionCookieOf(response) ?? (cookies[index] as string);
    return response.status;
  };
  const verifyLoad = new LoadRecorder();
  const bareLoad = new LoadRecorder();
  for (let round = 0; round < rounds; round++) {
    nextStep(server);
    const codes = await Promise.all(enrolled.map((user) => authenticatorCode(server, user.secret)));
    await verifyLoad.batch(users, users, (index) => post(api.origin, index, codes[index] as string));
    await bareLoad.batch(users, users, (index) => post(bare.origin, index, codes[index] as string));
  }
  await Promise.all([api.close(), bare.close()]);
  const verify = verifyLoad.figures();
  const baseline = bareLoad.figures();
  if (verify.statuses[200] !== verify.requests) {
    throw new Error(`verify answered ${JSON.stringify(verify.statuses)}; every code was right`);
  }
  return [
    `MFA verify over HTTP on ${dialect} (${users} accounts x ${rounds} TOTP steps, ${users} in flight)`,
    describeLoad('POST /api/mfa/verify (right TOTP code)', verify),
    describeLoad('bare Hono route (same body and answer)', baseline),
    `  ratio: ${(verify.perSecond / baseline.perSecond).toFixed(3)} of the bare rate; p50 ` +
      `${(verify.p50Ms / baseline.p50Ms).toFixed(1)}x, p99 ` +
      `${(verify.p99Ms / baseline.p99Ms).toFixed(1)}x the bare latency`,
  ];
}

async function meanMs(times: number, attempt: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < times; i++) await attempt();
  return (performance.now() - started) / times;
}

async function backupFigures(server: TestServer, user: EnrolledUser): Promise<string[]> {
  const [row] = await server.ctx.sequelize.query<{ id: number; codes: number }>(
    `SELECT m.id AS id, (SELECT COUNT(*) FROM ab_mfa_backup_codes b WHERE b.user_mfa_id = m.id)
       AS codes FROM ab_user_mfa m WHERE m.user_id = :userId`,
    { replacements: { userId: user.user.id }, type: QueryTypes.SELECT },
  );
  if (row === undefined) throw new Error('the enrolled user has no MFA record');
  const known = parseBackupCode(user.backupCodes[0] as string);
  if (known === null) throw new Error('a backup code did not parse');
  // Right selector, wrong verifier: the row is found and its hash compared.
  const wrongVerifier = formatBackupCode({ selector: known.selector, verifier: 'ZZZZZZZZZZ' });
  const unknownSelector = formatBackupCode({ selector: 'ZZZZ', verifier: known.verifier });
  const cost = backupCodeHashCost(server.ctx.config);
  const hash = await bcrypt.hash('a verifier', cost);
  const userMfaId = Number(row.id);
  const outcomes = new Set<string>();
  const known10 = await meanMs(backupAttempts, async () =>
    outcomes.add(await consumeBackupCode(server.ctx, userMfaId, wrongVerifier)));
  const unknown10 = await meanMs(backupAttempts, async () =>
    outcomes.add(await consumeBackupCode(server.ctx, userMfaId, unknownSelector)));
  const bareCompare = await meanMs(backupAttempts, () => bcrypt.compare('other', hash));
  if (outcomes.size !== 1 || !outcomes.has('wrong')) {
    throw new Error(`wrong backup codes answered ${[...outcomes].join(', ')}`);
  }
  return [
    `MFA backup-code attempt (${Number(row.codes)} codes on file, bcrypt cost ${cost}, mean of ` +
      `${backupAttempts})`,
    `  wrong code, known selector     ${known10.toFixed(1)} ms`,
    `  wrong code, unknown selector   ${unknown10.toFixed(1)} ms`,
    `  one bare bcrypt comparison     ${bareCompare.toFixed(1)} ms  ` +
      `(attempt = ${(known10 / bareCompare).toFixed(2)}x one comparison)`,
  ];
}

type Dialect = 'sqlite' | 'postgres';

/** Runs the MFA benchmarks on fresh databases of each of `dialects`; answers lines to print. */
export async function mfaBenchmarks(dialects: readonly Dialect[]): Promise<string[]> {
  const lines: string[] = [];
  for (const [index, dialect] of dialects.entries()) {
    const server = await startTestServer({ NODE_ENV: 'development' }, dialect);
    try {
      const enrolled: EnrolledUser[] = [];
      for (let i = 0; i < users; i++) enrolled.push(await enrolledUser(server));
      lines.push(...(await verifyFigures(server, enrolled, dialect)));
      if (index === 0) lines.push(...(await backupFigures(server, enrolled[0] as EnrolledUser)));
    } finally {
      await server.close();
    }
  }
  return lines;
}
