import { startFakeSlackApi } from '../../test/support/fake-slack-api.js';
import { serveChild } from '../intake/serve-child.js';
import { requireBenchEnv } from '../intake/start-bench-warden.js';

/** One message sent to the benchmark channel, as the parent process reads it. */
export interface ChannelSend {
  method: 'chat.postMessage' | 'chat.update';
  /** When the fake API answered it (epoch ms, this machine's clock). */
  at: number;
  /** The message's ts: an update names the message it changes. */
  ts: string;
  /** The benchmark groups (`svc-<12 hex digits>`) the message's blocks name. */
  groups: string[];
  /** For a storm digest: the number of new incidents it says it lists. */
  digestCount?: number;
}

/** What the fake Slack API child reports with its stats (`extra`). */
export interface FakeSlackState {
  /** Successful sends to the benchmark channel, in order. */
  sends: ChannelSend[];
  /** Calls by method and outcome (`chat.postMessage ok`, `chat.postEphemeral ok`, …), every channel. */
  calls: Record<string, number>;
}

const GROUP = /svc-[0-9a-f]{12}/g;
// The digest's notification text: "Alert storm on slack:C…: 42 new incidents".
const DIGEST = /Alert storm on \S+: (\d+) new incidents?/;

/**
 * The fake Slack Web API of the integration tests (test/support/fake-slack-api.ts) in its own
 * process, so the load generator's busy event loop does not delay its answers. The bot token is
 * `BENCH_BOT_TOKEN`; `BENCH_CHANNEL` is the channel whose messages are reported.
 */
await serveChild(async () => {
  const channel = requireBenchEnv('BENCH_CHANNEL');
  const api = await startFakeSlackApi({ botToken: requireBenchEnv('BENCH_BOT_TOKEN') });
  const sends: ChannelSend[] = [];
  let seen = 0;
  let posts = 0;
  const state = (): FakeSlackState => {
    // Messages keep the order they were posted in: the n-th post to the channel is its n-th message.
    const messages = api.messages(channel);
    // Only the calls recorded since the last look are parsed.
    for (; seen < api.calls.length; seen++) {
      const call = api.calls[seen]!;
      if (call.status !== 200 || call.error !== undefined || call.body.channel !== channel) continue;
      if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') continue;
      const text = typeof call.body.text === 'string' ? call.body.text : '';
      const digest = DIGEST.exec(text);
      const ts = call.method === 'chat.update' ? String(call.body.ts) : (messages[posts++]?.ts ?? '');
      sends.push({
        method: call.method,
        at: call.at,
        ts,
        groups: [...new Set(JSON.stringify(call.body.blocks ?? '').match(GROUP) ?? [])],
        ...(digest ? { digestCount: Number(digest[1]) } : {}),
      });
    }
    const calls: Record<string, number> = {};
    for (const call of api.calls) {
      const name = `${call.method} ${call.error ?? (call.status === 200 ? 'ok' : call.status)}`;
      calls[name] = (calls[name] ?? 0) + 1;
    }
    return { sends, calls };
  };
  return { url: api.url, stop: api.close, extraStats: () => ({ slack: state() }) };
});
