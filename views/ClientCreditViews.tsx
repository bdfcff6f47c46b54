/**
 * Credits as a client reads them: their balance on My appointments, the line before a
 * booking ("Uses 1 of your 4 sessions") and why a booking needs a package first. Words
 * only: the rules are in `domain/credits.ts`.
 */
import type { Child } from "hono/jsx";
import { useSay, useSayRich } from "./locale.ts";
import { type Grant, hasExpired, type Package } from "../domain/credits.ts";
import { grantName, until } from "./CreditViews.tsx";

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
  const say = useSay();
  const sayRich = useSayRich();
  const strong = { b: (w: string[]) => <strong>{w}</strong> };
  const byId = new Map(packages.map((p) => [p.id, p]));
  const usable = grants.filter((g) => g.remaining > 0 && !hasExpired(g, today));
  return (
    <section class="card my-credits" id="credits">
      <p class="balance" data-balance={balance}>
        {sayRich(
          balance > 0
            ? "business.credits.you_have_to_book"
            : "business.credits.you_have",
          { count: balance },
          strong,
        )}
      </p>
      {usable.length > 0 && (
        <ul class="plain grants">
          {usable.map((g) => (
            <li>
              {say("business.credits.grant_line_plain", {
                name: grantName(g, byId),
                remaining: g.remaining,
                sessions: g.sessions,
                until: until(g, today),
              })}
            </li>
          ))}
        </ul>
      )}
      {balance === 0 && (
        <p class="hint">
          {say(
            requireCredit
              ? "business.credits.ask_to_book"
              : "business.credits.ask",
            { trainer: trainerName },
          )}
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
  const say = useSay();
  return (
    <p class="credit-note">
      {say(
        waitlist
          ? "business.credits.waitlist_note"
          : "business.credits.uses_one",
        { count: balance },
      )}
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
  const say = useSay();
  return (
    <div class="no-credit" role="alert">
      <p>{message}</p>
      <p class="hint">
        {say("business.credits.sold_by", { trainer: trainerName })}
      </p>
      {children}
    </div>
  );
}
