import { Csrf, Field } from "./Layout.tsx";
import { PASSWORD_HINT, PASSWORD_MIN_LENGTH } from "../lib/passwords.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

export function Home() {
  return (
    <section class="hero">
      <h1>Book your training in one tap</h1>
      <p>
        Spotter keeps a personal trainer's calendar: clients see free times and
        book from their phone, reminders arrive by Telegram or e-mail, and
        nobody is ever double-booked.
      </p>
      <p class="actions">
        <a class="button" href="/signin">Sign in</a>
        <a class="button secondary" href="/signup">I am a trainer</a>
        <a class="button secondary" href="/join">I have a code</a>
      </p>
    </section>
  );
}

/** Offered first, so that without JavaScript most trainers need not scroll 400 zones. */
export const COMMON_ZONES: readonly string[] = [
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Madrid",
  "Europe/Rome",
  "Europe/Amsterdam",
  "Europe/Zurich",
  "Europe/Vienna",
  "Europe/Warsaw",
  "Europe/Stockholm",
  "Europe/Athens",
  "Europe/Istanbul",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Toronto",
  "America/Mexico_City",
  "America/Sao_Paulo",
  "Africa/Johannesburg",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Pacific/Auckland",
  "UTC",
];

const zoneOption = (z: string, value: string) => (
  <option value={z} selected={z === value}>{z.replaceAll("_", " ")}</option>
);

/**
 * The time zone picker: with JavaScript and nothing chosen yet, the browser's own zone;
 * without, "Choose…" above the common zones, then every other one.
 */
export function TimeZoneSelect(
  { name, value, zones, error }: {
    name: string;
    value: string;
    zones: readonly string[];
    error?: string;
  },
) {
  const known = new Set(zones);
  const common = COMMON_ZONES.filter((z) => known.has(z));
  const commonSet = new Set(common);
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={`f-${name}`}>Time zone</label>
      <select
        id={`f-${name}`}
        name={name}
        x-data={value ? undefined : "zoneFromBrowser"}
        aria-invalid={error ? "true" : undefined}
      >
        {!value && <option value="">Choose your time zone…</option>}
        <optgroup label="Common">
          {common.map((z) => zoneOption(z, value))}
        </optgroup>
        <optgroup label="All time zones">
          {zones.filter((z) => !commonSet.has(z)).map((z) =>
            zoneOption(z, value)
          )}
        </optgroup>
      </select>
      {error && <small class="error">{error}</small>}
    </div>
  );
}

export function TrainerSignUpForm(
  { csrf, values = {}, errors = {}, zones }: {
    csrf: string;
    values?: Values;
    errors?: Errors;
    zones: readonly string[];
  },
) {
  return (
    <section class="card narrow">
      <h1>Create your trainer account</h1>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action="/signup" novalidate>
        <Csrf token={csrf} />
        <Field
          label="Your name"
          name="name"
          value={values.name}
          error={errors.name}
          required
          autocomplete="name"
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          required
          autocomplete="email"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={values.password}
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={PASSWORD_HINT}
        />
        <TimeZoneSelect
          name="timezone"
          value={values.timezone ?? ""}
          zones={zones}
          error={errors.timezone}
        />
        <button type="submit">Create account</button>
      </form>
      <p>
        Already have an account? <a href="/signin">Sign in</a>
      </p>
    </section>
  );
}

export function JoinForm(
  { csrf, code, trainerName, values = {}, errors = {} }: {
    csrf: string;
    code: string;
    trainerName?: string;
    values?: Values;
    errors?: Errors;
  },
) {
  return (
    <section class="card narrow">
      <h1>
        {trainerName ? `Join ${trainerName} on Spotter` : "Join your trainer"}
      </h1>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action="/join" novalidate>
        <Csrf token={csrf} />
        <Field
          label="Referral code"
          name="referralCode"
          value={values.referralCode ?? code}
          error={errors.referralCode}
          required
          hint="Your trainer gave you this code, e.g. K7QM-4XTP-9RWD."
        />
        <Field
          label="Your name"
          name="name"
          value={values.name}
          error={errors.name}
          required
          autocomplete="name"
        />
        <Field
          label="E-mail"
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          required
          autocomplete="email"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          value={values.password}
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={PASSWORD_HINT}
        />
        <button type="submit">Join</button>
      </form>
      <p>
        Already have an account? <a href="/signin">Sign in</a>
      </p>
    </section>
  );
}

export function SignInForm(
  { csrf, email, error, next }: {
    csrf: string;
    email?: string;
    error?: string;
    next?: string;
  },
) {
  return (
    <section class="card narrow">
      <h1>Sign in</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      <form method="post" action="/signin">
        <Csrf token={csrf} />
        {next && <input type="hidden" name="next" value={next} />}
        <Field
          label="E-mail"
          name="email"
          type="email"
          value={email}
          required
          autocomplete="username"
        />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autocomplete="current-password"
        />
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a class="target" href="/password-reset">Forgot password?</a>
      </p>
      <p>
        New here? <a href="/signup">Trainers sign up</a> ·{" "}
        <a href="/join">Clients join with a code</a>
      </p>
    </section>
  );
}

export function ProfileForm(
  { csrf, values, errors = {} }: {
    csrf: string;
    values: Values;
    errors?: Errors;
  },
) {
  return (
    <form method="post" action="/profile" class="card" novalidate>
      <h2>Your details</h2>
      <Csrf token={csrf} />
      <Field
        label="Name"
        name="name"
        value={values.name}
        error={errors.name}
        required
        autocomplete="name"
      />
      <Field
        label="E-mail"
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        value={values.newPassword}
        error={errors.newPassword}
        autocomplete="new-password"
        hint={`Leave empty to keep your password. ${PASSWORD_HINT}`}
      />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        value={values.currentPassword}
        error={errors.currentPassword}
        autocomplete="current-password"
        hint="Needed to change your e-mail or password."
      />
      <button type="submit">Save</button>
    </form>
  );
}

/** The code, the join link to copy and its QR code to show or print in the gym. */
export function ReferralCard(
  { csrf, code, joinUrl }: { csrf: string; code: string; joinUrl: string },
) {
  return (
    <section class="card referral">
      <h2>Invite clients</h2>
      <p>
        Your referral code: <strong class="code">{code}</strong>
      </p>
      <div
        class="field"
        x-data="copyLink"
        data-copied="The join link is copied."
      >
        <label for="join-link">Join link</label>
        <div class="copy-row">
          <input
            id="join-link"
            type="url"
            readonly
            value={joinUrl}
            x-ref="link"
          />
          <button
            type="button"
            class="secondary"
            x-cloak
            x-on:click="copy"
            x-text="label"
          >
            Copy link
          </button>
        </div>
        <small class="hint" role="status" x-text="done"></small>
      </div>
      <figure class="qr">
        <img
          src={`/profile/join-qr.svg?code=${code}`}
          width="200"
          height="200"
          alt={`QR code for ${joinUrl}`}
        />
        <figcaption class="hint">
          Clients scan this to join.{" "}
          <a
            class="target"
            href={`/profile/join-qr.svg?code=${code}`}
            download="spotter-join.svg"
          >
            Download it to print
          </a>
        </figcaption>
      </figure>
      <div class="dialog-action" x-data="dialogAction">
        <a
          class="button secondary"
          href="/profile/referral-code"
          data-hx-boost="false"
          x-on:click="open"
        >
          Make a new code
        </a>
        <dialog x-ref="dialog" aria-label="Make a new code">
          <NewCodeForm csrf={csrf} code={code} />
          <p>
            <button
              type="button"
              class="secondary"
              autofocus
              x-on:click="close"
            >
              Keep my code
            </button>
          </p>
        </dialog>
      </div>
    </section>
  );
}

/** Asks before a new code retires the old one (a dialog with JavaScript, a page without). */
export function NewCodeForm({ csrf, code }: { csrf: string; code: string }) {
  return (
    <form method="post" action="/profile/referral-code">
      <h2>Make a new code?</h2>
      <p>
        Your code <strong class="code">{code}</strong>{" "}
        and its join link stop working at once: anyone holding the old link or a
        printed QR code can no longer join. Clients who already joined stay with
        you.
      </p>
      <Csrf token={csrf} />
      <button type="submit" class="danger">Make a new code</button>
    </form>
  );
}

/** The reminders switch: a trainer's on the profile, a client's own on their notifications page. */
export function RemindersCard(
  { csrf, enabled, action = "/profile/reminders" }: {
    csrf: string;
    enabled: boolean;
    action?: string;
  },
) {
  return (
    <form method="post" action={action} class="card">
      <h2>Reminders</h2>
      <Csrf token={csrf} />
      <label class="check">
        <input
          type="checkbox"
          name="remindersEnabled"
          value="on"
          checked={enabled}
        />
        Remind me before my sessions
      </label>
      <button type="submit" class="secondary">Save</button>
    </form>
  );
}
