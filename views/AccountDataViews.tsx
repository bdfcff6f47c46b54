import { Csrf, Field } from "./Layout.tsx";
import { useSay } from "./locale.ts";

/** The profile's card about one's data: download it, or delete the account. */
export function YourDataCard(
  { role, exported }: { role: "trainer" | "client"; exported: boolean },
) {
  const say = useSay();
  return (
    <section class="card" id="your-data">
      <h2>{say("site.data.heading")}</h2>
      {role === "client"
        ? (
          <>
            <p>{say("site.data.client_lead")}</p>
            <p>
              <a
                class="button secondary"
                href="/profile/export"
                data-hx-boost="false"
              >
                {say("site.data.client_download")}
              </a>
            </p>
            <p>
              <a class="target" href="/profile/delete">
                {say("site.data.delete_account")}
              </a>
            </p>
          </>
        )
        : (
          <>
            <p>{say("site.data.trainer_lead")}</p>
            <p>
              <a
                class="button secondary"
                href="/profile/export"
                data-hx-boost="false"
              >
                {say("site.data.trainer_download")}
              </a>
            </p>
            <p>
              {exported
                ? (
                  <a class="target" href="/profile/delete">
                    {say("site.data.close_business")}
                  </a>
                )
                : (
                  <span class="muted">
                    {say("site.data.download_first")}
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
  const say = useSay();
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
          label={say("site.form.your_password")}
          name="password"
          type="password"
          required
          autocomplete="current-password"
          error={error ? say("site.profile.wrong_password") : undefined}
        />
        <button type="submit" class="danger">{button}</button>
      </form>
      <p>
        <a class="target" href="/profile">{say("site.data.keep")}</a>
      </p>
    </section>
  );
}
