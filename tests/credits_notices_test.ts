/**
 * The credit notices go out like every other notice: by Telegram when the client linked
 * a chat, else by e-mail, once each, with the balance in the trainer's words.
 */
import assert from "node:assert/strict";
import { startDeliveryRig } from "./helpers/delivery_rig.ts";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { requireCredit, sell } from "./helpers/credits.ts";
import { linkChat } from "./helpers/notify.ts";

const t = await testApp({ now: "2026-12-01T08:00:00Z" });
const CHAT = 5553001;

dbTest(
  "credits_low reaches a linked client by Telegram and another by e-mail; passed_over by e-mail; each once",
  async () => {
    const { fake, smtp, deliver, close } = await startDeliveryRig(t);
    try {
      const trainer = await signUpTrainer(t);
      const ada = await signUpClient(t, trainer.referralCode, "Ada");
      const bob = await signUpClient(t, trainer.referralCode, "Bob");
      await linkChat(t.sql, ada.id, CHAT);
      await sell(t, trainer.token, ada.id, { sessions: 2 });
      const booked = await api(t, "POST", "/api/appointments", {
        token: ada.token,
        body: { start: "2026-12-02T10:00:00+01:00" },
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));

      // Bob waits for a full class with no credit; the switch on, his turn passes him by.
      const made = await api(t, "POST", "/api/classes", {
        token: trainer.token,
        body: {
          title: "Strength circuit",
          start: "2026-12-03T18:00:00+01:00",
          capacity: 2,
        },
      });
      const classId = made.body.id;
      const cleo = await signUpClient(t, trainer.referralCode, "Cleo");
      for (const c of [ada, cleo, bob]) {
        const seat = await api(t, "POST", `/api/classes/${classId}/seats`, {
          token: c.token,
          body: {},
        });
        assert.equal(seat.status, 201, JSON.stringify(seat.body));
      }
      await requireCredit(t, trainer.token, true);
      const left = await api(
        t,
        "DELETE",
        `/api/classes/${classId}/seats/${cleo.id}`,
        { token: trainer.token },
      );
      assert.equal(left.status, 204);

      await deliver();
      await deliver();
      const lows = fake.delivered.filter((m) =>
        String(m.text).includes("left")
      );
      // Ada's booking left 1, then her seat left 0: two notices, both by Telegram (due
      // at one instant, so sent in either order).
      assert.deepEqual(lows.map((m) => String(m.text)).sort().reverse(), [
        "Your session on Wed 2 Dec 2026, 10:00–11:00 (Europe/Berlin) used a credit: you have 1 session left. Ask Tess Trainer for a new package when you need one.\n" +
        "Manage your sessions: http://spotter.test/appointments",
        "Your seat in Strength circuit on Thu 3 Dec 2026, 18:00–19:00 (Europe/Berlin) used a credit: you have no sessions left. Ask Tess Trainer for a new package to book again.\n" +
        "Your classes: http://spotter.test/calendar",
      ]);
      const toBob = smtp.received.filter((m) => m.to.includes(bob.email));
      assert.deepEqual(toBob.map((m) => m.subject), [
        "Waitlist: Strength circuit on Thu 3 Dec, 18:00",
      ]);
      assert.match(toBob[0].text, /you had no sessions left/);
      const rows = await t.sql<{ kind: string; channel: string }[]>`
        SELECT kind, channel FROM notifications
        WHERE kind IN ('credits_low', 'passed_over') AND status = 'sent'
        ORDER BY created_at, kind`;
      assert.deepEqual(rows.map((r) => [r.kind, r.channel]), [
        ["credits_low", "telegram"],
        ["credits_low", "telegram"],
        ["passed_over", "email"],
      ]);
    } finally {
      await close();
    }
  },
);
