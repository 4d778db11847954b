/**
 * @module
 * Small request helpers for server tests that call `app.request()`.
 */

/**
 * The parsed JSON body. Typed `any` on purpose: a test's assertions are what check the shape,
 * and a declared type here would only claim what the test is there to prove.
 */
// biome-ignore lint: deliberate any, see above
export async function jsonOf(response: Response): Promise<any> {
  return response.json();
}
