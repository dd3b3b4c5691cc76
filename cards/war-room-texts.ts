/**
 * Every sentence war rooms show people — on cards, the timeline, command replies and notices — in
 * one place, so they can move to the message catalogue as they are.
 */
export const warRoomTexts = {
  buttonLabel: 'War room',
  linkLabel: (name: string) => `War room: #${name}`,
  archivedLine: (name: string, at: string) => `War room #${name} was archived at ${at}.`,
  archiveAskedLine: (name: string) => `War room #${name}: Warden may not archive it; archive it in the chat app.`,
  failureLine: (text: string, at: string, fix: string | undefined) => `⚠️ ${text} (${at})${fix === undefined ? '' : ` — fix: ${fix}`}`,

  requested: (key: string) => `Opening a war room for ${key}; the card links it once it is ready.`,
  alreadyOpen: (key: string, name: string) => `${key} already has a war room: #${name}.`,
  noIncident: (key: string) => `There is no incident ${key}.`,
  closed: (key: string) => `${key} is closed; it gets no war room any more.`,
  commandSummary: 'open a private channel (Slack) or group chat (Lark) for an incident, invite its responders and pin its card there',

  opened: (name: string, by: string) => `War room #${name} opened (asked by ${by})`,
  invited: (count: number, who: string) => `Invited ${count} to the war room: ${who}`,
  notInvited: (identities: string) => `Could not add to the war room: ${identities}`,
  archived: (name: string) => `War room #${name} archived`,
  archiveAsked: (name: string) => `Warden may not archive war room #${name}: asked the room and the lead to archive it`,
  archiveNoticeTitle: (name: string) => `Archive #${name}`,
  archiveNoticeText: (key: string, name: string) => `${key} is closed. Warden may not archive this room (#${name}) on this platform: please archive or dissolve it in the chat app.`,

  failed: (what: 'open' | 'invite' | 'pin' | 'archive', reason: string) => `War room ${{ open: 'could not be opened', invite: 'invitations failed', pin: 'card could not be pinned', archive: 'could not be archived' }[what]}: ${reason}`,
  nameTaken: (names: string) => `the names ${names} are taken`,
  unsupported: (platform: string) => `${platform} has no war rooms; configure Slack or Lark (warRoom.platform)`,
  noPlatform: 'the incident has no Slack or Lark destination to choose a platform from; set warRoom.platform',

  fixSlackScope: (scope: string) => `add the ${scope} bot scope to the Slack app (deploy/slack-app-manifest.yaml), reinstall it to the workspace, then press War room again`,
  fixLarkScope: (scope: string) => `grant the app the ${scope} permission in the Lark developer console, publish a new version, then press War room again`,
  fixNameTaken: 'archive or rename the channels of that name, then press War room again',
  fixNotAllowed: (platform: string) => `a ${platform} workspace setting stops apps from doing this; ask an admin to allow it`,
} as const;
