import {
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from "node:crypto";
import { Buffer } from "node:buffer";
import { Semaphore } from "./semaphore.ts";

/** scrypt cost as log2(N); 15 → N = 32768, r = 8: 32 MiB and ~150 ms per hash here. */
export const DEFAULT_PASSWORD_COST = 15;

/**
 * Every password hash of this process takes a turn here: two run at once (on worker
 * threads) and the rest queue, so a burst of sign-ups or sign-ins can neither take every
 * core from other requests nor claim 32 MiB per request at once.
 */
export const passwordHashing = new Semaphore(2);

function scryptAsync(
  password: string,
  salt: Buffer,
  logN: number,
): Promise<Buffer> {
  const N = 2 ** logN;
  return passwordHashing.run(() =>
    new Promise((resolve, reject) =>
      scrypt(password, salt, 32, {
        N,
        r: 8,
        p: 1,
        maxmem: 256 * N * 8 + 1024 * 1024,
      }, (e, key) => e ? reject(e) : resolve(key))
    )
  );
}

/** Memory-hard hash in a self-describing format: `scrypt$logN$salt$hash`. */
export async function hashPassword(
  password: string,
  logN = DEFAULT_PASSWORD_COST,
) {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, logN);
  return `scrypt$${logN}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(
  password: string,
  stored: string,
): Promise<boolean> {
  const [scheme, logN, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(
    password,
    Buffer.from(salt, "base64"),
    Number(logN),
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash computed once so that unknown e-mails cost as much time as wrong passwords. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(logN: number): Promise<string> {
  dummyHash ??= hashPassword("not-a-real-password", logN);
  return dummyHash;
}

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** 128 random bits, URL-safe, 22 characters: short enough for Telegram's callback data. */
export function newShortToken(): string {
  return randomBytes(16).toString("base64url");
}

/** SHA-256 of a token (synchronous node:crypto: far cheaper per request than WebCrypto here). */
export function sha256(text: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(text).digest());
}

/**
 * The CSRF token of a signed-in browser: bound to its session token (which never leaves
 * the HttpOnly cookie), so it changes at every sign-in and cannot be guessed from outside.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash("sha256").update(`csrf:${sessionToken}`).digest(
    "base64url",
  );
}

/** HMAC-SHA-256 of `text` under `key`, URL-safe: a value only the key's holder could make. */
export function hmac(key: Uint8Array, text: string): string {
  return createHmac("sha256", key).update(text).digest("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// No 0/O, 1/I/L, U: a code survives being read aloud or typed from a phone.
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `K7QM-4XTP-9RWD`: 12 characters from 30, about 59 bits. */
export function newReferralCode(): string {
  const chars: string[] = [];
  while (chars.length < 12) {
    for (const b of randomBytes(16)) {
      // 240 = 8 × 30: dropping larger bytes keeps the draw uniform.
      if (b < 240 && chars.length < 12) chars.push(CODE_ALPHABET[b % 30]);
    }
  }
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** Accepts codes typed loosely: lower case, spaces, missing dashes. */
export function normalizeReferralCode(input: string): string {
  const plain = input.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return plain.match(/.{1,4}/g)?.join("-") ?? "";
}
