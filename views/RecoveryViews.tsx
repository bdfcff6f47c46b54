import { Csrf, Field } from "./Layout.tsx";
import { useSay, useSayRich } from "./locale.ts";

/** "Forgot password?": the address to send a link to, or what happens next. */
export function ResetRequestForm(
  { csrf, email, sent, error }: {
    csrf: string;
    email?: string;
    sent?: boolean;
    error?: string;
  },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("site.reset.title")}</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      {sent
        ? <p role="status">{say("site.reset.sent")}</p>
        : (
          <form method="post" action="/password-reset">
            <Csrf token={csrf} />
            <Field
              label={say("site.form.email")}
              name="email"
              type="email"
              value={email}
              required
              autocomplete="username"
            />
            <button type="submit">{say("site.reset.send")}</button>
          </form>
        )}
      <p>
        <a class="target" href="/signin">{say("site.reset.back")}</a>
      </p>
    </section>
  );
}

/** The new password, on the page a reset link opens. */
export function NewPasswordForm(
  { csrf, token, error, fieldError }: {
    csrf: string;
    token: string;
    error?: string;
    fieldError?: string;
  },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("site.reset.new_title")}</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      <form method="post" action={`/password-reset/${token}`}>
        <Csrf token={csrf} />
        <Field
          label={say("site.form.new_password")}
          name="password"
          type="password"
          required
          error={fieldError}
          autocomplete="new-password"
          hint={say("site.reset.new_hint")}
        />
        <button type="submit">{say("site.reset.set")}</button>
      </form>
    </section>
  );
}

/** A link that cannot work (unknown, used or expired). */
export function DeadLink(
  { message, again }: { message: string; again: string },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("site.dead_link.heading")}</h1>
      <p class="flash flash-error" role="alert">{message}</p>
      <p>
        <a class="button" href={again}>
          {say("site.dead_link.again")}
        </a>
      </p>
    </section>
  );
}

/** On the profile while the address is not confirmed. */
export function EmailCheckCard(
  { csrf, email, mailOn }: { csrf: string; email: string; mailOn: boolean },
) {
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card" id="confirm-email">
      <h2>{say("site.email.check_heading")}</h2>
      <p>
        {sayRich("site.email.not_confirmed", { email }, {
          b: (w) => <strong>{w}</strong>,
        })}
      </p>
      {mailOn
        ? (
          <form method="post" action="/profile/verify-email">
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              {say("site.email.send_again")}
            </button>
          </form>
        )
        : <p class="muted">{say("site.email.mail_off")}</p>}
    </section>
  );
}

/** The page a confirmation link opens: one button, so a mail scanner's visit confirms nothing. */
export function ConfirmEmailForm(
  { csrf, token }: { csrf: string; token: string },
) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("site.email.check_heading")}</h1>
      <form method="post" action={`/verify-email/${token}`}>
        <Csrf token={csrf} />
        <button type="submit">{say("site.email.confirm_button")}</button>
      </form>
    </section>
  );
}
