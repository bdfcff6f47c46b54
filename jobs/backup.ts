import {
  backupDatabase,
  type BackupStatus,
  findPgTools,
} from "../db/backup.ts";
import type { Logger } from "../lib/log.ts";
import { metrics } from "../lib/metrics.ts";
import { runJob } from "./observe.ts";

export type BackupDeps = Readonly<{
  url: string;
  /** Where the files go (`DATA_DIR/backups`). */
  dir: string;
  /** Files kept; older ones are removed after a backup succeeds. */
  keep: number;
  pgClientBin?: string;
  log: Logger;
  now: () => Temporal.Instant;
}>;

const PREFIX = "spotter-";
const SUFFIX = ".dump";
const DAY_MS = 24 * 3600 * 1000;

/** `spotter-20261207T031500Z.dump`: names sort by time. */
export function backupName(at: Temporal.Instant): string {
  const stamp = at.round("second").toString().replaceAll(/[-:]/g, "");
  return `${PREFIX}${stamp}${SUFFIX}`;
}

async function listBackups(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.isFile && e.name.startsWith(PREFIX) && e.name.endsWith(SUFFIX)) {
        names.push(e.name);
      }
    }
  } catch { /* no folder yet */ }
  return names.sort();
}

/**
 * The embedded database's own backups: `run()` writes one into `dir` and keeps the last
 * `keep`; `status()` tells `/healthz?detail` how the last one went. A failure is logged
 * and counted (`spotter_backups_total{result="error"}`), and the status says why.
 */
export function createBackups(deps: BackupDeps) {
  let state: BackupStatus = { status: "pending" };
  let active: Promise<void> | undefined;
  const backUp = async (): Promise<void> => {
    const at = deps.now();
    try {
      const done = await runJob(deps.log, "backup", async () => {
        await Deno.mkdir(deps.dir, { recursive: true });
        const tools = await findPgTools(deps.url, deps.pgClientBin);
        const result = await backupDatabase({
          url: deps.url,
          file: `${deps.dir}/${backupName(at)}`,
          tools,
        });
        const names = await listBackups(deps.dir);
        for (
          const old of names.slice(0, Math.max(0, names.length - deps.keep))
        ) {
          await Deno.remove(`${deps.dir}/${old}`);
        }
        return result;
      }, (r) => ({ file: r.file, bytes: r.bytes }));
      metrics.backups.inc({ result: "ok" });
      metrics.lastBackup.set(at.epochMilliseconds / 1000);
      state = {
        status: "ok",
        lastSuccessAt: at.toString(),
        lastFile: done.file,
      };
    } catch (error) {
      metrics.backups.inc({ result: "error" });
      const last = state.status === "off" ? {} : {
        lastSuccessAt: state.lastSuccessAt,
        lastFile: state.lastFile,
      };
      state = {
        status: "failed",
        ...last,
        failedAt: at.toString(),
        error: (error as Error).message,
      };
    }
  };
  /** One backup at a time: a run asked for while one is going joins it. */
  const run = () => active ??= backUp().finally(() => active = undefined);
  /** True when the newest file is more than a day old (or there is none). */
  const due = async () => {
    const newest = (await listBackups(deps.dir)).at(-1);
    if (!newest) return true;
    const stat = await Deno.stat(`${deps.dir}/${newest}`);
    if (state.status === "pending") {
      state = {
        status: "ok",
        lastSuccessAt: Temporal.Instant.fromEpochMilliseconds(
          stat.mtime!.getTime(),
        ).toString(),
        lastFile: `${deps.dir}/${newest}`,
      };
    }
    return deps.now().epochMilliseconds - stat.mtime!.getTime() > DAY_MS;
  };
  return {
    run,
    due,
    status: (): BackupStatus => state,
    /** Resolves once a backup in progress is done. */
    idle: async () => {
      await active;
    },
  };
}

/**
 * Backs the embedded database up daily at 03:23 (`Deno.cron`) and once at start when the
 * newest backup is more than a day old. `keep` 0: none are made.
 */
export function startBackups(deps: BackupDeps) {
  if (deps.keep === 0) {
    return {
      status: (): BackupStatus => ({ status: "off" }),
      stop: () => Promise.resolve(),
    };
  }
  const backups = createBackups(deps);
  const controller = new AbortController();
  Deno.cron(
    "daily backup",
    "23 3 * * *",
    { signal: controller.signal },
    () => backups.run(),
  );
  void backups.due().then((due) => due ? backups.run() : undefined);
  return {
    status: backups.status,
    /** Stops the cron and waits for a backup in progress (pg_dump is not cut off). */
    stop: async () => {
      controller.abort();
      await backups.idle();
    },
  };
}
