import {
  cancelledText as cancelledIn,
  type StatusWords,
  statusWords as statusIn,
} from "../lib/status_words.ts";
import { currentLocale } from "./locale.ts";

/**
 * The state's words live in `lib/status_words.ts`, shared with the Telegram chat; on a
 * page they are in the page's locale.
 */
export type { StatusTone, StatusWords } from "../lib/status_words.ts";

/** A session's state in the words of the page being rendered. */
export const statusWords: typeof statusIn = (
  a,
  viewer,
  now,
  locale = currentLocale(),
) => statusIn(a, viewer, now, locale);

/** A cancelled session's words in the page's locale. */
export const cancelledText: typeof cancelledIn = (
  a,
  viewer,
  locale = currentLocale(),
) => cancelledIn(a, viewer, locale);

/** The badge's classes for these words. */
export const badgeClass = (w: StatusWords) => `badge badge-${w.tone}`;
