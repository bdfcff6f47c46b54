import type { Logger } from "../lib/log.ts";
import { metrics } from "../lib/metrics.ts";

/**
 * Runs one pass of background job `job`, counts it (`spotter_job_runs_total`) and writes
 * one log line: the job, its result, how long it took and what `fields` picks from its
 * return value (counts, never contents). A failure is logged and rethrown.
 *
 * ```ts
 * await runJob(log, "deliver", () => service.deliver(), (r) => ({ sent: r.sent }));
 * ```
 */
export async function runJob<T>(
  log: Logger,
  job: string,
  run: () => Promise<T>,
  fields: (result: T) => Record<string, unknown> = () => ({}),
): Promise<T> {
  const started = performance.now();
  const took = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const result = await run();
    metrics.jobRuns.inc({ job, result: "ok" });
    log.info("job", {
      job,
      result: "ok",
      duration_ms: took(),
      ...fields(result),
    });
    return result;
  } catch (error) {
    metrics.jobRuns.inc({ job, result: "error" });
    log.error("job", { job, result: "error", duration_ms: took(), error });
    throw error;
  }
}
