/**
 * Fetches a calendar from an address a user gave, safely: the host is resolved first and
 * every address must be public unicast (no loopback, private, link-local, multicast,
 * carrier-grade NAT or reserved ranges, classified by ipaddr.js) unless `allowPrivate`;
 * the connection is then pinned to the checked address (a TCP transport per hop), so a
 * second DNS answer cannot send it elsewhere. At most 3 redirects, each checked like the
 * first address; 10 seconds and 5 MiB in all; `If-None-Match` / `If-Modified-Since`.
 */
import ipaddr from "ipaddr.js";

export const FETCH_LIMITS = {
  timeoutMs: 10_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
} as const;

/** Why a fetch found no calendar; {@link FETCH_ERRORS} words each. */
export type FetchFailure =
  | "not_allowed"
  | "not_found_host"
  | "unreachable"
  | "timeout"
  | "too_large"
  | "too_many_redirects"
  | "bad_status"
  | "bad_address";

export type FetchOutcome =
  | Readonly<{
    kind: "ok";
    text: string;
    etag: string | null;
    lastModified: string | null;
  }>
  | Readonly<{ kind: "not_modified" }>
  | Readonly<{ kind: "failed"; failure: FetchFailure; status?: number }>;

/** Plain words for each failure, as the trainer reads them. */
export const FETCH_ERRORS: Readonly<Record<FetchFailure, string>> = {
  not_allowed:
    "This address points into a private network, which Spotter does not fetch.",
  not_found_host:
    "The calendar's server name was not found. Check the address.",
  unreachable: "The calendar's server could not be reached.",
  timeout: "The calendar's server did not answer within 10 seconds.",
  too_large: "The calendar is larger than 5 MiB.",
  too_many_redirects: "The calendar's address redirected more than 3 times.",
  bad_status:
    "The calendar's server refused the address. Check it is the current secret address.",
  bad_address: "This is not a web address Spotter can fetch.",
};

export type Resolver = (host: string) => Promise<string[]>;

export type FetchOptions = Readonly<{
  etag?: string | null;
  lastModified?: string | null;
  allowPrivate: boolean;
  /** DNS lookup; by default `Deno.resolveDns` (A and AAAA). */
  resolve?: Resolver;
  /** Which addresses may be fetched when `allowPrivate` is off; by default public unicast. */
  allowAddress?: (address: string) => boolean;
  timeoutMs?: number;
  maxBytes?: number;
}>;

/** `webcal:` is fetched as `https:`; only http(s) addresses are fetched at all. */
export function fetchableUrl(address: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return undefined;
  }
  if (url.protocol === "webcal:") url = new URL(`https:${url.href.slice(7)}`);
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (!url.hostname || url.username || url.password) return undefined;
  return url;
}

/** Whether `address` is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === "unicast";
  } catch {
    return false;
  }
}

const defaultResolve: Resolver = async (host) => {
  const lookups = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  return lookups.flatMap((l) => l.status === "fulfilled" ? l.value : []);
};

/** The addresses `url`'s host stands for (an address literal stands for itself). */
async function addressesOf(url: URL, resolve: Resolver): Promise<string[]> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) return [host];
  // Names a resolver may not ask DNS about, but that always mean this machine.
  if (host === "localhost" || host.endsWith(".localhost")) return ["127.0.0.1"];
  return await resolve(host);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `address` as {@link FetchOptions} allow; never throws for what the network or
 * the other server does.
 *
 * @example await fetchCalendar("webcal://p01-caldav.icloud.com/…", { allowPrivate: false })
 */
export async function fetchCalendar(
  address: string,
  options: FetchOptions,
): Promise<FetchOutcome> {
  const fail = (failure: FetchFailure, status?: number): FetchOutcome => ({
    kind: "failed",
    failure,
    ...(status === undefined ? {} : { status }),
  });
  let url = fetchableUrl(address);
  if (!url) return fail("bad_address");
  const signal = AbortSignal.timeout(
    options.timeoutMs ?? FETCH_LIMITS.timeoutMs,
  );
  const headers = new Headers({
    "Accept": "text/calendar, */*;q=0.5",
    "User-Agent": "Spotter calendar sync",
  });
  if (options.etag) headers.set("If-None-Match", options.etag);
  if (options.lastModified) {
    headers.set("If-Modified-Since", options.lastModified);
  }
  for (let hop = 0; hop <= FETCH_LIMITS.maxRedirects; hop++) {
    let addresses: string[];
    try {
      addresses = await addressesOf(url, options.resolve ?? defaultResolve);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return fail("not_found_host");
    const allowed = options.allowAddress ?? isPublicAddress;
    if (!options.allowPrivate && !addresses.every(allowed)) {
      return fail("not_allowed");
    }
    const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
    const client = Deno.createHttpClient({
      proxy: { transport: "tcp", hostname: addresses[0], port },
    });
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          client,
          headers,
          redirect: "manual",
          signal,
        });
      } catch {
        return fail(signal.aborted ? "timeout" : "unreachable");
      }
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const next = fetchableUrl(
          new URL(response.headers.get("Location") ?? "", url).href,
        );
        if (!next) return fail("bad_address");
        url = next;
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        return { kind: "not_modified" };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return fail("bad_status", response.status);
      }
      const body = await readLimited(
        response,
        options.maxBytes ?? FETCH_LIMITS.maxBytes,
      ).catch(() =>
        signal.aborted ? "timeout" as const : "unreachable" as const
      );
      if (typeof body === "string") return fail(body);
      if (body === undefined) return fail("too_large");
      return {
        kind: "ok",
        text: new TextDecoder().decode(body),
        etag: response.headers.get("ETag"),
        lastModified: response.headers.get("Last-Modified"),
      };
    } finally {
      client.close();
    }
  }
  return fail("too_many_redirects");
}

/** The body, or `undefined` as soon as it passes `maxBytes` (the rest is never read). */
async function readLimited(
  response: Response,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get("Content-Length"));
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}
