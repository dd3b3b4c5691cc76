import { describe, expect, it } from 'vitest';
import { buildIncidentCard } from '../../../cards/build-incident-card.js';
import type { Card } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { displayWidth } from '../../../cards/wrap-console-text.js';
import { makeAlert, makeIncident } from './card-test-helpers.js';

describe('renderConsoleText', () => {
  const card = buildIncidentCard({
    incident: makeIncident(),
    alerts: [makeAlert(1), makeAlert(2)],
    diagnosis: [{ actionId: 'h', title: 'Web health', target: 'instance=web-1:9100', ok: false, summary: 'HTTP 503 in 120 ms', at: 1, durationMs: 120 }],
  });

  it('draws a box of the asked width with title, fields, lists and buttons', () => {
    const text = renderConsoleText(card, { width: 72 });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`┌${'─'.repeat(70)}┐`);
    expect(lines.at(-1)).toBe(`└${'─'.repeat(70)}┘`);
    for (const line of lines) expect(displayWidth(line)).toBe(72);
    expect(lines[1]).toContain('[CRITICAL] SuspiciousProcess');
    expect(text).toContain('Severity: critical');
    expect(text).toContain('  • web-2:9100');
    expect(text).toContain('❌ Web health (instance=web-1:9100): HTTP 503 in 120 ms');
    expect(text).toContain('Alertmanager · alertmanager:9093: http://alertmanager:9093/');
    expect(text).toContain('[Acknowledge] [Isolate] [Analyze] [Recover] [Optimize] [Resolve]');
    expect(text).not.toContain('\u001b');
  });

  it('colours the title only when asked', () => {
    const coloured = renderConsoleText(card, { color: true });
    expect(coloured).toContain('\u001b[31m[CRITICAL] SuspiciousProcess');
    expect(coloured.split('\n').filter((line) => line.includes('\u001b'))).toHaveLength(1);
  });

  it('wraps long text inside the box and shows "+N more"', () => {
    const long: Card = {
      title: 'Wrap',
      accent: 'info',
      summary: 'Wrap',
      blocks: [
        { type: 'text', text: 'word '.repeat(60) + 'x'.repeat(150) },
        { type: 'list', title: 'Items', items: ['one', 'two'], moreCount: 40 },
      ],
    };
    const lines = renderConsoleText(long, { width: 40 }).split('\n');
    for (const line of lines) expect(displayWidth(line)).toBe(40);
    expect(lines.filter((line) => line.includes('word')).length).toBeGreaterThan(5);
    expect(lines.some((line) => line.includes('+40 more'))).toBe(true);
  });

  it('removes terminal escape sequences and other control characters from card text', () => {
    const hostile: Card = {
      title: 'Evil\u001b[2J\u001b]0;pwned\u0007',
      accent: 'warning',
      summary: 'clear\u001b[H screen',
      blocks: [{ type: 'list', title: 'Labels', items: ['a\u0000b\u009bc', 'right\u202eto-left', 'line\nbreak'] }],
    };
    const text = renderConsoleText(hostile);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('Evil[2J]0;pwned');
    expect(text).toContain('• abc');
    expect(text).toContain('• line break');
  });
});
