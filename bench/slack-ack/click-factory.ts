import { createHmac } from 'node:crypto';

/** Builds signed `block_actions` requests, each a new click (its own trigger id and action ts). */
export interface ClickFactory {
  next(): { body: string; headers: Record<string, string> };
}

/**
 * An Acknowledge click on an incident card as Slack posts it (form field `payload`), signed with
 * the current time the moment it is about to be sent, exactly as Slack signs.
 */
export function createClickFactory(signingSecret: string): ClickFactory {
  let serial = 0;
  return {
    next() {
      serial++;
      const payload = {
        type: 'block_actions',
        user: { id: 'U0BENCH', username: 'bench', team_id: 'T0BENCH' },
        api_app_id: 'A0BENCH',
        token: 'legacy',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0BENCH', is_ephemeral: false },
        trigger_id: `${serial}.1700000000.${serial.toString(16).padStart(12, '0')}`,
        team: { id: 'T0BENCH', domain: 'bench' },
        channel: { id: 'C0BENCH', name: 'bench' },
        response_url: 'https://hooks.slack.com/actions/T0BENCH/1/2',
        actions: [
          { action_id: 'incident.acknowledge', block_id: 'b1', type: 'button', value: `{"k":"inc-${(serial % 4096).toString(16).padStart(12, '0')}"}`, action_ts: `1700000001.${serial}` },
        ],
      };
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return {
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature },
      };
    },
  };
}
