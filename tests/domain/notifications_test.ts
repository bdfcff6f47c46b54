import assert from "node:assert/strict";
import {
  type AppointmentEvent,
  type AppointmentSnapshot,
  chooseChannel,
  dedupeKey,
  type DeliveryCandidate,
  type NotificationKind,
  planEvent,
  type PlannedNotification,
  type ReminderDrop,
  remindersFor,
  reminderVoidReason,
} from "../../domain/notifications.ts";
import { classRemindersFor } from "../../domain/class_notices.ts";
import type { Actor, AppointmentStatus } from "../../domain/types.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const NS = { nanoseconds: 1 } as const;

// Monday 7 December 2026, 10:00–11:00 in Berlin; reminders two hours ahead, at 07:00Z.
const START = at("2026-12-07T09:00:00Z");
const END = at("2026-12-07T10:00:00Z");
const DUE = at("2026-12-07T07:00:00Z");
const NOW = at("2026-12-06T12:00:00Z");

function snapshot(
  extra: Partial<AppointmentSnapshot> = {},
): AppointmentSnapshot {
  return {
    id: "appt-1",
    trainerId: "trainer-1",
    clientId: "client-1",
    start: START,
    end: END,
    status: "scheduled",
    version: 3,
    cancellationReason: null,
    timezone: "Europe/Berlin",
    trainerName: "Tess Trainer",
    clientName: "Cleo Client",
    remindersEnabled: true,
    reminderMinutes: 120,
    ...extra,
  };
}

const PAYLOAD = {
  trainerName: "Tess Trainer",
  clientName: "Cleo Client",
  startsAt: "2026-12-07T09:00:00.000Z",
  endsAt: "2026-12-07T10:00:00.000Z",
  timezone: "Europe/Berlin",
  version: 3,
  status: "scheduled",
} as const;

function reminder(
  recipient: Actor,
  dueAt = DUE,
  payload: PlannedNotification["payload"] = PAYLOAD,
): PlannedNotification {
  return {
    appointmentId: "appt-1",
    trainerId: "trainer-1",
    recipient,
    recipientId: recipient === "client" ? "client-1" : "trainer-1",
    kind: "reminder",
    version: 3,
    payload,
    dueAt,
  };
}

// --- remindersFor ----------------------------------------------------------

Deno.test("reminders go to the client always and to the trainer when their reminders are on", () => {
  assert.deepEqual(remindersFor(snapshot(), NOW), [
    reminder("client"),
    reminder("trainer"),
  ]);
  assert.deepEqual(remindersFor(snapshot({ remindersEnabled: false }), NOW), [
    reminder("client"),
  ]);
});

Deno.test("only a scheduled session gets reminders", () => {
  const cases: [AppointmentStatus, number][] = [
    ["scheduled", 2],
    ["pending", 0],
    ["cancelled", 0],
    ["completed", 0],
  ];
  for (const [status, count] of cases) {
    assert.equal(remindersFor(snapshot({ status }), NOW).length, count, status);
  }
});

Deno.test("a reminder is due reminderMinutes before the start", () => {
  const cases: [number, string][] = [
    [15, "2026-12-07T08:45:00Z"],
    [120, "2026-12-07T07:00:00Z"],
    [1440, "2026-12-06T09:00:00Z"],
    [2880, "2026-12-05T09:00:00Z"],
  ];
  for (const [reminderMinutes, due] of cases) {
    const rows = remindersFor(
      snapshot({ reminderMinutes }),
      at("2026-12-01T00:00:00Z"),
    );
    assert.deepEqual(
      rows.map((r) => r.dueAt.toString()),
      [due, due],
      String(reminderMinutes),
    );
  }
});

Deno.test("no reminder is planned once its time has come; one nanosecond earlier it is", () => {
  const cases: [Temporal.Instant, number][] = [
    [DUE.subtract(NS), 2],
    [DUE, 0],
    [DUE.add(NS), 0],
    [START.subtract({ minutes: 1 }), 0],
    [START.add({ hours: 1 }), 0],
  ];
  for (const [now, count] of cases) {
    assert.equal(remindersFor(snapshot(), now).length, count, now.toString());
  }
});

// --- planEvent -------------------------------------------------------------

Deno.test("an event's notice goes now to the other side of the actor, with the event as its kind", () => {
  const events: AppointmentEvent[] = [
    "booked",
    "cancelled",
    "moved",
    "confirmed",
    "declined",
  ];
  const sides: [Actor, Actor, string][] = [
    ["client", "trainer", "trainer-1"],
    ["trainer", "client", "client-1"],
  ];
  for (const event of events) {
    for (const [actor, recipient, recipientId] of sides) {
      const [notice] = planEvent(snapshot(), { event, actor, now: NOW }).rows;
      assert.equal(notice.recipient, recipient, `${event} by ${actor}`);
      assert.equal(notice.recipientId, recipientId, `${event} by ${actor}`);
      assert.equal(notice.kind, event, `${event} by ${actor}`);
      assert.equal(notice.dueAt, NOW, `${event} by ${actor}`);
      assert.equal(notice.version, 3, `${event} by ${actor}`);
      assert.equal(notice.appointmentId, "appt-1");
      assert.equal(notice.trainerId, "trainer-1");
      assert.equal(notice.payload.actor, actor, `${event} by ${actor}`);
    }
  }
});

Deno.test("a notice carries the cancellation reason only for a cancel or a decline", () => {
  const cases: [AppointmentEvent, AppointmentStatus, string | null, object][] =
    [
      ["cancelled", "cancelled", "Sick", { reason: "Sick" }],
      ["declined", "cancelled", "Fully booked", { reason: "Fully booked" }],
      ["cancelled", "cancelled", null, { reason: null }],
      ["booked", "scheduled", "stale", {}],
      ["moved", "scheduled", "stale", {}],
      ["confirmed", "scheduled", "stale", {}],
    ];
  for (const [event, status, cancellationReason, extra] of cases) {
    const a = snapshot({ status, cancellationReason });
    const [notice] = planEvent(a, { event, actor: "trainer", now: NOW }).rows;
    assert.deepEqual(
      notice.payload,
      { ...PAYLOAD, status, actor: "trainer", ...extra },
      event,
    );
  }
});

Deno.test("a moved notice says where the session was last announced, when told", () => {
  const previousStartsAt = "2026-12-06T09:00:00.000Z";
  const [told] = planEvent(snapshot(), {
    event: "moved",
    actor: "trainer",
    now: NOW,
    previousStartsAt,
  }).rows;
  assert.deepEqual(told.payload, {
    ...PAYLOAD,
    actor: "trainer",
    previousStartsAt,
  });
  const [untold] = planEvent(snapshot(), {
    event: "moved",
    actor: "trainer",
    now: NOW,
  }).rows;
  assert.equal("previousStartsAt" in untold.payload, false);
});

Deno.test("an event drops every reminder of a session that is not scheduled, none for a booking, older versions otherwise", () => {
  const cases: [AppointmentEvent, AppointmentStatus, ReminderDrop][] = [
    ["booked", "scheduled", "none"],
    ["booked", "pending", "all"],
    ["moved", "scheduled", "other_versions"],
    ["moved", "pending", "all"],
    ["confirmed", "scheduled", "other_versions"],
    ["cancelled", "cancelled", "all"],
    ["declined", "cancelled", "all"],
    ["moved", "completed", "all"],
  ];
  for (const [event, status, drop] of cases) {
    const plan = planEvent(snapshot({ status }), {
      event,
      actor: "trainer",
      now: NOW,
    });
    assert.equal(plan.drop, drop, `${event} → ${status}`);
    assert.equal(plan.appointmentId, "appt-1");
    assert.equal(plan.version, 3);
  }
});

Deno.test("an event writes its notice first, then the reminders still ahead", () => {
  const kinds = (
    a: AppointmentSnapshot,
    event: AppointmentEvent,
    now = NOW,
  ) =>
    planEvent(a, { event, actor: "client", now }).rows.map((r) =>
      `${r.kind}→${r.recipient}`
    );
  assert.deepEqual(kinds(snapshot(), "booked"), [
    "booked→trainer",
    "reminder→client",
    "reminder→trainer",
  ]);
  assert.deepEqual(kinds(snapshot({ remindersEnabled: false }), "moved"), [
    "moved→trainer",
    "reminder→client",
  ]);
  assert.deepEqual(kinds(snapshot(), "booked", DUE), ["booked→trainer"]);
  assert.deepEqual(
    kinds(snapshot({ status: "cancelled" }), "cancelled"),
    ["cancelled→trainer"],
  );
  assert.deepEqual(kinds(snapshot({ status: "pending" }), "booked"), [
    "booked→trainer",
  ]);
  const plan = planEvent(snapshot(), {
    event: "booked",
    actor: "client",
    now: NOW,
  });
  assert.deepEqual(plan.rows.slice(1), remindersFor(snapshot(), NOW));
});

// --- dedupeKey -------------------------------------------------------------

Deno.test("a message's key is appointment, recipient, kind and version", () => {
  assert.equal(
    dedupeKey({
      appointmentId: "appt-1",
      recipient: "client",
      kind: "reminder",
      version: 3,
    }),
    "appt-1:client:reminder:v3",
  );
  const keys = remindersFor(snapshot(), NOW)
    .concat(remindersFor(snapshot({ version: 4 }), NOW))
    .map(dedupeKey);
  assert.deepEqual(keys, [
    "appt-1:client:reminder:v3",
    "appt-1:trainer:reminder:v3",
    "appt-1:client:reminder:v4",
    "appt-1:trainer:reminder:v4",
  ]);
});

// --- reminderVoidReason ----------------------------------------------------

const MOVED =
  "The session was moved or cancelled after this reminder was planned.";
const STARTED = "The session had already started.";
const OFF = "The trainer turned reminders off.";
const CLIENT_OFF = "The client turned their reminders off.";

function candidate(
  extra: Partial<Omit<DeliveryCandidate, "appointment">> & {
    appointment?: Partial<DeliveryCandidate["appointment"]>;
  } = {},
): DeliveryCandidate {
  const { appointment, ...rest } = extra;
  return {
    kind: "reminder",
    recipient: "client",
    payload: { version: 3 },
    chatId: null,
    remindersEnabled: true,
    clientRemindersEnabled: true,
    ...rest,
    appointment: {
      status: "scheduled",
      version: 3,
      start: START,
      ...appointment,
    },
  };
}

Deno.test("a claimed reminder is void once the session moved, closed or started, or the trainer turned reminders off", () => {
  const now = DUE;
  const cases: [
    DeliveryCandidate,
    Temporal.Instant,
    string | undefined,
    string,
  ][] = [
    [candidate(), now, undefined, "still due"],
    [
      candidate({ recipient: "trainer" }),
      now,
      undefined,
      "the trainer's, still due",
    ],
    [candidate({ appointment: { version: 4 } }), now, MOVED, "moved since"],
    [
      candidate({ payload: { version: 2 } }),
      now,
      MOVED,
      "planned for another version",
    ],
    [
      candidate({ appointment: { status: "cancelled" } }),
      now,
      MOVED,
      "cancelled",
    ],
    [
      candidate({ appointment: { status: "completed" } }),
      now,
      MOVED,
      "completed",
    ],
    [
      candidate({ appointment: { status: "pending" } }),
      now,
      MOVED,
      "pending again",
    ],
    [candidate(), START, STARTED, "exactly at the start"],
    [candidate(), START.add({ minutes: 5 }), STARTED, "after the start"],
    [
      candidate(),
      START.subtract(NS),
      undefined,
      "a nanosecond before the start",
    ],
    [
      candidate({ recipient: "trainer", remindersEnabled: false }),
      now,
      OFF,
      "the trainer's, reminders off",
    ],
    [
      candidate({ recipient: "client", remindersEnabled: false }),
      now,
      undefined,
      "the client's, the trainer's reminders off",
    ],
    [
      candidate({ recipient: "client", clientRemindersEnabled: false }),
      now,
      CLIENT_OFF,
      "the client's, their own reminders off",
    ],
    [
      candidate({ recipient: "trainer", clientRemindersEnabled: false }),
      now,
      undefined,
      "the trainer's: a client's switch is not theirs",
    ],
    [
      candidate({
        recipient: "trainer",
        remindersEnabled: false,
        appointment: { version: 4, start: NOW },
      }),
      START,
      MOVED,
      "moved, started and reminders off: moved is said first",
    ],
    [
      candidate({ recipient: "trainer", remindersEnabled: false }),
      START,
      STARTED,
      "started and reminders off: started is said first",
    ],
  ];
  for (const [n, at_, expected, why] of cases) {
    assert.equal(reminderVoidReason(n, at_), expected, why);
  }
});

Deno.test("a notice is never void, whatever became of the session", () => {
  const kinds: NotificationKind[] = [
    "booked",
    "cancelled",
    "moved",
    "confirmed",
    "declined",
  ];
  for (const kind of kinds) {
    const n = candidate({
      kind,
      recipient: "trainer",
      remindersEnabled: false,
      clientRemindersEnabled: false,
      payload: { version: 1 },
      appointment: { status: "cancelled", version: 2 },
    });
    assert.equal(
      reminderVoidReason(n, START.add({ hours: 1 })),
      undefined,
      kind,
    );
  }
});

// --- chooseChannel ---------------------------------------------------------

type Env = Parameters<typeof chooseChannel>[1];
const ENV: Env = { now: NOW, telegramOn: true, mailOn: true };

Deno.test("a message goes by Telegram when a chat is linked and Telegram runs, whatever anyone's reminder setting; else by e-mail", () => {
  const cases: [Partial<DeliveryCandidate>, Partial<Env>, object, string][] = [
    [{ chatId: "42" }, {}, { send: "telegram" }, "linked"],
    [
      { chatId: "42" },
      { mailOn: false },
      { send: "telegram" },
      "linked, no mail",
    ],
    [
      { chatId: "42", recipient: "trainer" },
      {},
      { send: "telegram" },
      "the trainer's",
    ],
    [{ chatId: null }, {}, { send: "email" }, "no chat"],
    [
      { chatId: "42" },
      { telegramOn: false },
      { send: "email" },
      "Telegram off",
    ],
    [
      { chatId: "42", remindersEnabled: false },
      {},
      { send: "telegram" },
      "the client's reminder, the trainer's reminders off",
    ],
    [
      { chatId: "42", kind: "booked", remindersEnabled: false },
      {},
      { send: "telegram" },
      "a notice, the trainer's reminders off",
    ],
    [
      {
        chatId: "42",
        kind: "booked",
        recipient: "trainer",
        remindersEnabled: false,
      },
      {},
      { send: "telegram" },
      "a notice to the trainer, their reminders off",
    ],
    [
      { chatId: "42", kind: "cancelled", clientRemindersEnabled: false },
      {},
      { send: "telegram" },
      "a notice to a client whose own reminders are off",
    ],
  ];
  for (const [n, env, expected, why] of cases) {
    assert.deepEqual(
      chooseChannel(candidate(n), { ...ENV, ...env }),
      expected,
      why,
    );
  }
});

Deno.test("while Telegram asks to pause, its rows are handed back until then; e-mail rows go on", () => {
  const until = NOW.add({ seconds: 30 });
  const cases: [Partial<DeliveryCandidate>, Partial<Env>, object, string][] = [
    [
      { chatId: "42" },
      { telegramPausedUntil: until },
      { release: until },
      "paused",
    ],
    [
      { chatId: "42" },
      { telegramPausedUntil: until, mailOn: false },
      { release: until },
      "paused, no mail",
    ],
    [
      { chatId: "42" },
      { telegramPausedUntil: NOW },
      { send: "telegram" },
      "the pause ends now",
    ],
    [
      { chatId: "42" },
      { telegramPausedUntil: NOW.subtract(NS) },
      { send: "telegram" },
      "the pause has ended",
    ],
    [
      { chatId: null },
      { telegramPausedUntil: until },
      { send: "email" },
      "no chat",
    ],
    [
      { chatId: "42", remindersEnabled: false },
      { telegramPausedUntil: until },
      { release: until },
      "the trainer's reminders off: still a Telegram row",
    ],
  ];
  for (const [n, env, expected, why] of cases) {
    assert.deepEqual(
      chooseChannel(candidate(n), { ...ENV, ...env }),
      expected,
      why,
    );
  }
});

Deno.test("a message that has no channel is skipped with the reason", () => {
  const not = (why: string) => ({
    skip: `Not sent: ${why} and e-mail is not configured.`,
  });
  const cases: [Partial<DeliveryCandidate>, Partial<Env>, object][] = [
    [{ chatId: null }, { mailOn: false }, not("no Telegram chat is linked")],
    [
      { chatId: null },
      { mailOn: false, telegramOn: false },
      not("no Telegram chat is linked"),
    ],
    [
      { chatId: "42" },
      { mailOn: false, telegramOn: false },
      not("Telegram is off on this server"),
    ],
  ];
  for (const [n, env, expected] of cases) {
    assert.deepEqual(
      chooseChannel(candidate(n), { ...ENV, ...env }),
      expected,
      JSON.stringify([n, env]),
    );
  }
});

Deno.test("a void reminder is skipped with why, before any channel is chosen", () => {
  const cases: [Partial<DeliveryCandidate>, Partial<Env>, string][] = [
    [
      { chatId: "42", appointment: { ...candidate().appointment, version: 4 } },
      {},
      MOVED,
    ],
    [{ chatId: "42" }, {
      now: START,
      telegramPausedUntil: START.add({ minutes: 1 }),
    }, STARTED],
    [{ recipient: "trainer", remindersEnabled: false }, {}, OFF],
    [{ recipient: "trainer", remindersEnabled: false }, { mailOn: false }, OFF],
    [{ chatId: "42", clientRemindersEnabled: false }, {}, CLIENT_OFF],
  ];
  for (const [n, env, why] of cases) {
    assert.deepEqual(
      chooseChannel(candidate(n), { ...ENV, ...env }),
      { skip: why },
      why,
    );
  }
});

// --- classRemindersFor -----------------------------------------------------

const CLASS = {
  id: "class-1",
  trainerId: "trainer-1",
  title: "Strength circuit",
  start: START,
  end: END,
  status: "scheduled",
  timezone: "Europe/Berlin",
  trainerName: "Tess Trainer",
  remindersEnabled: true,
  reminderMinutes: 120,
} as const;
const SEATS = [
  { id: "seat-1", clientId: "client-1", clientName: "Cleo Client" },
  { id: "seat-2", clientId: "client-2", clientName: "Ada Client" },
];

Deno.test("a class has a reminder for every booked seat and one for the trainer, reminderMinutes ahead", () => {
  const rows = classRemindersFor(CLASS, SEATS, NOW, { trainer: true });
  assert.deepEqual(
    rows.map((
      r,
    ) => [r.recipient, r.recipientId, r.dueAt.toString(), dedupeKey(r)]),
    [
      [
        "client",
        "client-1",
        DUE.toString(),
        "class:class-1:seat-1:client:reminder",
      ],
      [
        "client",
        "client-2",
        DUE.toString(),
        "class:class-1:seat-2:client:reminder",
      ],
      [
        "trainer",
        "trainer-1",
        DUE.toString(),
        "class:class-1:trainer:trainer:reminder",
      ],
    ],
  );
  assert.ok(
    rows.every((r) => r.kind === "reminder" && r.classId === "class-1"),
  );
  assert.equal(rows[0].payload.classTitle, "Strength circuit");
  assert.equal(rows[0].payload.clientName, "Cleo Client");
  assert.equal(rows[2].payload.clientName, "");
});

Deno.test("a class reminder follows the trainer's switch for the trainer only, and never one in the past or for a cancelled class", () => {
  const recipients = (
    c: Parameters<typeof classRemindersFor>[0],
    now = NOW,
    trainer = true,
  ) =>
    classRemindersFor(c, SEATS.slice(0, 1), now, { trainer }).map((r) =>
      r.recipient
    );
  assert.deepEqual(recipients({ ...CLASS, remindersEnabled: false }), [
    "client",
  ]);
  assert.deepEqual(recipients(CLASS, NOW, false), ["client"], "a seat alone");
  assert.deepEqual(recipients({ ...CLASS, status: "cancelled" }), []);
  assert.deepEqual(recipients(CLASS, DUE), [], "due exactly now: too late");
  assert.deepEqual(recipients(CLASS, DUE.subtract(NS)), ["client", "trainer"]);
  assert.deepEqual(
    classRemindersFor({ ...CLASS, reminderMinutes: 30 }, [], NOW, {
      trainer: true,
    })
      .map((r) => r.dueAt.toString()),
    [START.subtract({ minutes: 30 }).toString()],
  );
});
