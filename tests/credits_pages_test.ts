/**
 * Packages and credits on the pages, without JavaScript (every form posts as is): the
 * trainer's packages, a client's page with its balance, grants, ledger and the "Sell a
 * package" form, the settings switch, the client's balance and the line before a
 * booking or a seat, the cancel form's refund box, Today's low balances, statistics and
 * the history CSV's credit column.
 */
import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, Browser, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { balance, myCredits, newPackage, sell } from "./helpers/credits.ts";

// Tuesday 2026-12-01 09:00 in Berlin; new trainers work Mon–Fri 09:00–17:00.
const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });

async function signedIn(email: string) {
  const b = new Browser(t);
  const res = await b.post("/signin", { email, password: "password-1" });
  assert.equal(res.status, 303);
  return b;
}

async function world() {
  t.clock.set(NOW);
  const trainer = await signUpTrainer(t);
  const ada = await signUpClient(t, trainer.referralCode, "Ada Lovelace");
  return {
    trainer,
    ada,
    tb: await signedIn(trainer.email),
    ab: await signedIn(ada.email),
  };
}

/** Follows a 303 and returns the page it leads to. */
async function follow(b: Browser, res: { status: number; headers: Headers }) {
  assert.equal(res.status, 303, "expected a redirect");
  return await b.get(res.headers.get("Location")!);
}

const text = (html: string) =>
  html.replace(/<[^>]+>/g, " ").replaceAll("&#39;", "'").replace(/\s+/g, " ");

dbTest(
  "a trainer adds a package on /packages, a bad one is refused with messages and nothing saved, and retires it",
  async () => {
    const { trainer, tb } = await world();
    const empty = await tb.get("/packages");
    assert.equal(empty.status, 200);
    assert.match(text(empty.text), /No packages yet/);

    const bad = await tb.post("/packages", {
      name: "",
      sessions: "0",
      validDays: "",
      price: "12.345",
      currency: "",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Nothing was saved/);
    assert.match(bad.text, /must be an amount such as 450\.00/);
    const noCurrency = await tb.post("/packages", {
      name: "Ten pack",
      sessions: "10",
      validDays: "90",
      price: "450",
      currency: "",
    });
    assert.equal(noCurrency.status, 422);
    assert.match(noCurrency.text, /is required with a price/);
    assert.match(noCurrency.text, /value="Ten pack"/, "what was typed stays");
    const none = await api(t, "GET", "/api/packages", { token: trainer.token });
    assert.deepEqual(none.body.packages, []);

    const added = await tb.post("/packages", {
      name: "Ten pack",
      sessions: "10",
      validDays: "90",
      price: "450,50",
      currency: "eur",
    });
    const list = await follow(tb, added);
    assert.match(list.text, /Added Ten pack\./);
    assert.match(
      text(list.text),
      /Ten pack On sale 10 sessions · valid 90 days · 450\.50 EUR/,
    );
    const [p] = (await api(t, "GET", "/api/packages", { token: trainer.token }))
      .body.packages;
    assert.deepEqual(
      { ...p, id: undefined },
      {
        id: undefined,
        name: "Ten pack",
        sessions: 10,
        validDays: 90,
        priceCents: 45050,
        currency: "EUR",
        active: true,
      },
    );
    const retired = await follow(tb, await tb.post(`/packages/${p.id}/retire`));
    assert.match(retired.text, /Ten pack is retired\./);
    assert.match(text(retired.text), /Ten pack Retired/);
    assert.equal(
      (await api(t, "GET", `/api/packages`, { token: trainer.token })).body
        .packages[0].active,
      false,
    );
    // Another trainer's package is not found.
    const other = await signUpTrainer(t);
    const ob = await signedIn(other.email);
    assert.equal((await ob.post(`/packages/${p.id}/offer`)).status, 404);
    const back = await follow(tb, await tb.post(`/packages/${p.id}/offer`));
    assert.match(back.text, /Ten pack is on sale again\./);
  },
);

dbTest(
  "a client's page shows the balance, grants and ledger, and sells a package with its payment",
  async () => {
    const { trainer, ada, tb } = await world();
    const packageId = await newPackage(t, trainer.token, {
      name: "Ten pack",
      validDays: 90,
      priceCents: 45000,
      currency: "EUR",
    });
    const page = await tb.get(`/clients/${ada.id}`);
    assert.equal(page.status, 200);
    assert.match(text(page.text), /no sessions left to book with/);
    assert.match(page.text, /Sell a package/);

    // Paid by card, the amount left empty: the package's price.
    const sold = await tb.post(`/clients/${ada.id}/credits`, {
      source: packageId,
      method: "card",
      amount: "",
      currency: "",
      note: "First month",
    });
    assert.equal(
      sold.headers.get("Location"),
      `/clients/${ada.id}#credits`,
    );
    const after = await follow(tb, sold);
    assert.match(
      after.text,
      /Ada Lovelace has 10 sessions more, until Monday, 1 March 2027\./,
    );
    assert.match(text(after.text), /10 sessions left to book with/);
    assert.match(
      text(after.text),
      /Ten pack : 10 of 10 left, until Monday, 1 March 2027 · paid 450\.00 EUR \(card\): First month/,
    );
    assert.match(text(after.text), /Sold \+10: 10 sessions added/);
    const credits = await myCredits(t, ada.token);
    assert.equal(credits.balance, 10);
    assert.deepEqual(
      (await api(t, "GET", `/api/clients/${ada.id}/credits`, {
        token: trainer.token,
      })).body.grants[0].paid,
      {
        amountCents: 45000,
        currency: "EUR",
        method: "card",
        note: "First month",
      },
    );

    // "Other": a number of sessions, paid cash; an amount with no method is refused.
    const refused = await tb.post(`/clients/${ada.id}/credits`, {
      source: "custom",
      sessions: "3",
      validDays: "",
      method: "",
      amount: "60",
      currency: "EUR",
    });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /Nothing was sold/);
    assert.match(refused.text, /say how it was paid/);
    const tooMany = await tb.post(`/clients/${ada.id}/credits`, {
      source: "custom",
      sessions: "201",
      method: "",
    });
    assert.equal(tooMany.status, 422);
    assert.match(tooMany.text, /must be a whole number from 1 to 200/);
    assert.equal(await balance(t, ada.token), 10, "nothing was sold");
    const gift = await follow(
      tb,
      await tb.post(`/clients/${ada.id}/credits`, {
        source: "custom",
        sessions: "3",
        validDays: "",
        method: "cash",
        amount: "60",
        currency: "eur",
      }),
    );
    assert.match(gift.text, /Ada Lovelace has 3 sessions more\./);
    assert.match(text(gift.text), /13 sessions left to book with/);
    assert.match(text(gift.text), /no expiry · paid 60\.00 EUR \(cash\)/);

    // Not this trainer's client: 404, and nothing sold.
    const other = await signUpTrainer(t);
    const ob = await signedIn(other.email);
    assert.equal(
      (await ob.post(`/clients/${ada.id}/credits`, {
        source: "custom",
        sessions: "5",
        method: "",
      })).status,
      404,
    );
    assert.equal(await balance(t, ada.token), 13);
  },
);

dbTest(
  "the settings switch turns requireCredit on and off",
  async () => {
    const { trainer, tb } = await world();
    const page = await tb.get("/settings");
    assert.match(page.text, /Clients need a credit to book/);
    assert.doesNotMatch(page.text, /name="requireCredit" value="on" checked/);
    const form = (extra: Record<string, string>) => ({
      timezone: "Europe/Berlin",
      slotMinutes: "60",
      reminderMinutes: "120",
      remindersEnabled: "on",
      ...Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri"].flatMap((d) => [
          [`${d}.0.start`, "09:00"],
          [`${d}.0.end`, "17:00"],
        ]),
      ),
      ...extra,
    });
    await follow(tb, await tb.post("/settings", form({ requireCredit: "on" })));
    const on = await api(t, "GET", "/api/settings", { token: trainer.token });
    assert.equal(on.body.requireCredit, true);
    const shown = await tb.get("/settings");
    assert.match(shown.text, /name="requireCredit" value="on" checked/);
    await follow(tb, await tb.post("/settings", form({})));
    const off = await api(t, "GET", "/api/settings", { token: trainer.token });
    assert.equal(off.body.requireCredit, false);
  },
);

dbTest(
  "before booking the client reads 'Uses 1 of your 4 sessions'; with none left and the switch on, why not and whom to ask",
  async () => {
    const { trainer, ada, ab } = await world();
    const start = encodeURIComponent("2026-12-02T10:00:00+01:00");
    const unpaid = await ab.get(`/book?start=${start}`);
    assert.equal(unpaid.status, 200);
    assert.doesNotMatch(unpaid.text, /Uses 1 of your/);
    assert.match(unpaid.text, /Book this session/);

    await sell(t, trainer.token, ada.id, { sessions: 4 });
    const paid = await ab.get(`/book?start=${start}`);
    assert.match(paid.text, /Uses 1 of your 4 sessions\./);
    const mine = await ab.get("/appointments");
    assert.match(text(mine.text), /You have 4 sessions left to book with\./);

    // Spend all four, then the switch: the confirm step says why and whom to ask.
    for (const hour of ["11", "12", "13", "14"]) {
      const res = await api(t, "POST", "/api/appointments", {
        token: ada.token,
        body: { start: `2026-12-02T${hour}:00:00+01:00` },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requireCredit: true },
    });
    const blocked = await ab.get(`/book?start=${start}`);
    assert.equal(blocked.status, 200);
    assert.match(blocked.text, /No sessions left/);
    assert.match(
      text(blocked.text),
      /You have no sessions left on a package\. Ask your trainer for a new package to book\./,
    );
    assert.match(text(blocked.text), /Packages are sold by Tess Trainer/);
    assert.doesNotMatch(blocked.text, /Book this session/);
    const empty = await ab.get("/appointments");
    assert.match(
      text(empty.text),
      /You have no sessions left\. Ask Tess Trainer for a new package to book again\./,
    );
    // Posting the form anyway (an old tab) books nothing and says why in the same words.
    const post = await ab.post("/book", {
      start: "2026-12-02T10:00:00+01:00",
      key: crypto.randomUUID(),
      notes: "",
    });
    const back = await follow(ab, post);
    assert.match(text(back.text), /You have no sessions left on a package/);
    const [row] = await t.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM appointments WHERE client_id = ${ada.id}`;
    assert.equal(row.n, 4);
  },
);

dbTest(
  "a class page says what a seat or a waitlist place takes, and with the switch on and none left, whom to ask",
  async () => {
    const { trainer, ada, ab } = await world();
    const made = await api(t, "POST", "/api/classes", {
      token: trainer.token,
      body: {
        title: "Strength circuit",
        start: "2026-12-03T18:00:00+01:00",
        capacity: 2,
      },
    });
    const id = made.body.id;
    await sell(t, trainer.token, ada.id, { sessions: 2 });
    const page = await ab.get(`/classes/${id}`);
    assert.match(page.text, /Uses 1 of your 2 sessions\./);
    await api(t, "POST", `/api/clients/${ada.id}/credits`, {
      token: trainer.token,
      body: { sessions: 1 },
    });
    const settings = await api(t, "GET", "/api/settings", {
      token: trainer.token,
    });
    await api(t, "PUT", "/api/settings", {
      token: trainer.token,
      body: { ...settings.body, requireCredit: true },
    });
    const bob = await signUpClient(t, trainer.referralCode, "Bob");
    const bb = await signedIn(bob.email);
    const blocked = await bb.get(`/classes/${id}`);
    assert.match(text(blocked.text), /You have no sessions left on a package/);
    assert.doesNotMatch(blocked.text, /action="\/classes\/[^"]+\/seats"/);
  },
);

dbTest(
  "the trainer's cancel form offers to return the credit, ticked; unticked keeps it used",
  async () => {
    const { trainer, ada, tb } = await world();
    await sell(t, trainer.token, ada.id, { sessions: 5 });
    const book = async (start: string) => {
      const res = await api(t, "POST", "/api/appointments", {
        token: ada.token,
        body: { start },
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id as string;
    };
    const first = await book("2026-12-02T10:00:00+01:00");
    const second = await book("2026-12-02T11:00:00+01:00");
    assert.equal(await balance(t, ada.token), 3);
    const form = await tb.get(`/schedule/${first}/cancel`);
    assert.match(
      form.text,
      /<input type="hidden" name="refund" value="0"><input type="checkbox" name="refund" value="1" checked>\s*Return the session to the client&#39;s package/,
    );
    // Ticked (a browser sends the hidden 0, then the box's 1): the credit goes back.
    const ticked = await tb.request("POST", `/schedule/${first}/cancel`, {
      _csrf: await tb.csrfToken(),
      reason: "",
      refund: "1",
    });
    assert.equal(ticked.status, 303);
    assert.equal(await balance(t, ada.token), 4);
    // Unticked: only the hidden 0 is sent, and the credit stays used.
    const unticked = await tb.post(`/schedule/${second}/cancel`, {
      reason: "No-show",
      refund: "0",
    });
    assert.equal(unticked.status, 303);
    assert.equal(await balance(t, ada.token), 4);
    const session = await api(t, "GET", `/api/appointments/${second}`, {
      token: trainer.token,
    });
    assert.equal(session.body.status, "cancelled");
    assert.ok(session.body.creditGrantId);
    // A session paid by no credit has no box.
    const unpaid = await api(t, "POST", "/api/appointments", {
      token: trainer.token,
      body: {
        clientId: ada.id,
        start: "2026-12-02T12:00:00+01:00",
        useCredit: false,
      },
    });
    const plain = await tb.get(`/schedule/${unpaid.body.id}/cancel`);
    assert.doesNotMatch(plain.text, /name="refund"/);
  },
);

dbTest(
  "Today says who is running out ('Ada Lovelace has 1 session left'), statistics count sold, used and open, and the history CSV has the credit column",
  async () => {
    const { trainer, ada, tb } = await world();
    const packageId = await newPackage(t, trainer.token, { sessions: 2 });
    await sell(t, trainer.token, ada.id, {
      packageId,
      paid: { amountCents: 9000, currency: "EUR", method: "transfer" },
    });
    const used = await api(t, "POST", "/api/appointments", {
      token: ada.token,
      body: { start: "2026-12-01T14:00:00+01:00" },
    });
    assert.equal(used.status, 201);
    const today = await tb.get("/today");
    assert.match(text(today.text), /Ada Lovelace has 1 session left\./);

    const stats = await tb.get("/stats?weeks=4");
    assert.equal(stats.status, 200);
    assert.match(
      text(stats.text),
      /2 sessions sold and 1 used from \d+ \w+ \d{4} to \d+ \w+ \d{4}; 1 still open/,
    );
    assert.match(stats.text, /Payments recorded per month, in EUR/);
    assert.match(text(stats.text), /Dec 2026 EUR 1 90\.00 EUR/);
    const json = await api(t, "GET", "/api/stats?weeks=4", {
      token: trainer.token,
    });
    assert.equal(json.status, 200);
    assert.equal(json.body.credits.sold, 2);
    assert.equal(json.body.credits.used, 1);
    assert.equal(json.body.credits.open, 1);

    // The session happens, then the CSV names its credit as used.
    t.clock.set("2026-12-01T15:00:00Z");
    await api(t, "PATCH", `/api/appointments/${used.body.id}`, {
      token: trainer.token,
      body: { status: "completed" },
    });
    const csv = await tb.get("/history.csv");
    assert.equal(csv.status, 200);
    const [head, row] = csv.text.split("\r\n");
    assert.match(head, /,start_iso,credit$/);
    assert.match(row, /,completed,.*,used$/);
  },
);
