/**
 * Packages and credits on the trainer's pages: the packages, a client's credits with the
 * "Sell a package" form and Today's low balances (the client's own side is in
 * ClientCreditViews.tsx). Words only: the rules are in
 * `domain/credits.ts`.
 */
import { Csrf, Field } from "./Layout.tsx";
import { decimal, longDay } from "./format.ts";
import { formatInstant } from "../lib/messages.ts";
import { t } from "../lib/i18n.ts";
import { currentLocale, useSay, useSayRich } from "./locale.ts";
import {
  type Grant,
  hasExpired,
  type LedgerKind,
  type Package,
  PAYMENT_METHODS,
} from "../domain/credits.ts";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

/** Words of the page being rendered (English outside a render). */
const words = (
  key: Parameters<typeof t>[1],
  values?: Parameters<typeof t>[2],
) => t(currentLocale(), key, values);

/** "1 session", "4 sessions", "no sessions", in the page's language. */
export const sessionsWord = (n: number) =>
  words("business.credits.sessions", { count: n });

/** "450.00 EUR" ("450,00 EUR" where a comma is the decimal sign). */
export const money = (cents: number, currency: string) =>
  `${decimal(cents / 100, 2, 2)} ${currency}`;

const validity = (days: number | null) =>
  days === null
    ? words("business.credits.no_expiry")
    : words("business.credits.valid_days", { count: days });

/** "Ten pack · 10 sessions · valid 90 days · 450.00 EUR". */
export const packageLine = (p: Package) =>
  [
    p.name,
    sessionsWord(p.sessions),
    validity(p.validDays),
    p.priceCents === null ? undefined : money(p.priceCents, p.currency!),
  ].filter(Boolean).join(" · ");

type Method = typeof PAYMENT_METHODS[number];
const methodWord = (m: Method) => words(`business.credits.method.${m}`);

/** What a grant is called: its package's name, or its number of sessions. */
export const grantName = (g: Grant, packages: ReadonlyMap<string, Package>) =>
  (g.packageId && packages.get(g.packageId)?.name) ??
    words("business.credits.given", { count: g.sessions });

export const until = (g: Grant, today: Temporal.PlainDate) =>
  g.expiresOn === null
    ? words("business.credits.no_expiry")
    : hasExpired(g, today)
    ? words("business.credits.expired_after", { date: longDay(g.expiresOn) })
    : words("business.credits.until", { date: longDay(g.expiresOn) });

export type LedgerLine = Readonly<{
  at: Temporal.Instant;
  delta: number;
  kind: LedgerKind;
  grantId: string;
  /** The session's or class's start, if it still exists, and the class's title. */
  subjectStart: Temporal.Instant | null;
  classTitle: string | null;
}>;

const ledgerWord = (kind: LedgerKind) =>
  words(`business.credits.ledger.${kind}`);

function ledgerText(e: LedgerLine, timezone: string) {
  if (e.kind === "granted") {
    return words("business.credits.added", { count: e.delta });
  }
  const title = e.classTitle;
  if (!e.subjectStart) {
    return title === null
      ? words("business.credits.deleted_session")
      : words("business.credits.deleted_class", { title });
  }
  const when = formatInstant(
    e.subjectStart.toString(),
    timezone,
    currentLocale(),
  );
  return title === null
    ? words("business.credits.session_on", { when })
    : words("business.credits.class_on", { title, when });
}

/** A client's credits on their page (trainer): balance, grants, ledger, and the sale form. */
export function ClientCredits(
  {
    clientId,
    clientName,
    balance,
    grants,
    ledger,
    packages,
    today,
    timezone,
    csrf,
    values = {},
    errors = {},
  }: {
    clientId: string;
    clientName: string;
    balance: number;
    grants: readonly Grant[];
    ledger: readonly LedgerLine[];
    /** Every package of the trainer (retired ones name old grants). */
    packages: readonly Package[];
    today: Temporal.PlainDate;
    timezone: string;
    csrf: string;
    values?: Values;
    errors?: Errors;
  },
) {
  const say = useSay();
  const sayRich = useSayRich();
  const strong = { b: (w: string[]) => <strong>{w}</strong> };
  const byId = new Map(packages.map((p) => [p.id, p]));
  const onSale = packages.filter((p) => p.active);
  const failed = Object.keys(errors).length > 0;
  return (
    <section id="credits" class="credits">
      <h2>{say("business.credit_stats.heading")}</h2>
      <p class="balance" data-balance={balance}>
        {sayRich("business.credits.left_to_book", { count: balance }, strong)}
      </p>
      {grants.length > 0 && (
        <ul class="plain grants">
          {grants.map((g) => (
            <li class={hasExpired(g, today) ? "grant muted" : "grant"}>
              {sayRich("business.credits.grant_line", {
                name: grantName(g, byId),
                remaining: g.remaining,
                sessions: g.sessions,
                until: until(g, today),
              }, strong)}
              {g.paid && (
                <span class="muted">
                  {` · ${
                    say("business.credits.paid", {
                      amount: money(g.paid.amountCents, g.paid.currency),
                      method: say(
                        `business.credits.method_in_line.${g.paid.method}`,
                      ),
                    })
                  }`}
                  {g.paid.note && `: ${g.paid.note}`}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {ledger.length > 0 && (
        <details class="ledger">
          <summary>
            {say("business.credits.ledger_summary", { count: ledger.length })}
          </summary>
          <ul class="plain">
            {ledger.map((e) => (
              <li>
                <span class="muted">
                  {formatInstant(e.at.toString(), timezone, currentLocale())}
                </span>{" "}
                {say("business.credits.ledger_line", {
                  kind: ledgerWord(e.kind),
                  delta: e.delta > 0 ? `+${e.delta}` : String(e.delta),
                  what: ledgerText(e, timezone),
                })}
              </li>
            ))}
          </ul>
        </details>
      )}
      <h3 id="sell">{say("business.credits.sell_heading")}</h3>
      <form method="post" action={`/clients/${clientId}/credits`}>
        <Csrf token={csrf} />
        {failed && (
          <p class="flash flash-error" role="alert">
            {say("business.credits.not_sold")}
          </p>
        )}
        <div class={errors.source ? "field invalid" : "field"}>
          <label for="f-source">
            {say("business.credits.what_gets", { name: clientName })}
          </label>
          <select id="f-source" name="source">
            {onSale.map((p) => (
              <option value={p.id} selected={values.source === p.id}>
                {packageLine(p)}
              </option>
            ))}
            <option value="custom" selected={values.source === "custom"}>
              {say("business.credits.other_option")}
            </option>
          </select>
          {onSale.length === 0 && (
            <small class="hint">
              {sayRich("business.credits.none_on_sale", {}, {
                a: (w) => <a href="/packages">{w}</a>,
              })}
            </small>
          )}
          {errors.source && <small class="error">{errors.source}</small>}
        </div>
        <fieldset class="custom-grant">
          <legend>{say("business.credits.with_other")}</legend>
          <Field
            label={say("business.credits.sessions_label")}
            name="sessions"
            type="number"
            value={values.sessions}
            error={errors.sessions}
            min={1}
            max={200}
            inputmode="numeric"
          />
          <Field
            label={say("business.credits.valid_for")}
            name="validDays"
            type="number"
            value={values.validDays}
            error={errors.validDays}
            min={1}
            max={730}
            inputmode="numeric"
            hint={say("business.credits.valid_for_hint")}
          />
        </fieldset>
        <fieldset>
          <legend>{say("business.credits.payment")}</legend>
          <div class={errors.method ? "field invalid" : "field"}>
            <label for="f-method">{say("business.credits.paid_by")}</label>
            <select id="f-method" name="method">
              <option value="">
                {say("business.credits.nothing_recorded")}
              </option>
              {PAYMENT_METHODS.map((m) => (
                <option value={m} selected={values.method === m}>
                  {methodWord(m)}
                </option>
              ))}
            </select>
            {errors.method && <small class="error">{errors.method}</small>}
          </div>
          <Field
            label={say("business.credits.amount")}
            name="amount"
            value={values.amount}
            error={errors.amount}
            inputmode="decimal"
            hint={say("business.credits.amount_hint")}
          />
          <Field
            label={say("business.credits.currency")}
            name="currency"
            value={values.currency}
            error={errors.currency}
            maxlength={3}
            hint={say("business.credits.currency_hint")}
          />
          <div class={errors.note ? "field invalid" : "field"}>
            <label for="f-note">{say("business.credits.note")}</label>
            <textarea id="f-note" name="note" maxlength={500}>
              {values.note ?? ""}
            </textarea>
            {errors.note && <small class="error">{errors.note}</small>}
          </div>
        </fieldset>
        <button type="submit">{say("business.credits.sell")}</button>
      </form>
    </section>
  );
}

/** Today: "Ada has 1 session left", for clients who used credits lately. */
export function LowBalances(
  { clients }: {
    clients: readonly Readonly<{ id: string; name: string; balance: number }>[];
  },
) {
  if (clients.length === 0) return null;
  const sayRich = useSayRich();
  const say = useSay();
  return (
    <section class="low-balances" aria-labelledby="h-low">
      <h2 id="h-low">{say("business.credits.running_out")}</h2>
      <ul class="plain">
        {clients.map((c) => (
          <li>
            {sayRich("business.credits.has_left", {
              name: c.name,
              count: c.balance,
            }, {
              a: (w) => <a href={`/clients/${c.id}#credits`}>{w}</a>,
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
