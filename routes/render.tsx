import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "./context.ts";
import { isHtmx } from "./middleware.ts";
import { html, raw } from "hono/html";
import { Layout, type Script } from "../views/Layout.tsx";
import { assetUrls } from "./static.ts";
import { viewerLanguage, viewerLocale } from "./language.ts";
import { LocaleContext } from "../views/locale.ts";

type Status =
  | 200
  | 201
  | 400
  | 401
  | 403
  | 404
  | 409
  | 413
  | 422
  | 429
  | 500
  | 503;

/** The posted form's text fields (the last value of each name). */
export async function formValues(
  c: Context<AppEnv>,
): Promise<Record<string, string>> {
  const form = await c.req.formData().catch(() => new FormData());
  const values: Record<string, string> = {};
  form.forEach((v, k) => {
    if (typeof v === "string") values[k] = v;
  });
  return values;
}

/**
 * The scripts a page's markup uses: htmx on every page (boosted links), Alpine only
 * where an element carries `x-data` (dialogs, row editors).
 */
export const scriptsFor = (markup: string): readonly Script[] =>
  markup.includes(" x-data=") ? ["htmx", "alpine"] : ["htmx"];

/** Renders a full page in the shell, with the scripts its body uses. */
export async function page(
  c: Context<AppEnv>,
  title: string,
  body: Child,
  status: Status = 200,
) {
  const locale = viewerLocale(c);
  const markup = String(
    await html`${(
      <LocaleContext.Provider value={locale}>{body}</LocaleContext.Provider>
    )}`,
  );
  return htmlIn(
    c,
    <Layout
      title={title}
      assets={assetUrls()}
      scripts={scriptsFor(markup)}
      user={c.get("user")}
      csrfToken={c.get("csrfToken")}
      flash={c.get("flash")}
      path={c.req.path}
      lang={viewerLanguage(c)}
    >
      {raw(markup)}
    </Layout>,
    status,
  );
}

/** `c.html` in the viewer's locale: every view below reads it (views/locale.ts). */
export function htmlIn(c: Context<AppEnv>, node: Child, status: Status = 200) {
  return c.html(
    <LocaleContext.Provider value={viewerLocale(c)}>
      {node}
    </LocaleContext.Provider>,
    status,
  );
}

/**
 * One component serves both the htmx swap and the full page: htmx gets the fragment,
 * everything else the page around it. `Vary` keeps caches from mixing the two.
 */
export function fragmentOrPage(
  c: Context<AppEnv>,
  title: string,
  fragment: Child,
  wrap: (fragment: Child) => Child = (f) => f,
  status: Status = 200,
) {
  c.header("Vary", "HX-Request");
  if (isHtmx(c) && c.req.header("HX-Boosted") !== "true") {
    return htmlIn(c, fragment, status);
  }
  return page(c, title, wrap(fragment), status);
}
