import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { User } from "../domain/types.ts";
import { parseIsoDate } from "../domain/time.ts";
import { LANGUAGE_NAMES, LANGUAGES, type MessageKey } from "../lib/i18n.ts";
import { useSay } from "./locale.ts";

/** A message shown once above a page, after a redirect (`routes/middleware.ts` carries it). */
export type Flash = Readonly<{ kind: "ok" | "error"; text: string }>;

/** A script a page can load; `views` names them, `routes/static.ts` serves them. */
export type Script = "htmx" | "alpine";

/** URLs of the shared assets (fingerprinted by `routes/static.ts`). */
export type AssetUrls = Readonly<
  Record<"css" | "icon" | "app" | Script, string>
>;

export type PageProps = Readonly<{
  title: string;
  assets: AssetUrls;
  /** The scripts this page uses (htmx for swaps and boosted links, Alpine for dialogs and row editors). */
  scripts: readonly Script[];
  user: User | undefined;
  csrfToken: string;
  flash?: Flash;
  /** The page's path, to mark its nav link as where you are. */
  path?: string;
  /** The viewer's language, for `<html lang>` (English until said otherwise). */
  lang?: string;
  children: Child;
}>;

const TRAINER_NAV: readonly (readonly [string, MessageKey])[] = [
  ["/today", "site.nav.today"],
  ["/calendar", "site.nav.calendar"],
  ["/schedule", "site.nav.schedule"],
  ["/classes", "site.nav.classes"],
  ["/clients", "site.nav.clients"],
  ["/stats", "site.nav.stats"],
  ["/settings", "site.nav.settings"],
  ["/notifications", "site.nav.notifications"],
  ["/profile", "site.nav.profile"],
];

const CLIENT_NAV: readonly (readonly [string, MessageKey])[] = [
  ["/calendar", "site.nav.book"],
  ["/appointments", "site.nav.appointments"],
  ["/notifications", "site.nav.notifications"],
  ["/profile", "site.nav.profile"],
];

// Swap every answer (a 422 re-renders its form with messages) and keep styles in app.css.
// Back and Forward load the page afresh rather than a DOM snapshot: a snapshot keeps
// Alpine's rendered rows and a just-sent booking form, and is stale by design.
// Settling copies old attributes onto the new node before it swaps them back: for
// `style` (Alpine's x-show writes it) that is an inline style the CSP refuses.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  attributesToSettle: ["class", "width", "height"],
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
  responseHandling: [{ code: "204", swap: false }, { code: "...", swap: true }],
});

/** The page shell: mobile-first, works without JavaScript; htmx and Alpine only enhance it. */
export function Layout(
  { title, assets, scripts, user, csrfToken, flash, path, lang, children }:
    PageProps,
) {
  const say = useSay();
  const nav = user?.role === "trainer" ? TRAINER_NAV : user ? CLIENT_NAV : [];
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang={lang ?? "en"}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <title>{title} · Spotter</title>
          <link rel="icon" href={assets.icon} type="image/svg+xml" />
          <link rel="stylesheet" href={assets.css} />
          {scripts.includes("htmx") && (
            <script src={assets.htmx} defer>
            </script>
          )}
          {/* Before Alpine (a module at the end of the body): it registers the components. */}
          <script src={assets.app} defer></script>
        </head>
        <body
          data-hx-boost="true"
          data-hx-headers={JSON.stringify({ "X-CSRF-Token": csrfToken })}
        >
          <a class="skip-link" href="#main" data-hx-boost="false">
            {say("site.layout.skip")}
          </a>
          <header class="top">
            <a class="brand" href="/">Spotter</a>
            {user && (
              <nav aria-label={say("site.nav.label")}>
                {nav.map(([href, label]) => (
                  <a
                    href={href}
                    aria-current={path === href || path?.startsWith(`${href}/`)
                      ? "page"
                      : undefined}
                  >
                    {say(label)}
                  </a>
                ))}
                <form method="post" action="/signout" class="inline">
                  <input type="hidden" name="_csrf" value={csrfToken} />
                  <button type="submit" class="link">
                    {say("site.nav.sign_out")}
                  </button>
                </form>
              </nav>
            )}
          </header>
          <main id="main" tabindex={-1}>
            {flash && (
              <p
                class={`flash flash-${flash.kind}`}
                role={flash.kind === "error" ? "alert" : "status"}
              >
                {flash.text}
              </p>
            )}
            {children}
          </main>
          {!user && (
            <LanguageSwitch csrfToken={csrfToken} path={path} lang={lang} />
          )}
          {
            /* In the body, so a boosted link to a page that needs Alpine brings it
            along; a module runs once per page however often htmx swaps it in. */
          }
          {scripts.includes("alpine") && (
            <script type="module" src={assets.alpine}></script>
          )}
        </body>
      </html>
    </>
  );
}

/**
 * The signed-out footer's language switch (`POST /language`): it keeps the choice in a
 * cookie and comes back to this page. Each language is named in itself, in its own `lang`.
 * Signed in, the profile's language select says what the account reads.
 */
function LanguageSwitch(
  { csrfToken, path, lang }: {
    csrfToken: string;
    path?: string;
    lang?: string;
  },
) {
  const say = useSay();
  return (
    <footer class="site-footer">
      <form method="post" action="/language" class="inline">
        <Csrf token={csrfToken} />
        <input type="hidden" name="next" value={path ?? "/"} />
        <label>
          {say("site.layout.language")}{" "}
          <select name="lang">
            {LANGUAGES.map((l) => (
              <option value={l} lang={l} selected={l === lang}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" class="secondary">
          {say("site.layout.language_button")}
        </button>
      </form>
    </footer>
  );
}

/**
 * Markup a route builds itself, rendered only inside the page's locale: precompiled JSX
 * with tags in it (`<><h1>…</h1><Card /></>`) renders at once where it is written, before
 * `page()` provides the locale, so its components would say English. A route hands
 * `page()` `<InPage render={() => <>…</>} />` instead.
 */
export const InPage = ({ render }: { render: () => Child }) => <>{render()}</>;

/** A hidden CSRF field for every form. */
export const Csrf = ({ token }: { token: string }) => (
  <input type="hidden" name="_csrf" value={token} />
);

const TIME_VALUE = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/**
 * Whether a browser keeps `value` in an input of `type`: a date or time input
 * silently empties itself on an impossible value (2026-02-30, 25:00).
 */
const browserKeeps = (type: string, value: string) =>
  type === "date"
    ? parseIsoDate(value) !== undefined
    : type === "time"
    ? TIME_VALUE.test(value)
    : true;

/**
 * "You typed: 2026-02-30" beside a date or time input the browser would empty,
 * so a refused value stays in sight; nothing for a value the input keeps.
 */
export function TypedEcho(
  { id, type, value }: { id: string; type: string; value?: string },
) {
  const say = useSay();
  if (!value || browserKeeps(type, value)) return null;
  return (
    <small class="typed" id={`${id}-typed`}>
      {say("site.field.typed", { value })}
    </small>
  );
}

/** The `aria-describedby` of an input: its echo and its error, when shown. */
export function describedBy(
  id: string,
  { type, value, error }: { type: string; value?: string; error?: string },
) {
  const ids = [
    value && !browserKeeps(type, value) && `${id}-typed`,
    error && `${id}-error`,
  ].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/** A labelled input with its inline error. */
export function Field(
  props: Readonly<{
    label: string;
    name: string;
    type?: string;
    value?: string;
    error?: string;
    required?: boolean;
    autocomplete?: string;
    hint?: string;
    minlength?: number;
    maxlength?: number;
    min?: number;
    max?: number;
    step?: number;
    inputmode?: "numeric" | "decimal" | "email" | "tel";
  }>,
) {
  const id = `f-${props.name}`;
  const type = props.type ?? "text";
  return (
    <div class={props.error ? "field invalid" : "field"}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={type}
        value={props.value ?? ""}
        required={props.required}
        autocomplete={props.autocomplete}
        minlength={props.minlength}
        maxlength={props.maxlength}
        min={props.min}
        max={props.max}
        step={props.step}
        inputmode={props.inputmode}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy(id, { ...props, type })}
      />
      <TypedEcho id={id} type={type} value={props.value} />
      {props.hint && <small class="hint">{props.hint}</small>}
      {props.error && (
        <small class="error" id={`${id}-error`}>{props.error}</small>
      )}
    </div>
  );
}

export function ErrorPage(
  { status, message }: { status: number; message: string },
) {
  const say = useSay();
  const heading = say(
    status === 404
      ? "site.error.not_found"
      : status === 403
      ? "site.error.not_allowed"
      : status === 503
      ? "site.error.unavailable"
      : status >= 500
      ? "site.error.went_wrong"
      : "site.error.did_not_work",
  );
  return (
    <section class="card narrow">
      <h1>{heading}</h1>
      <p>{message}</p>
      <p>
        <a href="/" class="button">{say("site.error.home")}</a>
      </p>
    </section>
  );
}
