/**
 * @module
 * The documented error answers the wallet routes share, so each route lists what it may
 * answer in the OpenAPI document without repeating the words.
 */

/** Error answers by meaning; a route picks the ones it can give. */
export const answers = {
  invalid: { description: '`/validation`: the request is not valid; `errors` names each field.' },
  noSession: { description: 'No valid session.' },
  forbidden: { description: '`/mfa-required` (second factor due) or `/forbidden`.' },
  notFound: {
    description: '`/not-found`: it does not exist, or it is another user\'s.',
  },
  unsupported: { description: 'The body is not JSON (or, where accepted, text/csv).' },
  rules: {
    description: 'A rule refused it; nothing was changed. The problem type says which ' +
      '(`/insufficient-funds`, `/daily-limit-exceeded`, `/unknown-currency`, ...).',
  },
  conflict: { description: 'The state does not allow it; the problem type says why.' },
  busy: {
    description: '`/database-busy`: other writes held the database; retry.',
    headers: { 'Retry-After': 'Seconds to wait.' },
  },
} as const;

