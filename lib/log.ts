/**
 * Structured logs: one JSON object per line (`time`, `level`, `msg`, then the fields).
 * Callers pass only what is safe to keep: ids, route patterns, counts, durations — never
 * a password, a token, a cookie, an e-mail body or a raw URL (a feed's URL is its secret).
 *
 * The stdout sink writes asynchronously and in batches: logging never blocks the event
 * loop on a slow reader; past 4 MiB of unwritten lines new ones are dropped and counted
 * (`spotter_log_lines_dropped_total`).
 *
 * ```ts
 * const log = createLogger({ level: "info", sink: stdoutSink() });
 * log.info("request", { method: "GET", route: "/calendar", status: 200 });
 * ```
 */
import { metrics } from "./metrics.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "off"] as const;
export type LogLevel = typeof LOG_LEVELS[number];
export type LogFields = Readonly<Record<string, unknown>>;

export type Logger = Readonly<{
  level: LogLevel;
  /** True when lines of `level` are written (so callers can skip building fields). */
  enabled: (level: Exclude<LogLevel, "off">) => boolean;
  debug: (msg: string, fields?: LogFields) => void;
  info: (msg: string, fields?: LogFields) => void;
  warn: (msg: string, fields?: LogFields) => void;
  error: (msg: string, fields?: LogFields) => void;
}>;

/** Where finished lines go (without their line break). */
export type Sink = Readonly<{ write: (line: string) => void }>;

const RANK: Record<LogLevel, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  off: 100,
};

export function createLogger(
  options: Readonly<{ level: LogLevel; sink: Sink }>,
): Logger {
  const floor = RANK[options.level];
  const emit =
    (level: Exclude<LogLevel, "off">) => (msg: string, fields?: LogFields) => {
      if (RANK[level] < floor) return;
      let line = `{"time":"${
        new Date().toISOString()
      }","level":"${level}","msg":${JSON.stringify(msg)}`;
      if (fields) {
        const rest = JSON.stringify(fields, replaceErrors);
        if (rest.length > 2) line += "," + rest.slice(1, -1);
      }
      options.sink.write(line + "}");
    };
  return {
    level: options.level,
    enabled: (level) => RANK[level] >= floor,
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
  };
}

/** A logger that writes nothing (the default where none is given). */
export const silentLogger: Logger = createLogger({
  level: "off",
  sink: { write: () => {} },
});

/** Errors only, to stderr: the default of jobs built without a logger (tests). */
export const errorLogger: Logger = createLogger({
  level: "error",
  sink: { write: (line) => console.error(line) },
});

/** An Error as its name, message and stack (JSON.stringify would give `{}`). */
function replaceErrors(_key: string, value: unknown) {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

const MAX_PENDING = 4 * 1024 * 1024;

/**
 * Lines to stdout, written by an async write (at most one in flight; lines that arrive
 * meanwhile go out together with the next). `flush()` resolves once all is written.
 */
export function stdoutSink(
  out: Readonly<{ write: (p: Uint8Array) => Promise<number> }> = Deno.stdout,
): Sink & { flush: () => Promise<void> } {
  let pending: string[] = [];
  let pendingBytes = 0;
  let writing: Promise<void> | undefined;
  const encoder = new TextEncoder();
  const drain = async () => {
    try {
      while (pending.length) {
        const data = encoder.encode(pending.join(""));
        pending = [];
        pendingBytes = 0;
        for (let at = 0; at < data.length;) {
          at += await out.write(data.subarray(at));
        }
      }
    } catch {
      // stdout closed: nothing more can be logged; drop what is queued.
      pending = [];
      pendingBytes = 0;
    } finally {
      writing = undefined;
    }
  };
  return {
    write(line) {
      if (pendingBytes > MAX_PENDING) {
        metrics.logLinesDropped.inc();
        return;
      }
      pending.push(line + "\n");
      pendingBytes += line.length + 1;
      writing ??= drain();
    },
    flush: async () => {
      while (writing) await writing;
    },
  };
}

/** A sink that keeps lines in memory (tests read them back). */
export function memorySink(): Sink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}
