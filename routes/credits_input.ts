/**
 * Packages and credit sales as the API and the pages take them (one shape, one set of
 * messages), and the contract's JSON of packages, grants and ledger entries.
 */
import { z } from "zod";
import { fieldErrors } from "./validation.ts";
import type { GrantSource } from "../db/credits.ts";
import {
  type Grant,
  type LedgerEntry,
  type Package,
  type Payment,
  PAYMENT_METHODS,
} from "../domain/credits.ts";
import { toOffsetString } from "../domain/time.ts";

const wholeNumber = (from: number, to: number, what = "") => {
  const message = `must be a whole number${what} from ${from} to ${to}`;
  return z.number({ error: message }).int(message).min(from, message).max(
    to,
    message,
  );
};

const Sessions = wholeNumber(1, 200);
const ValidDays = wholeNumber(1, 730, " of days");
export const MAX_CENTS = 100_000_000;
const Cents = wholeNumber(0, MAX_CENTS, " of cents");
const Currency = z.string({ error: "must be three capital letters, e.g. EUR" })
  .regex(/^[A-Z]{3}$/, "must be three capital letters, e.g. EUR");

export const NewPackageBody = z.object({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(
    100,
    "must be at most 100 characters",
  ),
  sessions: Sessions,
  validDays: ValidDays.nullable().optional(),
  priceCents: Cents.nullable().optional(),
  currency: Currency.nullable().optional(),
}).superRefine((p, ctx) => {
  const priced = p.priceCents !== undefined && p.priceCents !== null;
  const named = p.currency !== undefined && p.currency !== null;
  if (priced !== named) {
    ctx.addIssue({
      code: "custom",
      path: ["currency"],
      message: priced
        ? "is required with a price"
        : "must be null without a price",
    });
  }
});

export const PackagePatchBody = z.object({
  name: z.string({ error: "must be text" }).trim().min(1, "must not be empty")
    .max(100, "must be at most 100 characters").optional(),
  active: z.boolean({ error: "must be true or false" }).optional(),
});

const PaidBody = z.object({
  amountCents: Cents,
  currency: Currency,
  method: z.enum(PAYMENT_METHODS, {
    error: "must be cash, transfer, card or other",
  }),
  note: z.string({ error: "must be text" }).max(
    500,
    "must be at most 500 characters",
  ).nullable().optional(),
}, { error: "must be an object with amountCents, currency and method" });

export const GrantBody = z.object({
  packageId: z.string({ error: "must be a package id" }).max(64).optional(),
  sessions: Sessions.optional(),
  validDays: ValidDays.nullable().optional(),
  paid: PaidBody.nullable().optional(),
}).superRefine((g, ctx) => {
  if ((g.packageId === undefined) === (g.sessions === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: [g.packageId === undefined ? "sessions" : "packageId"],
      message: "give exactly one of packageId or sessions",
    });
  } else if (g.packageId !== undefined && g.validDays !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["validDays"],
      message: "comes from the package",
    });
  }
});

export type NewPackage = z.infer<typeof NewPackageBody>;

/** A sale as the API or a form sent it: its source and payment, or every field at fault. */
export function parseGrant(raw: unknown):
  | Readonly<{ ok: true; source: GrantSource; paid: Payment | null }>
  | Readonly<{ ok: false; fields: Record<string, string> }> {
  const parsed = GrantBody.safeParse(raw);
  if (!parsed.success) return { ok: false, fields: fieldErrors(parsed.error) };
  const g = parsed.data;
  const paid = g.paid ? { ...g.paid, note: g.paid.note?.trim() || null } : null;
  return {
    ok: true,
    paid,
    source: g.packageId !== undefined
      ? { packageId: g.packageId.toLowerCase() }
      : { sessions: g.sessions!, validDays: g.validDays ?? null },
  };
}

export const packageJson = (p: Package) => ({
  id: p.id,
  name: p.name,
  sessions: p.sessions,
  validDays: p.validDays,
  priceCents: p.priceCents,
  currency: p.currency,
  active: p.active,
});

export const grantJson = (g: Grant, timezone: string) => ({
  id: g.id,
  clientId: g.clientId,
  packageId: g.packageId,
  sessions: g.sessions,
  remaining: g.remaining,
  expiresOn: g.expiresOn?.toString() ?? null,
  paid: g.paid && {
    amountCents: g.paid.amountCents,
    currency: g.paid.currency,
    method: g.paid.method,
    note: g.paid.note,
  },
  createdAt: toOffsetString(g.createdAt, timezone),
});

export const ledgerJson = (e: LedgerEntry, timezone: string) => ({
  id: e.id,
  at: toOffsetString(e.at, timezone),
  delta: e.delta,
  kind: e.kind,
  grantId: e.grantId,
  appointmentId: e.appointmentId,
  classId: e.classId,
});
