import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { feedUrl, resetFeedUrl } from "./feeds.ts";
import { FeedPage } from "../views/FeedViews.tsx";
import { sayFor } from "./language.ts";

/** `GET /feeds` (the secret link and how to subscribe), `POST /feeds/reset`. */
export const feedPages = new Hono<AppEnv>()
  .get("/feeds", async (c) => {
    const user = assertSignedIn(c);
    const url = await feedUrl(c.get("deps"), user.id);
    return page(
      c,
      sayFor(c)("client.feed.title"),
      <FeedPage csrf={c.get("csrfToken")} url={url} />,
    );
  })
  .post("/feeds/reset", async (c) => {
    const user = assertSignedIn(c);
    await resetFeedUrl(c.get("deps"), user.id);
    return redirectWithFlash(
      c,
      "/feeds",
      sayFor(c)("client.feed.reset_done"),
    );
  });
