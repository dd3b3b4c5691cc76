/**
 * War-room texts that are records, written once in English: timeline entries (cards, replies,
 * notices and the stored reason and fix of a failure take theirs from the message catalogue).
 */
export const warRoomTexts = {
  opened: (name: string, by: string) => `War room #${name} opened (asked by ${by})`,
  invited: (count: number, who: string) => `Invited ${count} to the war room: ${who}`,
  notInvited: (identities: string) => `Could not add to the war room: ${identities}`,
  archived: (name: string) => `War room #${name} archived`,
  archiveAsked: (name: string) => `Warden may not archive war room #${name}: asked the room and the lead to archive it`,
} as const;
