import { z } from "zod";

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
  TRUST_PROXY: z.string().regex(
    /^(\d{1,2}|true|false)$/,
    "must be 0, 1 (or true/false) or the number of proxies in front, up to 99",
  ).default("0")
    .transform((v) => v === "true" ? 1 : v === "false" ? 0 : Number(v)),
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
  /**
   * How many proxies in front of the app append to `X-Forwarded-For` (0: none, the
   * socket's address counts). The client address is the entry the outermost trusted
   * proxy added: this many entries from the right.
   */
  trustProxy: number;
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
    trustProxy: e.TRUST_PROXY,
  };
}
