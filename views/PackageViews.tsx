/** The trainer's packages page: what they sell, retire or offer again, and a new one. */
import { Csrf, Field } from "./Layout.tsx";
import type { Package } from "../domain/credits.ts";
import { packageLine } from "./CreditViews.tsx";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

export function PackagesPage(
  { packages, csrf, values = {}, errors = {} }: {
    packages: readonly Package[];
    csrf: string;
    values?: Values;
    errors?: Errors;
  },
) {
  const failed = Object.keys(errors).length > 0;
  return (
    <section class="card narrow" id="packages">
      <h1>Packages</h1>
      <p class="muted">
        Sell sessions in packs from a client's page; each booking then uses one.
        Whether clients need a credit to book is in{" "}
        <a href="/settings">Settings</a>.
      </p>
      {packages.length === 0
        ? <p>No packages yet.</p>
        : (
          <ul class="plain packages">
            {packages.map((p) => (
              <li class="card package">
                <div class="spread">
                  <strong>{p.name}</strong>
                  <span class={p.active ? "badge badge-booked" : "badge"}>
                    {p.active ? "On sale" : "Retired"}
                  </span>
                </div>
                <p>{packageLine(p).split(" · ").slice(1).join(" · ")}</p>
                <form
                  method="post"
                  action={`/packages/${p.id}/${p.active ? "retire" : "offer"}`}
                  class="inline"
                >
                  <Csrf token={csrf} />
                  <button type="submit" class="secondary">
                    {p.active ? "Retire" : "Offer again"}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      <h2>New package</h2>
      <form method="post" action="/packages">
        <Csrf token={csrf} />
        {failed && (
          <p class="flash flash-error" role="alert">
            Nothing was saved: see the messages below.
          </p>
        )}
        <Field
          label="Name"
          name="name"
          value={values.name}
          error={errors.name}
          maxlength={100}
          required
          hint='e.g. "Ten pack"'
        />
        <Field
          label="Sessions"
          name="sessions"
          type="number"
          value={values.sessions ?? "10"}
          error={errors.sessions}
          min={1}
          max={200}
          inputmode="numeric"
          required
        />
        <Field
          label="Valid for (days)"
          name="validDays"
          type="number"
          value={values.validDays}
          error={errors.validDays}
          min={1}
          max={730}
          inputmode="numeric"
          hint="Empty: the sessions never expire."
        />
        <Field
          label="Price"
          name="price"
          value={values.price}
          error={errors.price}
          inputmode="decimal"
          hint="Optional, e.g. 450.00"
        />
        <Field
          label="Currency"
          name="currency"
          value={values.currency}
          error={errors.currency}
          maxlength={3}
          hint="Three letters, e.g. EUR (with a price)"
        />
        <button type="submit">Add package</button>
      </form>
    </section>
  );
}
