import type { DeviceSession } from "../domain/types.ts";
import { Csrf } from "./Layout.tsx";
import { longDate, time } from "./format.ts";

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
export function deviceName(userAgent: string | undefined): string {
  if (!userAgent) return "Unknown device";
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 40);
}

const when = (at: Temporal.Instant, tz: string) =>
  `${longDate(at, tz)}, ${time(at, tz)}`;

/** The profile's list of signed-in devices, each with "Sign out". */
export function DevicesCard(
  { csrf, sessions, timezone }: {
    csrf: string;
    sessions: readonly DeviceSession[];
    timezone: string;
  },
) {
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section class="card" id="devices">
      <h2>Signed-in devices</h2>
      <ul class="devices">
        {sessions.map((s) => (
          <li>
            <strong>
              {s.via === "api" ? "API token" : deviceName(s.userAgent)}
            </strong>
            {s.via === "api" && s.userAgent
              ? ` (${deviceName(s.userAgent)})`
              : ""}
            {s.current ? <span class="badge">This device</span> : ""}
            <br />
            <span class="hint">
              Signed in {when(s.createdAt, timezone)} · last used{" "}
              {when(s.lastUsedAt, timezone)}
            </span>
            <form method="post" action={`/profile/sessions/${s.id}/signout`}>
              <Csrf token={csrf} />
              <button type="submit" class="secondary">
                {s.current ? "Sign out" : "Sign out this device"}
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
              Sign out everywhere else
            </button>
          </form>
        )
        : <p class="muted">No other device is signed in.</p>}
    </section>
  );
}
