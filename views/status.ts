import type { StatusWords } from "../lib/status_words.ts";

/** The state's words live in `lib/status_words.ts`, shared with the Telegram chat. */
export {
  cancelledText,
  type StatusTone,
  type StatusWords,
  statusWords,
} from "../lib/status_words.ts";

/** The badge's classes for these words. */
export const badgeClass = (w: StatusWords) => `badge badge-${w.tone}`;
