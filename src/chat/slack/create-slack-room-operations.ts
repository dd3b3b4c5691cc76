import { webApi } from '@slack/bolt';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import { chatRejected } from '../../ports/chat-errors.js';
import { RoomRefusedError } from '../../ports/chat-room.js';
import { mapSlackRoomError } from './map-slack-room-error.js';

/** How many pages of the bot's channels a lookup reads (200 each) before it gives up. */
const MAX_CHANNEL_PAGES = 10;

type RoomOperations = Required<Pick<ChatAdapter, 'createRoom' | 'inviteToRoom' | 'pinMessage' | 'archiveRoom'>>;

/** Slack answers that mean the room operation already happened. */
const alreadyDone: Record<string, readonly string[]> = {
  'conversations.invite': ['already_in_channel'],
  'pins.add': ['already_pinned'],
  'conversations.archive': ['already_archived'],
};

/**
 * War rooms on Slack: a private (or public) channel made with `conversations.create` (a channel an
 * earlier attempt made but did not record is found by its name among the bot's), people added
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

  /**
   * The unarchived channel named `name` the bot is a member of, through `users.conversations`
   * (the bot's own channels, private ones included: https://docs.slack.dev/reference/methods/users.conversations;
   * needs `groups:read`, or `channels:read` for public ones), a page of 200 at a time.
   */
  async function findMemberChannel(name: string, wantPrivate: boolean): Promise<{ id?: string; name?: string } | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CHANNEL_PAGES; page += 1) {
      const answer = await call('users.conversations', wantPrivate, () =>
        client.users.conversations({ types: wantPrivate ? 'private_channel' : 'public_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}) }),
      );
      const found = answer?.channels?.find((channel) => channel.name === name);
      if (found !== undefined) return { ...(found.id === undefined ? {} : { id: found.id }), ...(found.name === undefined ? {} : { name: found.name }) };
      cursor = answer?.response_metadata?.next_cursor || undefined;
      if (cursor === undefined) return undefined;
    }
    return undefined;
  }

  return {
    async createRoom(spec) {
      let result;
      try {
        result = await call('conversations.create', spec.private, () => client.conversations.create({ name: spec.name, is_private: spec.private }));
      } catch (error) {
        if (!spec.adopt || !(error instanceof RoomRefusedError) || error.reason !== 'name_taken') throw error;
        // An earlier attempt may have made this channel: adopt it when the bot is in it (it made it).
        const found = await findMemberChannel(spec.name, spec.private);
        if (found === undefined) throw error;
        result = { channel: found };
      }
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
