/** A message as the fake chat holds it; `updates` counts in-place patches. */
export interface FakeLarkMessage {
  message_id: string;
  chat_id: string;
  msg_type: string;
  /** Parsed `content` JSON (the card). */
  content: unknown;
  uuid: string | undefined;
  updates: number;
  /** When it was sent (ms); the fake API's `ageMessage` moves it back. */
  sent_at: number;
  /** Recalled by its sender or an admin: it stays in the chat as a placeholder and can no longer be patched. */
  deleted: boolean;
}

/** The `data` Lark returns for a sent message. */
export function describeLarkMessage(message: FakeLarkMessage): Record<string, unknown> {
  return {
    message_id: message.message_id,
    chat_id: message.chat_id,
    msg_type: message.msg_type,
    create_time: String(message.sent_at),
    update_time: String(Date.now()),
    deleted: message.deleted,
    updated: message.updates > 0,
    sender: { id: 'cli_fake', id_type: 'app_id', sender_type: 'app' },
    body: { content: JSON.stringify(message.content) },
  };
}

/** The card object in a message `content` string, or undefined when it is not a JSON object. */
export function parseCardContent(content: unknown): unknown {
  if (typeof content !== 'string') return undefined;
  try {
    const parsed = JSON.parse(content) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Only shared cards can be patched: JSON 2.0 cards always are, 1.0 cards need `config.update_multi`. */
export function isSharedCard(card: unknown): boolean {
  const { schema, config } = card as { schema?: unknown; config?: { update_multi?: unknown } };
  return schema === '2.0' || config?.update_multi === true;
}
