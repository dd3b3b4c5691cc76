import { DEFAULT_LOCALE, type Locale } from '../src/shared/messages/locale.js';
import type { Card } from './card.js';

/** The card as written in `locale` (without its translations); a card without that language stays as it is. */
export function selectCardLocale(card: Card, locale: Locale = DEFAULT_LOCALE): Card {
  const chosen = locale === DEFAULT_LOCALE ? card : (card.translations?.[locale] ?? card);
  if (chosen.translations === undefined) return chosen;
  const { translations: _translations, ...rest } = chosen;
  return rest;
}
