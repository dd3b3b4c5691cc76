/**
 * War-room texts that are records, written once in English: timeline entries and the stored reason
 * and fix of a failure (cards, replies and notices take theirs from the message catalogue).
 */
export const warRoomTexts = {
  opened: (name: string, by: string) => `War room #${name} opened (asked by ${by})`,
  invited: (count: number, who: string) => `Invited ${count} to the war room: ${who}`,
  notInvited: (identities: string) => `Could not add to the war room: ${identities}`,
  archived: (name: string) => `War room #${name} archived`,
  archiveAsked: (name: string) => `Warden may not archive war room #${name}: asked the room and the lead to archive it`,

  failed: (what: 'open' | 'invite' | 'pin' | 'archive', reason: string) => `War room ${{ open: 'could not be opened', invite: 'invitations failed', pin: 'card could not be pinned', archive: 'could not be archived' }[what]}: ${reason}`,
  nameTaken: (names: string) => `the names ${names} are taken`,
  unsupported: (platform: string) => `${platform} has no war rooms; configure Slack or Lark (warRoom.platform)`,
  noPlatform: 'the incident has no Slack or Lark destination to choose a platform from; set warRoom.platform',

  fixSlackScope: (scope: string) => `add the ${scope} bot scope to the Slack app (deploy/slack-app-manifest.yaml), reinstall it to the workspace, then press War room again`,
  fixLarkScope: (scope: string) => `grant the app the ${scope} permission in the Lark developer console, publish a new version, then press War room again`,
  fixNameTaken: 'archive or rename the channels of that name, then press War room again',
  fixNotAllowed: (platform: string) => `a ${platform} workspace setting stops apps from doing this; ask an admin to allow it`,
} as const;
