import { describe, expect, it } from 'vitest';
import { buildDigestCard } from '../../../cards/build-digest-card.js';
import type { CardBlock } from '../../../cards/card.js';
import { makeIncident } from './card-test-helpers.js';

const windowStart = Date.parse('2026-11-20T10:00:00Z');
const windowEnd = windowStart + 60_000;

function storm(count: number) {
  return Array.from({ length: count }, (_, n) =>
    makeIncident({ key: `inc-${n}`, title: `Alert${n}`, severity: n % 10 === 0 ? 'critical' : 'warning', firing: n + 1, openedAt: windowStart + n }),
  );
}

describe('buildDigestCard', () => {
  it('counts the storm, lists the first 30 most severe first and summarises the rest', () => {
    const card = buildDigestCard({ destination: 'slack:C0SEC', incidents: storm(1000), windowStart, windowEnd });
    expect(card.title).toBe('Alert storm: 1000 new incidents in this minute');
    expect(card.accent).toBe('critical');
    const list = card.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list');
    expect(list?.items).toHaveLength(30);
    expect(list?.moreCount).toBe(970);
    // 100 critical incidents (every tenth) come first, in opening order.
    expect(list?.items[0]).toBe('[critical] Alert0 — 1 firing — key inc-0');
    expect(list?.items[1]).toBe('[critical] Alert10 — 11 firing — key inc-10');
    expect(list?.items.every((item) => item.startsWith('[critical]'))).toBe(true);
    expect(card.summary).toBe('Alert storm on slack:C0SEC: 1000 new incidents (100 critical)');
  });

  it('tells responders cards are paused for the destination and how to reach one incident', () => {
    const card = buildDigestCard({ destination: 'lark:oc_abc', incidents: storm(3), windowStart, windowEnd });
    const context = card.blocks.flatMap((b) => (b.type === 'context' ? [b.text] : [])).join(' ');
    expect(context).toContain('paused for lark:oc_abc');
    expect(context).toContain('/incident show <key>');
    const fields = card.blocks.flatMap((b) => (b.type === 'fields' ? b.fields : []));
    expect(fields).toContainEqual({ label: 'Window', value: '2026-11-20 10:00 UTC – 2026-11-20 10:01 UTC' });
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('lists every incident when there are no more than 30, and says "incident" for one', () => {
    const small = buildDigestCard({ destination: 'slack:C1', incidents: storm(30), windowStart, windowEnd });
    const list = small.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list');
    expect(list?.items).toHaveLength(30);
    expect(list?.moreCount).toBe(0);
    const one = buildDigestCard({ destination: 'slack:C1', incidents: [makeIncident({ severity: 'info' })], windowStart, windowEnd });
    expect(one.title).toBe('Alert storm: 1 new incident in this minute');
    expect(one.accent).toBe('info');
  });

  it('counts the whole storm from its totals when given only the incidents it lists', () => {
    const first = storm(1000).filter((incident) => incident.severity === 'critical').slice(0, 30);
    const card = buildDigestCard({ destination: 'slack:C0SEC', incidents: first, total: { count: 25_000, critical: 2_500 }, windowStart, windowEnd });
    expect(card.title).toBe('Alert storm: 25000 new incidents in this minute');
    const list = card.blocks.find((b): b is Extract<CardBlock, { type: 'list' }> => b.type === 'list');
    expect(list?.items).toHaveLength(30);
    expect(list?.moreCount).toBe(24_970);
    expect(card.summary).toBe('Alert storm on slack:C0SEC: 25000 new incidents (2500 critical)');
  });
});
