import type { LocalizedText } from './locale.js';

/** A notice's title and text in English (job data, logs, tests) and in every language (`localized`, what readers see). */
export interface LocalizedNotice {
  title: string;
  text: string;
  localized: { title: LocalizedText; text: LocalizedText };
}

/** Pairs a localized title and text into a notice: English as `title`/`text`, every language in `localized`. */
export function localizeNotice(title: LocalizedText, text: LocalizedText): LocalizedNotice {
  return { title: title.en, text: text.en, localized: { title, text } };
}
