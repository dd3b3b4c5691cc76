import { DEFAULT_LOCALE, locales, type Locale } from '../src/shared/messages/locale.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';
import type { Card } from './card.js';

/**
 * Builds a card once per language with the same `build` (so every language has the same blocks,
 * buttons and values) and returns the English card carrying the others as `translations`.
 */
export function localizeCard(build: (t: Translator, locale: Locale) => Card): Card {
  const primary = build(translator(DEFAULT_LOCALE), DEFAULT_LOCALE);
  const translations: Partial<Record<Locale, Card>> = {};
  for (const locale of locales) if (locale !== DEFAULT_LOCALE) translations[locale] = build(translator(locale), locale);
  return { ...primary, translations };
}
