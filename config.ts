import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "./lib/log.ts";

const optionalUrl = z.string().url().optional();

const Env = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8000),
  DATABASE_URL: z.string().regex(
    /^postgres(ql)?:\/\//,
    "must start with postgres://",
  ).optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  APP_URL: optionalUrl,
  TELEGRAM_BOT_TOKEN: z.string().regex(
    /^\d+:[\w-]+$/,
    "must look like 123456:ABC-def",
  ).optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(
    /^[\w-]{1,256}$/,
    "letters, digits, _ and - only",
  )
    .optional(),
  SMTP_URL: z.string().regex(
    /^smtps?:\/\//,
    "must start with smtp:// or smtps://",
  ).optional(),
  MAIL_FROM: z.string().min(3).default("Spotter <no-reply@localhost>"),
  TELEGRAM_RATE: z.coerce.number().positive().max(1000).default(28),
  SMTP_RATE: z.coerce.number().positive().max(1000).default(10),
  TRUST_PROXY: z.string().regex(
    /^(\d{1,2}|true|false)$/,
    "must be 0, 1 (or true/false) or the number of proxies in front, up to 99",
  ).default("0")
    .transform((v) => v === "true" ? 1 : v === "false" ? 0 : Number(v)),
  CALENDAR_SYNC_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  CALENDARS_ALLOW_PRIVATE: z.enum(["0", "1", "true", "false"]).default("0")
    .transform((v) => v === "1" || v === "true"),
  PSEUDO_LOCALE: z.enum(["0", "1", "true", "false"]).default("0")
    .transform((v) => v === "1" || v === "true"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  METRICS_TOKEN: z.string().regex(
    /^[\x21-\x7e]{16,256}$/,
    "16 to 256 visible ASCII characters, no spaces",
  ).optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(0).max(10_000).default(14),
  PG_CLIENT_BIN: z.string().min(1).optional(),
}).refine((e) => e.METRICS_PORT === undefined || e.METRICS_PORT !== e.PORT, {
  path: ["METRICS_PORT"],
  message: "must differ from PORT",
});

export type Config = Readonly<{
  port: number;
  databaseUrl?: string;
  dataDir: string;
  appUrl: string;
  telegramBotToken?: string;
  telegramApiRoot: string;
  telegramWebhookSecret?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Telegram messages per second for all processes together (Telegram allows about 30). */
  telegramRate: number;
  /** E-mails per second for all processes together (what the SMTP relay allows). */
  smtpRate: number;
  /**
   * How many proxies in front of the app append to `X-Forwarded-For` (0: none, the
   * socket's address counts). The client address is the entry the outermost trusted
   * proxy added: this many entries from the right.
   */
  trustProxy: number;
  /** How often the trainers' other calendars are fetched again, in minutes. */
  calendarSyncMinutes: number;
  /** Calendar addresses may name loopback or private networks (tests, an intranet). */
  calendarsAllowPrivate: boolean;
  /** `Accept-Language: en-XA` renders pages in the pseudo-locale (the page sweep). */
  pseudoLocale: boolean;
  logLevel: LogLevel;
  /** Bearer token for `GET /metrics` on the app's port; unset: not served there. */
  metricsToken?: string;
  /** A separate port serving only `GET /metrics`. */
  metricsPort?: number;
  /** Daily backups of the embedded database kept in `DATA_DIR/backups/` (0: none made). */
  backupKeep: number;
  /** A directory with pg_dump and pg_restore, tried before Debian's (db/backup.ts). */
  pgClientBin?: string;
}>;

/**
 * Parses the environment; throws an Error whose message lists every bad variable.
 *
 * ```ts
 * const config = loadConfig(Deno.env.toObject());
 * ```
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means unset, as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== ""),
  );
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) =>
      `  ${i.path.join(".")}: ${i.message}`
    );
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    appUrl: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    telegramBotToken: e.TELEGRAM_BOT_TOKEN,
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/$/, ""),
    telegramWebhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    telegramRate: e.TELEGRAM_RATE,
    smtpRate: e.SMTP_RATE,
    trustProxy: e.TRUST_PROXY,
    calendarSyncMinutes: e.CALENDAR_SYNC_MINUTES,
    calendarsAllowPrivate: e.CALENDARS_ALLOW_PRIVATE,
    pseudoLocale: e.PSEUDO_LOCALE,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    backupKeep: e.BACKUP_KEEP,
    pgClientBin: e.PG_CLIENT_BIN,
  };
}
