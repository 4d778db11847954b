/**
 * @module
 * The Admin account of test API servers (`ADMIN_USER`/`ADMIN_PASSWORD`, see api-server.mjs): a
 * fixed credential for throwaway test databases only. Plain data, so Node and browser tests
 * (which sign in as Admin to manage MFA policies) import the same values.
 */

/** Username and password of the test servers' Admin. Never used outside tests. */
export const testAdmin = Object.freeze({
  username: 'test-admin',
  password: 'admin password for test servers only',
});
