import { zValidator } from "@hono/zod-validator";
import { z } from "zod";
import { invalidFields } from "./errors.ts";
import { isValidTimeZone } from "../domain/time.ts";

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
export const Password = z.string({ error: "is required" }).min(
  8,
  "must be at least 8 characters",
)
  .max(200, "must be at most 200 characters");
export const TimeZone = z.string({ error: "is required" }).refine(
  isValidTimeZone,
  "must be an IANA time zone such as Europe/Berlin",
);
export const Uuid = z.uuid();

export const TrainerSignUp = z.object({
  name: Name,
  email: Email,
  password: Password,
  timezone: TimeZone,
});
export const ClientSignUp = z.object({
  referralCode: z.string({ error: "is required" }).min(1, "is required").max(
    40,
    "is too long",
  ),
  name: Name,
  email: Email,
  password: Password,
});
export const SignIn = z.object({
  email: z.string({ error: "is required" }).max(254, "is too long"),
  password: z.string({ error: "is required" }).max(200, "is too long"),
});
