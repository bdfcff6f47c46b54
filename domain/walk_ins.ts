/**
 * Walk-in clients: someone who does not use apps, added by their trainer, booked like any
 * client, and able to claim the account later through a one-time invitation.
 */

/** How long an invitation to claim an account stays valid. */
export const INVITATION_DAYS = 14;

/** What an invitation's page shows of the account it claims. */
export type Invitation = Readonly<{
  clientId: string;
  name: string;
  email: string | null;
  trainerName: string;
}>;

/** Why a claim is refused. */
export type ClaimRefusal = "invalid_invitation" | "invitation_used";

export type InvitationState = Readonly<{
  expiresAt: Temporal.Instant;
  usedAt: Temporal.Instant | null;
  /** The client has no sign-in of their own yet. */
  unclaimed: boolean;
}>;

/**
 * Whether an invitation may claim its account now: once only (a second use is refused as
 * used), before it expires, and only while the account is still unclaimed.
 */
export function decideClaim(
  inv: InvitationState | undefined,
  now: Temporal.Instant,
): { ok: true } | { ok: false; reason: ClaimRefusal } {
  if (!inv) return { ok: false, reason: "invalid_invitation" };
  if (inv.usedAt !== null || !inv.unclaimed) {
    return { ok: false, reason: "invitation_used" };
  }
  if (Temporal.Instant.compare(inv.expiresAt, now) <= 0) {
    return { ok: false, reason: "invalid_invitation" };
  }
  return { ok: true };
}
