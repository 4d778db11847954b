/**
 * @packageDocumentation
 * `SlotPresenceController`: tells an element whether the page put content into a named slot,
 * so it can hide an empty wrapper, or prefer slotted label text over its `label` attribute.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Watches the host's light DOM for content assigned to the given slots. */
export class SlotPresenceController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #slotNames: readonly string[];
  readonly #observer: MutationObserver;

  /**
   * @param host the element whose slots to watch
   * @param slotNames slot names; `''` is the default slot
   */
  constructor(host: ReactiveControllerHost & HTMLElement, ...slotNames: string[]) {
    this.#host = host;
    this.#slotNames = slotNames;
    // The light DOM can change at any time; a re-render picks up the new answer.
    this.#observer = new MutationObserver(() => host.requestUpdate());
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer.observe(this.#host, { childList: true, attributes: true, subtree: false });
  }

  hostDisconnected(): void {
    this.#observer.disconnect();
  }

  /** Whether the slot named `name` (`''` for the default slot) has content. */
  has(name: string): boolean {
    if (!this.#slotNames.includes(name)) {
      throw new Error(`SlotPresenceController does not watch the slot "${name}".`);
    }
    for (const node of this.#host.childNodes) {
      if (name === '') {
        if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim()) return true;
        if (node instanceof Element && !node.hasAttribute('slot')) return true;
      } else if (node instanceof Element && node.getAttribute('slot') === name) {
        return true;
      }
    }
    return false;
  }
}
