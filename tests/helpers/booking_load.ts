/**
 * A booking load for fault tests: workers book distinct 30-minute sessions for one
 * trainer through real app processes, one after another, and keep every answer.
 */
import { remote } from "./remote.ts";
import type { AppProcess } from "./process.ts";

export type Answer = Readonly<{
  status: number;
  code?: string;
  id?: string;
  start: string;
  server: number;
  retryAfter: string | null;
}>;

export type LoadTarget = Readonly<{
  servers: readonly AppProcess[];
  token: string;
  clientIds: readonly string[];
  /** The first session's start; the n-th slot starts n × 30 minutes later. */
  from: Temporal.Instant;
  /** Bookings asked for each slot, one after another (through alternate servers). */
  perSlot?: number;
}>;

/** Books the n-th session of `target` through server `n % servers`. */
export async function bookNth(
  target: LoadTarget,
  n: number,
  headers?: Record<string, string>,
): Promise<Answer> {
  const server = n % target.servers.length;
  const slot = Math.floor(n / (target.perSlot ?? 1));
  const start = target.from.add({ minutes: 30 * slot }).toString();
  try {
    const res = await remote(
      target.servers[server].url,
      "POST",
      "/api/appointments",
      {
        token: target.token,
        headers,
        body: {
          clientId: target.clientIds[n % target.clientIds.length],
          start,
          duration: 30,
        },
      },
    );
    return {
      status: res.status,
      code: res.body?.error?.code,
      id: res.status === 201 ? res.body.id : undefined,
      start,
      server,
      retryAfter: res.headers.get("Retry-After"),
    };
  } catch {
    // No HTTP answer at all: the process is gone (the test checks that separately).
    return { status: 0, start, server, retryAfter: null };
  }
}

/** Runs `workers` booking loops until `stop()`; `answers` grows as they answer. */
export function startLoad(target: LoadTarget, workers = 4) {
  const answers: Answer[] = [];
  let next = 0;
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const answer = await bookNth(target, next++);
      answers.push(answer);
      // Without an HTTP answer there is nothing to wait for: do not spin.
      if (answer.status === 0 || answer.status === 503) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    answers,
    /** Number of answers with this status so far. */
    count: (status: number) =>
      answers.filter((a) => a.status === status).length,
    /** Resolves once `n` more bookings than now have been answered 201. */
    async moreBooked(n: number, timeoutMs = 30_000) {
      const goal = answers.filter((a) => a.status === 201).length + n;
      const started = Date.now();
      while (answers.filter((a) => a.status === 201).length < goal) {
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `no ${n} more bookings within ${timeoutMs} ms: ${summary(answers)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Answers counted by status (and error code), for assertion messages. */
export function summary(answers: readonly Answer[]): string {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.code ? `${a.status} ${a.code}` : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return JSON.stringify(counts);
}

/** True while the process has not exited. */
export function watchAlive(server: AppProcess): () => boolean {
  let alive = true;
  server.exited.then(() => alive = false);
  return () => alive;
}

/** Rejects, with what it printed, as soon as one of `servers` exits. */
export function failOnExit(servers: readonly AppProcess[]): Promise<never> {
  const exited = Promise.race(
    servers.map((s, i) =>
      s.exited.then((status): never => {
        throw new Error(
          `server ${i} exited (${status.code}):\n${s.output.slice(-3000)}`,
        );
      })
    ),
  );
  exited.catch(() => {});
  return exited;
}

/**
 * `fetch` against an app process that must be up: a connection the server closed while
 * idle (keep-alive) is tried once more; a process that is gone is named with its output.
 */
export async function fetchFrom(
  server: AppProcess,
  path: string,
  init?: RequestInit,
): Promise<Response> {
  for (let attempt = 1;; attempt++) {
    try {
      return await fetch(`${server.url}${path}`, init);
    } catch (error) {
      const gone = await Promise.race([
        server.exited.then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 100)),
      ]);
      if (gone) {
        throw new Error(`server exited:\n${server.output.slice(-3000)}`);
      }
      if (attempt === 3) throw error;
    }
  }
}
