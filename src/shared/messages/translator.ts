import type { Locale } from './locale.js';
import type { MessageKey } from './messages.js';
import { translate, type MessageArgs } from './translate.js';

/** {@link translate} bound to one locale: `t('card.incident.acknowledge')`. */
export type Translator = <K extends MessageKey>(key: K, ...args: MessageArgs<K>) => string;

/** A {@link Translator} for `locale`. */
export function translator(locale: Locale): Translator {
  return (key, ...args) => translate(locale, key, ...args);
}
