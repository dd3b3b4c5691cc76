import { webApi } from '@slack/bolt';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { chatRejected } from '../../ports/chat-errors.js';
import { mapSlackRoomError } from './map-slack-room-error.js';

type RoomOperations = Required<Pick<ChatAdapter, 'createRoom' | 'inviteToRoom' | 'pinMessage' | 'archiveRoom'>>;

/** Slack answers that mean the room operation already happened. */
const alreadyDone: Record<string, readonly string[]> = {
  'conversations.invite': ['already_in_channel'],
  'pins.add': ['already_pinned'],
  'conversations.archive': ['already_archived'],
};

/**
 * War rooms on Slack: a private (or public) channel made with `conversations.create`, people added
 * with `conversations.invite` (`force`: the valid ones are added even when others are not), the
 * card pinned with `pins.add`, archived with `conversations.archive`. Errors as in
 * `mapSlackRoomError`.
 */
export function createSlackRoomOperations(client: webApi.WebClient, secrets: readonly string[]): RoomOperations {
  // Rooms Warden made in this process and whether they are private: the scope a refusal names depends on it.
  const privacy = new Map<string, boolean>();
  async function call<T>(method: string, isPrivate: boolean, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof webApi.WebAPIPlatformError && alreadyDone[method]?.includes(String(error.data.error))) return undefined;
      throw mapSlackRoomError(error, method, isPrivate, secrets);
    }
  }
  const isPrivate = (channel: string) => privacy.get(channel) ?? true;

  return {
    async createRoom(spec) {
      const result = await call('conversations.create', spec.private, () => client.conversations.create({ name: spec.name, is_private: spec.private }));
      const id = result?.channel?.id;
      if (typeof id !== 'string' || !/^[CG][A-Z0-9]{1,31}$/.test(id)) throw chatRejected('slack', 'conversations.create returned no channel id');
      privacy.set(id, spec.private);
      // Slack's documented deep link to a channel: https://docs.slack.dev/interactivity/deep-linking
      return { destination: `slack:${id}`, name: result?.channel?.name ?? spec.name, url: `https://slack.com/app_redirect?channel=${id}` };
    },

    async inviteToRoom(room, identities) {
      const channel = toChannel(room);
      const users = identities.flatMap((identity) => /^slack:([UW][A-Z0-9]{2,32})$/.exec(identity)?.[1] ?? []);
      if (users.length === 0) return { refused: [] };
      const result = await call('conversations.invite', isPrivate(channel), () => client.conversations.invite({ channel, users: users.join(','), force: true }));
      const failed = ((result as { errors?: { user?: string; error?: string }[] } | undefined)?.errors ?? []).filter((e) => e.error !== 'already_in_channel');
      return { refused: failed.flatMap((e) => (typeof e.user === 'string' ? [`slack:${e.user}`] : [])) };
    },

    async pinMessage(ref) {
      const channel = toChannel(ref.destination);
      await call('pins.add', isPrivate(channel), () => client.pins.add({ channel, timestamp: ref.id }));
    },

    async archiveRoom(room) {
      const channel = toChannel(room);
      await call('conversations.archive', isPrivate(channel), () => client.conversations.archive({ channel }));
      return 'archived';
    },
  };
}

function toChannel(destination: string): string {
  const match = /^slack:([CG][A-Z0-9]{1,31})$/.exec(destination);
  if (match?.[1] === undefined) throw chatRejected('slack', `"${destination.slice(0, 80)}" is not a Slack channel`);
  return match[1];
}
