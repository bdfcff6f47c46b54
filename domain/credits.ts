/**
 * Session packages and credits, each rule written once: when a grant expires (in the
 * trainer's zone), which grant pays for a booking, whether a booking may go ahead without
 * one, what returns a credit, who is promoted or passed over on a waitlist, and when the
 * client is told their balance is low. Pure: `db/credits.ts` loads a client's grants under
 * the trainer's lock and writes what these functions return; `routes/outcomes.ts` words
 * `no_credit`.
 */
import type { Actor } from "./types.ts";

export const PAYMENT_METHODS = ["cash", "transfer", "card", "other"] as const;
export type PaymentMethod = typeof PAYMENT_METHODS[number];

/** A payment the trainer recorded with a grant (money changes hands outside Spotter). */
export type Payment = Readonly<{
  amountCents: number;
  /** Three capital letters (ISO 4217). */
  currency: string;
  method: PaymentMethod;
  note: string | null;
}>;

export type Package = Readonly<{
  id: string;
  trainerId: string;
  name: string;
  sessions: number;
  /** Days a grant from it stays usable after the day it is sold; `null`: no expiry. */
  validDays: number | null;
  priceCents: number | null;
  currency: string | null;
  active: boolean;
  createdAt: Temporal.Instant;
}>;

/** Credits a client holds from one sale (or one gift). */
export type Grant = Readonly<{
  id: string;
  clientId: string;
  packageId: string | null;
  sessions: number;
  remaining: number;
  /** The last local day on which a booking may be paid by it; `null`: never expires. */
  expiresOn: Temporal.PlainDate | null;
  paid: Payment | null;
  createdAt: Temporal.Instant;
}>;

/** What choosing a grant needs of it; `seq` orders grants sold in the same instant. */
export type OpenGrant =
  & Pick<Grant, "id" | "remaining" | "expiresOn" | "createdAt">
  & Readonly<{ seq?: number }>;

export type LedgerKind = "granted" | "used" | "returned";

/** One change to a grant: `granted` (+sessions), `used` (−1) or `returned` (+1). */
export type LedgerEntry = Readonly<{
  id: string;
  at: Temporal.Instant;
  delta: number;
  kind: LedgerKind;
  grantId: string;
  appointmentId: string | null;
  classId: string | null;
}>;

/** A credit leaving or going back to a grant, for a session or a class seat. */
export type CreditMove = Readonly<{
  grantId: string;
  kind: "used" | "returned";
  appointmentId: string | null;
  classId: string | null;
}>;

/** The trainer's local date at `now`: every expiry is judged on it. */
export const creditDay = (
  now: Temporal.Instant,
  timezone: string,
): Temporal.PlainDate => now.toZonedDateTimeISO(timezone).toPlainDate();

/**
 * The last day a new grant pays on: the day it is sold + `validDays` (so 1 means today
 * and tomorrow), or `null` without expiry.
 *
 * @example expiresOnFor(90, Temporal.PlainDate.from("2026-12-01")) // 2027-03-01
 */
export const expiresOnFor = (
  validDays: number | null,
  soldOn: Temporal.PlainDate,
): Temporal.PlainDate | null =>
  validDays === null ? null : soldOn.add({ days: validDays });

/** Whether `g` has expired by `day`: its last day is before it. */
export const hasExpired = (
  g: Pick<Grant, "expiresOn">,
  day: Temporal.PlainDate,
) => g.expiresOn !== null && Temporal.PlainDate.compare(g.expiresOn, day) < 0;

/** A grant pays on `day` while it has a credit left and has not expired. */
export const isUsable = (g: OpenGrant, day: Temporal.PlainDate) =>
  g.remaining > 0 && !hasExpired(g, day);

/** The credits a client can book with on `day`: what is left on their usable grants. */
export const balanceOf = (
  grants: readonly OpenGrant[],
  day: Temporal.PlainDate,
): number =>
  grants.reduce((n, g) => n + (isUsable(g, day) ? g.remaining : 0), 0);

/** The order grants pay in: expiring first, no expiry last; equal dates, the older grant. */
function paysBefore(a: OpenGrant, b: OpenGrant): number {
  if (a.expiresOn === null || b.expiresOn === null) {
    if (a.expiresOn !== b.expiresOn) return a.expiresOn === null ? 1 : -1;
  } else {
    const byDate = Temporal.PlainDate.compare(a.expiresOn, b.expiresOn);
    if (byDate !== 0) return byDate;
  }
  return Temporal.Instant.compare(a.createdAt, b.createdAt) ||
    (a.seq ?? 0) - (b.seq ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The grant that pays next on `day`, or `undefined` when none is usable. */
export function grantToUse<G extends OpenGrant>(
  grants: readonly G[],
  day: Temporal.PlainDate,
): G | undefined {
  return grants.filter((g) => isUsable(g, day)).sort(paysBefore)[0];
}

/** What one booking takes: the grant that pays (or none) and the balance it leaves. */
export type CreditUse = Readonly<{
  grantId: string | null;
  balanceAfter: number;
}>;

export type CreditDecision =
  | Readonly<{ ok: true; value: CreditUse }>
  | Readonly<{ ok: false; reason: "no_credit" }>;

/**
 * Whether a booking (a session, a class seat, a promotion) may go ahead, and which grant
 * pays: one credit whenever the client has any, from {@link grantToUse}. Without one, a
 * client acting for themselves is refused while `requireCredit` is on; otherwise the
 * booking is made unpaid. A trainer is never refused, and with `useCredit: false` books
 * without spending one.
 */
export function decideCreditUse(
  input: Readonly<{
    by: Actor;
    requireCredit: boolean;
    /** Only a trainer may say `false`. */
    useCredit?: boolean;
    grants: readonly OpenGrant[];
    day: Temporal.PlainDate;
  }>,
): CreditDecision {
  const balance = balanceOf(input.grants, input.day);
  if (input.by === "trainer" && input.useCredit === false) {
    return { ok: true, value: { grantId: null, balanceAfter: balance } };
  }
  const grant = grantToUse(input.grants, input.day);
  if (grant) {
    return {
      ok: true,
      value: { grantId: grant.id, balanceAfter: balance - 1 },
    };
  }
  if (input.by === "client" && input.requireCredit) {
    return { ok: false, reason: "no_credit" };
  }
  return { ok: true, value: { grantId: null, balanceAfter: 0 } };
}

/** `grants` after one credit of `grantId` was used. */
export const afterUse = <G extends OpenGrant>(
  grants: readonly G[],
  grantId: string | null,
): G[] =>
  grants.map((g) =>
    g.id === grantId ? { ...g, remaining: g.remaining - 1 } : g
  );

/**
 * What each of `count` bookings made at once takes (a trainer's series, in start order):
 * one credit each while any are left, then none.
 */
export function useForEach(
  grants: readonly OpenGrant[],
  day: Temporal.PlainDate,
  count: number,
): CreditUse[] {
  const uses: CreditUse[] = [];
  let left = [...grants];
  for (let i = 0; i < count; i++) {
    const grant = grantToUse(left, day);
    left = afterUse(left, grant?.id ?? null);
    uses.push({
      grantId: grant?.id ?? null,
      balanceAfter: balanceOf(left, day),
    });
  }
  return uses;
}

/** The client is told when a use leaves their balance at 1 or at 0. */
export const leavesLowBalance = (use: CreditUse) =>
  use.grantId !== null && use.balanceAfter <= 1;

/** How a session or a seat holds its credit. */
export type CreditHold = Readonly<{
  creditGrantId?: string | null;
  creditReturned?: boolean;
}>;

/** The grant whose credit `h` still holds, if any. */
export const heldCredit = (h: CreditHold): string | undefined =>
  h.creditGrantId && !h.creditReturned ? h.creditGrantId : undefined;

/**
 * The grant a cancelled session's credit goes back to: always for a client's cancel and a
 * declined request; for a trainer's cancel of a scheduled session unless `refund` is
 * false (a late cancellation or a no-show keeps it used).
 */
export function returnOnCancel(
  a: CreditHold & Readonly<{ status: string }>,
  by: Actor,
  refund: boolean,
): string | undefined {
  const keep = by === "trainer" && a.status === "scheduled" && !refund;
  return keep ? undefined : heldCredit(a);
}

/**
 * The grant a deleted session's credit goes back to: one still in use by it (a live or
 * completed session), never one already returned or kept by a cancel.
 */
export const returnOnDelete = (
  a: CreditHold & Readonly<{ status: string }>,
): string | undefined => a.status === "cancelled" ? undefined : heldCredit(a);

/** A seat given up or removed, or in a class being cancelled, returns what it holds. */
export const returnOnLeave = (seat: CreditHold) => heldCredit(seat);

/** A waiting place as the promotion rule sees it. */
export type WaitingPlace = Readonly<{
  id: string;
  clientId: string;
  position: number | null;
  /** `false`: taken by the trainer with `useCredit: false`, so its promotion pays nothing. */
  useCredit?: boolean;
}>;

/**
 * Who takes a freed seat, in waitlist order: a promotion uses a credit like a booking.
 * With `requireCredit` on, a waiting client with no credit left when their turn comes is
 * passed over (they leave the waitlist and are told), and the next one is asked.
 */
export function promoteWithCredits<P extends WaitingPlace>(
  input: Readonly<{
    waitlist: readonly P[];
    requireCredit: boolean;
    grantsOf: (clientId: string) => readonly OpenGrant[];
    day: Temporal.PlainDate;
  }>,
): Readonly<{
  passedOver: readonly P[];
  promoted: Readonly<{ place: P; use: CreditUse }> | undefined;
}> {
  const passedOver: P[] = [];
  const order = [...input.waitlist].sort((a, b) =>
    (a.position ?? 0) - (b.position ?? 0)
  );
  for (const place of order) {
    const decision = decideCreditUse({
      by: place.useCredit === false ? "trainer" : "client",
      requireCredit: input.requireCredit,
      useCredit: place.useCredit,
      grants: input.grantsOf(place.clientId),
      day: input.day,
    });
    if (decision.ok) {
      return { passedOver, promoted: { place, use: decision.value } };
    }
    passedOver.push(place);
  }
  return { passedOver, promoted: undefined };
}

/**
 * The clients whose balance is low (1 or none left), of those who used a credit lately:
 * the trainer's Today says "Ada has 1 session left". By name.
 */
export function lowBalances(
  clients: readonly Readonly<{ id: string; name: string }>[],
  grants: readonly (OpenGrant & Readonly<{ clientId: string }>)[],
  day: Temporal.PlainDate,
): { id: string; name: string; balance: number }[] {
  return clients
    .map((c) => ({
      ...c,
      balance: balanceOf(grants.filter((g) => g.clientId === c.id), day),
    }))
    .filter((c) => c.balance <= 1)
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/**
 * Where a session's credit is: `used` (it paid and still does), `returned` (it went
 * back), `kept` (cancelled, kept used by the trainer), or `none` (not paid by a credit).
 */
export function creditState(
  a: CreditHold & Readonly<{ status: string }>,
): "none" | "used" | "returned" | "kept" {
  if (!a.creditGrantId) return "none";
  if (a.creditReturned) return "returned";
  return a.status === "cancelled" ? "kept" : "used";
}
