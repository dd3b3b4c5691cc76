import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/** Encrypts a Lark event body as Lark does: AES-256-CBC, key sha256(encryptKey), random IV first, base64. */
export function encryptLarkBody(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** POSTs `event` to `/lark/events` encrypted and signed like Lark (sha256 of timestamp + nonce + key + body). */
export async function postSignedLarkEvent(options: {
  url: string;
  encryptKey: string;
  event: Record<string, unknown>;
  nonce?: string;
  timestamp?: number;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = JSON.stringify({ encrypt: encryptLarkBody(options.encryptKey, JSON.stringify(options.event)) });
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(8).toString('hex');
  const signature = createHash('sha256').update(timestamp + nonce + options.encryptKey).update(body).digest('hex');
  const response = await fetch(`${options.url}/lark/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A schema 2.0 card button callback (`card.action.trigger`) for a card Warden posted. */
export function buildLarkButtonClick(spec: { eventId: string; token: string; appId: string; tenant?: string; openId: string; actionId: string; value: string; chatId: string; messageId: string }) {
  return {
    schema: '2.0',
    header: { event_id: spec.eventId, token: spec.token, create_time: String(Date.now()), event_type: 'card.action.trigger', tenant_key: spec.tenant ?? 'tenant0', app_id: spec.appId },
    event: {
      operator: { tenant_key: spec.tenant ?? 'tenant0', open_id: spec.openId, user_id: 'u1' },
      token: 'c-callback-token',
      action: { value: { actionId: spec.actionId, value: spec.value }, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: spec.messageId, open_chat_id: spec.chatId },
    },
  };
}

/** A schema 2.0 `im.message.receive_v1` text message to the bot. */
export function buildLarkTextMessage(spec: { eventId: string; token: string; appId: string; tenant?: string; openId: string; chatId: string; text: string }) {
  return {
    schema: '2.0',
    header: { event_id: spec.eventId, token: spec.token, create_time: String(Date.now()), event_type: 'im.message.receive_v1', tenant_key: spec.tenant ?? 'tenant0', app_id: spec.appId },
    event: {
      sender: { sender_id: { open_id: spec.openId, user_id: 'u1', union_id: 'on_1' }, sender_type: 'user', tenant_key: spec.tenant ?? 'tenant0' },
      message: {
        message_id: `om_${spec.eventId}`,
        create_time: String(Date.now()),
        chat_id: spec.chatId,
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: `@_user_1 ${spec.text}` }),
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'Warden', tenant_key: spec.tenant ?? 'tenant0' }],
      },
    },
  };
}
