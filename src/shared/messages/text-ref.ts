import type { MessageKey, messages } from './messages.js';
import type { Placeholders } from './translate.js';
import { translator, type Translator } from './translator.js';

/**
 * A catalogue message kept as data (on an incident, an approval request) rather than as text, so
 * each card shows it in its own language: `{ key: 'card.warRoom.fix.slackScope', params: { scope: 'groups:write' } }`.
 * A parameter is data that reads the same in every language (a name, a platform's answer) or
 * another reference, translated with it.
 */
export interface TextRef {
  key: MessageKey;
  params?: Readonly<Record<string, TextParam>>;
}

/** A parameter of a {@link TextRef}: data, or a message of its own. */
export type TextParam = string | number | TextRef;

/** The parameters a reference to message `K` needs: one per `{name}` placeholder of its English text. */
export type TextRefArgs<K extends MessageKey> = [Placeholders<(typeof messages)[K]['en']>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof messages)[K]['en']>, TextParam>];

/** A reference to catalogue message `key` with its parameters, checked against its placeholders. */
export function textRef<K extends MessageKey>(key: K, ...args: TextRefArgs<K>): TextRef {
  const params = args[0] as Record<string, TextParam> | undefined;
  return params === undefined ? { key } : { key, params };
}

/** The text of `ref` as translator `t` writes it, parameters that are references translated too. */
export function translateRef(t: Translator, ref: TextRef): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(ref.params ?? {})) params[name] = typeof value === 'object' ? translateRef(t, value) : value;
  return (t as (key: MessageKey, params: Record<string, string | number>) => string)(ref.key, params);
}

/** `param` as `t` writes it: data as it is, a reference translated. */
export function translateParam(t: Translator, param: TextParam): string {
  return typeof param === 'object' ? translateRef(t, param) : String(param);
}

/** The English text of `ref`: what logs, the audit log and the timeline keep. */
export function englishOf(ref: TextRef): string {
  return translateRef(translator('en'), ref);
}

/** The stored text in `t`'s language when a reference came with it, else the text as it was written (records made before references were kept). */
export function showText(t: Translator, text: string, ref: TextRef | undefined): string {
  return ref === undefined ? text : translateRef(t, ref);
}
