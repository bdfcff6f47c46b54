/**
 * A calendar server on 127.0.0.1 as Google, Apple or Outlook publish one: serves a
 * feed with an ETag and Last-Modified and answers 304 to either validator; also
 * redirects, errors, a huge body and a slow answer on their own paths. Counts requests.
 */
export type FakeCalendar = {
  url: (path?: string) => string;
  /** The feed served at `/cal.ics`; changing it changes the ETag. */
  feed: string;
  /** Requests per path. */
  hits: Map<string, number>;
  /** Conditional headers of the last request to `/cal.ics`. */
  lastConditional: { etag: string | null; since: string | null };
  /** Status to answer on `/cal.ics` instead of the feed (e.g. 500). */
  failWith?: number;
  close: () => Promise<void>;
};

const LAST_MODIFIED = "Mon, 30 Nov 2026 12:00:00 GMT";

export function startFakeCalendar(feed: string): FakeCalendar {
  const etagOf = (text: string) => `"${text.length}-${hash(text)}"`;
  const state: FakeCalendar = {
    url: () => "",
    feed,
    hits: new Map(),
    lastConditional: { etag: null, since: null },
    close: async () => {},
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      state.hits.set(path, (state.hits.get(path) ?? 0) + 1);
      if (path === "/cal.ics") {
        state.lastConditional = {
          etag: req.headers.get("If-None-Match"),
          since: req.headers.get("If-Modified-Since"),
        };
        if (state.failWith) {
          return new Response("no", { status: state.failWith });
        }
        const etag = etagOf(state.feed);
        if (
          req.headers.get("If-None-Match") === etag ||
          req.headers.get("If-Modified-Since") === LAST_MODIFIED &&
            !req.headers.has("If-None-Match")
        ) return new Response(null, { status: 304, headers: { ETag: etag } });
        return new Response(state.feed, {
          headers: {
            "Content-Type": "text/calendar; charset=utf-8",
            ETag: etag,
            "Last-Modified": LAST_MODIFIED,
          },
        });
      }
      if (path.startsWith("/redirect/")) {
        // /redirect/<n>: n more redirects, then the feed.
        const n = Number(path.split("/")[2]);
        const to = n > 0 ? `/redirect/${n - 1}` : "/cal.ics";
        return new Response(null, { status: 302, headers: { Location: to } });
      }
      if (path === "/to-metadata") {
        return new Response(null, {
          status: 302,
          headers: { Location: "http://169.254.169.254/latest/meta-data/" },
        });
      }
      if (path === "/to-private") {
        return new Response(null, {
          status: 301,
          headers: { Location: "http://10.0.0.7/cal.ics" },
        });
      }
      if (path === "/huge.ics") {
        // 6 MiB, streamed without a Content-Length.
        let sent = 0;
        const chunk = new Uint8Array(64 * 1024).fill(65);
        return new Response(
          new ReadableStream({
            pull(controller) {
              if (sent >= 6 * 1024 * 1024) return controller.close();
              sent += chunk.byteLength;
              controller.enqueue(chunk);
            },
          }),
        );
      }
      if (path === "/slow.ics") {
        await new Promise((r) => setTimeout(r, 2_000));
        return new Response(state.feed);
      }
      if (path === "/page.html") {
        return new Response(
          "<html><body>Sign in to see this calendar</body></html>",
          {
            headers: { "Content-Type": "text/html" },
          },
        );
      }
      return new Response("not found", { status: 404 });
    },
  );
  const port = server.addr.port;
  state.url = (path = "/cal.ics") => `http://127.0.0.1:${port}${path}`;
  state.close = () => server.shutdown();
  return state;
}

function hash(text: string) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}
