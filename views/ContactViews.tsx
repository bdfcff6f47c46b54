import { Csrf, Field } from "./Layout.tsx";
import {
  showsContact,
  telHref,
  type TrainerContact,
} from "../domain/contact.ts";
import { useSay } from "./locale.ts";

/** "Call +49 170 … · E-mail tess@…": the trainer's links, or nothing if none is shown. */
export function ContactLinks({ contact }: { contact?: TrainerContact }) {
  if (!contact || !showsContact(contact)) return null;
  const say = useSay();
  return (
    <span class="contact-links">
      {contact.phone && (
        <a class="contact-link" href={telHref(contact.phone)}>
          {say("client.contact.call", { phone: contact.phone })}
        </a>
      )}
      {contact.email && (
        <a class="contact-link" href={`mailto:${contact.email}`}>
          {say("client.contact.email", { email: contact.email })}
        </a>
      )}
    </span>
  );
}

/** On a client's pages: who their trainer is and how to reach them. */
export function YourTrainerCard({ contact }: { contact: TrainerContact }) {
  const say = useSay();
  return (
    <section class="card your-trainer" aria-labelledby="your-trainer">
      <h2 id="your-trainer">
        {say("client.contact.your_trainer", { name: contact.name })}
      </h2>
      {showsContact(contact)
        ? (
          <p>
            <ContactLinks contact={contact} />
          </p>
        )
        : (
          <p class="muted">
            {say("client.contact.not_shared", { name: contact.name })}
          </p>
        )}
    </section>
  );
}

/** The trainer's choice of what clients see. */
export function ContactForm(
  { csrf, values, errors = {} }: {
    csrf: string;
    values: Readonly<Record<string, string | undefined>>;
    errors?: Readonly<Record<string, string | undefined>>;
  },
) {
  const say = useSay();
  return (
    <form method="post" action="/profile/contact" class="card" novalidate>
      <h2>{say("client.contact.form_heading")}</h2>
      <Csrf token={csrf} />
      <p class="hint">{say("client.contact.form_hint")}</p>
      <Field
        label={say("client.contact.phone_label")}
        name="contactPhone"
        type="tel"
        value={values.contactPhone}
        error={errors.contactPhone}
        autocomplete="tel"
        maxlength={40}
      />
      <Field
        label={say("client.contact.email_label")}
        name="contactEmail"
        type="email"
        value={values.contactEmail}
        error={errors.contactEmail}
        autocomplete="email"
        maxlength={254}
      />
      <button type="submit">{say("client.contact.save")}</button>
    </form>
  );
}
