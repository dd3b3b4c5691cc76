import type { Locale } from '../src/shared/messages/locale.js';

type Json = Record<string, unknown>;

/** Lark's language codes for Warden's locales (card JSON 2.0 `config.locales` and `i18n_content` keys). */
export const larkLocaleCodes: Readonly<Record<Locale, string>> = { en: 'en_us', zh: 'zh_cn' };

const textTags = new Set(['plain_text', 'markdown', 'lark_md']);

/**
 * Merges renderings of one card in several languages into one Lark card JSON 2.0 whose texts carry
 * every language: each text object (`tag` plain_text or markdown, and the summary) keeps the first
 * rendering's `content` as the fallback and gains `i18n_content` ({ en_us, zh_cn }) — the header
 * title and button texts always, other texts when the languages differ (a text that reads the same
 * in every language, such as an alert label or a checklist's guidance, is not repeated, which keeps
 * the card within Lark's 30 KB); `config.locales`
 * lists the languages, so each reader sees the card in their Lark client's language
 * (https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/configure-multi-language-content).
 * The renderings come from the same card model, so they have the same shape; where they do not,
 * the first one's texts are kept as they are.
 */
export function mergeLarkLocales(renderings: ReadonlyArray<readonly [Locale, Json]>): Json {
  const [first] = renderings;
  if (first === undefined) throw new Error('mergeLarkLocales needs at least one rendering');
  if (renderings.length === 1) return first[1];
  const merged = merge(renderings.map(([locale, card]) => [larkLocaleCodes[locale], card] as const)) as Json;
  const config = { ...(merged['config'] as Json), locales: renderings.map(([locale]) => larkLocaleCodes[locale]) };
  return { ...merged, config };
}

function merge(nodes: ReadonlyArray<readonly [string, unknown]>, always = false): unknown {
  const node = (nodes[0] as readonly [string, unknown])[1];
  if (Array.isArray(node)) {
    if (!nodes.every(([, other]) => Array.isArray(other) && other.length === node.length)) return node;
    return node.map((_, i) => merge(nodes.map(([c, other]) => [c, (other as unknown[])[i]] as const), always));
  }
  if (node === null || typeof node !== 'object') return node;
  const object = node as Json;
  if (!nodes.every(([, other]) => other !== null && typeof other === 'object' && !Array.isArray(other) && (other as Json)['tag'] === object['tag'])) return node;
  const result: Json = {};
  for (const key of Object.keys(object)) {
    const labelled = key === 'title' || (object['tag'] === 'button' && key === 'text');
    result[key] = merge(nodes.map(([c, other]) => [c, (other as Json)[key]] as const), labelled);
  }
  const isText = typeof object['content'] === 'string' && (object['tag'] === undefined || textTags.has(String(object['tag'])));
  const differ = nodes.some(([, other]) => (other as Json)['content'] !== object['content']);
  if (isText && (always || differ) && nodes.every(([, other]) => typeof (other as Json)['content'] === 'string')) {
    result['i18n_content'] = Object.fromEntries(nodes.map(([c, other]) => [c, (other as Json)['content']]));
  }
  return result;
}
