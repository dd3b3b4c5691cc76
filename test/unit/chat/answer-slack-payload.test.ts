import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { answerSlackPayload } from '../../../src/chat/slack/answer-slack-payload.js';
import type { ChatAdapter } from '../../../src/ports/chat-adapter.js';

// A slash command Warden cannot turn into an event (no user): answered on the ack, accept never asked.
const unreadable = { command: '/incident', text: 'ack', channel_id: 'C0SEC', team_id: 'T0WARDEN', trigger_id: 'trigger-1' };

describe('answerSlackPayload', () => {
  const accepted: unknown[] = [];
  const options = {
    accept: async (event: unknown) => {
      accepted.push(event);
      return { outcome: 'queued' as const };
    },
    adapter: {} as ChatAdapter,
    logger: pino({ level: 'silent' }),
    receivedAt: 1_700_000_000_000,
  };

  it('says in the configured language that it could not read a command, privately and without accepting it', async () => {
    const english = (await answerSlackPayload(unreadable, options)) as { response_type: string; text: string };
    expect(english.response_type).toBe('ephemeral');
    expect(english.text).toContain('Warden could not read this command');
    const chinese = (await answerSlackPayload(unreadable, { ...options, locale: 'zh' })) as { text: string };
    expect(chinese.text).toContain('Warden 无法识别该命令');
    expect(accepted).toEqual([]);
  });
});
