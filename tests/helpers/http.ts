import type { TestContext } from "./app.ts";

// Tests read arbitrary JSON answers field by field.
// deno-lint-ignore no-explicit-any
export type JsonResponse = { status: number; body: any; headers: Headers };

/** Calls the JSON API in process. */
export async function api(
  t: Pick<TestContext, "app">,
  method: string,
  path: string,
  options: {
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    raw?: string;
  } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["Content-Type"] ??= "application/json";
  const res = await t.app.request(path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

let counter = 0;
export const uniqueEmail = (prefix = "user") =>
  `${prefix}-${Date.now().toString(36)}-${
    (counter++).toString(36)
  }@example.test`;

export async function signUpTrainer(
  t: Pick<TestContext, "app">,
  extra: Record<string, unknown> = {},
) {
  const email = uniqueEmail("trainer");
  const res = await api(t, "POST", "/api/trainers", {
    body: {
      name: "Tess Trainer",
      email,
      password: "password-1",
      timezone: "Europe/Berlin",
      ...extra,
    },
  });
  if (res.status !== 201) {
    throw new Error(`trainer sign-up failed: ${JSON.stringify(res.body)}`);
  }
  const login = await api(t, "POST", "/api/sessions", {
    body: { email, password: "password-1" },
  });
  return {
    id: res.body.id as string,
    referralCode: res.body.referralCode as string,
    email,
    token: login.body.token as string,
  };
}

export async function signUpClient(
  t: Pick<TestContext, "app">,
  referralCode: string,
  name = "Cleo Client",
) {
  const email = uniqueEmail("client");
  const res = await api(t, "POST", "/api/clients", {
    body: { referralCode, name, email, password: "password-1" },
  });
  if (res.status !== 201) {
    throw new Error(`client sign-up failed: ${JSON.stringify(res.body)}`);
  }
  const login = await api(t, "POST", "/api/sessions", {
    body: { email, password: "password-1" },
  });
  return {
    id: res.body.id as string,
    trainerId: res.body.trainerId as string,
    email,
    token: login.body.token as string,
  };
}

/** A browser-like session for HTML pages: keeps cookies, finds CSRF tokens in pages. */
export class Browser {
  cookies = new Map<string, string>();
  /** The CSRF token of the last page seen since the session last changed. */
  private csrf: string | undefined;
  constructor(private t: Pick<TestContext, "app">) {}

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const h: Record<string, string> = { ...headers };
    if (this.cookies.size) {
      h.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    let body: string | undefined;
    if (form) {
      h["Content-Type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const res = await this.t.app.request(path, {
      method,
      headers: h,
      body,
      redirect: "manual",
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // A new (or no) session has a CSRF token of its own.
      if (name.endsWith("spotter_session")) this.csrf = undefined;
      if (attrs.some((a) => /max-age=0/i.test(a)) || value === "") {
        this.cookies.delete(name);
      } else this.cookies.set(name, value);
    }
    // The raw bytes too: decoding drops a byte-order mark, as browsers do.
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text, bytes, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request("GET", path, undefined, headers);
  }

  /** The CSRF token a page hands this browser now (fetching a page if none is known). */
  async csrfToken(): Promise<string> {
    let next: string | null = "/signin"; // signed in, it leads to a page of the app
    for (let hops = 0; !this.csrf && next && hops < 3; hops++) {
      next = (await this.get(next)).headers.get("Location");
    }
    if (!this.csrf) throw new Error("no page handed out a CSRF token");
    return this.csrf;
  }

  /** Posts a form with the CSRF token the page handed out. */
  async post(
    path: string,
    form: Record<string, string> = {},
    headers?: Record<string, string>,
  ) {
    const token = await this.csrfToken();
    return this.request("POST", path, { _csrf: token, ...form }, headers);
  }
}
