/** The trainer's packages page: what they sell, retire or offer again, and a new one. */
import { Csrf, Field } from "./Layout.tsx";
import type { Package } from "../domain/credits.ts";
import { packageLine } from "./CreditViews.tsx";
import { useSay, useSayRich } from "./locale.ts";

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
  const say = useSay();
  const sayRich = useSayRich();
  return (
    <section class="card narrow" id="packages">
      <h1>{say("client.packages.heading")}</h1>
      <p class="muted">
        {sayRich("client.packages.lead", {}, {
          link: (w) => <a href="/settings">{w}</a>,
        })}
      </p>
      {packages.length === 0
        ? <p>{say("client.packages.none")}</p>
        : (
          <ul class="plain packages">
            {packages.map((p) => (
              <li class="card package">
                <div class="spread">
                  <strong>{p.name}</strong>
                  <span class={p.active ? "badge badge-booked" : "badge"}>
                    {p.active
                      ? say("client.packages.on_sale")
                      : say("client.packages.retired")}
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
                    {p.active
                      ? say("client.packages.retire")
                      : say("client.packages.offer_again")}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      <h2>{say("client.packages.new_heading")}</h2>
      <form method="post" action="/packages">
        <Csrf token={csrf} />
        {failed && (
          <p class="flash flash-error" role="alert">
            {say("client.packages.not_saved")}
          </p>
        )}
        <Field
          label={say("client.packages.name")}
          name="name"
          value={values.name}
          error={errors.name}
          maxlength={100}
          required
          hint={say("client.packages.name_hint")}
        />
        <Field
          label={say("client.packages.sessions")}
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
          label={say("client.packages.valid_days")}
          name="validDays"
          type="number"
          value={values.validDays}
          error={errors.validDays}
          min={1}
          max={730}
          inputmode="numeric"
          hint={say("client.packages.valid_hint")}
        />
        <Field
          label={say("client.packages.price")}
          name="price"
          value={values.price}
          error={errors.price}
          inputmode="decimal"
          hint={say("client.packages.price_hint")}
        />
        <Field
          label={say("client.packages.currency")}
          name="currency"
          value={values.currency}
          error={errors.currency}
          maxlength={3}
          hint={say("client.packages.currency_hint")}
        />
        <button type="submit">{say("client.packages.add")}</button>
      </form>
    </section>
  );
}
