import { createHmac } from 'node:crypto';

/** Options for {@link postSignedSlackRequest}. */
export interface SlackRequest {
  url: string;
  signingSecret: string;
  /** The raw body as sent (form or JSON). */
  body: string;
  contentType?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  headers?: Record<string, string>;
}

/** `X-Slack-Signature` as Slack computes it: v0 HMAC-SHA256 over `v0:<timestamp>:<body>`. */
export function signSlackBody(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a request to `/slack/events` signed like Slack; resolves with status and body text. */
export async function postSignedSlackRequest(request: SlackRequest): Promise<{ status: number; text: string }> {
  const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${request.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': request.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackBody(request.signingSecret, timestamp, request.body),
      ...request.headers,
    },
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

/** A `block_actions` interaction (a card button click) as Slack posts it: `payload=<json>`. */
export function buildSlackButtonClick(spec: { user: string; actionId: string; value: string; channel: string; messageTs: string; triggerId: string; actionTs: string; team?: string; appId?: string }): string {
  const team = spec.team ?? 'T0TEAM';
  return new URLSearchParams({
    payload: JSON.stringify({
      type: 'block_actions',
      user: { id: spec.user, username: 'someone', team_id: team },
      api_app_id: spec.appId ?? 'A0WARDEN',
      token: 'legacy',
      container: { type: 'message', message_ts: spec.messageTs, channel_id: spec.channel, is_ephemeral: false },
      trigger_id: spec.triggerId,
      team: { id: team, domain: 'example' },
      channel: { id: spec.channel, name: 'security' },
      response_url: `https://hooks.slack.com/actions/${team}/1/2`,
      actions: [{ action_id: spec.actionId, block_id: 'b1', type: 'button', value: spec.value, action_ts: spec.actionTs }],
    }),
  }).toString();
}

/** A slash command as Slack posts it (form fields). */
export function buildSlackSlashCommand(spec: { user: string; command: string; text: string; channel: string; triggerId: string; team?: string; appId?: string }): string {
  const team = spec.team ?? 'T0TEAM';
  return new URLSearchParams({
    token: 'legacy',
    team_id: team,
    team_domain: 'example',
    channel_id: spec.channel,
    channel_name: 'security',
    user_id: spec.user,
    user_name: 'someone',
    command: spec.command,
    text: spec.text,
    api_app_id: spec.appId ?? 'A0WARDEN',
    response_url: `https://hooks.slack.com/commands/${team}/1/2`,
    trigger_id: spec.triggerId,
  }).toString();
}
