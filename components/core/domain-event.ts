/**
 * @packageDocumentation
 * `domainEvent()`: builds the `ab-`-prefixed events elements fire for what happened in their
 * domain (`ab-login`, `ab-verified`, `ab-transaction-posted`), always bubbling and composed, so
 * a page hears them from outside every shadow root.
 *
 * Native-named events (`input`, `change`) come from `FormControlMixin` instead.
 *
 * @example
 * ```ts
 * this.dispatchEvent(domainEvent('ab-verified', { method: 'totp' }));
 * ```
 */

/** The prefix every domain event's name carries. */
export type DomainEventName = `ab-${string}`;

/** A bubbling, composed `CustomEvent` named `name` carrying `detail`. */
export function domainEvent<T>(name: DomainEventName, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(name, { detail, bubbles: true, composed: true });
}
