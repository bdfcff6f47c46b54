import assert from "node:assert/strict";
import { isHHMM, typedTime } from "../../domain/time.ts";

Deno.test("a time typed as people type it is written HH:MM", () => {
  for (
    const [typed, written] of [
      ["7", "07:00"],
      ["7:00", "07:00"],
      ["07:00", "07:00"],
      ["7.30", "07:30"],
      ["0700", "07:00"],
      ["730", "07:30"],
      ["1930", "19:30"],
      [" 24 ", "24:00"],
      ["19h30", "19:30"],
    ]
  ) assert.equal(typedTime(typed), written, typed);
});

Deno.test("what is not a time comes back as typed, and is still refused", () => {
  for (const typed of ["", "7 pm", "12345", "7:3", "seven", "25:00", "7:60"]) {
    const written = typedTime(typed);
    if (!["25:00", "7:60"].includes(typed)) {
      assert.equal(written, typed.trim());
    }
    assert.equal(isHHMM(written, { allowEndOfDay: true }), false, typed);
  }
});
