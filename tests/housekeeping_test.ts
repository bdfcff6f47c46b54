import assert from "node:assert/strict";
import { dbTest, testApp } from "./helpers/app.ts";
import { api, signUpClient, signUpTrainer } from "./helpers/http.ts";
import { sweepExpired } from "../db/housekeeping.ts";
import { insertTelegramLinkToken } from "../db/telegram.ts";
import { claimUpdate, getChatMessage, openChatMessage } from "../db/chat.ts";

const NOW = "2026-12-01T08:00:00Z";
const t = await testApp({ now: NOW });
const at = (iso: string) => Temporal.Instant.from(iso);

dbTest(
  "housekeeping deletes only what has expired: keys past their day, sessions, link tokens",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    // A session that ran out by the test's clock (not the database's), beside the
    // client's live one.
    const ranOut = at(NOW).subtract({ minutes: 1 }).toString();
    await t.sql`
      INSERT INTO sessions (token_hash, user_id, expires_at)
      VALUES (decode(md5(random()::text), 'hex'), ${client.id}, ${ranOut})`;
    const book = () =>
      api(t, "POST", "/api/appointments", {
        token: client.token,
        body: { start: "2026-12-02T10:00:00+01:00" },
        headers: { "Idempotency-Key": "tap-1" },
      });
    const first = await book();
    assert.equal(first.status, 201);
    // One spent-by-time link token, one still good.
    await insertTelegramLinkToken(t.sql, {
      userId: trainer.id,
      tokenHash: crypto.getRandomValues(new Uint8Array(32)),
      expiresAt: at(NOW).subtract({ minutes: 1 }),
      now: at(NOW).subtract({ minutes: 20 }),
    });
    await insertTelegramLinkToken(t.sql, {
      userId: client.id,
      tokenHash: crypto.getRandomValues(new Uint8Array(32)),
      expiresAt: at("2026-12-03T00:00:00Z"),
      now: at(NOW),
    });

    // Just inside the key's day: the key stays and still answers the repeat.
    const early = await sweepExpired(t.sql, at("2026-12-02T07:59:59Z"));
    assert.deepEqual(early, {
      idempotencyKeys: 0,
      sessions: 1,
      telegramLinkTokens: 1,
      telegramChat: 0,
    });
    t.clock.set("2026-12-02T07:59:00Z");
    const repeat = await book();
    assert.equal(repeat.status, 201);
    assert.equal(repeat.body.id, first.body.id);
    // The live session still signs the client in.
    const mine = await api(t, "GET", "/api/appointments", {
      token: client.token,
    });
    assert.equal(mine.status, 200);
    assert.equal(mine.body.appointments.length, 1);

    // A day after it was stored the key goes; nothing else is left to delete.
    const late = await sweepExpired(t.sql, at("2026-12-02T08:00:00Z"));
    assert.deepEqual(late, {
      idempotencyKeys: 1,
      sessions: 0,
      telegramLinkTokens: 0,
      telegramChat: 0,
    });
    const [{ tokens }] = await t.sql<{ tokens: number }[]>`
      SELECT count(*)::int AS tokens FROM telegram_link_tokens`;
    assert.equal(tokens, 1);
  },
);

dbTest(
  "housekeeping forgets handled update ids after a day, /book lists after a day and a session's buttons a day after it ended",
  async () => {
    const trainer = await signUpTrainer(t);
    const client = await signUpClient(t, trainer.referralCode);
    const booked = await api(t, "POST", "/api/appointments", {
      token: client.token,
      body: { start: "2026-12-02T10:00:00+01:00" },
    });
    assert.equal(await claimUpdate(t.sql, 77, at(NOW)), true);
    assert.equal(await claimUpdate(t.sql, 77, at(NOW)), false, "once");
    const open = (appointmentId?: string) =>
      openChatMessage(t.sql, {
        userId: client.id,
        chatId: 99,
        kind: appointmentId ? "session" : "book",
        step: appointmentId ? "open" : "days",
        text: "…",
        appointmentId,
        seen: appointmentId ? { status: "scheduled", version: 1 } : undefined,
        now: at(NOW),
      });
    const picker = await open();
    const session = await open(booked.body.id);
    const swept = (iso: string) => sweepExpired(t.sql, at(iso));
    assert.equal((await swept("2026-12-02T07:59:59Z")).telegramChat, 0);
    // The picker and the update id are a day old; the session ends 2 Dec 10:00Z.
    assert.equal((await swept("2026-12-02T08:00:00Z")).telegramChat, 2);
    assert.equal(await getChatMessage(t.sql, picker), undefined);
    assert.ok(await getChatMessage(t.sql, session));
    assert.equal(
      await claimUpdate(t.sql, 77, at("2026-12-03T09:00:00Z")),
      true,
      "forgotten",
    );
    assert.equal((await swept("2026-12-03T09:59:59Z")).telegramChat, 0);
    assert.equal((await swept("2026-12-03T10:00:00Z")).telegramChat, 1);
    assert.equal(await getChatMessage(t.sql, session), undefined);
  },
);
