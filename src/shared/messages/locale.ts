/** The languages Warden writes its cards and replies in (`locale` in the config). */
export const locales = ['en', 'zh'] as const;

/** `en` (English, the default) or `zh` (Simplified Chinese). */
export type Locale = (typeof locales)[number];

/** A text in every language Warden speaks, e.g. `{ en: 'Acknowledge', zh: '确认' }`. */
export type LocalizedText = Readonly<Record<Locale, string>>;

/** The language every text falls back to. */
export const DEFAULT_LOCALE: Locale = 'en';
