import type { LocalizedText } from './locale.js';
import { localize, localizeWith } from './localize.js';
import type { Translator } from './translator.js';
import type { MessageKey } from './messages.js';
import type { MessageArgs } from './translate.js';

/** What an operation tells the person who asked: `message` in English (logs, audit) and `localized` in every language (the reply). */
export interface Said {
  message: string;
  localized: LocalizedText;
}

/** Catalogue message `key` as an operation's answer: `{ outcome: 'refused', ...say('op.incident.unknown', { key }) }`. */
export function say<K extends MessageKey>(key: K, ...args: MessageArgs<K>): Said {
  const localized = localize(key, ...args);
  return { message: localized.en, localized };
}

/** An answer composed from catalogue messages, once per language (e.g. with a translated phase name inside). */
export function sayWith(compose: (t: Translator) => string): Said {
  const localized = localizeWith(compose);
  return { message: localized.en, localized };
}
