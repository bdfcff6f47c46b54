/** The trainer the HTTP benches measure: Berlin, half-hour slots, a full working week. */
import { api, signUpTrainer } from "../tests/helpers/http.ts";
import type { seeder } from "../tests/helpers/remote.ts";

const DAY = [{ start: "07:00", end: "12:00" }, {
  start: "13:00",
  end: "21:00",
}];

/** Signs up the benches' trainer on `seed` and sets its working week. */
export async function signUpWeekTrainer(seed: ReturnType<typeof seeder>) {
  const trainer = await signUpTrainer(seed, { timezone: "Europe/Berlin" });
  const put = await api(seed, "PUT", "/api/settings", {
    token: trainer.token,
    body: {
      timezone: "Europe/Berlin",
      slotMinutes: 30,
      workingHours: {
        mon: DAY,
        tue: DAY,
        wed: DAY,
        thu: DAY,
        fri: DAY,
        sat: [{ start: "09:00", end: "14:00" }],
        sun: [],
      },
    },
  });
  if (put.status !== 200) throw new Error(JSON.stringify(put.body));
  return trainer;
}
