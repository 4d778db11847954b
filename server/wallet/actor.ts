/**
 * @module
 * Who acts: the signed-in user behind a service call, with what the audit trail records.
 *
 * Routes build an {@link Actor} from the session and the request; services never see the
 * request itself. Background work (the recurring scheduler) acts as the owner of the rule it
 * runs, with no address.
 */

/** The user a service acts for, and where the request came from. */
export interface Actor {
  /** The signed-in user's id (`ab_user.id`). */
  userId: number;
  /** Whether the user holds the `Admin` role (may set exchange rates, read every audit). */
  isAdmin: boolean;
  /** The client's IP address, when known; recorded in the audit trail. */
  ip: string | null;
  /** The client's `User-Agent`, when known; recorded in the audit trail. */
  userAgent: string | null;
}
