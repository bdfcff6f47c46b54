/**
 * Packages and credit sales as the API and the pages take them (one shape, one set of
 * messages), and the contract's JSON of packages, grants and ledger entries.
 */
import { z } from "zod";
import { fieldErrors, fieldWords } from "./validation.ts";
import type { GrantSource } from "../db/credits.ts";
import {
  type Grant,
  type LedgerEntry,
  type Package,
  type Payment,
  PAYMENT_METHODS,
} from "../domain/credits.ts";
import { toOffsetString } from "../domain/time.ts";
import { type Locale, type MessageKey, t } from "../lib/i18n.ts";

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

/**
 * An amount typed on a form ("450", "450.5", "450,50") in cents, or `undefined` when it
 * is not one.
 */
export function parseAmount(text: string): number | undefined {
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** A typed whole number as a number; anything else as typed, for the rules to word. */
const numberOf = (text: string | undefined) =>
  text === undefined || text.trim() === ""
    ? undefined
    : /^\d{1,6}$/.test(text.trim())
    ? Number(text.trim())
    : text;

type FormValues = Readonly<Record<string, string | undefined>>;

/** The forms' field messages (shared with the API, which keeps them in English) by key. */
const FIELD_WORDS: Readonly<Record<string, MessageKey>> = {
  "must be a whole number from 1 to 200": "business.credits.error.sessions",
  "must be a whole number of days from 1 to 730":
    "business.credits.error.valid_days",
  [`must be a whole number of cents from 0 to ${MAX_CENTS}`]:
    "business.credits.error.cents",
  "must be three capital letters, e.g. EUR": "business.credits.error.currency",
  "is required with a price": "business.credits.error.required_with_price",
  "must be null without a price": "business.credits.error.empty_without_price",
  "must be cash, transfer, card or other": "business.credits.error.method",
  "must be a package id": "business.credits.error.package_id",
  "give exactly one of packageId or sessions": "business.credits.error.one_of",
  "comes from the package": "business.credits.error.from_package",
  "must be an amount such as 450.00": "business.credits.error.amount",
  "is required (this package has no price)":
    "business.credits.error.amount_required",
  "say how it was paid, or leave the amount empty":
    "business.credits.error.say_method",
};

/**
 * A form's field messages in `locale`: the packages' own by this table, the rest as every
 * form words them (`fieldWords`: "is required", lengths); unknown ones as they are.
 */
export const fieldsInWords = (
  locale: Locale,
  fields: Readonly<Record<string, string>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(fields).map((
      [field, message],
    ) => [
      field,
      FIELD_WORDS[message]
        ? t(locale, FIELD_WORDS[message])
        : fieldWords(message, locale),
    ]),
  );

/** The package form as the API's body (empty days: no expiry; empty price: none). */
export function packageFromForm(v: FormValues):
  | Readonly<{ ok: true; body: NewPackage }>
  | Readonly<{ ok: false; fields: Record<string, string> }> {
  const price = (v.price ?? "").trim();
  const cents = price === "" ? null : parseAmount(price);
  if (cents === undefined) {
    return { ok: false, fields: { price: "must be an amount such as 450.00" } };
  }
  const parsed = NewPackageBody.safeParse({
    name: v.name ?? "",
    sessions: numberOf(v.sessions),
    validDays: numberOf(v.validDays) ?? null,
    priceCents: cents,
    currency: (v.currency ?? "").trim().toUpperCase() || null,
  });
  if (!parsed.success) {
    return {
      ok: false,
      fields: renameFields(fieldErrors(parsed.error), { priceCents: "price" }),
    };
  }
  return { ok: true, body: parsed.data };
}

const renameFields = (
  fields: Record<string, string>,
  names: Readonly<Record<string, string>>,
) =>
  Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [names[k] ?? k, v]),
  );

/**
 * The "Sell a package" form as the API's body: the package chosen (or a number of
 * sessions), and the payment when a method is chosen, its amount and currency defaulting
 * to the package's price.
 */
export function saleFromForm(
  v: FormValues,
  chosen: Package | undefined,
): ReturnType<typeof parseGrant> {
  const custom = v.source === "custom" || v.source === undefined;
  const fields: Record<string, string> = {};
  let paid: Record<string, unknown> | null = null;
  const method = v.method ?? "";
  const amount = (v.amount ?? "").trim();
  if (method !== "") {
    const cents = amount === ""
      ? chosen?.priceCents ?? undefined
      : parseAmount(amount);
    if (cents === undefined) {
      fields.amount = amount === ""
        ? "is required (this package has no price)"
        : "must be an amount such as 450.00";
    }
    paid = {
      amountCents: cents ?? 0,
      currency: (v.currency ?? "").trim().toUpperCase() || chosen?.currency ||
        "",
      method,
      note: (v.note ?? "").trim() || null,
    };
  } else if (amount !== "") {
    fields.method = "say how it was paid, or leave the amount empty";
  }
  const parsed = parseGrant({
    ...(custom
      ? {
        sessions: numberOf(v.sessions),
        validDays: numberOf(v.validDays) ?? null,
      }
      : { packageId: v.source }),
    paid,
  });
  if (!parsed.ok) {
    Object.assign(
      fields,
      renameFields(parsed.fields, {
        packageId: "source",
        "paid.amountCents": "amount",
        "paid.currency": "currency",
        "paid.method": "method",
        "paid.note": "note",
        paid: "method",
      }),
    );
  }
  if (Object.keys(fields).length) return { ok: false, fields };
  return parsed;
}
