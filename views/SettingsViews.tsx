import type { Child } from "hono/jsx";
import { Csrf, Field } from "./Layout.tsx";
import { TimeZoneSelect } from "./AccountViews.tsx";
import { dayRange, weekdayName } from "./format.ts";
import { holidayRuns } from "../domain/settings.ts";
import { type Weekday, WEEKDAYS } from "../domain/types.ts";
import { type Say, useSay, useSayRich } from "./locale.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type RangeText = Readonly<{ start: string; end: string }>;

/** The settings form as typed: strings, so a 422 can show exactly what was sent. */
export type SettingsFormState = Readonly<{
  timezone: string;
  slotMinutes: string;
  ranges: Readonly<Record<Weekday, readonly RangeText[]>>;
  holidays: readonly string[];
  removeHolidays: readonly string[];
  newHoliday: string;
  /** The last day of a break starting on `newHoliday` (empty: one day). */
  newHolidayTo: string;
  remindersEnabled: boolean;
  reminderMinutes: string;
  requiresConfirmation: boolean;
  /** Clients need a credit from a package to book. */
  requireCredit: boolean;
  /** Booking policies as typed; an empty horizon means no limit. */
  minNotice: LengthText;
  horizonDays: string;
  bufferMinutes: string;
  cancelNotice: LengthText;
}>;

/** A length typed in hours or days (the API keeps minutes). */
export type LengthText = Readonly<{ amount: string; unit: string }>;

/** A weekday's name in the page's language: "Monday". */
export const dayName = (day: Weekday) => weekdayName(WEEKDAYS.indexOf(day) + 1);

/**
 * The settings page's heading over its parts. A component, so that the parts render
 * inside the page's locale: JSX written in a route with plain tags around it is rendered
 * (precompiled) where it is written, before `page()` provides the locale.
 */
export function SettingsPage({ children }: { children?: Child }) {
  const say = useSay();
  return (
    <>
      <h1>{say("business.settings.title")}</h1>
      {children}
    </>
  );
}

/** Empty rows offered per weekday without JavaScript. */
const SPARE_ROWS = 2;
/** What people type for a time: 07:00, 7:00, 7.30, 0700 or 7 (the server writes HH:MM). */
const HHMM_PATTERN = "\\d{1,2}([:.h]?\\d{2})?";

export function SettingsForm(
  { csrf, state, errors = {}, zones }: {
    csrf: string;
    state: SettingsFormState;
    errors?: Errors;
    zones: readonly string[];
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const failed = Object.keys(errors).length > 0;
  const known = new Set([
    "timezone",
    "slotMinutes",
    "reminderMinutes",
    "newHoliday",
    "newHolidayTo",
    "minNotice",
    "horizonDays",
    "bufferMinutes",
    "cancelNotice",
  ]);
  const other = Object.entries(errors).filter(([key]) =>
    !known.has(key) && !key.startsWith("workingHours.")
  );
  return (
    <form method="post" action="/settings" class="settings" novalidate>
      <Csrf token={csrf} />
      {failed && (
        <p class="flash flash-error" role="alert">
          {say("business.settings.not_saved")}
          {other.map(([key, message]) => (
            <span>
              {` ${
                say("business.settings.other_error", {
                  field: key,
                  message: message ?? "",
                })
              }`}
            </span>
          ))}
        </p>
      )}
      <section class="card">
        <h2>{say("business.settings.time_heading")}</h2>
        <TimeZoneSelect
          name="timezone"
          value={state.timezone}
          zones={zones}
          error={errors.timezone}
        />
        <Field
          type="number"
          inputmode="numeric"
          required
          label={say("business.settings.slot_label")}
          name="slotMinutes"
          value={state.slotMinutes}
          min={15}
          max={90}
          step={5}
          error={errors.slotMinutes}
          hint={say("business.settings.slot_hint")}
        />
      </section>
      <section class="card">
        <h2>{say("business.settings.hours_heading")}</h2>
        <p class="hint">{say("business.settings.hours_hint")}</p>
        {WEEKDAYS.map((day) => (
          <DayRanges
            day={day}
            ranges={state.ranges[day]}
            errors={errors}
          />
        ))}
      </section>
      <section class="card">
        <h2>{say("business.settings.holidays_heading")}</h2>
        <p class="hint">{say("business.settings.holidays_hint")}</p>
        {state.holidays.length === 0
          ? <p class="muted">{say("business.settings.no_holidays")}</p>
          : (
            <ul class="holiday-list">
              {holidayRuns(state.holidays).map(({ first, last }) => {
                // One box per run: removing a break removes all of its days.
                const value = first === last ? first : `${first}/${last}`;
                return (
                  <li>
                    <label class="check">
                      <input
                        type="checkbox"
                        name="removeHoliday"
                        value={value}
                        checked={state.removeHolidays.includes(value)}
                      />
                      {say("business.settings.remove_holiday", {
                        range: dayRange(
                          Temporal.PlainDate.from(first),
                          Temporal.PlainDate.from(last),
                        ),
                      })}
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        <fieldset class="holiday-range">
          <legend>{say("business.settings.add_holiday")}</legend>
          <p class="hint">{say("business.settings.add_holiday_hint")}</p>
          <div class="row">
            <Field
              type="date"
              name="newHoliday"
              label={say("business.settings.from")}
              value={state.newHoliday}
              error={errors.newHoliday}
            />
            <Field
              type="date"
              name="newHolidayTo"
              label={say("business.settings.to_optional")}
              value={state.newHolidayTo}
              error={errors.newHolidayTo}
            />
          </div>
        </fieldset>
      </section>
      <section class="card">
        <h2>{say("business.settings.reminders_heading")}</h2>
        <label class="check">
          <input
            type="checkbox"
            name="remindersEnabled"
            value="on"
            checked={state.remindersEnabled}
          />
          {say("business.settings.remind_me")}
        </label>
        <Field
          type="number"
          inputmode="numeric"
          required
          label={say("business.settings.reminder_label")}
          name="reminderMinutes"
          value={state.reminderMinutes}
          min={15}
          max={2880}
          step={1}
          error={errors.reminderMinutes}
          hint={say("business.settings.reminder_hint")}
        />
        <label class="check">
          <input
            type="checkbox"
            name="requiresConfirmation"
            value="on"
            checked={state.requiresConfirmation}
          />
          {say("business.settings.requires_confirmation")}
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="requireCredit"
            value="on"
            checked={state.requireCredit}
            aria-describedby="f-requireCredit-hint"
          />
          {say("business.settings.require_credit")}
        </label>
        <small class="hint" id="f-requireCredit-hint">
          {sayRich("business.settings.require_credit_hint", {}, {
            a: (words) => <a href="/packages">{words}</a>,
          })}
        </small>
      </section>
      <PolicyFields state={state} errors={errors} />
      {/* Sticks to the foot of the screen while the form is on it (CSS only). */}
      <div class="save-bar">
        {failed && (
          <p class="save-status error" id="save-status">
            {say("business.settings.problem_count", {
              count: Object.keys(errors).length,
            })}
          </p>
        )}
        <button
          type="submit"
          aria-describedby={failed ? "save-status" : undefined}
        >
          {say("business.settings.save")}
        </button>
      </div>
    </form>
  );
}

const rangeError = (say: Say, errors: Errors, day: Weekday, i: number) => {
  const start = errors[`workingHours.${day}.${i}.start`];
  const end = errors[`workingHours.${day}.${i}.end`];
  return [
    start && say("business.settings.range_start_error", { problem: start }),
    end && say("business.settings.range_end_error", { problem: end }),
  ].filter(Boolean).join(" ");
};

/**
 * One weekday's ranges. Without JavaScript: the ranges plus spare empty rows.
 * With Alpine: the same rows from `x-data`, with Add/Remove buttons; the static
 * rows are then hidden and disabled so they are not posted twice.
 */
function DayRanges(
  { day, ranges, errors }: {
    day: Weekday;
    ranges: readonly RangeText[];
    errors: Errors;
  },
) {
  const say = useSay();
  const name = dayName(day);
  const rows = [
    ...ranges,
    ...Array.from({ length: SPARE_ROWS }, () => ({ start: "", end: "" })),
  ];
  const model = {
    rows: ranges.map((r, i) => ({
      ...r,
      error: rangeError(say, errors, day, i),
    })),
  };
  const dayError = errors[`workingHours.${day}`];
  return (
    <fieldset
      class="weekday"
      x-data="dayRanges"
      data-day={day}
      data-day-name={name}
      // static/app.js words its rows' labels: these are them, "%n" the row's number.
      data-label-from={say("business.settings.range_from", {
        day: name,
        n: "%n",
      })}
      data-label-to={say("business.settings.range_to", { day: name, n: "%n" })}
      data-rows={JSON.stringify(model.rows)}
    >
      <legend>{name}</legend>
      {dayError && <small class="error">{dayError}</small>}
      <div x-show="false">
        {ranges.length === 0 && (
          <p class="muted">{say("business.settings.day_off")}</p>
        )}
        {rows.map((r, i) => {
          const startError = errors[`workingHours.${day}.${i}.start`];
          const endError = errors[`workingHours.${day}.${i}.end`];
          const message = rangeError(say, errors, day, i);
          return (
            <div
              class={startError || endError ? "range-row invalid" : "range-row"}
            >
              <TimeInput
                name={`${day}.${i}.start`}
                label={say("business.settings.range_from", {
                  day: name,
                  n: i + 1,
                })}
                value={r.start}
                invalid={Boolean(startError)}
              />
              <span aria-hidden="true">–</span>
              <TimeInput
                name={`${day}.${i}.end`}
                label={say("business.settings.range_to", {
                  day: name,
                  n: i + 1,
                })}
                value={r.end}
                invalid={Boolean(endError)}
              />
              {message && <small class="error">{message}</small>}
            </div>
          );
        })}
      </div>
      <template x-for="(row, i) in rows">
        <div class="range-row" x-bind:class="rowClass(row)">
          <input
            type="text"
            pattern={HHMM_PATTERN}
            placeholder={say("business.settings.time_placeholder")}
            x-bind:name="nameOf(i, 'start')"
            x-bind:aria-label="labelOf(i, 'from')"
            x-model="row.start"
          />
          <span aria-hidden="true">–</span>
          <input
            type="text"
            pattern={HHMM_PATTERN}
            placeholder={say("business.settings.time_placeholder")}
            x-bind:name="nameOf(i, 'end')"
            x-bind:aria-label="labelOf(i, 'to')"
            x-model="row.end"
          />
          <button
            type="button"
            class="secondary"
            x-on:click="remove(i)"
          >
            {say("business.settings.remove_range")}
          </button>
          <small class="error" x-show="row.error" x-text="row.error"></small>
        </div>
      </template>
      <p class="muted" x-cloak x-show="empty">
        {say("business.settings.day_off")}
      </p>
      <button
        type="button"
        class="secondary"
        x-cloak
        x-on:click="add"
      >
        {say("business.settings.add_range")}
      </button>
    </fieldset>
  );
}

function TimeInput(
  { name, label, value, invalid }: {
    name: string;
    label: string;
    value: string;
    invalid: boolean;
  },
) {
  const say = useSay();
  return (
    <input
      type="text"
      pattern={HHMM_PATTERN}
      placeholder={say("business.settings.time_placeholder")}
      name={name}
      value={value}
      aria-label={label}
      aria-invalid={invalid ? "true" : undefined}
      x-bind:disabled="true"
    />
  );
}

/** Booking rules for clients (trainers are never bound): four optional values. */
function PolicyFields(
  { state, errors }: {
    state: SettingsFormState;
    errors: Readonly<Record<string, string | undefined>>;
  },
) {
  const say = useSay();
  return (
    <section class="card" id="policies">
      <h2>{say("business.settings.rules_heading")}</h2>
      <p class="hint">{say("business.settings.rules_hint")}</p>
      <LengthField
        name="minNotice"
        label={say("business.settings.min_notice")}
        value={state.minNotice}
        error={errors.minNotice}
        hint={say("business.settings.min_notice_hint")}
      />
      <Field
        type="number"
        inputmode="numeric"
        label={say("business.settings.horizon")}
        name="horizonDays"
        value={state.horizonDays}
        min={1}
        max={365}
        error={errors.horizonDays}
        hint={say("business.settings.horizon_hint")}
      />
      {/* A buffer is a part of a slot (at most an hour), so it stays in minutes. */}
      <Field
        type="number"
        inputmode="numeric"
        label={say("business.settings.buffer")}
        name="bufferMinutes"
        value={state.bufferMinutes}
        min={0}
        max={60}
        error={errors.bufferMinutes}
        hint={say("business.settings.buffer_hint")}
      />
      <LengthField
        name="cancelNotice"
        label={say("business.settings.cancel_notice")}
        value={state.cancelNotice}
        error={errors.cancelNotice}
        hint={say("business.settings.cancel_notice_hint")}
      />
    </section>
  );
}

/** A number with its unit (hours or days): `minNotice` and `minNoticeUnit`. */
function LengthField(
  { name, label, value, error, hint }: {
    name: string;
    label: string;
    value: LengthText;
    error?: string;
    hint: string;
  },
) {
  const say = useSay();
  const id = `f-${name}`;
  const described = [`${id}-hint`, error && `${id}-error`].filter(Boolean)
    .join(" ");
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{label}</label>
      <div class="length-input">
        <input
          id={id}
          name={name}
          type="text"
          inputmode="decimal"
          value={value.amount}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={described}
        />
        <select
          name={`${name}Unit`}
          aria-label={say("business.settings.unit_label", { label })}
        >
          {(["hours", "days"] as const).map((unit) => (
            <option value={unit} selected={value.unit === unit}>
              {say(`business.settings.unit.${unit}`)}
            </option>
          ))}
        </select>
      </div>
      <small class="hint" id={`${id}-hint`}>{hint}</small>
      {error && <small class="error" id={`${id}-error`}>{error}</small>}
    </div>
  );
}
