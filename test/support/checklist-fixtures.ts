import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSlackButtonClick, postSignedSlackRequest } from './signed-slack-request.js';
import { buildSlackSlashCommand } from './signed-slack-request.js';

/** A folder of small checklists for tests, and the files their probes look at. */
export interface ChecklistFixture {
  dir: string;
  /** A directory `disk-usage` passes on. */
  roomyDir: string;
  /** A file with mode 0644 that `file-mode` (max 600) fails on. */
  looseFile: string;
}

/**
 * Writes daily, weekly, monthly and predeploy checklists to a temporary folder. `daily` has one
 * manual item, one probe that passes and one that fails; the others have one manual item each
 * (weekly is due within an hour, so tests can make it overdue).
 */
export function writeChecklistFixture(): ChecklistFixture {
  const dir = mkdtempSync(join(tmpdir(), 'warden-checklists-'));
  const roomyDir = join(dir, 'data');
  mkdirSync(roomyDir);
  const looseFile = join(dir, 'loose.conf');
  writeFileSync(looseFile, 'secret: x\n');
  chmodSync(looseFile, 0o644);
  writeFileSync(
    join(dir, 'daily.yaml'),
    [
      'id: daily',
      'title: Daily test check',
      'dueWithinHours: 24',
      'items:',
      '  - id: review-logs',
      '    title: Review the error logs',
      '    guidance: Read yesterday\'s ERROR lines.',
      '  - id: data-disk',
      '    title: Data disk has room',
      '    guidance: Below 100 % full.',
      `    check: { kind: disk-usage, path: ${JSON.stringify(roomyDir)}, maxPercent: 100 }`,
      '  - id: config-mode',
      '    title: Config file mode 600',
      '    guidance: chmod 600 it.',
      `    check: { kind: file-mode, path: ${JSON.stringify(looseFile)}, maxMode: "600" }`,
      '',
    ].join('\n'),
  );
  const single = (id: string, hours: number) =>
    [`id: ${id}`, `title: ${id[0]!.toUpperCase()}${id.slice(1)} test check`, `dueWithinHours: ${hours}`, 'items:', '  - id: look', '    title: Look around', '    guidance: Carefully.', ''].join('\n');
  writeFileSync(join(dir, 'weekly.yaml'), single('weekly', 1));
  writeFileSync(join(dir, 'monthly.yaml'), single('monthly', 24));
  writeFileSync(join(dir, 'predeploy.yaml'), single('predeploy', 24));
  return { dir, roomyDir, looseFile };
}

/** Sends signed Slack slash commands and card interactions to a Warden under test. */
export interface SlackSender {
  /** Resolves with the HTTP answer: refusals at the edge (usage, rate limit) are its body. */
  command(user: string, text: string): Promise<{ status: number; text: string }>;
  click(user: string, actionId: string, value: unknown, ids?: { triggerId: string; actionTs: string }): Promise<number>;
  choose(user: string, actionId: string, optionValue: string): Promise<number>;
}

/** A {@link SlackSender} signing with `signingSecret` at the Warden's (possibly shifted) clock. */
export function createSlackSender(options: { url: () => string; signingSecret: string; channel: string; messageTs: () => string; now: () => number }): SlackSender {
  let serial = 0;
  const salt = Math.random().toString(36).slice(2, 8);
  const post = (body: string) => postSignedSlackRequest({ url: options.url(), signingSecret: options.signingSecret, body, timestamp: Math.floor(options.now() / 1000) });
  const send = async (body: string) => (await post(body)).status;
  const next = () => {
    serial += 1;
    return { triggerId: `trigger-${salt}-${serial}`, actionTs: `1700000000.${String(serial).padStart(6, '0')}` };
  };
  return {
    command: (user, text) => {
      const [command, ...rest] = text.split(' ');
      return post(buildSlackSlashCommand({ user, command: command!, text: rest.join(' '), channel: options.channel, triggerId: next().triggerId }));
    },
    click: (user, actionId, value, ids) =>
      send(buildSlackButtonClick({ user, actionId, value: JSON.stringify(value), channel: options.channel, messageTs: options.messageTs(), ...(ids ?? next()) })),
    choose: (user, actionId, optionValue) => {
      const { triggerId, actionTs } = next();
      // https://docs.slack.dev/reference/interaction-payloads/block_actions-payload — a static_select sends selected_option, no value.
      const payload = {
        type: 'block_actions',
        user: { id: user, username: 'someone', team_id: 'T0TEAM' },
        api_app_id: 'A0WARDEN',
        token: 'legacy',
        container: { type: 'message', message_ts: options.messageTs(), channel_id: options.channel, is_ephemeral: false },
        trigger_id: triggerId,
        team: { id: 'T0TEAM', domain: 'example' },
        channel: { id: options.channel, name: 'security' },
        response_url: 'https://hooks.slack.com/actions/T0TEAM/1/2',
        actions: [{ action_id: actionId, block_id: 'b1', type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'reason' }, value: optionValue }, action_ts: actionTs }],
      };
      return send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    },
  };
}
