import { describe, expect, it } from 'vitest';
import { locales } from '../../../src/shared/messages/locale.js';
import { localize } from '../../../src/shared/messages/localize.js';
import { messages, type MessageKey } from '../../../src/shared/messages/messages.js';
import { translate } from '../../../src/shared/messages/translate.js';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entries = Object.entries(messages) as Array<[MessageKey, Record<string, unknown>]>;

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string).sort();
}

describe('message catalogue', () => {
  it('has a non-empty text in every language for every key', () => {
    expect(entries.length).toBeGreaterThan(50);
    const missing = entries.flatMap(([key, texts]) => locales.filter((locale) => typeof texts[locale] !== 'string' || (texts[locale] as string).trim() === '').map((locale) => `${key} (${locale})`));
    expect(missing).toEqual([]);
  });

  it('has no language the catalogue does not know', () => {
    const extra = entries.flatMap(([key, texts]) => Object.keys(texts).filter((locale) => !(locales as readonly string[]).includes(locale)).map((locale) => `${key} (${locale})`));
    expect(extra).toEqual([]);
  });

  it('uses the same {placeholders} in every language', () => {
    const differing = entries.flatMap(([key, texts]) => {
      const expected = placeholders(texts['en'] as string).join(',');
      return locales.filter((locale) => placeholders(String(texts[locale])).join(',') !== expected).map((locale) => `${key} (${locale})`);
    });
    expect(differing).toEqual([]);
  });

  it('writes Chinese in the zh texts of the card buttons', () => {
    const buttons = entries.filter(([key]) => key.includes('.button.'));
    expect(buttons.length).toBeGreaterThan(5);
    for (const [key, texts] of buttons) expect(texts['zh'], key).toMatch(/[\u4e00-\u9fff]/);
  });

  it('defines each key in one catalogue file only (a second one would silently win)', async () => {
    const folder = fileURLToPath(new URL('../../../src/shared/messages/', import.meta.url));
    const parts = readdirSync(folder).filter((file) => file.endsWith('-messages.ts'));
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const file of parts) {
      const module = (await import(`${folder}${file}`)) as Record<string, Record<string, unknown>>;
      for (const part of Object.values(module)) {
        for (const key of Object.keys(part)) {
          if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${file})`);
          seen.set(key, file);
        }
      }
    }
    expect(twice).toEqual([]);
    expect(seen.size).toBe(entries.length);
  });

  it('fills parameters and keeps an unknown placeholder visible', () => {
    expect(translate('en', 'card.incident.closedAt', { at: '2026-11-20 10:30 UTC' })).toBe('Closed at 2026-11-20 10:30 UTC.');
    expect(translate('zh', 'card.incident.closedAt', { at: '2026-11-20 10:30 UTC' })).toBe('已于 2026-11-20 10:30 UTC 关闭。');
    expect(translate('en', 'card.incident.closedAt', {} as { at: string })).toBe('Closed at {at}.');
    expect(localize('card.incident.button.acknowledge')).toEqual({ en: 'Acknowledge', zh: '确认' });
  });
});
