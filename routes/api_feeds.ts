import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { assertSignedIn } from "./middleware.ts";
import { feedUrl, resetFeedUrl } from "./feeds.ts";

/** `GET /api/feeds`, `POST /api/feeds/reset` (trainer or client). */
export const feedsApi = new Hono<AppEnv>()
  .get("/feeds", async (c) => {
    const user = assertSignedIn(c);
    return c.json({ url: await feedUrl(c.get("deps"), user.id) });
  })
  .post("/feeds/reset", async (c) => {
    const user = assertSignedIn(c);
    return c.json({ url: await resetFeedUrl(c.get("deps"), user.id) });
  });
