import { Csrf, Field } from "./Layout.tsx";
import { TimeZoneSelect } from "./AccountViews.tsx";
import { dayRange } from "./format.ts";
import { holidayRuns } from "../domain/settings.ts";
import { type Weekday, WEEKDAYS } from "../domain/types.ts";

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

export const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

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
          Nothing was saved: some fields need attention (see the messages
          below).
          {other.map(([key, message]) => <span>{` ${key} ${message}.`}</span>)}
        </p>
      )}
      <section class="card">
        <h2>Time and slots</h2>
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
          label="Slot length (minutes)"
          name="slotMinutes"
          value={state.slotMinutes}
          min={15}
          max={90}
          step={5}
          error={errors.slotMinutes}
          hint="15 to 90, in steps of 5. Clients book one slot at a time."
        />
      </section>
      <section class="card">
        <h2>Working hours</h2>
        <p class="hint">
          Times in your time zone, like 07:00, 7:30 or 7; 24:00 may end a day. A
          day can have several ranges (e.g. a lunch break between two). To
          remove a range, clear both of its times.
        </p>
        {WEEKDAYS.map((day) => (
          <DayRanges
            day={day}
            ranges={state.ranges[day]}
            errors={errors}
          />
        ))}
      </section>
      <section class="card">
        <h2>Holidays</h2>
        <p class="hint">No slots are offered on these dates.</p>
        {state.holidays.length === 0
          ? <p class="muted">No holidays yet.</p>
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
                      Remove {dayRange(
                        Temporal.PlainDate.from(first),
                        Temporal.PlainDate.from(last),
                      )}
                    </label>
                  </li>
                );
              })}
            </ul>
          )}
        <fieldset class="holiday-range">
          <legend>Add a holiday or a break</legend>
          <p class="hint">One day, or its first and last day for a break.</p>
          <div class="row">
            <Field
              type="date"
              name="newHoliday"
              label="From"
              value={state.newHoliday}
              error={errors.newHoliday}
            />
            <Field
              type="date"
              name="newHolidayTo"
              label="To (optional)"
              value={state.newHolidayTo}
              error={errors.newHolidayTo}
            />
          </div>
        </fieldset>
      </section>
      <section class="card">
        <h2>Reminders and bookings</h2>
        <label class="check">
          <input
            type="checkbox"
            name="remindersEnabled"
            value="on"
            checked={state.remindersEnabled}
          />
          Remind me before my sessions
        </label>
        <Field
          type="number"
          inputmode="numeric"
          required
          label="Reminder time (minutes before a session)"
          name="reminderMinutes"
          value={state.reminderMinutes}
          min={15}
          max={2880}
          step={1}
          error={errors.reminderMinutes}
          hint="15 to 2880 (two days). Clients are reminded too."
        />
        <label class="check">
          <input
            type="checkbox"
            name="requiresConfirmation"
            value="on"
            checked={state.requiresConfirmation}
          />
          Bookings by clients wait for my confirmation
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="requireCredit"
            value="on"
            checked={state.requireCredit}
            aria-describedby="f-requireCredit-hint"
          />
          Clients need a credit to book
        </label>
        <small class="hint" id="f-requireCredit-hint">
          A booking, a class seat or a waitlist place then needs a session left
          on one of their{" "}
          <a href="/packages">packages</a>. Off: a booking uses one when they
          have any.
        </small>
      </section>
      <PolicyFields state={state} errors={errors} />
      {/* Sticks to the foot of the screen while the form is on it (CSS only). */}
      <div class="save-bar">
        {failed && (
          <p class="save-status error" id="save-status">
            {problemCount(Object.keys(errors).length)}
          </p>
        )}
        <button
          type="submit"
          aria-describedby={failed ? "save-status" : undefined}
        >
          Save settings
        </button>
      </div>
    </form>
  );
}

const problemCount = (n: number) =>
  `Nothing was saved: ${n} ${
    n === 1 ? "field needs" : "fields need"
  } attention.`;

const rangeError = (errors: Errors, day: Weekday, i: number) =>
  [
    errors[`workingHours.${day}.${i}.start`] &&
    `Start ${errors[`workingHours.${day}.${i}.start`]}.`,
    errors[`workingHours.${day}.${i}.end`] &&
    `End ${errors[`workingHours.${day}.${i}.end`]}.`,
  ].filter(Boolean).join(" ");

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
  const rows = [
    ...ranges,
    ...Array.from({ length: SPARE_ROWS }, () => ({ start: "", end: "" })),
  ];
  const model = {
    rows: ranges.map((r, i) => ({ ...r, error: rangeError(errors, day, i) })),
  };
  const dayError = errors[`workingHours.${day}`];
  return (
    <fieldset
      class="weekday"
      x-data="dayRanges"
      data-day={day}
      data-day-name={DAY_NAMES[day]}
      data-rows={JSON.stringify(model.rows)}
    >
      <legend>{DAY_NAMES[day]}</legend>
      {dayError && <small class="error">{dayError}</small>}
      <div x-show="false">
        {ranges.length === 0 && <p class="muted">Day off.</p>}
        {rows.map((r, i) => {
          const startError = errors[`workingHours.${day}.${i}.start`];
          const endError = errors[`workingHours.${day}.${i}.end`];
          const message = rangeError(errors, day, i);
          return (
            <div
              class={startError || endError ? "range-row invalid" : "range-row"}
            >
              <TimeInput
                name={`${day}.${i}.start`}
                label={`${DAY_NAMES[day]} range ${i + 1} from`}
                value={r.start}
                invalid={Boolean(startError)}
              />
              <span aria-hidden="true">–</span>
              <TimeInput
                name={`${day}.${i}.end`}
                label={`${DAY_NAMES[day]} range ${i + 1} to`}
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
            placeholder="HH:MM"
            x-bind:name="nameOf(i, 'start')"
            x-bind:aria-label="labelOf(i, 'from')"
            x-model="row.start"
          />
          <span aria-hidden="true">–</span>
          <input
            type="text"
            pattern={HHMM_PATTERN}
            placeholder="HH:MM"
            x-bind:name="nameOf(i, 'end')"
            x-bind:aria-label="labelOf(i, 'to')"
            x-model="row.end"
          />
          <button
            type="button"
            class="secondary"
            x-on:click="remove(i)"
          >
            Remove
          </button>
          <small class="error" x-show="row.error" x-text="row.error"></small>
        </div>
      </template>
      <p class="muted" x-cloak x-show="empty">Day off.</p>
      <button
        type="button"
        class="secondary"
        x-cloak
        x-on:click="add"
      >
        Add range
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
  return (
    <input
      type="text"
      pattern={HHMM_PATTERN}
      placeholder="HH:MM"
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
  return (
    <section class="card" id="policies">
      <h2>Booking rules for clients</h2>
      <p class="hint">
        They apply when clients book, move or cancel themselves. You can always
        book, move and cancel anything. Leave 0 (or the horizon empty) for no
        rule.
      </p>
      <LengthField
        name="minNotice"
        label="Minimum notice"
        value={state.minNotice}
        error={errors.minNotice}
        hint="How long before a session clients can still book it. 2 hours means no bookings in the last two hours. At most 7 days."
      />
      <Field
        type="number"
        inputmode="numeric"
        label="Booking horizon (days ahead)"
        name="horizonDays"
        value={state.horizonDays}
        min={1}
        max={365}
        error={errors.horizonDays}
        hint="How far ahead clients can book: with 30, today plus 30 days is the last day. Empty: no limit."
      />
      {/* A buffer is a part of a slot (at most an hour), so it stays in minutes. */}
      <Field
        type="number"
        inputmode="numeric"
        label="Buffer between sessions (minutes)"
        name="bufferMinutes"
        value={state.bufferMinutes}
        min={0}
        max={60}
        error={errors.bufferMinutes}
        hint="Free time a client's session needs before and after it; times too close to another session show as booked."
      />
      <LengthField
        name="cancelNotice"
        label="Late cancellation window"
        value={state.cancelNotice}
        error={errors.cancelNotice}
        hint="Clients can cancel or move a session only until this long before it; after that they are asked to contact you. At most 7 days."
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
        <select name={`${name}Unit`} aria-label={`${label}: unit`}>
          {(["hours", "days"] as const).map((unit) => (
            <option value={unit} selected={value.unit === unit}>{unit}</option>
          ))}
        </select>
      </div>
      <small class="hint" id={`${id}-hint`}>{hint}</small>
      {error && <small class="error" id={`${id}-error`}>{error}</small>}
    </div>
  );
}
