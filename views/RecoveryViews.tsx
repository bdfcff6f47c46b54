import { Csrf, Field } from "./Layout.tsx";
import { PASSWORD_HINT } from "../lib/passwords.ts";

/** "Forgot password?": the address to send a link to, or what happens next. */
export function ResetRequestForm(
  { csrf, email, sent, error }: {
    csrf: string;
    email?: string;
    sent?: boolean;
    error?: string;
  },
) {
  return (
    <section class="card narrow">
      <h1>Reset your password</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      {sent
        ? (
          <p role="status">
            If an account has this address, a link to choose a new password is
            on its way by e-mail, and by Telegram when the account has a chat
            connected. It works once, within 30 minutes.
          </p>
        )
        : (
          <form method="post" action="/password-reset">
            <Csrf token={csrf} />
            <Field
              label="E-mail"
              name="email"
              type="email"
              value={email}
              required
              autocomplete="username"
            />
            <button type="submit">Send me a link</button>
          </form>
        )}
      <p>
        <a class="target" href="/signin">Back to sign-in</a>
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
  return (
    <section class="card narrow">
      <h1>Choose a new password</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      <form method="post" action={`/password-reset/${token}`}>
        <Csrf token={csrf} />
        <Field
          label="New password"
          name="password"
          type="password"
          required
          error={fieldError}
          autocomplete="new-password"
          hint={`${PASSWORD_HINT} Every device signed in to your account is signed out.`}
        />
        <button type="submit">Set the new password</button>
      </form>
    </section>
  );
}

/** A link that cannot work (unknown, used or expired). */
export function DeadLink(
  { message, again }: { message: string; again: string },
) {
  return (
    <section class="card narrow">
      <h1>This link does not work</h1>
      <p class="flash flash-error" role="alert">{message}</p>
      <p>
        <a class="button" href={again}>Ask for a new link</a>
      </p>
    </section>
  );
}

/** On the profile while the address is not confirmed. */
export function EmailCheckCard(
  { csrf, email, mailOn }: { csrf: string; email: string; mailOn: boolean },
) {
  return (
    <section class="card" id="confirm-email">
      <h2>Confirm your e-mail address</h2>
      <p>
        <strong>{email}</strong>{" "}
        is not confirmed yet, so no e-mail notices go there (Telegram still
        works).
      </p>
      {mailOn
        ? (
          <form method="post" action="/profile/verify-email">
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              Send the link again
            </button>
          </form>
        )
        : <p class="muted">E-mail is not set up on this server.</p>}
    </section>
  );
}

/** The page a confirmation link opens: one button, so a mail scanner's visit confirms nothing. */
export function ConfirmEmailForm(
  { csrf, token }: { csrf: string; token: string },
) {
  return (
    <section class="card narrow">
      <h1>Confirm your e-mail address</h1>
      <form method="post" action={`/verify-email/${token}`}>
        <Csrf token={csrf} />
        <button type="submit">Confirm my address</button>
      </form>
    </section>
  );
}
