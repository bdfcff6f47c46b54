import { Csrf, Field } from "./Layout.tsx";
import {
  showsContact,
  telHref,
  type TrainerContact,
} from "../domain/contact.ts";

/** "Call +49 170 … · E-mail tess@…": the trainer's links, or nothing if none is shown. */
export function ContactLinks({ contact }: { contact?: TrainerContact }) {
  if (!contact || !showsContact(contact)) return null;
  return (
    <span class="contact-links">
      {contact.phone && (
        <a class="contact-link" href={telHref(contact.phone)}>
          Call {contact.phone}
        </a>
      )}
      {contact.email && (
        <a class="contact-link" href={`mailto:${contact.email}`}>
          E-mail {contact.email}
        </a>
      )}
    </span>
  );
}

/** On a client's pages: who their trainer is and how to reach them. */
export function YourTrainerCard({ contact }: { contact: TrainerContact }) {
  return (
    <section class="card your-trainer" aria-labelledby="your-trainer">
      <h2 id="your-trainer">Your trainer: {contact.name}</h2>
      {showsContact(contact)
        ? (
          <p>
            <ContactLinks contact={contact} />
          </p>
        )
        : (
          <p class="muted">
            {contact.name} has not shared a phone number or e-mail here yet.
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
  return (
    <form method="post" action="/profile/contact" class="card" novalidate>
      <h2>How clients reach you</h2>
      <Csrf token={csrf} />
      <p class="hint">
        Shown to your clients wherever they are asked to contact you. Leave
        empty to keep it private.
      </p>
      <Field
        label="Phone for clients"
        name="contactPhone"
        type="tel"
        value={values.contactPhone}
        error={errors.contactPhone}
        autocomplete="tel"
        maxlength={40}
      />
      <Field
        label="E-mail for clients"
        name="contactEmail"
        type="email"
        value={values.contactEmail}
        error={errors.contactEmail}
        autocomplete="email"
        maxlength={254}
      />
      <button type="submit">Save contact</button>
    </form>
  );
}
