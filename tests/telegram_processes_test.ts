/**
 * The chat over two real app processes (`deno run main.ts`) on one database, both taking
 * Telegram's webhook from one fake Bot API, on the real clock: an update delivered to both
 * acts once, `/book` races a web booking for the same slot, and a press after a web cancel
 * made through the other process answers the session's state. The processes are started
 * once for the file and stopped after its last test.
 */
import assert from "node:assert/strict";
import { connect } from "../db/client.ts";
import { OUTCOMES } from "../routes/outcomes.ts";
import { MONTHS, WEEKDAYS } from "../lib/messages.ts";
import { dbTest } from "./helpers/app.ts";
import { freshDatabaseUrl } from "./helpers/db.ts";
import { signUpClient, signUpTrainer } from "./helpers/http.ts";
import { AppProcess } from "./helpers/process.ts";
import { remote, seeder } from "./helpers/remote.ts";
import {
  buttonTexts,
  type ChatMessage,
  FakeTelegram,
  press,
  textUpdate,
  type Update,
} from "./helpers/fake_telegram.ts";
import { linkChat } from "./helpers/notify.ts";

const SECRET = "two-process-s3cret";
const CLIENT = 8101;
const TRAINER = 8102;

const fake = await FakeTelegram.start();
const url = await freshDatabaseUrl();
const sql = connect(url, { max: 4 });
const seed = seeder(url);
const env = {
  DATABASE_URL: url,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.url,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  APP_URL: "http://spotter.test",
};
const servers = [new AppProcess(env), new AppProcess(env)];
globalThis.addEventListener("unload", () => {
  for (const s of servers) s.kill();
});

// The servers run on the real clock: sessions go two days ahead and later, in UTC.
const day = (n: number) => Temporal.Now.plainDateISO("UTC").add({ days: n });
const at = (n: number, time: string) =>
  day(n).toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime("UTC")
    .toString({ timeZoneName: "never" });

const world = (async () => {
  await Promise.all(servers.map((s) => s.ready()));
  const trainer = await signUpTrainer(seed, { timezone: "UTC" });
  const all = [{ start: "06:00", end: "20:00" }];
  const settings = await remote(servers[0].url, "PUT", "/api/settings", {
    token: trainer.token,
    body: {
      timezone: "UTC",
      slotMinutes: 60,
      workingHours: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, all]),
      ),
    },
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const client = await signUpClient(seed, trainer.referralCode);
  const ada = await signUpClient(seed, trainer.referralCode, "Ada Client");
  await linkChat(sql, client.id, CLIENT);
  await linkChat(sql, trainer.id, TRAINER);
  return { trainer, client, ada };
})();
world.catch(() => {}); // reported by every test that awaits it

let pending = 0;
const processTest = (name: string, fn: () => Promise<void>) => {
  pending++;
  dbTest(name, async () => {
    try {
      await fn();
    } finally {
      if (--pending === 0) {
        await Promise.all(servers.map((s) => s.kill()));
        await Promise.all([sql.end(), seed.end(), fake.close()]);
      }
    }
  });
};

/** Posts an update to a process's webhook, as Telegram does. */
async function hook(server: AppProcess, update: Update) {
  const res = await fetch(`${server.url}/telegram/webhook`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Telegram-Bot-Api-Secret-Token": SECRET,
    },
    body: JSON.stringify(update),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The next message to `chat` whose text matches, once a process has delivered it. */
async function arrives(chat: number, text: RegExp): Promise<ChatMessage> {
  let found: ChatMessage | undefined;
  await fake.until(
    () =>
      (found = fake.chat(chat).find((m) => text.test(m.text))) !== undefined,
    15_000,
  );
  return found!;
}

const statusOf = async (id: string) => {
  const [row] = await sql<{ status: string; cancelled_by: string | null }[]>`
    SELECT status, cancelled_by FROM appointments WHERE id = ${id}`;
  return row;
};

processTest(
  "the same press delivered to both processes acts once: one change, one answer, one notice",
  async () => {
    const { trainer, client } = await world;
    await sql`UPDATE trainers SET requires_confirmation = true WHERE user_id = ${trainer.id}`;
    const booked = await remote(servers[0].url, "POST", "/api/appointments", {
      token: client.token,
      body: { start: at(2, "10:00") },
    });
    assert.equal(booked.body.status, "pending");
    const request = await arrives(TRAINER, /^Cleo Client asks for a session/);
    assert.deepEqual(buttonTexts(request), [["Confirm", "Decline"]]);
    const answered = fake.answers.length;
    const confirm = press(request, "Confirm");
    await Promise.all(servers.map((s) => hook(s, confirm)));
    assert.equal((await statusOf(booked.body.id)).status, "scheduled");
    assert.equal(fake.answers.length, answered + 1);
    assert.equal(request.edits.length, 1);
    await arrives(CLIENT, /^Tess Trainer confirmed your session/);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(
      fake.chat(CLIENT).filter((m) => /confirmed your session/.test(m.text))
        .length,
      1,
    );
    await sql`UPDATE trainers SET requires_confirmation = false WHERE user_id = ${trainer.id}`;
  },
);

processTest(
  "/book in one process races a web booking of the same slot in the other: one wins, the other is told in words",
  async () => {
    const { client, ada } = await world;
    const outcomes: string[] = [];
    for (const n of [3, 4, 5]) {
      const sent = fake.chat(CLIENT).length;
      await hook(servers[0], textUpdate(CLIENT, "/book"));
      await fake.until(() => fake.chat(CLIENT).length > sent);
      const picker = fake.last(CLIENT);
      const d = day(n);
      const label = `${WEEKDAYS[d.dayOfWeek - 1]} ${d.day} ${
        MONTHS[d.month - 1]
      }`;
      const answered = fake.answers.length;
      await hook(servers[1], press(picker, label));
      await fake.until(() => fake.answers.length > answered);
      assert.equal(picker.buttons[0][0].text, "06:00");
      const [bot, web] = await Promise.all([
        hook(servers[1], press(picker, "06:00")).then(() =>
          fake.answers.at(-1)
        ),
        // The chat's press does more reads before its transaction: the web request
        // starts a little later in later rounds, so either may win.
        new Promise((r) => setTimeout(r, (n - 3) * 25)).then(() =>
          remote(servers[0].url, "POST", "/api/appointments", {
            token: ada.token,
            body: { start: at(n, "06:00") },
          })
        ),
      ]);
      const live = await sql<{ client_id: string }[]>`
        SELECT client_id FROM appointments
        WHERE starts_at = ${
        at(n, "06:00")
      } AND status IN ('scheduled', 'pending')`;
      assert.equal(live.length, 1, "exactly one booking");
      if (live[0].client_id === client.id) {
        assert.equal(bot, "Booked.");
        assert.equal(web.status, 409);
        assert.equal(web.body.error.code, "slot_taken");
        assert.equal(web.body.error.message, OUTCOMES.slot_taken.message);
        outcomes.push("chat");
      } else {
        assert.equal(web.status, 201);
        assert.equal(bot, OUTCOMES.slot_taken.message);
        assert.match(
          picker.text,
          new RegExp(`^${OUTCOMES.slot_taken.message}`),
        );
        assert.ok(
          !buttonTexts(picker).flat().includes("06:00"),
          "the taken time is gone from the list shown again",
        );
        outcomes.push("web");
      }
    }
    console.log(`race winners: ${outcomes.join(", ")}`);
  },
);

processTest(
  "a press in one process after the session was cancelled on the web in the other answers its state and changes nothing",
  async () => {
    const { trainer, client } = await world;
    const booked = await remote(servers[1].url, "POST", "/api/appointments", {
      token: trainer.token,
      body: { clientId: client.id, start: at(6, "12:00") },
    });
    assert.equal(booked.status, 201);
    const notice = await arrives(
      CLIENT,
      /^Tess Trainer booked a session for you on .* 12:00/,
    );
    const answered = fake.answers.length;
    await hook(servers[0], press(notice, "Cancel"));
    await fake.until(() => fake.answers.length > answered);
    const cancelled = await remote(
      servers[1].url,
      "POST",
      `/api/appointments/${booked.body.id}/cancel`,
      { token: trainer.token, body: { reason: "Away" } },
    );
    assert.equal(cancelled.status, 200);
    await hook(servers[0], press(notice, /^Yes/));
    assert.match(fake.answers.at(-1)!, /Now: .* Cancelled by your trainer\.$/);
    assert.deepEqual(notice.buttons, []);
    assert.deepEqual(await statusOf(booked.body.id), {
      status: "cancelled",
      cancelled_by: "trainer",
    });
    const [{ n }] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM notifications
      WHERE appointment_id = ${booked.body.id} AND kind = 'cancelled'`;
    assert.equal(n, 1);
  },
);
