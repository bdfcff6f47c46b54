import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import libmime from "libmime";

/** One e-mail as the server received it, decoded enough to read in assertions. */
export type ReceivedMail = Readonly<{
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  raw: string;
  /** When its sender connected (`Date.now()`): one connection per e-mail. */
  at: number;
}>;

/**
 * A real SMTP server (`smtp-server`) on 127.0.0.1 that keeps what it receives.
 * STARTTLS is off: the transport connects with `?ignoreTLS=true`.
 */
export class FakeSmtp {
  private constructor(
    private server: SMTPServer,
    readonly port: number,
    readonly received: ReceivedMail[],
    private rejections: { code: number; message: string }[],
  ) {}

  static async start(): Promise<FakeSmtp> {
    const received: ReceivedMail[] = [];
    const rejections: { code: number; message: string }[] = [];
    const began = new Map<string, number>();
    const server = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      authOptional: true,
      logger: false,
      onConnect(session, callback) {
        began.set(session.id, Date.now());
        callback();
      },
      onRcptTo(_address, _session, callback) {
        const reject = rejections.shift();
        if (!reject) return callback();
        callback(
          Object.assign(new Error(reject.message), {
            responseCode: reject.code,
          }),
        );
      },
      onData(stream, session, callback) {
        const chunks: Uint8Array[] = [];
        stream.on("data", (c: Uint8Array) => chunks.push(c));
        stream.on("end", () => {
          const raw = new TextDecoder().decode(concat(chunks));
          received.push({ ...parse(raw, session), at: began.get(session.id)! });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve())
    );
    const port = (server.server.address() as AddressInfo).port;
    return new FakeSmtp(server, port, received, rejections);
  }

  /** `SMTP_URL` for this server. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}/?ignoreTLS=true`;
  }

  /** The next recipient is refused with this reply. */
  rejectNext(code: number, message = "Mailbox unavailable") {
    this.rejections.push({ code, message });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function parse(
  raw: string,
  session: {
    envelope: {
      mailFrom: false | { address: string };
      rcptTo: { address: string }[];
    };
  },
): Omit<ReceivedMail, "at"> {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) =>
    new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text = encoding === "quoted-printable"
    ? decodeQuotedPrintable(body)
    : encoding === "base64"
    ? new TextDecoder().decode(
      Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0)),
    )
    : body;
  return {
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
    to: session.envelope.rcptTo.map((r) => r.address),
    // Non-ASCII subjects come as RFC 2047 encoded words (German, Russian, Spanish).
    subject: libmime.decodeWords(header("Subject")),
    messageId: header("Message-ID"),
    text: text.replace(/\r\n/g, "\n").trimEnd(),
    raw,
  };
}

function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
