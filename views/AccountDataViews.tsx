import { Csrf, Field } from "./Layout.tsx";

/** The profile's card about one's data: download it, or delete the account. */
export function YourDataCard(
  { role, exported }: { role: "trainer" | "client"; exported: boolean },
) {
  return (
    <section class="card" id="your-data">
      <h2>Your data</h2>
      {role === "client"
        ? (
          <>
            <p>
              Download everything Spotter keeps about you: your profile,
              sessions, class places and the notices sent to you (JSON).
            </p>
            <p>
              <a
                class="button secondary"
                href="/profile/export"
                data-hx-boost="false"
              >
                Download my data
              </a>
            </p>
            <p>
              <a class="target" href="/profile/delete">Delete my account</a>
            </p>
          </>
        )
        : (
          <>
            <p>
              Download your whole business: settings, clients with tags and
              notes, sessions, classes and the notification log (a ZIP of CSV
              files and one JSON).
            </p>
            <p>
              <a
                class="button secondary"
                href="/profile/export"
                data-hx-boost="false"
              >
                Download my business
              </a>
            </p>
            <p>
              {exported
                ? <a class="target" href="/profile/delete">Close my business</a>
                : (
                  <span class="muted">
                    To close your business, download it first.
                  </span>
                )}
            </p>
          </>
        )}
    </section>
  );
}

/** "Delete my account" / "Remove this client": what goes, what stays, and the password. */
export function DeleteAccountForm(
  { csrf, action, heading, consequences, button, error }: {
    csrf: string;
    action: string;
    heading: string;
    consequences: readonly string[];
    button: string;
    error?: string;
  },
) {
  return (
    <section class="card narrow">
      <h1>{heading}</h1>
      {error && <p class="flash flash-error" role="alert">{error}</p>}
      <ul>
        {consequences.map((line) => <li>{line}</li>)}
      </ul>
      <form method="post" action={action}>
        <Csrf token={csrf} />
        <Field
          label="Your password"
          name="password"
          type="password"
          required
          autocomplete="current-password"
          error={error ? "is not your current password" : undefined}
        />
        <button type="submit" class="danger">{button}</button>
      </form>
      <p>
        <a class="target" href="/profile">Keep it</a>
      </p>
    </section>
  );
}
