import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { ApiError, invalidFields, notFound } from "./errors.ts";
import { UUID } from "../db/client.ts";
import { sha256 } from "../lib/security.ts";
import type { Context } from "hono";
import {
  inSupportedYears,
  isValidTimeZone,
  parseIsoDate,
} from "../domain/time.ts";
import { passwordEmailProblem, passwordProblem } from "../lib/passwords.ts";
import { LANGUAGES } from "../domain/types.ts";
import { type Locale, type MessageKey, t } from "../lib/i18n.ts";
import type { AppEnv } from "./context.ts";
import { viewerLocale } from "./language.ts";

/** Field path → first message, the contract's `fields`. */
export function fieldErrors(
  error: {
    issues: readonly { path: readonly PropertyKey[]; message: string }[];
  },
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "body";
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * The catalogue's words for each validation message a form shows (the JSON API keeps the
 * English ones in `fields`, as the contract has them).
 */
const FIELD_WORDS: Readonly<Record<string, MessageKey>> = {
  "is required": "site.field.required",
  "is too long": "site.field.too_long",
  "must be an e-mail address": "site.field.email",
  "must be an e-mail address, or left empty": "site.field.email_or_empty",
  "must not be one character repeated": "site.field.password_repeated",
  "is one of the most common passwords; pick one that is not":
    "site.field.password_common",
  "must not be your e-mail address or made from it":
    "site.field.password_email",
  "must be an IANA time zone such as Europe/Berlin": "site.field.time_zone",
  [`must be one of ${LANGUAGES.join(", ")}`]: "site.field.language",
  "must be a phone number (digits, spaces, + - ( ) .), or left empty":
    "site.field.phone",
  "must be a date and time with an offset, e.g. 2026-12-01T10:00:00+01:00":
    "site.field.instant",
  "must be a real date as YYYY-MM-DD": "site.field.date",
  "must be text": "site.field.text",
};

/** "must be at most 200 characters", "must be at least 10 characters". */
const LENGTH_WORDS: readonly [RegExp, MessageKey][] = [
  [/^must be at most (\d+) characters$/, "site.field.at_most"],
  [/^must be at least (\d+) characters$/, "site.field.at_least"],
];

/** One validation message in `locale` (one the catalogue lacks stays as it is). */
export function fieldWords(message: string, locale: Locale): string {
  const key = FIELD_WORDS[message];
  if (key) return t(locale, key);
  for (const [pattern, lengthKey] of LENGTH_WORDS) {
    const count = pattern.exec(message)?.[1];
    if (count) return t(locale, lengthKey, { count: Number(count) });
  }
  return message;
}

/** `fieldWords` in the viewer's locale, for a form a route shows again. */
export const fieldWordsIn = (message: string, c: Context<AppEnv>) =>
  fieldWords(message, viewerLocale(c));

/** `fieldErrors` in the viewer's words, for a form shown again with its messages. */
export function fieldErrorsIn(
  error: {
    issues: readonly { path: readonly PropertyKey[]; message: string }[];
  },
  c: Context<AppEnv>,
): Record<string, string> {
  const locale = viewerLocale(c);
  return Object.fromEntries(
    Object.entries(fieldErrors(error)).map((
      [field, message],
    ) => [field, fieldWords(message, locale)]),
  );
}

/** `zValidator` whose failures become 422 `validation_failed` with `fields`. */
export const json = <T extends z.ZodType>(schema: T) =>
  zValidator("json", schema, (result) => {
    if (!result.success) throw invalidFields(fieldErrors(result.error));
  });

export const query = <T extends z.ZodType>(schema: T) =>
  zValidator("query", schema, (result) => {
    if (!result.success) throw invalidFields(fieldErrors(result.error));
  });

export const Name = z.string({ error: "is required" }).trim().min(
  1,
  "is required",
).max(
  200,
  "must be at most 200 characters",
);
export const Email = z.string({ error: "is required" }).trim().max(
  254,
  "is too long",
).pipe(
  z.email("must be an e-mail address"),
);
/** A new password: see `lib/passwords.ts` for the rules (signing in judges none of them). */
export const Password = z.string({ error: "is required" })
  .max(200, "must be at most 200 characters")
  .superRefine((password, ctx) => {
    const problem = passwordProblem(password);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Adds the e-mail rule to a form with a new password (`password`) and an `email`. */
export function refinePasswordAgainstEmail(
  value: { email: string; password: string },
  ctx: z.RefinementCtx,
) {
  const problem = passwordEmailProblem(value.password, value.email);
  if (problem) {
    ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  }
}
export const TimeZone = z.string({ error: "is required" }).refine(
  isValidTimeZone,
  "must be an IANA time zone such as Europe/Berlin",
);
export const Uuid = z.uuid();

/** One of Spotter's languages (`en`, `de`, `es`, `ru`); optional at sign-up. */
export const LanguageField = z.enum(LANGUAGES, {
  error: `must be one of ${LANGUAGES.join(", ")}`,
});
export const TrainerSignUp = z.object({
  name: Name,
  email: Email,
  password: Password,
  timezone: TimeZone,
  language: LanguageField.optional(),
}).superRefine(refinePasswordAgainstEmail);
export const ClientSignUp = z.object({
  referralCode: z.string({ error: "is required" }).min(1, "is required").max(
    40,
    "is too long",
  ),
  name: Name,
  email: Email,
  password: Password,
  language: LanguageField.optional(),
}).superRefine(refinePasswordAgainstEmail);
/** A walk-in client the trainer adds: a name, and an e-mail and a phone if they have them. */
export const WalkInForm = z.object({
  name: Name,
  email: z.string().trim().max(254, "is too long").pipe(
    z.literal("").or(z.email("must be an e-mail address, or left empty")),
  ).optional().default(""),
  phone: z.string().trim().max(40, "must be at most 40 characters").regex(
    /^$|^\+?[0-9][0-9 ()./-]{2,}$/,
    "must be a phone number (digits, spaces, + - ( ) .), or left empty",
  ).optional().default(""),
});
/** Claiming a walk-in account: a password, and an e-mail (required when none is on file). */
export const ClaimForm = z.object({
  email: z.string().trim().max(254, "is too long").pipe(
    z.literal("").or(z.email("must be an e-mail address")),
  ).optional().default(""),
  password: Password,
});
export const SignIn = z.object({
  email: z.string({ error: "is required" }).max(254, "is too long"),
  password: z.string({ error: "is required" }).max(200, "is too long"),
});

/** An ISO 8601 instant with an offset or `Z` (`2026-12-01T10:00:00+01:00`). */
export const InstantString = z.string({ error: "is required" }).max(
  64,
  "is too long",
).refine(
  (s) => {
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i
        .test(s)
    ) return false;
    try {
      return inSupportedYears(
        Temporal.Instant.from(s).toZonedDateTimeISO("UTC").year,
      );
    } catch {
      return false;
    }
  },
  "must be a date and time with an offset, e.g. 2026-12-01T10:00:00+01:00",
).transform((s) => Temporal.Instant.from(s));

/** A real calendar date `YYYY-MM-DD`. */
export const DateString = z.string({ error: "is required" }).refine(
  (s) => parseIsoDate(s) !== undefined,
  "must be a real date as YYYY-MM-DD",
).transform((s) => Temporal.PlainDate.from(s));

export const Notes = z.string({ error: "must be text" }).max(
  2000,
  "must be at most 2000 characters",
);
export const Reason = z.string({ error: "must be text" }).max(
  500,
  "must be at most 500 characters",
);

/** The JSON body, or 400 when it is not JSON; an empty body is `{}` when `optional`. */
export async function readJson(
  c: Context,
  options: { optional?: boolean } = {},
): Promise<unknown> {
  try {
    // Reading fails too when a body announced as a form (multipart without a boundary)
    // could not be parsed by an earlier reader, such as the CSRF check.
    const text = await c.req.text();
    if (options.optional && !text.trim()) return {};
    return JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      "malformed_request",
      "The request body is not valid JSON.",
    );
  }
}

/** The fingerprint of a request body: a key sent again with another body is refused. */
export const requestHashOf = (body: unknown) =>
  Array.from(
    sha256(JSON.stringify(body)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");

/** An id that cannot exist is simply "not found" (never a 500 from a bad cast). */
export const idParam = (c: Context, what = "Appointment") => {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) throw notFound(what);
  return id.toLowerCase();
};
