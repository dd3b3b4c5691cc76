// Drives `warden serve` on its embedded defaults through a real pseudo-terminal (tmux), as a person
// at the terminal would: the sample alert, Acknowledge, Isolate, the demonstration remediation asked
// for by the responder and approved by the lead, its result on the card, and the postmortem draft.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort, startRedisServer, type TestRedisServer } from '../../support/start-redis-server.js';

const cli = new URL('../../support/warden-cli.ts', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');
const sample = new URL('../../fixtures/alertmanager/firing.json', import.meta.url).pathname;
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let redis: TestRedisServer;
let dir: string;
let socket: string;
let port: number;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** Everything the terminal has shown since the start, without the trailing spaces tmux pads lines with. */
function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'warden')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
}

/** The text of the cards without their frame, each run of white space one space: phrases read across wrapped lines. */
function flat(text: string): string {
  return text.replace(/[│┌┐└┘├┤─]/g, ' ').replace(/\s+/g, ' ');
}

/** Where the next output will start: before the prompt line, which is redrawn below what comes. */
function mark(): number {
  return Math.max(0, screen().lastIndexOf('\n'));
}

/** Waits until `found` holds for the screen; generous, for a busy machine. */
async function waitForScreen<T>(what: string, found: (text: string) => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    const result = found(text);
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}:\n${text.slice(-6000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The number shown on the last printed button whose label starts with `label`, once it appears after `from` characters. */
function lastButton(label: string, from = 0): (text: string) => string | undefined {
  return (text) => {
    const matches = [...text.slice(from).matchAll(new RegExp(`\\[(\\d+) ${label.replace(/[()[\]]/g, '\\$&')}`, 'g'))];
    return matches.at(-1)?.[1];
  };
}

function type(line: string): void {
  tmux('send-keys', '-t', 'warden', '-l', line);
  tmux('send-keys', '-t', 'warden', 'Enter');
}

describe.skipIf(!hasTmux)('warden serve in a terminal', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(join(tmpdir(), 'warden-terminal-'));
    socket = `warden-test-${process.pid}-${Date.now()}`;
    port = await findFreePort();
    const config = join(dir, 'tmux.conf');
    writeFileSync(config, 'set -g history-limit 100000\n');
    const env = `env -i PATH="${process.env.PATH ?? ''}" HOME="${dir}" TERM=xterm-256color NO_COLOR=1 REDIS_URL=${redis.url} PORT=${port}`;
    // The shell stays after Warden exits, so that its exit status can be read from the screen.
    tmux('-f', config, 'new-session', '-d', '-s', 'warden', '-x', '100', '-y', '50', `cd ${dir} && ${env} ${process.execPath} --import ${tsx} ${cli} serve; echo "warden exited $?"; sleep 600`);
  }, 60_000);

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('goes from the sample alert to an approved action with its result on the card, pressing numbers and switching person', async () => {
    // Readable log lines, not JSON, and the prompt of the responder.
    await waitForScreen('the prompt', (text) => text.includes('INFO: Warden is running') && /^responder>/m.test(text), 120_000);
    expect(screen()).not.toMatch(/^\{"level":/m);

    const token = readFileSync(join(dir, 'data', 'webhook-token'), 'utf8').trim();
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: readFileSync(sample),
    });
    expect(response.status).toBe(202);
    const { incident } = (await response.json()) as { incident: string };

    const acknowledge = await waitForScreen('the card', lastButton('Acknowledge'));
    let from = mark();
    type(acknowledge);
    await waitForScreen('the acknowledgement', (text) => text.slice(from).includes('Acknowledged: console:responder'));

    const isolate = await waitForScreen('Isolate', lastButton('Isolate]', from));
    from = mark();
    type(isolate);
    const demo = await waitForScreen('the isolate phase', lastButton('Isolate the hosts (demo', from));
    expect(screen().slice(from)).toContain('Phase: isolate');

    from = mark();
    type(demo);
    const approve = await waitForScreen('the approval request', lastButton('Approve', from));
    expect(flat(screen().slice(from))).toContain('requested by console:responder');

    // The responder may not approve their own request: the refusal is printed, nothing runs.
    from = mark();
    type(approve);
    await waitForScreen('the refusal', (text) => flat(text.slice(from)).includes('someone else with action.approve has to approve it'));

    from = mark();
    type('as lead');
    await waitForScreen('the switch', (text) => text.slice(from).includes('You are now lead (console:lead).'));
    type(approve);
    const result = await waitForScreen('the result on the card', (text) => /✅ Isolate the hosts \(demo: changes nothing\): \S+ exited 0 in \d+ ms: demo: the hosts of incident \S+ would now be cut off/.exec(flat(text.slice(from)))?.[0]);
    expect(result).toContain(incident);

    from = mark();
    type(`/incident postmortem ${incident}`);
    const draft = await waitForScreen('the postmortem draft', (text) => (text.slice(from).includes('## Follow-ups') ? text.slice(from) : undefined));
    expect(flat(draft)).toContain('console:lead approved Isolate the hosts');

    // Ctrl-C stops Warden as it would without the prompt.
    tmux('send-keys', '-t', 'warden', 'C-c');
    await waitForScreen('the stop', (text) => text.includes('warden exited 0'));
  }, 300_000);
});
