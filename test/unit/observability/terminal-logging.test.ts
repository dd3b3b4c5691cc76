import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../../src/chat/console/create-console-adapter.js';
import { createConsoleControls } from '../../../src/chat/console/create-console-controls.js';
import { createLogger } from '../../../src/observability/create-logger.js';
import { createTerminal } from '../../../src/observability/create-terminal.js';
import type { Card } from '../../../cards/card.js';

const SECRET = 'wh-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

const card: Card = {
  title: 'SuspiciousProcess',
  summary: '2 firing',
  accent: 'critical',
  blocks: [
    { type: 'fields', fields: [{ label: 'Phase', value: 'triage' }] },
    { type: 'actions', buttons: [{ label: 'Acknowledge', actionId: 'incident.acknowledge', value: '{"k":"inc-1"}' }, { label: 'Isolate', actionId: 'incident.phase', value: '{"k":"inc-1","p":"isolate"}' }] },
  ],
};

/** A terminal whose writes are recorded one by one, as the terminal (a TTY or not) would get them. */
function recordingTerminal(tty: boolean) {
  const writes: string[] = [];
  const terminal = createTerminal({ tty, write: (text) => void writes.push(text), env: {} });
  return { terminal, writes };
}

function loggerOn(terminal: ReturnType<typeof createTerminal>) {
  return createLogger({
    secrets: [SECRET],
    ...(terminal.tty ? { pretty: true, color: false } : {}),
    destination: { write: (line: string) => terminal.write(line) },
  });
}

describe('logs and cards on the terminal', () => {
  it('writes JSON lines when the output is not a terminal, as production log pipelines expect', () => {
    const { terminal, writes } = recordingTerminal(false);
    loggerOn(terminal).info({ file: 'data/webhook-token', token: SECRET }, 'Warden is running');
    expect(writes).toHaveLength(1);
    const record = JSON.parse(writes[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: 30, msg: 'Warden is running', file: 'data/webhook-token', token: '[redacted]' });
  });

  it('writes readable lines on a terminal, still without secrets', () => {
    const { terminal, writes } = recordingTerminal(true);
    loggerOn(terminal).info({ file: 'data/webhook-token', token: SECRET, detail: `Bearer ${SECRET}` }, 'Warden is running');
    expect(writes).toHaveLength(1);
    const [line] = writes;
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Warden is running\n/);
    expect(line).toContain('file: "data/webhook-token"');
    expect(line).not.toContain(SECRET);
    expect(() => JSON.parse(line!)).toThrow();
  });

  it('prints a card as one write, so a log line never lands inside it, and numbers its buttons for the terminal', async () => {
    const { terminal, writes } = recordingTerminal(true);
    const logger = loggerOn(terminal);
    const controls = createConsoleControls();
    const adapter = createConsoleAdapter({ terminal, controls });
    logger.info('before');
    const ref = await adapter.postCard('console:terminal', card);
    logger.info('after');
    expect(writes).toHaveLength(3);
    expect(writes[0]).toContain('INFO: before');
    expect(writes[2]).toContain('INFO: after');
    const printed = writes[1]!;
    expect(printed.startsWith('── new card console-1 → console:terminal ──\n┌')).toBe(true);
    expect(printed).toContain('[1 Acknowledge] [2 Isolate]');
    expect(printed.trimEnd().endsWith('┘')).toBe(true);
    expect(controls.find(2)).toEqual({ actionId: 'incident.phase', value: '{"k":"inc-1","p":"isolate"}', message: ref });

    // An update prints the card anew with new numbers; the old ones still name the buttons they were printed with.
    await adapter.updateCard(ref, card);
    expect(writes[3]).toContain('[3 Acknowledge] [4 Isolate]');
    expect(controls.find(1)?.actionId).toBe('incident.acknowledge');
  });

  it('hides the prompt around each write and draws it again below', () => {
    const { terminal, writes } = recordingTerminal(true);
    terminal.attachPrompt({ hide: () => void writes.push('<hide>'), show: () => void writes.push('<show>') });
    terminal.write('a line\n');
    expect(writes).toEqual(['<hide>', 'a line\n', '<show>']);
  });

  it('prints cards without numbers when nobody can press them', async () => {
    const { terminal, writes } = recordingTerminal(false);
    await createConsoleAdapter({ terminal }).postCard('console:terminal', card);
    expect(writes[0]).toContain('[Acknowledge] [Isolate]');
  });
});
