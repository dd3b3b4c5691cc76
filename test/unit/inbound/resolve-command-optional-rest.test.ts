import { describe, expect, it } from 'vitest';
import { formatUsage, type ChatCommand } from '../../../commands/command.js';
import { commands } from '../../../commands/index.js';
import { resolveCommand } from '../../../src/inbound/resolve-command.js';

describe('resolveCommand: an optional rest argument (/incident silence <key> <duration> [reason…])', () => {
  const incident = commands.find((c) => c.name === 'incident') as ChatCommand;
  const silence = incident.subcommands.find((s) => s.name === 'silence')!;

  it('shows the optional argument in brackets', () => {
    expect(formatUsage(incident, silence)).toBe('/incident silence <key> <duration> [reason…]');
  });

  it('takes the reason when given and leaves it out when not', () => {
    expect(resolveCommand(commands, 'incident', 'silence inc-3f9a1c2b7d4e 2h  deploying the fix ')).toMatchObject({ ok: true, args: { key: 'inc-3f9a1c2b7d4e', duration: '2h', reason: 'deploying the fix' } });
    const bare = resolveCommand(commands, 'incident', 'silence inc-3f9a1c2b7d4e 30m');
    expect(bare).toMatchObject({ ok: true, args: { key: 'inc-3f9a1c2b7d4e', duration: '30m' } });
    expect(bare.ok && 'reason' in bare.args).toBe(false);
  });

  it('still needs the words before it, valid', () => {
    expect(resolveCommand(commands, 'incident', 'silence inc-3f9a1c2b7d4e')).toMatchObject({ ok: false, message: expect.stringContaining('Usage: /incident silence <key> <duration> [reason…]') });
    expect(resolveCommand(commands, 'incident', 'silence inc-3f9a1c2b7d4e forever')).toMatchObject({ ok: false, message: expect.stringContaining('is not a duration such as 30m') });
  });
});
