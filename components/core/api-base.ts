/**
 * @packageDocumentation
 * `ApiBaseMixin`: gives an element that calls the server an `api-base` attribute and an
 * {@link ApiClient} for it, so no element builds URLs or clients itself.
 *
 * @example
 * ```ts
 * class AbWalletBalance extends ApiBaseMixin(LitElement) {
 *   async load() { this.wallet = await this.api.get<Wallet>(`/wallets/${this.walletId}`); }
 * }
 * ```
 * ```html
 * <ab-wallet-balance api-base="https://wallet.example.com/api"></ab-wallet-balance>
 * ```
 */
import type { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiClient, getDefaultApiBase } from './api-client.ts';

/** The surface the mixin adds; declared apart so the mixin's return type can name it. */
export declare class ApiBaseElement {
  /**
   * Base URL of the API this element calls. Empty means the page-wide default (same-origin
   * `/api`, or what `setDefaultApiBase()` set).
   */
  apiBase: string;
  /** A client for the current base URL; a new one after `api-base` or the default changes. */
  protected get api(): ApiClient;
}

// TS requires a mixin's base constructor to take a single `...args: any[]` (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Constructor<T> = new (...args: any[]) => T;

/** Adds `api-base` and a matching `api` client to a `LitElement` subclass. */
export const ApiBaseMixin = <T extends Constructor<LitElement>>(Base: T) => {
  class ApiBaseElementImpl extends Base {
    /**
     * Base URL of the API this element calls. Empty means the page-wide default (same-origin
     * `/api`, or what `setDefaultApiBase()` set).
     */
    @property({ attribute: 'api-base' }) apiBase = '';

    #client: ApiClient | undefined;

    /** A client for the current base URL; a new one after `api-base` or the default changes. */
    protected get api(): ApiClient {
      const base = (this.apiBase.trim() || getDefaultApiBase()).replace(/\/+$/, '');
      if (this.#client?.baseUrl !== base) this.#client = new ApiClient({ baseUrl: base });
      return this.#client;
    }
  }
  return ApiBaseElementImpl as unknown as Constructor<ApiBaseElement> & T;
};
