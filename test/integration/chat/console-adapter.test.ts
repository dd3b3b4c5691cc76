import { describe, expect, it } from 'vitest';
import type { Card } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { createConsoleAdapter } from '../../../src/chat/console/create-console-adapter.js';

function checklistCard(state: string): Card {
  return {
    title: 'Weekly security checklist',
    accent: 'info',
    summary: `Checklist ${state}`,
    blocks: [{ type: 'list', title: 'Items', items: [`TLS certificates: ${state}`, 'Admin accounts reviewed'] }],
  };
}

describe('createConsoleAdapter', () => {
  it('prints a new card with a header naming the destination, and numbers the cards', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ write: (text) => written.push(text) });

    const first = await adapter.postCard('console:terminal', checklistCard('open'));
    const second = await adapter.postCard('slack:C0SECURITY', checklistCard('open'));

    expect(first).toEqual({ destination: 'console:terminal', id: 'console-1' });
    expect(second).toEqual({ destination: 'slack:C0SECURITY', id: 'console-2' });
    expect(written).toHaveLength(2);
    expect(written[0]).toContain('new card console-1');
    expect(written[0]).toContain('console:terminal');
    expect(written[0]).toContain(renderConsoleText(checklistCard('open')).trimEnd());
    expect(written[1]).toContain('new card console-2');
    expect(written[1]).toContain('slack:C0SECURITY');
    expect(written.join('')).not.toContain('\u001b[');
  });

  it('prints an update as an in-place update of the named card', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ write: (text) => written.push(text) });
    const ref = await adapter.postCard('console:terminal', checklistCard('open'));

    await adapter.updateCard(ref, checklistCard('passed'));

    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/update of card console-1 \(in place\)/);
    expect(written[1]).not.toContain('new card');
    expect(written[1]).toContain('TLS certificates: passed');
    // An update is not a new card: the next post still gets the next number.
    expect((await adapter.postCard('console:terminal', checklistCard('open'))).id).toBe('console-2');
  });

  it('keeps terminal control sequences from stored ids out of the header', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ write: (text) => written.push(text) });
    await adapter.updateCard({ destination: 'console:terminal', id: 'console-7\u001b[2J\u0007' }, checklistCard('open'));
    const header = written[0]?.split('\n')[0] ?? '';
    expect(header).toContain('console-7[2J');
    expect(header).not.toMatch(/[\u0000-\u001f]/);
  });

  it('colours the title only when asked, and is always healthy', async () => {
    const written: string[] = [];
    const adapter = createConsoleAdapter({ write: (text) => written.push(text), color: true });
    await adapter.postCard('console:terminal', { ...checklistCard('open'), accent: 'critical' });
    expect(written[0]).toContain('\u001b[31m');
    expect(await adapter.checkHealth()).toEqual({ ok: true, detail: 'console output' });
    expect(adapter.platform).toBe('console');
  });
});
