import { locales, type Locale, type LocalizedText } from './locale.js';
import type { MessageKey } from './messages.js';
import type { MessageArgs } from './translate.js';
import { translator, type Translator } from './translator.js';

/** Catalogue message `key` in every language: `{ en: 'No open incidents.', zh: '当前没有未关闭的事件。' }`. */
export function localize<K extends MessageKey>(key: K, ...args: MessageArgs<K>): LocalizedText {
  return localizeWith((t) => t(key, ...args));
}

/** A text composed from catalogue messages (and data that stays as it is), made once per language. */
export function localizeWith(compose: (t: Translator, locale: Locale) => string): LocalizedText {
  return Object.fromEntries(locales.map((locale) => [locale, compose(translator(locale), locale)])) as Record<Locale, string>;
}

/** The text of `text` in `locale`: a plain string is data (an alert label, a name) and reads the same in every language. */
export function pickText(text: string | LocalizedText, locale: Locale): string {
  return typeof text === 'string' ? text : text[locale];
}
