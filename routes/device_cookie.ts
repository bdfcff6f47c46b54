/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a
 * browser that signed in to an account gets a cookie naming that account, signed with the
 * app's key. Signing in to that account from that browser again is exempt from the
 * per-address budget (a gym's shared Wi-Fi may be spent by others' guesses); the
 * per-account budget still applies. The cookie grants nothing else: the password is
 * checked as always.
 */
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import type { Sql } from "../db/client.ts";
import { getSecret } from "../db/secrets.ts";
import { hmac, safeEqual } from "../lib/security.ts";
import { readCookie, writeCookie } from "./middleware.ts";

const DEVICE_COOKIE = "spotter_device";
const DEVICE_DAYS = 180;

const keys = new WeakMap<Sql, Promise<Uint8Array>>();

/** The signing key, read once per pool. */
function keyOf(sql: Sql): Promise<Uint8Array> {
  let key = keys.get(sql);
  if (!key) {
    key = getSecret(sql, "device_cookie");
    key.catch(() => keys.delete(sql));
    keys.set(sql, key);
  }
  return key;
}

const payload = (userId: string, issued: number) =>
  `device:${userId}:${issued}`;

/** The account this browser's device cookie names, if it carries a valid one. */
export async function deviceCookieUser(
  c: Context<AppEnv>,
): Promise<string | undefined> {
  const value = readCookie(c, DEVICE_COOKIE);
  const match = value &&
    /^([0-9a-f-]{36})\.(\d{1,12})\.([\w-]{43})$/.exec(value);
  if (!match) return undefined;
  const [, userId, issuedText, mac] = match;
  const issued = Number(issuedText);
  const age = c.get("deps").now().epochMilliseconds / 1000 - issued;
  if (age < -300 || age > DEVICE_DAYS * 86_400) return undefined;
  const key = await keyOf(c.get("deps").sql);
  return safeEqual(mac, hmac(key, payload(userId, issued)))
    ? userId
    : undefined;
}

/** Gives this browser a device cookie for `userId` (after it signed in to that account). */
export async function setDeviceCookie(c: Context<AppEnv>, userId: string) {
  const issued = Math.floor(c.get("deps").now().epochMilliseconds / 1000);
  const key = await keyOf(c.get("deps").sql);
  writeCookie(
    c,
    DEVICE_COOKIE,
    `${userId}.${issued}.${hmac(key, payload(userId, issued))}`,
    DEVICE_DAYS * 86_400,
  );
}
