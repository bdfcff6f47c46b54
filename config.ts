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
  TELEGRAM_RATE: z.coerce.number().positive().max(1000).default(28),
  SMTP_RATE: z.coerce.number().positive().max(1000).default(10),
  TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0")
    .transform((v) => v === "1" || v === "true"),
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
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
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
  };
}
