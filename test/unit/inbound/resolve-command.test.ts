import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { resolveCommand } from '../../../src/inbound/resolve-command.js';
import { parseIncidentButtonValue } from '../../../src/inbound/incident-buttons.js';
import { warmUpBinaryStrings, WARM_UP_TIMEOUT_MS } from '../../support/warm-up-binary-strings.js';

beforeAll(warmUpBinaryStrings, WARM_UP_TIMEOUT_MS);

describe('resolveCommand', () => {
  it('finds each subcommand with its arguments', () => {
    const ack = resolveCommand(commands, 'incident', 'ack inc-0123456789ab');
    expect(ack.ok && [ack.command.name, ack.subcommand.name, ack.args]).toEqual(['incident', 'ack', { key: 'inc-0123456789ab' }]);
    const list = resolveCommand(commands, 'INCIDENT', '  LIST  ');
    expect(list.ok && list.subcommand.name).toBe('list');
    const help = resolveCommand(commands, 'warden', 'help');
    expect(help.ok && help.subcommand.permission).toBeNull();
    const later = resolveCommand(commands, 'incident', 'timeline inc-0123456789ab-2');
    expect(later.ok && later.args.key).toBe('inc-0123456789ab-2');
  });

  it('explains what is wrong without running anything', () => {
    expect(resolveCommand(commands, 'deploy', 'prod')).toMatchObject({ ok: false, message: expect.stringMatching(/no command "\/deploy".*\/incident, \/audit, \/warden/) });
    expect(resolveCommand(commands, 'incident', 'explode')).toMatchObject({ ok: false, message: expect.stringMatching(/has no "explode"[\s\S]*\/incident ack <key>/) });
    expect(resolveCommand(commands, 'incident', '')).toMatchObject({ ok: false, message: expect.stringMatching(/needs a subcommand/) });
    expect(resolveCommand(commands, 'incident', 'ack')).toMatchObject({ ok: false, message: expect.stringMatching(/Usage: \/incident ack <key>/) });
    expect(resolveCommand(commands, 'incident', 'ack inc-0123456789ab extra')).toMatchObject({ ok: false });
    expect(resolveCommand(commands, 'incident', 'list now')).toMatchObject({ ok: false, message: expect.stringMatching(/takes no arguments/) });
    expect(resolveCommand(commands, 'incident', 'show INC-0123456789AB')).toMatchObject({ ok: false, message: expect.stringMatching(/is not an incident key/) });
    expect(resolveCommand(commands, 'incident', `show ${'a'.repeat(600)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) });
  });

  it('gives a rest argument the rest of the text as typed, line breaks kept', () => {
    const note = resolveCommand(commands, 'incident', 'note  inc-0123456789ab   Root cause: a stale  cron job, see <https://x|y>\r\nsecond line  ');
    expect(note.ok && [note.subcommand.name, note.args]).toEqual(['note', { key: 'inc-0123456789ab', text: 'Root cause: a stale  cron job, see <https://x|y>\nsecond line' }]);
    const long = resolveCommand(commands, 'incident', `note inc-0123456789ab ${'word '.repeat(199)}words`);
    expect(long.ok && long.args.text!.length).toBe(1000);
    // A single word is a whole rest too.
    expect(resolveCommand(commands, 'incident', 'NOTE inc-0123456789ab ok')).toMatchObject({ ok: true, args: { text: 'ok' } });
  });

  it('refuses a rest argument that is missing, too long or holds control characters', () => {
    expect(resolveCommand(commands, 'incident', 'note inc-0123456789ab')).toMatchObject({ ok: false, message: expect.stringMatching(/Usage: \/incident note <key> <text…>[\s\S]*takes <key> <text…>/) });
    expect(resolveCommand(commands, 'incident', 'note inc-0123456789ab   \n  ')).toMatchObject({ ok: false, message: expect.stringMatching(/takes <key> <text…>/) });
    expect(resolveCommand(commands, 'incident', 'note nope some text')).toMatchObject({ ok: false, message: expect.stringMatching(/"nope" is not an incident key/) });
    expect(resolveCommand(commands, 'incident', `note inc-0123456789ab ${'a'.repeat(1001)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/<text> is too long \(at most 1000 characters; it has 1001\)/) });
    expect(resolveCommand(commands, 'incident', `note inc-0123456789ab ${'a'.repeat(1600)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/too long for \/incident/) });
    for (const bad of ['a\tb', 'a\u0000b', 'a\u001b[31mred', 'a\u202eb', 'a\u2028b', 'a\u0085b']) {
      expect(resolveCommand(commands, 'incident', `note inc-0123456789ab ${bad}`)).toMatchObject({ ok: false, message: expect.stringMatching(/may not contain control characters/) });
    }
    // Commands without a rest argument keep their limits.
    expect(resolveCommand(commands, 'incident', `ack inc-0123456789ab ${'x'.repeat(600)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/too long/) });
  });

  it('shows a rest argument as <name…> in usage lines', () => {
    const usage = resolveCommand(commands, 'incident', 'explode');
    expect(usage.ok ? '' : usage.message).toContain('/incident note <key> <text…>');
    expect(usage.ok ? '' : usage.message).toContain('/incident postmortem <key>');
  });

  it('never echoes markup or mentions from what was typed', () => {
    const result = resolveCommand(commands, 'incident', 'show <!channel>*bold*<https://evil.example|x>');
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    for (const injected of ['<!channel>', '*bold*', '<https', '|x>']) expect(message).not.toContain(injected);
    expect(message).toContain('"channelboldhttps://evil.examplex" is not an incident key');
  });

  it('never throws and only accepts arguments that match their pattern', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ maxLength: 700 }), (name, text) => {
        const result = resolveCommand(commands, name, text);
        if (result.ok) for (const spec of result.subcommand.args) expect(spec.pattern.test(result.args[spec.name]!)).toBe(true);
      }),
    );
  });

  it('accepts a rest argument only within its length and without control characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 1200, unit: 'binary' }), (text) => {
        const result = resolveCommand(commands, 'incident', `note inc-0123456789ab ${text}`);
        if (!result.ok) return;
        const note = result.args.text!;
        expect(note.length).toBeGreaterThan(0);
        expect(note.length).toBeLessThanOrEqual(1000);
        expect(note).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
        expect(note).toBe(note.trim());
      }),
    );
  });
});

describe('parseIncidentButtonValue', () => {
  it('reads the key Warden put on its buttons and nothing else', () => {
    expect(parseIncidentButtonValue('{"k":"inc-0123456789ab"}')).toBe('inc-0123456789ab');
    for (const value of ['', 'inc-0123456789ab', '{"k":"inc-x"}', '{"k":["inc-0123456789ab"]}', 'null', '{"key":"inc-0123456789ab"}', `{"k":"inc-0123456789ab","pad":"${'x'.repeat(300)}"}`]) {
      expect(parseIncidentButtonValue(value)).toBeUndefined();
    }
  });
});
