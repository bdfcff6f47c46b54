/**
 * CPU time by part, read from Linux's /proc: this process (the load client), the app
 * process and the PostgreSQL processes this process started (the embedded cluster).
 *
 * ```ts
 * const before = cpuTimes(app.pid);
 * await load();
 * const spent = cpuSpent(before, cpuTimes(app.pid)); // { client, app, postgres } in ms
 * ```
 */
export type CpuTimes = Readonly<
  { client: number; app: number; postgres: number }
>;

const TICKS_PER_SECOND = clockTicks();

/** Milliseconds of CPU each part has used so far; undefined where /proc is missing. */
export function cpuTimes(appPid: number): CpuTimes | undefined {
  if (TICKS_PER_SECOND === undefined) return undefined;
  const processes = readProcesses();
  const children = new Map<number, number[]>();
  for (const p of processes.values()) {
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  }
  const tree = (root: number): number[] => [
    root,
    ...(children.get(root) ?? []).flatMap(tree),
  ];
  const ms = (pids: number[]) =>
    pids.reduce((total, pid) => total + (processes.get(pid)?.ticks ?? 0), 0) *
    1000 / TICKS_PER_SECOND;
  const appTree = new Set(tree(appPid));
  const postgres = tree(Deno.pid).filter((pid) =>
    !appTree.has(pid) && processes.get(pid)?.name === "postgres"
  );
  return {
    client: ms([Deno.pid]),
    app: ms([...appTree]),
    postgres: ms(postgres),
  };
}

/** What each part used between two readings, in ms (undefined without /proc). */
export function cpuSpent(
  before: CpuTimes | undefined,
  after: CpuTimes | undefined,
): CpuTimes | undefined {
  if (!before || !after) return undefined;
  return {
    client: after.client - before.client,
    app: after.app - before.app,
    postgres: after.postgres - before.postgres,
  };
}

export const cpuTotal = (t: CpuTimes) => t.client + t.app + t.postgres;

type ProcessStat = { pid: number; ppid: number; name: string; ticks: number };

function readProcesses(): Map<number, ProcessStat> {
  const found = new Map<number, ProcessStat>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // "pid (name) state ppid ... utime stime ...": the name may hold spaces.
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      found.set(Number(entry.name), {
        pid: Number(entry.name),
        ppid: Number(fields[1]),
        name: stat.slice(stat.indexOf("(") + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch { /* the process ended while we read */ }
  }
  return found;
}

function clockTicks(): number | undefined {
  try {
    Deno.statSync(`/proc/${Deno.pid}/stat`);
    const out = new Deno.Command("getconf", { args: ["CLK_TCK"] }).outputSync();
    return Number(new TextDecoder().decode(out.stdout).trim()) || 100;
  } catch {
    return undefined;
  }
}
