import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { page } from "./render.tsx";
import { assertSignedIn, redirectWithFlash } from "./middleware.ts";
import { feedUrl, resetFeedUrl } from "./feeds.ts";
import { FeedPage } from "../views/FeedViews.tsx";

/** `GET /feeds` (the secret link and how to subscribe), `POST /feeds/reset`. */
export const feedPages = new Hono<AppEnv>()
  .get("/feeds", async (c) => {
    const user = assertSignedIn(c);
    const url = await feedUrl(c.get("deps"), user.id);
    return page(
      c,
      "Calendar feed",
      <FeedPage csrf={c.get("csrfToken")} url={url} />,
    );
  })
  .post("/feeds/reset", async (c) => {
    const user = assertSignedIn(c);
    await resetFeedUrl(c.get("deps"), user.id);
    return redirectWithFlash(
      c,
      "/feeds",
      "Here is your new link. The old one no longer works: add the new one to your calendar.",
    );
  });
