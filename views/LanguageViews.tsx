import type { Language } from "../domain/types.ts";
import { LANGUAGE_NAMES, LANGUAGES } from "../lib/i18n.ts";
import { Csrf } from "./Layout.tsx";
import { useSay } from "./locale.ts";

/**
 * The profile's language select: what the account reads (e-mails, Telegram messages and,
 * as they are translated, the pages). Each language is named in itself, and marked with
 * its own `lang` so a screen reader says it right.
 */
export function LanguageCard(
  { csrf, current }: { csrf: string; current: Language },
) {
  const say = useSay();
  return (
    <form method="post" action="/profile/language" class="card">
      <h2>{say("site.language.heading")}</h2>
      <Csrf token={csrf} />
      <label>
        {say("site.language.label")}
        <select name="language">
          {LANGUAGES.map((l) => (
            <option value={l} lang={l} selected={l === current}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary">{say("site.form.save")}</button>
    </form>
  );
}
