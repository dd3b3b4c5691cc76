import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { Card } from '../../../cards/card.js';
import { renderConsoleText } from '../../../cards/render-console-text.js';
import { renderSlackBlocks } from '../../../cards/render-slack-blocks.js';
import type { CommandContext } from '../../../commands/command.js';
import { wardenCommand } from '../../../commands/warden.js';
import { configSchema } from '../../../src/config/config-schema.js';
import { resolveCommand } from '../../../src/inbound/resolve-command.js';
import { say } from '../../../src/shared/messages/say.js';

async function help(): Promise<Card> {
  const replies: Card[] = [];
  const context = { commands, may: () => false, reply: { private: async (card: Card) => void replies.push(card), public: async () => undefined } } as unknown as CommandContext;
  await wardenCommand.subcommands[0]!.run(context);
  return replies[0]!;
}

describe('command replies in English and Chinese', () => {
  it('/warden help lists the commands in the configured language', async () => {
    const card = await help();
    const english = renderConsoleText(card, { width: 200 });
    expect(english).toContain('Warden commands');
    expect(english).toContain('/incident ack <key> — acknowledge an incident (you take it) (needs incident.respond)');
    expect(english).toContain('Card buttons: Acknowledge, Isolate, Analyze, Recover, Optimize, Resolve (permission incident.respond).');
    const chinese = renderConsoleText(card, { width: 200, locale: 'zh' });
    expect(chinese).toContain('Warden 命令');
    expect(chinese).toContain('/incident ack <key> — 确认事件（由你接手）（需要 incident.respond 权限）');
    expect(chinese).toContain('卡片按钮：确认、隔离、分析、恢复、优化、解决');
    expect(JSON.stringify(renderSlackBlocks(card, 'zh'))).toContain('Warden 命令');
  });

  it('usage replies come in every language, with the typed word echoed as it was', () => {
    const unknown = resolveCommand(commands, 'incident', 'explode');
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.message).toBe(unknown.text.en);
    expect(unknown.text.zh).toContain('/incident 没有 "explode" 子命令。 用法：');
    expect(unknown.text.zh).toContain('/incident ack <key> — 确认事件（由你接手）');
    const bad = resolveCommand(commands, 'incident', 'ack not-a-key');
    if (bad.ok) throw new Error('expected a usage reply');
    expect(bad.text.en).toContain('"not-a-key" is not an incident key such as inc-3f9a1c2b7d4e');
    expect(bad.text.zh).toContain('"not-a-key" 不是事件编号，例如 inc-3f9a1c2b7d4e');
  });

  it('an operation answers in English for logs and in every language for the reply', () => {
    expect(say('op.incident.unknown', { key: 'inc-1' })).toEqual({ message: 'There is no incident inc-1.', localized: { en: 'There is no incident inc-1.', zh: '不存在事件 inc-1。' } });
  });

  it('config: locale is en by default, zh when set, and nothing else', () => {
    const base = { alertmanager: { token: 'x'.repeat(40) } };
    expect(configSchema.parse(base).locale).toBe('en');
    expect(configSchema.parse({ ...base, locale: 'zh' }).locale).toBe('zh');
    expect(configSchema.safeParse({ ...base, locale: 'fr' }).success).toBe(false);
  });
});
