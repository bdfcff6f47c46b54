/** Walk-in clients: the "Add client" form, a walk-in's card on their page, the claim form. */
import { Csrf, Field } from "./Layout.tsx";
import type { ClientSummary } from "../domain/types.ts";
import { type Invitation, INVITATION_DAYS } from "../domain/walk_ins.ts";
import { PASSWORD_MIN_LENGTH } from "../lib/passwords.ts";
import { useSay } from "./locale.ts";

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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("trainer.clients.add")}</h1>
      <p>{say("trainer.walk_in.lead")}</p>
      {Object.keys(errors).length > 0 && (
        <p class="flash flash-error" role="alert">
          {errors.form ?? say("trainer.client.not_saved")}
        </p>
      )}
      <form method="post" action="/clients/add" novalidate>
        <Csrf token={csrf} />
        <Field
          label={say("trainer.walk_in.name")}
          name="name"
          value={values.name}
          error={errors.name}
          required
          maxlength={200}
          autocomplete="off"
        />
        <Field
          label={say("trainer.walk_in.email")}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          autocomplete="off"
        />
        <Field
          label={say("trainer.walk_in.phone")}
          name="phone"
          type="tel"
          inputmode="tel"
          value={values.phone}
          error={errors.phone}
          maxlength={40}
          autocomplete="off"
        />
        <button type="submit">{say("trainer.clients.add")}</button>
      </form>
      <p>
        <a class="target" href="/clients">{say("trainer.walk_in.back")}</a>
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
  const say = useSay();
  return (
    <section class="walk-in" aria-labelledby="walk-in-heading">
      <h2 id="walk-in-heading">{say("trainer.walk_in.no_sign_in")}</h2>
      <p>
        {say(
          client.email
            ? "trainer.walk_in.added_email"
            : "trainer.walk_in.added_no_email",
          { name: client.name },
        )}
        {client.phone && (
          <>
            {" "}
            {say("trainer.walk_in.phone_label")}{" "}
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
              {say("trainer.walk_in.link_label", { days: INVITATION_DAYS })}
            </label>
            <input id="claim-link" readonly value={link} />
            <p class="hint">{say("trainer.walk_in.link_hint")}</p>
            {client.email && (
              <p>
                <a
                  class="button secondary"
                  href={`mailto:${encodeURIComponent(client.email)}?${
                    new URLSearchParams({
                      subject: say("trainer.walk_in.mail_subject"),
                      body: say("trainer.walk_in.mail_body", { link }),
                    }).toString().replaceAll("+", "%20")
                  }`}
                >
                  {say("trainer.walk_in.mail_it", { email: client.email })}
                </a>
              </p>
            )}
          </>
        )
        : (
          <form method="post" action={`/clients/${client.id}/invite`}>
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              {say("trainer.walk_in.invite")}
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
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("trainer.claim.title")}</h1>
      <p>
        {say("trainer.claim.lead", {
          trainer: invitation.trainerName,
          name: invitation.name,
        })}
      </p>
      {errors.form && (
        <p class="flash flash-error" role="alert">{errors.form}</p>
      )}
      <form method="post" action={`/claim/${token}`} novalidate>
        <Csrf token={csrf} />
        <Field
          label={say(
            invitation.email
              ? "trainer.claim.email"
              : "trainer.claim.your_email",
          )}
          name="email"
          type="email"
          value={values.email ?? invitation.email ?? ""}
          error={errors.email}
          required
          autocomplete="email"
          hint={say(
            invitation.email
              ? "trainer.claim.email_keep"
              : "trainer.claim.email_hint",
          )}
        />
        <Field
          label={say("trainer.claim.password")}
          name="password"
          type="password"
          error={errors.password}
          required
          minlength={PASSWORD_MIN_LENGTH}
          autocomplete="new-password"
          hint={say("site.password.hint")}
        />
        <button type="submit">{say("trainer.claim.button")}</button>
      </form>
    </section>
  );
}

/** An invitation link that does not claim anything (unknown, expired or used). */
export function DeadInvitation({ message }: { message: string }) {
  const say = useSay();
  return (
    <section class="card narrow">
      <h1>{say("trainer.claim.dead")}</h1>
      <p class="flash flash-error" role="alert">{message}</p>
      <p>
        <a class="button" href="/signin">{say("trainer.claim.sign_in")}</a>
      </p>
    </section>
  );
}
