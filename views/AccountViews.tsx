import { Csrf, Field } from "./Layout.tsx";
import { PASSWORD_MIN_LENGTH } from "../lib/passwords.ts";
import { useSay, useSayRich } from "./locale.ts";

type Errors = Readonly<Record<string, string | undefined>>;
type Values = Readonly<Record<string, string | undefined>>;

export function Home() {
  const say = useSay();
  return (
    <section class="hero">
      <h1>{say("site.home.heading")}</h1>
      <p>{say("site.home.lead")}</p>
      <p class="actions">
        <a class="button" href="/signin">{say("site.home.sign_in")}</a>
        <a class="button secondary" href="/signup">
          {say("site.home.trainer")}
        </a>
        <a class="button secondary" href="/join">{say("site.home.code")}</a>
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
  const say = useSay();
  const known = new Set(zones);
  const common = COMMON_ZONES.filter((z) => known.has(z));
  const commonSet = new Set(common);
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={`f-${name}`}>{say("site.zone.label")}</label>
      <select
        id={`f-${name}`}
        name={name}
        x-data={value ? undefined : "zoneFromBrowser"}
        aria-invalid={error ? "true" : undefined}
      >
        {!value && <option value="">{say("site.zone.choose")}</option>}
        <optgroup label={say("site.zone.common")}>
          {common.map((z) => zoneOption(z, value))}
        </optgroup>
        <optgroup label={say("site.zone.all")}>
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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("site.signup.heading")}</h1>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action="/signup" novalidate>
        <Csrf token={csrf} />
        <Field
          label={say("site.form.your_name")}
          name="name"
          value={values.name}
          error={errors.name}
          required
          autocomplete="name"
        />
        <Field
          label={say("site.form.email")}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          required
          autocomplete="email"
        />
        <Field
          label={say("site.form.password")}
          name="password"
          type="password"
          value={values.password}
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={say("site.password.hint")}
        />
        <TimeZoneSelect
          name="timezone"
          value={values.timezone ?? ""}
          zones={zones}
          error={errors.timezone}
        />
        <button type="submit">{say("site.signup.button")}</button>
      </form>
      <HaveAccount />
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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>
        {trainerName
          ? say("site.join.heading_named", { name: trainerName })
          : say("site.join.heading")}
      </h1>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action="/join" novalidate>
        <Csrf token={csrf} />
        <Field
          label={say("site.join.code")}
          name="referralCode"
          value={values.referralCode ?? code}
          error={errors.referralCode}
          required
          hint={say("site.join.code_hint")}
        />
        <Field
          label={say("site.form.your_name")}
          name="name"
          value={values.name}
          error={errors.name}
          required
          autocomplete="name"
        />
        <Field
          label={say("site.form.email")}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          required
          autocomplete="email"
        />
        <Field
          label={say("site.form.password")}
          name="password"
          type="password"
          value={values.password}
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={say("site.password.hint")}
        />
        <button type="submit">{say("site.join.button")}</button>
      </form>
      <HaveAccount />
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
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card narrow">
      <h1>{say("site.signin.title")}</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      <form method="post" action="/signin">
        <Csrf token={csrf} />
        {next && <input type="hidden" name="next" value={next} />}
        <Field
          label={say("site.form.email")}
          name="email"
          type="email"
          value={email}
          required
          autocomplete="username"
        />
        <Field
          label={say("site.form.password")}
          name="password"
          type="password"
          required
          autocomplete="current-password"
        />
        <button type="submit">{say("site.signin.button")}</button>
      </form>
      <p>
        <a class="target" href="/password-reset">
          {say("site.signin.forgot")}
        </a>
      </p>
      <p>
        {sayRich("site.signin.new_here", {}, {
          signup: (w) => <a href="/signup">{w}</a>,
          join: (w) => <a href="/join">{w}</a>,
        })}
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
  const say = useSay();
  return (
    <form method="post" action="/profile" class="card" novalidate>
      <h2>{say("site.profile.details")}</h2>
      <Csrf token={csrf} />
      <Field
        label={say("site.form.name")}
        name="name"
        value={values.name}
        error={errors.name}
        required
        autocomplete="name"
      />
      <Field
        label={say("site.form.email")}
        name="email"
        type="email"
        value={values.email}
        error={errors.email}
        required
        autocomplete="email"
      />
      <Field
        label={say("site.form.new_password")}
        name="newPassword"
        type="password"
        value={values.newPassword}
        error={errors.newPassword}
        autocomplete="new-password"
        hint={say("site.profile.new_password_hint")}
      />
      <Field
        label={say("site.form.current_password")}
        name="currentPassword"
        type="password"
        value={values.currentPassword}
        error={errors.currentPassword}
        autocomplete="current-password"
        hint={say("site.profile.current_password_hint")}
      />
      <button type="submit">{say("site.form.save")}</button>
    </form>
  );
}

/** "Already have an account? Sign in" under the sign-up forms. */
function HaveAccount() {
  const sayRich = useSayRich();
  return (
    <p>
      {sayRich("site.form.have_account", {}, {
        link: (w) => <a href="/signin">{w}</a>,
      })}
    </p>
  );
}

/** The code, the join link to copy and its QR code to show or print in the gym. */
export function ReferralCard(
  { csrf, code, joinUrl }: { csrf: string; code: string; joinUrl: string },
) {
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card referral">
      <h2>{say("site.referral.heading")}</h2>
      <p>
        {sayRich("site.referral.code", { code }, {
          b: (w) => <strong class="code">{w}</strong>,
        })}
      </p>
      <div
        class="field"
        x-data="copyLink"
        data-copied={say("site.referral.copied")}
        data-copy-label={say("site.referral.copy")}
        data-copied-label={say("site.referral.copied_label")}
      >
        <label for="join-link">{say("site.referral.link")}</label>
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
            {say("site.referral.copy")}
          </button>
        </div>
        <small class="hint" role="status" x-text="done"></small>
      </div>
      <figure class="qr">
        <img
          src={`/profile/join-qr.svg?code=${code}`}
          width="200"
          height="200"
          alt={say("site.referral.qr_alt", { url: joinUrl })}
        />
        <figcaption class="hint">
          {say("site.referral.scan")}{" "}
          <a
            class="target"
            href={`/profile/join-qr.svg?code=${code}`}
            download="spotter-join.svg"
          >
            {say("site.referral.download")}
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
          {say("site.referral.new_code")}
        </a>
        <dialog x-ref="dialog" aria-label={say("site.referral.new_code")}>
          <NewCodeForm csrf={csrf} code={code} />
          <p>
            <button
              type="button"
              class="secondary"
              autofocus
              x-on:click="close"
            >
              {say("site.referral.keep")}
            </button>
          </p>
        </dialog>
      </div>
    </section>
  );
}

/** Asks before a new code retires the old one (a dialog with JavaScript, a page without). */
export function NewCodeForm({ csrf, code }: { csrf: string; code: string }) {
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <form method="post" action="/profile/referral-code">
      <h2>{say("site.new_code.heading")}</h2>
      <p>
        {sayRich("site.new_code.lead", { code }, {
          b: (w) => <strong class="code">{w}</strong>,
        })}
      </p>
      <Csrf token={csrf} />
      <button type="submit" class="danger">
        {say("site.referral.new_code")}
      </button>
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
  const say = useSay();
  return (
    <form method="post" action={action} class="card">
      <h2>{say("site.reminders.heading")}</h2>
      <Csrf token={csrf} />
      <label class="check">
        <input
          type="checkbox"
          name="remindersEnabled"
          value="on"
          checked={enabled}
        />
        {say("site.reminders.check")}
      </label>
      <button type="submit" class="secondary">{say("site.form.save")}</button>
    </form>
  );
}
