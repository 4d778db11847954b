/**
 * @packageDocumentation
 * `StepUpController`: the step-up of the MFA elements. When the server refuses an action for
 * want of a fresh verification (403 `/step-up-required`), the element shows `ab-mfa-verify` in
 * place and, once the user has verified, runs the action again.
 *
 * The element passes the import of `ab-mfa-verify`, so the prompt is loaded only when first
 * needed (most visits never need it), and this module never reaches into the element folders.
 *
 * @example
 * ```ts
 * class AbDeviceList extends ApiBaseMixin(LitElement) {
 *   #stepUp = new StepUpController(this, () => import('./mfa-verify.ts'));
 *
 *   async forget(id: number) {
 *     try {
 *       await forgetTrustedDevice(this.api, id);
 *       this.#stepUp.end();
 *     } catch (error) {
 *       if (isStepUpRequired(error)) await this.#stepUp.request(() => this.forget(id));
 *       else this.error = asError(error);
 *     }
 *   }
 *
 *   render() {
 *     if (!this.#stepUp.pending) return this.renderList();
 *     return html`<ab-mfa-verify @ab-verified=${() => this.#stepUp.resume()}></ab-mfa-verify>`;
 *   }
 * }
 * ```
 */
import type { ReactiveControllerHost } from 'lit';

/**
 * Holds the action that waits for a step-up, and loads the prompt that asks for it. It asks its
 * host to render when that changes; it needs none of the host's lifecycle, so unlike other
 * controllers it does not register with `addController`.
 */
export class StepUpController {
  readonly #host: ReactiveControllerHost;
  readonly #loadPrompt: () => Promise<unknown>;
  #retry: (() => Promise<void>) | null = null;

  /**
   * @param host the element that shows the step-up prompt
   * @param loadPrompt loads the module that defines `ab-mfa-verify`
   */
  constructor(host: ReactiveControllerHost, loadPrompt: () => Promise<unknown>) {
    this.#host = host;
    this.#loadPrompt = loadPrompt;
  }

  /** Whether an action waits for a verification: the element shows `ab-mfa-verify` meanwhile. */
  get pending(): boolean {
    return this.#retry !== null;
  }

  /**
   * Holds `retry` until the user has verified. Resolves once `ab-mfa-verify` is defined and
   * the host has been asked to render it.
   */
  async request(retry: () => Promise<void>): Promise<void> {
    await this.#loadPrompt();
    this.#retry = retry;
    this.#host.requestUpdate();
  }

  /**
   * Runs the action that waits, once the user has verified (on `ab-verified`). It keeps
   * waiting until {@link StepUpController.end}, so a retry that fails leaves the prompt and its
   * error where they are.
   */
  async resume(): Promise<void> {
    await this.#retry?.();
  }

  /** Ends the step-up: after the action went through, or when the user gave up. */
  end(): void {
    if (this.#retry === null) return;
    this.#retry = null;
    this.#host.requestUpdate();
  }
}
