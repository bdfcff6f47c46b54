/**
 * The recommended production layout on loopback: a three-member etcd and two PostgreSQL
 * nodes managed by Patroni (Debian's `etcd-server` and `patroni`, with Debian's
 * PostgreSQL), synchronous mode on. Patroni and PostgreSQL run as the `postgres` OS user
 * when the tests run as root. docs/failover.md explains the settings.
 */
import { freePort } from "../../db/embedded.ts";
import { postgresBin, USER } from "./pg_cluster.ts";

const asRoot = Deno.uid() === 0;

export type Member = Readonly<{
  name: string;
  role: string;
  state: string;
  port: number;
}>;

function spawn(program: string, args: string[], asPostgres: boolean) {
  const [cmd, cmdArgs] = asPostgres && asRoot
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, args];
  return new Deno.Command(cmd, {
    args: cmdArgs,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function pipeTo(child: Deno.ChildProcess, log: string) {
  const file = await Deno.open(log, { create: true, append: true });
  const writer = file.writable.getWriter();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) await writer.write(chunk);
  };
  await Promise.allSettled([pump(child.stdout), pump(child.stderr)]);
  await writer.close().catch(() => {});
}

export class PatroniCluster {
  private children: Deno.ChildProcess[] = [];
  private constructor(
    readonly root: string,
    readonly pgPorts: readonly number[],
    readonly apiPorts: readonly number[],
  ) {}

  /** `postgres://spotter@n1,n2/spotter?target_session_attrs=read-write`. */
  url(database = "spotter"): string {
    return `postgres://${USER}@${
      this.pgPorts.map((p) => `127.0.0.1:${p}`).join(",")
    }/${database}?target_session_attrs=read-write`;
  }

  static async start(): Promise<PatroniCluster> {
    const root = await Deno.makeTempDir({ prefix: "spotter-patroni-" });
    await Deno.chmod(root, 0o777);
    const etcdClient = [freePort(), freePort(), freePort()];
    const etcdPeer = [freePort(), freePort(), freePort()];
    const cluster = new PatroniCluster(root, [freePort(), freePort()], [
      freePort(),
      freePort(),
    ]);
    cluster.watchdog();
    const initial = etcdPeer.map((p, i) => `e${i}=http://127.0.0.1:${p}`)
      .join(",");
    for (let i = 0; i < 3; i++) {
      cluster.run(
        "etcd",
        [
          `--name=e${i}`,
          `--data-dir=${root}/etcd${i}`,
          `--listen-client-urls=http://127.0.0.1:${etcdClient[i]}`,
          `--advertise-client-urls=http://127.0.0.1:${etcdClient[i]}`,
          `--listen-peer-urls=http://127.0.0.1:${etcdPeer[i]}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer[i]}`,
          `--initial-cluster=${initial}`,
          "--initial-cluster-state=new",
          "--initial-cluster-token=spotter",
        ],
        `etcd${i}.log`,
        false,
      );
    }
    const hosts = etcdClient.map((p) => `127.0.0.1:${p}`).join(",");
    for (let n = 0; n < 2; n++) {
      const file = `${root}/patroni${n}.yml`;
      await Deno.writeTextFile(file, cluster.config(n, hosts));
      if (asRoot) await Deno.chmod(file, 0o644);
      cluster.run("patroni", [file], `patroni${n}.log`, true);
      // The first node bootstraps the cluster; the second then copies it.
      if (n === 0) {
        await cluster.waitFor((m) => m.some((x) => x.role === "leader"));
      }
    }
    await cluster.waitSynchronous();
    // The database the app uses, created once on the leader (replication copies it).
    const leader = (await cluster.members()).find((m) => m.role === "leader")!;
    await psql(leader.port, "postgres", "CREATE DATABASE spotter");
    return cluster;
  }

  private config(n: number, etcdHosts: string): string {
    const api = this.apiPorts[n];
    const pg = this.pgPorts[n];
    // ttl/loop_wait/retry_timeout are shortened from Patroni's 30/10/10; a primary whose
    // PostgreSQL dies fails over at once (primary_start_timeout 0): synchronous mode
    // makes that safe, the standby has every acknowledged commit.
    return `scope: spotter
name: pg${n}
restapi: {listen: "127.0.0.1:${api}", connect_address: "127.0.0.1:${api}"}
etcd3: {hosts: "${etcdHosts}"}
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 3
    primary_start_timeout: 0
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters: {wal_level: replica, max_wal_senders: 10, wal_log_hints: "on"}
  initdb: [{auth: trust}, {username: ${USER}}]
  pg_hba: ["host all all 127.0.0.1/32 trust", "host replication all 127.0.0.1/32 trust"]
postgresql:
  listen: "127.0.0.1:${pg}"
  connect_address: "127.0.0.1:${pg}"
  data_dir: ${this.root}/pg${n}
  bin_dir: ${postgresBin()}
  pgpass: ${this.root}/pgpass${n}
  authentication:
    superuser: {username: ${USER}}
    replication: {username: ${USER}}
    rewind: {username: ${USER}}
  parameters: {unix_socket_directories: ""}
`;
  }

  private run(
    program: string,
    args: string[],
    log: string,
    asPostgres: boolean,
  ) {
    const child = spawn(program, args, asPostgres);
    void pipeTo(child, `${this.root}/${log}`);
    this.children.push(child);
    // For the watchdog: what to stop if this process dies first.
    Deno.writeTextFileSync(`${this.root}/pids`, `${child.pid}\n`, {
      append: true,
    });
  }

  /** The members as Patroni's REST API sees them (from whichever node answers). */
  async members(): Promise<Member[]> {
    for (const port of this.apiPorts) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/cluster`, {
          signal: AbortSignal.timeout(2_000),
        });
        const body = await res.json();
        return body.members.map((m: Member) => ({
          name: m.name,
          role: m.role,
          state: m.state,
          port: m.port,
        }));
      } catch { /* that node's API is down: ask the other */ }
    }
    return [];
  }

  async waitFor(ok: (m: Member[]) => boolean, timeoutMs = 60_000) {
    const started = Date.now();
    for (;;) {
      const members = await this.members();
      if (ok(members)) return members;
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `Patroni did not get there in ${timeoutMs} ms: ${
            JSON.stringify(members)
          }\n${await this.logs()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A running leader and a running synchronous standby. */
  waitSynchronous(timeoutMs = 60_000) {
    return this.waitFor(
      (m) =>
        m.some((x) => x.role === "leader" && x.state === "running") &&
        m.some((x) => x.role === "sync_standby" && x.state === "running"),
      timeoutMs,
    );
  }

  /** SIGKILL to the leader's postmaster; returns the leader's name. */
  async killLeaderPostmaster(): Promise<string> {
    const leader = (await this.members()).find((m) => m.role === "leader");
    if (!leader) throw new Error("no leader");
    const n = this.pgPorts.indexOf(leader.port);
    const pid = Number(
      (await Deno.readTextFile(`${this.root}/pg${n}/postmaster.pid`))
        .split("\n")[0],
    );
    Deno.kill(pid, "SIGKILL");
    return leader.name;
  }

  async logs(): Promise<string> {
    const tail = async (name: string) =>
      (await Deno.readTextFile(`${this.root}/${name}`).catch(() => ""))
        .split("\n").slice(-15).join("\n");
    return `patroni0:\n${await tail("patroni0.log")}\npatroni1:\n${await tail(
      "patroni1.log",
    )}`;
  }

  /** `deno test` may exit without cleanup: stop everything once this process is gone. */
  private watchdog() {
    const root = this.root;
    const script =
      `while kill -0 ${Deno.pid} 2>/dev/null; do sleep 0.5; done; ` +
      `for p in $(cat ${root}/pids); do kill -TERM $p; done; sleep 3; ` +
      `for d in ${root}/pg0 ${root}/pg1; do [ -f $d/postmaster.pid ] && ` +
      `kill -9 $(head -1 $d/postmaster.pid); done; ` +
      `for p in $(cat ${root}/pids); do kill -9 $p; done; rm -rf ${root}`;
    new Deno.Command("sh", {
      args: ["-c", script],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn().unref();
  }

  /** Stops Patroni (and its PostgreSQL), then etcd, and removes the files. */
  async destroy() {
    const [etcd, patroni] = [this.children.slice(0, 3), this.children.slice(3)];
    const stop = async (children: Deno.ChildProcess[]) => {
      for (const c of children) {
        try {
          c.kill("SIGTERM");
        } catch { /* gone */ }
      }
      await Promise.race([
        Promise.allSettled(children.map((c) => c.status)),
        new Promise((r) => setTimeout(r, 15_000)),
      ]);
      for (const c of children) {
        try {
          c.kill("SIGKILL");
        } catch { /* gone */ }
      }
    };
    await stop(patroni);
    for (let n = 0; n < 2; n++) {
      const pid = Number(
        (await Deno.readTextFile(`${this.root}/pg${n}/postmaster.pid`).catch(
          () => "",
        )).split("\n")[0],
      );
      if (pid > 0) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
    }
    await stop(etcd);
    await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }
}

async function psql(port: number, database: string, command: string) {
  const bin = postgresBin();
  const args = [
    "-X",
    "-v",
    "ON_ERROR_STOP=1",
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    USER,
    "-d",
    database,
    "-c",
    command,
  ];
  const out = await new Deno.Command(`${bin}/psql`, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`psql failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}
