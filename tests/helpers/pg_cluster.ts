/**
 * A PostgreSQL cluster that a fault test may stop, restart, kill and promote: Debian's
 * binaries (`apt-get install postgresql`, or `PG_BIN`) under pg_ctl, in a temp dir, on a
 * loopback port, run as the `postgres` OS user when the tests run as root.
 */
import { freePort } from "../../db/embedded.ts";

export const USER = "spotter";

/** The newest /usr/lib/postgresql/<version>/bin, or `PG_BIN`. */
export function postgresBin(): string {
  const fromEnv = Deno.env.get("PG_BIN");
  if (fromEnv) return fromEnv;
  let versions: number[] = [];
  try {
    versions = [...Deno.readDirSync("/usr/lib/postgresql")]
      .map((e) => Number(e.name)).filter((v) => v > 0).sort((a, b) => b - a);
  } catch { /* not installed */ }
  const found = versions.find((v) => {
    try {
      return Deno.statSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`).isFile;
    } catch {
      return false;
    }
  });
  if (!found) {
    throw new Error(
      "Fault tests need Debian's PostgreSQL: apt-get install postgresql (or set PG_BIN).",
    );
  }
  return `/usr/lib/postgresql/${found}/bin`;
}

const asRoot = Deno.uid() === 0;

async function run(program: string, args: string[]): Promise<string> {
  const [cmd, cmdArgs] = asRoot
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, args];
  const out = await new Deno.Command(cmd, {
    args: cmdArgs,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { LC_ALL: "C" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`${program} ${args.join(" ")} failed:\n${text}`);
  }
  return text;
}

export type StopMode = "smart" | "fast" | "immediate";

export class PgCluster {
  private constructor(
    readonly root: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  get dataDir() {
    return `${this.root}/data`;
  }

  /** `postgres://spotter@127.0.0.1:<port>/<database>` (trust authentication on loopback). */
  url(database = "spotter"): string {
    return `postgres://${USER}@127.0.0.1:${this.port}/${database}`;
  }

  /** A new, started primary with a `spotter` database. */
  static async primary(
    options: Readonly<{ settings?: Record<string, string> }> = {},
  ): Promise<PgCluster> {
    const cluster = await PgCluster.empty();
    await run(`${cluster.bin}/initdb`, [
      "-D",
      cluster.dataDir,
      "-U",
      USER,
      "--auth=trust",
      "--no-sync",
    ]);
    await cluster.configure({
      wal_level: "replica",
      max_wal_senders: "10",
      ...options.settings,
    });
    await Deno.writeTextFile(
      `${cluster.dataDir}/pg_hba.conf`,
      "host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
    );
    await cluster.start();
    await cluster.psql("postgres", "CREATE DATABASE spotter");
    return cluster;
  }

  /** A streaming standby of `primary` (pg_basebackup), started; its WAL receiver is `name`. */
  static async standbyOf(primary: PgCluster, name: string): Promise<PgCluster> {
    const cluster = await PgCluster.reserve();
    await cluster.follow(primary, name);
    return cluster;
  }

  /** A cluster with a port and a directory but no data yet (see `follow`). */
  static reserve(): Promise<PgCluster> {
    return PgCluster.empty();
  }

  /** Fills this (reserved) cluster with a base backup of `primary` and starts it as a standby. */
  async follow(primary: PgCluster, name: string) {
    await run(`${this.bin}/pg_basebackup`, [
      "-h",
      "127.0.0.1",
      "-p",
      String(primary.port),
      "-U",
      USER,
      "-D",
      this.dataDir,
      "-R",
      "-X",
      "stream",
      "--checkpoint=fast",
      "--no-sync",
    ]);
    // A promoted standby's copy names no synchronous standby until told so.
    await this.configure({ synchronous_standby_names: "" });
    await Deno.writeTextFile(
      `${this.dataDir}/postgresql.auto.conf`,
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${USER} application_name=${name}'\n`,
    );
    await this.start();
  }

  private static async empty(): Promise<PgCluster> {
    const root = await Deno.makeTempDir({ prefix: "spotter-pg-" });
    await Deno.chmod(root, 0o777); // the postgres OS user writes here
    const bin = postgresBin();
    // `deno test` may exit without cleanup: stop the server once this process is gone.
    const pgCtl = `${asRoot ? "runuser -u postgres -- " : ""}${bin}/pg_ctl`;
    new Deno.Command("sh", {
      args: [
        "-c",
        `while kill -0 ${Deno.pid} 2>/dev/null; do sleep 0.5; done; ` +
        `${pgCtl} -D ${root}/data -m immediate stop; rm -rf ${root}`,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn().unref();
    return new PgCluster(root, freePort(), bin);
  }

  /** Appends settings to postgresql.conf (a reload or restart applies them). */
  async configure(settings: Record<string, string>) {
    const lines = Object.entries(settings).map(([k, v]) => `${k} = '${v}'\n`);
    await Deno.writeTextFile(
      `${this.dataDir}/postgresql.conf`,
      lines.join(""),
      { append: true },
    );
  }

  private options() {
    return `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=`;
  }

  private pgCtl(args: string[]) {
    return run(`${this.bin}/pg_ctl`, [
      "-D",
      this.dataDir,
      "-l",
      `${this.root}/log`,
      ...args,
    ]);
  }

  start() {
    return this.pgCtl(["-o", this.options(), "-w", "start"]);
  }

  stop(mode: StopMode = "fast") {
    return this.pgCtl(["-m", mode, "-w", "stop"]);
  }

  restart(mode: StopMode = "fast") {
    return this.pgCtl(["-o", this.options(), "-m", mode, "-w", "restart"]);
  }

  reload() {
    return this.pgCtl(["reload"]);
  }

  /** Ends recovery: a standby becomes a primary that accepts writes. */
  promote() {
    return this.pgCtl(["-w", "promote"]);
  }

  /** Runs each SQL command through psql (each its own transaction); returns the output. */
  psql(database: string, ...commands: string[]): Promise<string> {
    return run(`${this.bin}/psql`, [
      "-X",
      "-A",
      "-t",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      "127.0.0.1",
      "-p",
      String(this.port),
      "-U",
      USER,
      "-d",
      database,
      ...commands.flatMap((command) => ["-c", command]),
    ]);
  }

  log(): Promise<string> {
    return Deno.readTextFile(`${this.root}/log`).catch(() => "");
  }

  /** Stops the server (if running) and removes its files. */
  async destroy() {
    await this.stop("immediate").catch(() => {});
    await Deno.remove(this.root, { recursive: true }).catch(() => {});
  }
}
