import assert from "node:assert/strict";
import {
  bookableDays,
  freeSlotsOn,
  noticeButtons,
  type NoticeForButtons,
} from "../../domain/chat.ts";
import { callbackData, parseCallback } from "../../lib/chat.ts";
import type { Slot } from "../../domain/types.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const START = at("2026-12-07T09:00:00Z");
const NOW = at("2026-12-06T12:00:00Z");

function notice(
  extra: Partial<Omit<NoticeForButtons, "appointment">> & {
    appointment?: Partial<NoticeForButtons["appointment"]>;
  } = {},
): NoticeForButtons {
  const { appointment, ...rest } = extra;
  return {
    kind: "booked",
    recipient: "client",
    classId: null,
    payload: { status: "scheduled", version: 2 },
    ...rest,
    appointment: {
      status: "scheduled",
      version: 2,
      start: START,
      ...appointment,
    },
  };
}

Deno.test("which notice carries which buttons, while its action is still possible", () => {
  const pending = {
    payload: { status: "pending", version: 2 },
    appointment: { status: "pending" as const },
  };
  const cases: [NoticeForButtons, string | undefined, string][] = [
    [
      notice({ recipient: "trainer", ...pending }),
      "request",
      "a request to the trainer",
    ],
    [
      notice({ recipient: "trainer" }),
      "session",
      "the trainer's booked notice",
    ],
    [notice(), "session", "the client's booked notice"],
    [notice({ kind: "moved" }), "session", "moved"],
    [notice({ kind: "confirmed" }), "session", "confirmed"],
    [notice({ kind: "reminder" }), "session", "the client's reminder"],
    [
      notice({ kind: "reminder", recipient: "trainer" }),
      undefined,
      "the trainer's reminder",
    ],
    [
      notice({ kind: "moved", recipient: "trainer" }),
      undefined,
      "moved, to the trainer",
    ],
    [notice({ kind: "cancelled" }), undefined, "cancelled"],
    [notice({ kind: "declined" }), undefined, "declined"],
    [notice({ kind: "promoted", classId: "c1" }), undefined, "a class notice"],
    [
      notice({ kind: "reminder", classId: "c1" }),
      undefined,
      "a class reminder",
    ],
    [
      notice({ kind: "moved", ...pending }),
      undefined,
      "a pending session moved, to the client",
    ],
    [
      notice({ recipient: "trainer", payload: pending.payload }),
      undefined,
      "a request confirmed before its notice went",
    ],
    [
      notice({ appointment: { status: "cancelled" } }),
      undefined,
      "cancelled before its notice went",
    ],
    [
      notice({ appointment: { version: 3 } }),
      undefined,
      "moved before its notice went",
    ],
    [notice({ appointment: { start: NOW } }), undefined, "started"],
    [
      notice({ appointment: { start: NOW.add({ nanoseconds: 1 }) } }),
      "session",
      "a nanosecond before the start",
    ],
  ];
  for (const [n, expected, why] of cases) {
    assert.equal(noticeButtons(n, NOW), expected, why);
  }
});

const slot = (date: string, hour: number, status: Slot["status"]): Slot => ({
  start: at(`${date}T${String(hour).padStart(2, "0")}:00:00Z`),
  end: at(`${date}T${String(hour + 1).padStart(2, "0")}:00:00Z`),
  date,
  status,
});

Deno.test("/book offers the days of the next seven that have a free slot, and a day's free slots by start", () => {
  const slots = [
    slot("2026-12-06", 10, "past"),
    slot("2026-12-07", 11, "available"),
    slot("2026-12-07", 9, "available"),
    slot("2026-12-07", 10, "booked"),
    slot("2026-12-08", 9, "too_soon"),
    slot("2026-12-09", 9, "mine"),
    slot("2026-12-12", 9, "available"),
    slot("2026-12-13", 9, "available"), // the eighth day: outside the window
    slot("2026-12-10", 9, "too_far"),
  ];
  const today = Temporal.PlainDate.from("2026-12-06");
  assert.deepEqual(bookableDays(slots, today), ["2026-12-07", "2026-12-12"]);
  assert.deepEqual(
    freeSlotsOn(slots, "2026-12-07").map((s) => s.start.toString()),
    ["2026-12-07T09:00:00Z", "2026-12-07T11:00:00Z"],
  );
  assert.deepEqual(freeSlotsOn(slots, "2026-12-08"), []);
});

Deno.test("callback data is the token and a short press code, and nothing else parses", () => {
  const token = "AbCdEfGhIjKlMnOpQrStUv";
  for (
    const press of [
      { do: "confirm" },
      { do: "decline" },
      { do: "cancel" },
      { do: "yes" },
      { do: "keep" },
      { do: "days" },
      { do: "day", index: 6 },
      { do: "slot", index: 123 },
    ] as const
  ) {
    const data = callbackData(token, press);
    assert.ok(new TextEncoder().encode(data).length <= 64, data);
    assert.deepEqual(parseCallback(data), { token, press });
  }
  for (
    const junk of [
      undefined,
      42,
      "",
      `${token}:zz`,
      `${token}:d`,
      `${token}:s1234`,
      `${token.slice(1)}:y`,
      `${token}x:y`,
      `${token}:y:y`,
      "'; DROP TABLE users; --",
    ]
  ) assert.equal(parseCallback(junk), undefined, String(junk));
});
