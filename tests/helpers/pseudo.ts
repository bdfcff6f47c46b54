/**
 * Finding English that went round the catalogues: a page rendered in the pseudo-locale
 * (`PSEUDO_LOCALE=1` and `Accept-Language: en-XA`) has every word accented, so a plain
 * Latin word of three or more letters left in what a person reads is a word no catalogue
 * holds yet.
 */

/** Words of three or more plain Latin letters, once `allowed` (names, zones) is taken out. */
export const rawEnglish = (text: string, allowed: readonly string[] = []) => {
  let rest = text.replace(/https?:\/\/\S+/g, " ")
    // E-mail addresses are data.
    .replace(/[\w.+-]+@[\w.-]+/g, " ")
    // Time zone ids (America/Argentina/Buenos_Aires) are names, not words.
    .replace(/\b[A-Z][A-Za-z]+(\/[A-Za-z0-9_+-]+)+/g, " ")
    // "UTC+01:00" names an offset in every language.
    .replace(/\bUTC\b/g, " ")
    .replace(/\/[a-z]+/g, " ");
  for (const a of allowed) rest = rest.replaceAll(a, " ");
  return rest.match(/\b[A-Za-z]{3,}\b/g) ?? [];
};

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
};

/**
 * What a person reads or hears of a page: its text (without scripts and styles) and the
 * attributes read aloud or shown (`aria-label`, `title`, `placeholder`, `alt`, and a
 * button's `value`).
 */
export function readableText(html: string): string {
  const body = html
    // A time zone's option names a place ("America/New_York"), not a word.
    .replace(/<option value="[A-Za-z]+\/[^"]*"[^>]*>[^<]*<\/option>/g, " ")
    .replace(/<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<style[\s\S]*?<\/style>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ");
  const attributes = [
    ...body.matchAll(
      /\s(?:aria-label|title|placeholder|alt)="([^"]*)"/g,
    ),
  ].map((m) => m[1]);
  const text = body.replace(/<[^>]+>/g, " ");
  return [text, ...attributes].join(" ").replace(
    /&(amp|lt|gt|quot|#39|nbsp);/g,
    (e) => ENTITIES[e],
  );
}
