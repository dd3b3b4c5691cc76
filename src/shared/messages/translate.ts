import type { Locale } from './locale.js';
import { messages, type MessageKey } from './messages.js';

/** The `{name}` placeholders of a message text, as a union of names. */
export type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The parameters a message needs: one value per `{name}` placeholder of its English text. */
export type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof messages)[K]['en']>, string | number>;

/** `[]` for a message without placeholders, `[params]` otherwise. */
export type MessageArgs<K extends MessageKey> = [Placeholders<(typeof messages)[K]['en']>] extends [never] ? [] : [params: MessageParams<K>];

/**
 * The text of catalogue message `key` in `locale`, its `{name}` placeholders replaced by `params`
 * (a placeholder without a value stays as it is, so a gap is visible rather than silent).
 */
export function translate<K extends MessageKey>(locale: Locale, key: K, ...args: MessageArgs<K>): string {
  const entry: Record<Locale, string> = messages[key];
  const text = entry[locale] ?? entry.en;
  const params = (args[0] ?? {}) as Record<string, string | number>;
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
