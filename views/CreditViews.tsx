/**
 * Packages and credits on the pages: the trainer's packages, a client's credits with the
 * "Sell a package" form, the client's balance, the line before a booking ("Uses 1 of
 * your 4 sessions") and Today's low balances. Words only: the rules are in
 * `domain/credits.ts`.
 */
import type { Child } from "hono/jsx";
import { Csrf, Field } from "./Layout.tsx";
import { longDay } from "./format.ts";
import { formatInstant } from "../lib/messages.ts";
import {
  type Grant,
  hasExpired,
  type LedgerKind,
  type Package,
  PAYMENT_METHODS,
} from "../domain/credits.ts";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

/** "1 session", "4 sessions", "no sessions". */
export const sessionsWord = (n: number) =>
  n === 0 ? "no sessions" : n === 1 ? "1 session" : `${n} sessions`;

/** "450.00 EUR". */
export const money = (cents: number, currency: string) =>
  `${(cents / 100).toFixed(2)} ${currency}`;

const validity = (days: number | null) =>
  days === null ? "no expiry" : `valid ${days} ${days === 1 ? "day" : "days"}`;

/** "Ten pack · 10 sessions · valid 90 days · 450.00 EUR". */
export const packageLine = (p: Package) =>
  [
    p.name,
    sessionsWord(p.sessions),
    validity(p.validDays),
    p.priceCents === null ? undefined : money(p.priceCents, p.currency!),
  ].filter(Boolean).join(" · ");

const METHOD_WORDS: Readonly<Record<typeof PAYMENT_METHODS[number], string>> = {
  cash: "Cash",
  transfer: "Bank transfer",
  card: "Card",
  other: "Other",
};

/** What a grant is called: its package's name, or its number of sessions. */
const grantName = (g: Grant, packages: ReadonlyMap<string, Package>) =>
  (g.packageId && packages.get(g.packageId)?.name) ??
    `${sessionsWord(g.sessions)} given`;

const until = (g: Grant, today: Temporal.PlainDate) =>
  g.expiresOn === null
    ? "no expiry"
    : hasExpired(g, today)
    ? `expired after ${longDay(g.expiresOn)}`
    : `until ${longDay(g.expiresOn)}`;

export type LedgerLine = Readonly<{
  at: Temporal.Instant;
  delta: number;
  kind: LedgerKind;
  grantId: string;
  /** The session's or class's start, if it still exists, and the class's title. */
  subjectStart: Temporal.Instant | null;
  classTitle: string | null;
}>;

const LEDGER_WORDS: Readonly<Record<LedgerKind, string>> = {
  granted: "Sold",
  used: "Used",
  returned: "Returned",
};

function ledgerText(e: LedgerLine, timezone: string) {
  if (e.kind === "granted") return `${sessionsWord(e.delta)} added`;
  const what = e.classTitle ?? "session";
  return e.subjectStart
    ? `${what} on ${formatInstant(e.subjectStart.toString(), timezone)}`
    : `a deleted ${what}`;
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
  const byId = new Map(packages.map((p) => [p.id, p]));
  const onSale = packages.filter((p) => p.active);
  const failed = Object.keys(errors).length > 0;
  return (
    <section id="credits" class="credits">
      <h2>Packages and credits</h2>
      <p class="balance" data-balance={balance}>
        <strong>{sessionsWord(balance)} left</strong> to book with.
      </p>
      {grants.length > 0 && (
        <ul class="plain grants">
          {grants.map((g) => (
            <li class={hasExpired(g, today) ? "grant muted" : "grant"}>
              <strong>{grantName(g, byId)}</strong>: {g.remaining} of{" "}
              {g.sessions} left, {until(g, today)}
              {g.paid && (
                <span class="muted">
                  {` · paid ${money(g.paid.amountCents, g.paid.currency)} `}
                  ({METHOD_WORDS[g.paid.method].toLowerCase()})
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
            Ledger ({ledger.length === 1
              ? "1 change"
              : `the latest ${ledger.length} changes`})
          </summary>
          <ul class="plain">
            {ledger.map((e) => (
              <li>
                <span class="muted">
                  {formatInstant(e.at.toString(), timezone)}
                </span>{" "}
                {LEDGER_WORDS[e.kind]} {e.delta > 0 ? `+${e.delta}` : e.delta}:
                {" "}
                {ledgerText(e, timezone)}
              </li>
            ))}
          </ul>
        </details>
      )}
      <h3 id="sell">Sell a package</h3>
      <form method="post" action={`/clients/${clientId}/credits`}>
        <Csrf token={csrf} />
        {failed && (
          <p class="flash flash-error" role="alert">
            Nothing was sold: see the messages below.
          </p>
        )}
        <div class={errors.source ? "field invalid" : "field"}>
          <label for="f-source">What {clientName} gets</label>
          <select id="f-source" name="source">
            {onSale.map((p) => (
              <option value={p.id} selected={values.source === p.id}>
                {packageLine(p)}
              </option>
            ))}
            <option value="custom" selected={values.source === "custom"}>
              Other: a number of sessions
            </option>
          </select>
          {onSale.length === 0 && (
            <small class="hint">
              No package on sale: <a href="/packages">add one</a>{" "}
              or give a number of sessions.
            </small>
          )}
          {errors.source && <small class="error">{errors.source}</small>}
        </div>
        <fieldset class="custom-grant">
          <legend>With "Other"</legend>
          <Field
            label="Sessions"
            name="sessions"
            type="number"
            value={values.sessions}
            error={errors.sessions}
            min={1}
            max={200}
            inputmode="numeric"
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
            hint="Empty: they never expire."
          />
        </fieldset>
        <fieldset>
          <legend>Payment</legend>
          <div class={errors.method ? "field invalid" : "field"}>
            <label for="f-method">Paid by</label>
            <select id="f-method" name="method">
              <option value="">Nothing recorded (a gift, or paid later)</option>
              {PAYMENT_METHODS.map((m) => (
                <option value={m} selected={values.method === m}>
                  {METHOD_WORDS[m]}
                </option>
              ))}
            </select>
            {errors.method && <small class="error">{errors.method}</small>}
          </div>
          <Field
            label="Amount"
            name="amount"
            value={values.amount}
            error={errors.amount}
            inputmode="decimal"
            hint="e.g. 450.00; empty: the package's price"
          />
          <Field
            label="Currency"
            name="currency"
            value={values.currency}
            error={errors.currency}
            maxlength={3}
            hint="e.g. EUR; empty: the package's"
          />
          <div class={errors.note ? "field invalid" : "field"}>
            <label for="f-note">Note (optional)</label>
            <textarea id="f-note" name="note" maxlength={500}>
              {values.note ?? ""}
            </textarea>
            {errors.note && <small class="error">{errors.note}</small>}
          </div>
        </fieldset>
        <button type="submit">Sell</button>
      </form>
    </section>
  );
}

/** The client's balance on My appointments, with their grants and whom to ask. */
export function MyCredits(
  { balance, grants, packages, today, trainerName, requireCredit }: {
    balance: number;
    grants: readonly Grant[];
    packages: readonly Package[];
    today: Temporal.PlainDate;
    trainerName: string;
    requireCredit: boolean;
  },
) {
  if (grants.length === 0 && !requireCredit) return null;
  const byId = new Map(packages.map((p) => [p.id, p]));
  const usable = grants.filter((g) => g.remaining > 0 && !hasExpired(g, today));
  return (
    <section class="card my-credits" id="credits">
      <p class="balance" data-balance={balance}>
        You have <strong>{sessionsWord(balance)}</strong> left
        {balance > 0 ? " to book with." : "."}
      </p>
      {usable.length > 0 && (
        <ul class="plain grants">
          {usable.map((g) => (
            <li>
              {grantName(g, byId)}: {g.remaining} of {g.sessions} left,{" "}
              {until(g, today)}
            </li>
          ))}
        </ul>
      )}
      {balance === 0 && (
        <p class="hint">
          Ask {trainerName} for a new package
          {requireCredit ? " to book again." : "."}
        </p>
      )}
    </section>
  );
}

/** Before a booking or a seat: "Uses 1 of your 4 sessions." (nothing without credits). */
export function CreditNote(
  { balance, waitlist = false }: { balance: number; waitlist?: boolean },
) {
  if (balance === 0) return null;
  return (
    <p class="credit-note">
      {waitlist
        ? `A waitlist place uses none of your ${
          sessionsWord(balance)
        }; a seat, once you get one, uses 1.`
        : `Uses 1 of your ${sessionsWord(balance)}.`}
    </p>
  );
}

/** Why a client cannot book for lack of a credit, and whom to ask. */
export function NoCredit(
  { message, trainerName, children }: {
    message: string;
    trainerName: string;
    children?: Child;
  },
) {
  return (
    <div class="no-credit" role="alert">
      <p>{message}</p>
      <p class="hint">
        Packages are sold by{" "}
        {trainerName}: ask them at your next session or send them a message.
      </p>
      {children}
    </div>
  );
}

/** Today: "Ada has 1 session left", for clients who used credits lately. */
export function LowBalances(
  { clients }: {
    clients: readonly Readonly<{ id: string; name: string; balance: number }>[];
  },
) {
  if (clients.length === 0) return null;
  return (
    <section class="low-balances" aria-labelledby="h-low">
      <h2 id="h-low">Packages running out</h2>
      <ul class="plain">
        {clients.map((c) => (
          <li>
            <a href={`/clients/${c.id}#credits`}>{c.name}</a> has{" "}
            {sessionsWord(c.balance)} left.
          </li>
        ))}
      </ul>
    </section>
  );
}
