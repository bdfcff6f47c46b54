/** Calls of the packages and credits API that several test files share. */
import assert from "node:assert/strict";
import type { TestContext } from "./app.ts";
import { api } from "./http.ts";

type T = Pick<TestContext, "app">;

/** A package of the trainer's; returns its id. */
export async function newPackage(
  t: T,
  token: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await api(t, "POST", "/api/packages", {
    token,
    body: { name: "Ten pack", sessions: 10, ...body },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** Credits sold to (or given) a client: `{sessions: n}` unless the body says otherwise. */
export async function sell(
  t: T,
  token: string,
  clientId: string,
  body: Record<string, unknown>,
) {
  const res = await api(t, "POST", `/api/clients/${clientId}/credits`, {
    token,
    body,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** `{balance, grants, ledger}` as the client sees it. */
export async function myCredits(t: T, clientToken: string) {
  const res = await api(t, "GET", "/api/credits", { token: clientToken });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as {
    balance: number;
    grants: { id: string; remaining: number; expiresOn: string | null }[];
    ledger: {
      kind: string;
      delta: number;
      grantId: string;
      appointmentId: string | null;
      classId: string | null;
    }[];
  };
}

/** The client's balance. */
export const balance = async (t: T, clientToken: string) =>
  (await myCredits(t, clientToken)).balance;

/** Turns `requireCredit` on or off, keeping every other setting. */
export async function requireCredit(t: T, token: string, on: boolean) {
  const current = await api(t, "GET", "/api/settings", { token });
  const res = await api(t, "PUT", "/api/settings", {
    token,
    body: { ...current.body, requireCredit: on },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}
