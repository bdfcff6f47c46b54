/** Walk-in clients: the "Add client" form, a walk-in's card on their page, the claim form. */
import { Csrf, Field } from "./Layout.tsx";
import type { ClientSummary } from "../domain/types.ts";
import { type Invitation, INVITATION_DAYS } from "../domain/walk_ins.ts";
import { PASSWORD_HINT, PASSWORD_MIN_LENGTH } from "../lib/passwords.ts";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

/** "Add client": someone who does not use apps, booked by the trainer like any client. */
export function AddClientForm(
  { csrf, values = {}, errors = {} }: {
    csrf: string;
    values?: Values;
    errors?: Errors;
  },
) {
  return (
    <section class="card narrow">
      <h1>Add client</h1>
      <p>
        For someone who does not use apps (a walk-in, a phone booking): you book
        their sessions. They can claim the account later with an invitation from
        their page.
      </p>
      {Object.keys(errors).length > 0 && (
        <p class="flash flash-error" role="alert">
          {errors.form ?? "Nothing was saved: see the messages below."}
        </p>
      )}
      <form method="post" action="/clients/add" novalidate>
        <Csrf token={csrf} />
        <Field
          label="Name"
          name="name"
          value={values.name}
          error={errors.name}
          required
          maxlength={200}
          autocomplete="off"
        />
        <Field
          label="E-mail (optional)"
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          autocomplete="off"
        />
        <Field
          label="Phone (optional)"
          name="phone"
          type="tel"
          inputmode="tel"
          value={values.phone}
          error={errors.phone}
          maxlength={40}
          autocomplete="off"
        />
        <button type="submit">Add client</button>
      </form>
      <p>
        <a class="target" href="/clients">Back to the clients</a>
      </p>
    </section>
  );
}

/** On a walk-in's page: how to reach them, and the invitation to claim the account. */
export function WalkInCard(
  { client, csrf, link }: {
    client: ClientSummary;
    csrf: string;
    /** A new invitation's link, shown once, right after it is made. */
    link?: string;
  },
) {
  return (
    <section class="walk-in" aria-labelledby="walk-in-heading">
      <h2 id="walk-in-heading">No sign-in yet</h2>
      <p>
        You added{" "}
        {client.name}: they do not sign in, and Spotter sends them
        nothing{client.email
          ? " until they claim the account and confirm their address"
          : " (no e-mail address)"}.
        {client.phone && (
          <>
            {" "}Phone:{" "}
            <a href={`tel:${client.phone.replace(/[^+0-9]/g, "")}`}>
              {client.phone}
            </a>
          </>
        )}
      </p>
      {link
        ? (
          <>
            <label for="claim-link">
              Invitation link (works once, for {INVITATION_DAYS} days)
            </label>
            <input id="claim-link" readonly value={link} />
            <p class="hint">
              Hand it over (a message, a printout) or e-mail it. Claiming sets
              their password and e-mail; they keep their history. A new
              invitation replaces this one.
            </p>
            {client.email && (
              <p>
                <a
                  class="button secondary"
                  href={`mailto:${encodeURIComponent(client.email)}?${
                    new URLSearchParams({
                      subject: "Your training account",
                      body:
                        `Claim your account to see and book your sessions: ${link}`,
                    }).toString().replaceAll("+", "%20")
                  }`}
                >
                  E-mail it to {client.email}
                </a>
              </p>
            )}
          </>
        )
        : (
          <form method="post" action={`/clients/${client.id}/invite`}>
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              Invite to claim the account
            </button>
          </form>
        )}
    </section>
  );
}

/** The page an invitation opens: choose a password (and an e-mail) to claim the account. */
export function ClaimForm(
  { csrf, token, invitation, values = {}, errors = {} }: {
    csrf: string;
    token: string;
    invitation: Invitation;
    values?: Values;
    errors?: Errors;
  },
) {
  return (
    <section class="card narrow">
      <h1>Claim your account</h1>
      <p>
        {invitation.trainerName} keeps your sessions in Spotter as{" "}
        {invitation.name}. Choose a password to see them, book and cancel
        yourself.
      </p>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action={`/claim/${token}`} novalidate>
        <Csrf token={csrf} />
        <Field
          label={invitation.email ? "E-mail" : "Your e-mail"}
          name="email"
          type="email"
          value={values.email ?? invitation.email ?? ""}
          error={errors.email}
          required
          autocomplete="email"
          hint={invitation.email
            ? "Keep it or use another: you sign in with it."
            : "You sign in with it."}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={PASSWORD_HINT}
        />
        <button type="submit">Claim my account</button>
      </form>
    </section>
  );
}

/** An invitation link that does not claim anything (unknown, expired or used). */
export function DeadInvitation({ message }: { message: string }) {
  return (
    <section class="card narrow">
      <h1>This invitation does not work</h1>
      <p class="flash flash-error" role="alert">{message}</p>
      <p>
        <a class="button" href="/signin">Sign in</a>
      </p>
    </section>
  );
}
