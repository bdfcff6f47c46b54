/**
 * The one translation of lifecycle outcomes: each refusal → HTTP status, the contract's
 * error code, the words people read, and the form field it belongs to. The JSON API and
 * every page use this table; nothing else words a domain failure.
 */
import { ApiError } from "./errors.ts";
import {
  ACCOUNT_REFUSALS,
  accountMessage,
  type AccountRefusal,
} from "./account_refusals.ts";
import type { Appointment } from "../db/appointments.ts";
import type { Outcome } from "../db/lifecycle.ts";
import type { StoredAnswer } from "../db/idempotency.ts";
import { type Failure, isSessionLength } from "../domain/appointments.ts";
import type { ClassFailure } from "../domain/classes.ts";
import type { CalendarFailure } from "../db/busy_calendars.ts";
import { toOffsetString } from "../domain/time.ts";
import { CATALOGUES, type Locale, type MessageKey, t } from "../lib/i18n.ts";

type Entry = Readonly<{
  status: 404 | 409 | 422;
  /** The contract's error code, where it is not the reason's own name. */
  code?: "in_past" | "validation_failed";
  message: string;
  /** Words for the trainer where the client's would mislead ("someone else"). */
  trainerMessage?: string;
  /** The form field the refusal belongs to, and what is said beside it. */
  field?: Readonly<{ name: string; text: string }>;
}>;

/** A refusal from a repeated key: the API's header or a form sent twice. */
export type Refusal =
  | Failure
  | ClassFailure
  | CalendarFailure
  | "idempotency_key_reused"
  | "series_conflict"
  | "unknown_package";

export const OUTCOMES: Readonly<Record<Refusal, Entry>> = {
  in_past: {
    status: 422,
    message: "That time has already passed. Pick another one.",
    field: { name: "time", text: "is in the past" },
  },
  not_a_slot: {
    status: 422,
    message: "That time is not one of the trainer's slots. Pick another one.",
    field: { name: "time", text: "is not one of the slots" },
  },
  slot_taken: {
    status: 409,
    message: "Someone else just booked that time. Pick another one.",
    trainerMessage: "This time overlaps another session. Pick another time.",
    field: { name: "time", text: "overlaps another session" },
  },
  not_found: { status: 404, message: "Appointment was not found." },
  unknown_client: {
    status: 422,
    message: "This client is not one of yours.",
    field: { name: "clientId", text: "is not one of your clients" },
  },
  already_cancelled: {
    status: 409,
    message: "This session is already cancelled.",
  },
  client_was_told: {
    status: 409,
    message:
      "The client knows about this session, so it cannot just vanish. Cancel it instead: they are told.",
  },
  already_completed: {
    status: 409,
    message: "This session is already completed.",
  },
  not_started: {
    status: 422,
    message: "A session can be completed only once it has started.",
  },
  not_scheduled: {
    status: 409,
    message:
      "Only a confirmed session can be marked completed. Confirm or decline the request instead.",
  },
  not_pending: {
    status: 409,
    message: "This session is not waiting for confirmation.",
  },
  request_expired: {
    status: 409,
    code: "in_past",
    message:
      "This request has expired: its time has passed, so it can no longer be confirmed.",
  },
  invalid_duration: {
    status: 422,
    code: "validation_failed",
    message: "Some fields are not valid.",
    field: {
      name: "duration",
      text:
        "must be a whole number of minutes from 15 to 240 that divides by 5",
    },
  },
  too_late_to_cancel: {
    status: 409,
    message:
      "This session starts too soon to be cancelled here. Contact your trainer to cancel it.",
  },
  too_late_to_move: {
    status: 409,
    message:
      "This session starts too soon to be moved. Contact your trainer to move it.",
  },
  too_soon: {
    status: 422,
    message: "That time is too soon to book. Pick a later one.",
    field: { name: "time", text: "is too soon" },
  },
  too_far: {
    status: 422,
    message: "That time is too far ahead to book yet. Pick an earlier one.",
    field: { name: "time", text: "is too far ahead" },
  },
  length_mismatch: {
    status: 422,
    message:
      "Only a session one slot long can be moved here. Ask your trainer to move it.",
  },
  series_conflict: {
    status: 409,
    message:
      "Some dates of this series conflict with other sessions or holidays.",
  },
  class_cancelled: {
    status: 409,
    message: "This class is cancelled.",
  },
  class_started: {
    status: 409,
    message: "This class has started, so it can no longer be changed.",
  },
  capacity_below_booked: {
    status: 422,
    message:
      "The capacity cannot be below the seats already booked. Remove a place first, or pick a larger number.",
    field: { name: "capacity", text: "is below the seats already booked" },
  },
  already_joined: {
    status: 409,
    message: "You already have a place in this class.",
    trainerMessage: "This client already has a place in this class.",
  },
  too_many_calendars: {
    status: 422,
    message: "You can add at most 5 calendars. Remove one first.",
    field: { name: "url", text: "would be a sixth calendar" },
  },
  url_not_allowed: {
    status: 422,
    message:
      "This address points into a private network, which Spotter does not fetch.",
    field: { name: "url", text: "points into a private network" },
  },
  idempotency_key_reused: {
    status: 422,
    message: "This form was already sent. Pick a time again.",
  },
  no_credit: {
    status: 422,
    message:
      "You have no sessions left on a package. Ask your trainer for a new package to book.",
    trainerMessage: "This client has no sessions left on a package.",
  },
  unknown_package: {
    status: 422,
    message: "That package is retired or does not exist. Pick another one.",
    field: { name: "packageId", text: "is retired or unknown" },
  },
  session_changed: {
    status: 409,
    message: "This session has changed since this message was sent.",
  },
};

/**
 * Why a trainer's session length cannot be used, in the words of `invalid_duration`
 * (for forms that show every field's problem at once, and for classes and series).
 */
export const durationProblem = (minutes: number, locale: Locale = "en") =>
  isSessionLength(minutes) ? undefined : fieldText("invalid_duration", locale);

/**
 * The words for `reason` as `audience` reads them, in `locale`: the catalogue's
 * `refusal.<reason>` (and `.trainer`), whose English is this table's words (a test keeps
 * the two the same).
 */
export const messageOf = (
  reason: Refusal,
  audience: "trainer" | "client",
  locale: Locale = "en",
): string => {
  if (locale === "en") {
    return (audience === "trainer" && OUTCOMES[reason].trainerMessage) ||
      OUTCOMES[reason].message;
  }
  const own = `refusal.${reason}.trainer` as MessageKey;
  return t(
    locale,
    audience === "trainer" && own in CATALOGUES.en
      ? own
      : `refusal.${reason}` as MessageKey,
  );
};

/** A refusal as the contract's JSON error (thrown, answered by `onError`). */
export function apiFailure(reason: Refusal): ApiError {
  const entry = OUTCOMES[reason];
  const message = reason === "idempotency_key_reused"
    ? "This Idempotency-Key was already used for a different request."
    : entry.message;
  // Only a validation error names its fields (the contract's error shape).
  const fields = entry.code === "validation_failed" && entry.field
    ? { [entry.field.name]: entry.field.text }
    : undefined;
  return new ApiError(
    entry.status,
    entry.code ?? reason,
    message,
    fields,
    undefined,
    reason,
  );
}

/**
 * An error's `message` in `locale` (the code, fields and status stay as they are): a
 * refusal's catalogue words as `audience` reads them, else the catalogue's `error.<reason>`
 * or `error.<code>`, else the English it was made with.
 */
export function localizedMessage(
  error: ApiError,
  locale: Locale,
  audience: "trainer" | "client",
): string {
  if (locale === "en") return error.message;
  const reason = error.reason as Refusal | undefined;
  if (reason && reason in OUTCOMES && reason !== "idempotency_key_reused") {
    return messageOf(reason, audience, locale);
  }
  if (reason && reason in ACCOUNT_REFUSALS) {
    return accountMessage(reason as AccountRefusal, locale);
  }
  const own = `error.${reason}`;
  if (reason && own in CATALOGUES.en) return t(locale, own as MessageKey);
  const key = `error.${error.code}`;
  return key in CATALOGUES.en ? t(locale, key as MessageKey) : error.message;
}

/** A refusal as a form shows it: the field's message and the form's message. */
export function formFailure(
  reason: Refusal,
  audience: "trainer" | "client",
  locale: Locale = "en",
) {
  const entry = OUTCOMES[reason];
  return {
    status: entry.status === 409 ? 409 as const : 422 as const,
    errors: entry.field
      ? { [entry.field.name]: fieldText(reason, locale) }
      : {} as Record<string, string>,
    message: messageOf(reason, audience, locale),
  };
}

/**
 * A refusal's words beside its field ("is in the past") in `locale`: the catalogue's
 * `refusal.<reason>.field`, whose English is this table's (a test keeps them the same).
 */
export function fieldText(reason: Refusal, locale: Locale = "en"): string {
  const english = OUTCOMES[reason].field?.text ?? "";
  const key = `refusal.${reason}.field`;
  return locale === "en" || !(key in CATALOGUES.en)
    ? english
    : t(locale, key as MessageKey);
}

/**
 * A stored booking answer as `locale` reads it: an error's message in the caller's
 * language (`localizedMessage`, by the code the answer carries), the rest as stored.
 */
export function localizedAnswer(
  answer: StoredAnswer,
  locale: Locale,
  audience: "trainer" | "client",
): StoredAnswer {
  const body = answer.body as {
    error?: { code: string; message: string; fields?: Record<string, string> };
  };
  if (locale === "en" || !body.error) return answer;
  const { code, message, fields } = body.error;
  const error = new ApiError(
    422,
    code,
    message,
    fields,
    undefined,
    code in OUTCOMES ? code : undefined,
  );
  return {
    ...answer,
    body: error.saying(localizedMessage(error, locale, audience)).toJSON(),
  };
}

/** The contract's appointment object (plus a few extra fields). */
export function appointmentJson(a: Appointment) {
  return {
    id: a.id,
    trainerId: a.trainerId,
    clientId: a.clientId,
    start: toOffsetString(a.start, a.timezone),
    end: toOffsetString(a.end, a.timezone),
    duration: Math.round(a.start.until(a.end).total("minutes")),
    status: a.status,
    notes: a.notes,
    cancellationReason: a.cancellationReason,
    seriesId: a.seriesId,
    creditGrantId: a.creditGrantId ?? null,
    cancelledBy: a.cancelledBy,
    clientName: a.clientName,
    trainerName: a.trainerName,
    timezone: a.timezone,
  };
}

/** A booking's outcome as the status and body it answers (and an idempotent replay repeats). */
export function bookingAnswer(outcome: Outcome): StoredAnswer {
  return outcome.ok
    ? { status: 201, body: appointmentJson(outcome.appointment) }
    : {
      status: OUTCOMES[outcome.reason].status,
      body: apiFailure(outcome.reason).toJSON(),
    };
}

/** What a stored answer (or a fresh outcome) means for a page: the booking, or why not. */
export function answerOutcome(
  answer: StoredAnswer | Readonly<{ reused: true }>,
):
  | Readonly<{ ok: true; id: string }>
  | Readonly<{ ok: false; reason: Refusal }> {
  if ("reused" in answer) {
    return { ok: false, reason: "idempotency_key_reused" };
  }
  const body = answer.body as { id?: string; error?: { code?: Refusal } };
  if (answer.status === 201 && body.id) return { ok: true, id: body.id };
  const code = body.error?.code;
  return { ok: false, reason: code && code in OUTCOMES ? code : "slot_taken" };
}
