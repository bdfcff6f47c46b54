import type { DeviceSession } from "../domain/types.ts";
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";
import { type Say, useSay } from "./locale.ts";

const BROWSERS: readonly [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/^curl\//, "curl"],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "Mac"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

/**
 * A rough name for the device behind a user agent ("Firefox on Android"), only to tell
 * one's own devices apart: the header is the device's own words.
 *
 * @example deviceName("Mozilla/5.0 (iPhone; …) … Version/18.0 Mobile/15E148 Safari/604.1") // "Safari on iPhone"
 */
export function deviceName(
  userAgent: string | undefined,
  say: Say = useSay(),
): string {
  if (!userAgent) return say("site.devices.unknown");
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) {
    return say("site.devices.browser_on", { browser, system });
  }
  return browser ?? system ?? userAgent.slice(0, 40);
}

const when = (say: Say, at: Temporal.Instant, tz: string) =>
  say("time.instant", { day: longDate(at, tz), time: time(at, tz) });

/** The profile's list of signed-in devices, each with "Sign out". */
export function DevicesCard(
  { csrf, sessions, timezone }: {
    csrf: string;
    sessions: readonly DeviceSession[];
    timezone: string;
  },
) {
  const say = useSay();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section class="card" id="devices">
      <h2>{say("site.devices.heading")}</h2>
      <ul class="devices">
        {sessions.map((s) => (
          <li>
            <strong>
              {s.via === "api"
                ? say("site.devices.api_token")
                : deviceName(s.userAgent, say)}
            </strong>
            {s.via === "api" && s.userAgent
              ? ` (${deviceName(s.userAgent, say)})`
              : ""}
            {s.current
              ? <span class="badge">{say("site.devices.this_device")}</span>
              : ""}
            <br />
            <span class="hint">
              {say("site.devices.when", {
                signedIn: when(say, s.createdAt, timezone),
                lastUsed: when(say, s.lastUsedAt, timezone),
              })}
            </span>
            <form method="post" action={`/profile/sessions/${s.id}/signout`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                {say(
                  s.current
                    ? "site.devices.sign_out"
                    : "site.devices.sign_out_this",
                )}
              </button>
            </form>
          </li>
        ))}
      </ul>
      {others > 0
        ? (
          <form method="post" action="/profile/sessions/signout-others">
            <Csrf token={csrf} />
            <button type="submit" class="danger">
              {say("site.devices.sign_out_others")}
            </button>
          </form>
        )
        : <p class="muted">{say("site.devices.no_others")}</p>}
    </section>
  );
}
