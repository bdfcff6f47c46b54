import { freePort } from "../../db/embedded.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A real Spotter server process, for tests that need several of them. */
/**
 * The heap the app runs with, as `deno task start` and the Dockerfile give it: V8 grows
 * its old generation lazily, so under load the process held 437–555 MiB of mostly garbage;
 * capped, it collects sooner and stays near 256 MiB at the same CPU per request
 * (bench/http.ts). A test keeps the three the same.
 */
export const APP_V8_FLAGS = "--v8-flags=--max-old-space-size=256";

export class AppProcess {
  readonly url: string;
  output = "";
  private child: Deno.ChildProcess;
  readonly exited: Promise<Deno.CommandStatus>;

  constructor(
    env: Record<string, string>,
    readonly port = freePort(),
    args: string[] = [],
    /** Flags for `deno run` itself, e.g. `--cpu-prof` in a benchmark. */
    denoArgs: string[] = [],
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", APP_V8_FLAGS, ...denoArgs, "main.ts", ...args],
      cwd: ROOT,
      env: { PORT: String(port), NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const drained = Promise.all([
      this.collect(this.child.stdout),
      this.collect(this.child.stderr),
    ]);
    // Exited means all it printed is in `output` too: the pipes can lag behind the status.
    // (A child left behind holding them would keep them open: wait 2 s at most.)
    this.exited = this.child.status.then(async (status) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        drained,
        new Promise((resolve) => timer = setTimeout(resolve, 2_000)),
      ]);
      clearTimeout(timer);
      return status;
    });
  }

  /** The server's process id. */
  get pid(): number {
    return this.child.pid;
  }

  private async collect(stream: ReadableStream<Uint8Array>) {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      this.output += chunk;
    }
  }

  /** Waits until /healthz answers 200; returns the milliseconds it took. */
  async ready(timeoutMs = 60_000): Promise<number> {
    const started = performance.now();
    while (performance.now() - started < timeoutMs) {
      try {
        const res = await fetch(`${this.url}/healthz`);
        await res.body?.cancel();
        if (res.ok) return performance.now() - started;
      } catch { /* not listening yet */ }
      const done = await Promise.race([
        this.exited,
        new Promise((r) => setTimeout(r, 100)),
      ]);
      if (done) throw new Error(`server exited early:\n${this.output}`);
    }
    throw new Error(`server not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  kill(signal: Deno.Signal = "SIGTERM") {
    try {
      this.child.kill(signal);
    } catch { /* already gone */ }
    return this.exited;
  }
}
