import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createConsoleControls } from '../../../src/chat/console/create-console-controls.js';
import { startConsoleInput } from '../../../src/chat/console/start-console-input.js';
import type { Acceptance } from '../../../src/inbound/acceptance.js';
import type { InboundEvent } from '../../../src/model/inbound-event.js';
import { createTerminal } from '../../../src/observability/create-terminal.js';

async function setUp(answer: (event: InboundEvent) => Acceptance = () => ({ outcome: 'queued' })) {
  const input = new PassThrough();
  const output = new PassThrough();
  const printed: string[] = [];
  const terminal = createTerminal({ tty: false, write: (text) => void printed.push(text), env: {} });
  const controls = createConsoleControls();
  const events: InboundEvent[] = [];
  const stop = startConsoleInput({
    input,
    output,
    terminal,
    controls,
    accept: async (event) => {
      events.push(event);
      return answer(event);
    },
    people: [
      ['responder', 'console:responder'],
      ['lead', 'console:lead'],
    ],
    logger: pino({ level: 'silent' }),
    now: () => 1_000,
  });
  const type = async (line: string) => {
    const before = printed.length + events.length;
    input.write(`${line}\n`);
    for (let i = 0; i < 100 && printed.length + events.length === before; i++) await new Promise((r) => setTimeout(r, 5));
  };
  // The greeting comes once the start's own lines are out.
  await new Promise((r) => setImmediate(r));
  return { type, printed, events, controls, stop };
}

describe('startConsoleInput', () => {
  it('turns a button number into the neutral click event of the person at the terminal', async () => {
    const { type, events, controls, printed, stop } = await setUp();
    expect(printed[0]).toContain('You are responder (console:responder)');
    const message = { destination: 'console:terminal', id: 'console-1' };
    controls.number({ actionId: 'incident.acknowledge', value: '{"k":"inc-1"}', message });
    await type('1');
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^console:[0-9a-f-]{36}$/),
        platform: 'console',
        identity: 'console:responder',
        tenant: 'console',
        appId: 'console',
        destination: 'console:terminal',
        receivedAt: 1_000,
        input: { type: 'action', actionId: 'incident.acknowledge', value: '{"k":"inc-1"}', message },
      },
    ]);
    stop();
  });

  it('switches person with "as", and sends chat commands as that person', async () => {
    const { type, events, printed, stop } = await setUp();
    await type('as lead');
    expect(printed.at(-1)).toBe('You are now lead (console:lead).\n');
    await type('/Incident   postmortem inc-1 ');
    expect(events.at(-1)).toMatchObject({ identity: 'console:lead', destination: 'console:terminal', input: { type: 'command', name: 'incident', text: 'postmortem inc-1' } });
    await type('as mallory');
    expect(printed.at(-1)).toContain('nobody called "mallory"');
    expect(events).toHaveLength(1);
    stop();
  });

  it('prints refusals, and says what it does not understand without sending anything', async () => {
    const { type, events, printed, stop } = await setUp(() => ({ outcome: 'refused', reason: 'denied', message: 'You need action.approve.' }));
    await type('/audit weekly');
    expect(printed.at(-1)).toBe('Not accepted: You need action.approve.\n');
    await type('42');
    expect(printed.at(-1)).toContain('No button has the number 42');
    await type('rm -rf /');
    expect(printed.at(-1)).toContain('Not understood');
    await type('help');
    expect(printed.at(-1)).toContain('as <person>       act as another person: responder, lead');
    expect(events).toHaveLength(1);
    stop();
  });
});
