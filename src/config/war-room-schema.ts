import { z } from 'zod';
import { CHAT_IDENTITY_OR_NAME } from './identity-schema.js';

/** Whom a war room invites: a rotation (whoever is on call then), a group, a person, or an identity. */
const inviteSchema = z.string().regex(CHAT_IDENTITY_OR_NAME, {
  message: 'must name an on-call rotation, a group or a person (e.g. primary, leads, alice) or be an identity (slack:U0ALICE, lark:ou_0alice)',
});

/**
 * A war room's settings (a route's `warRoom`, or `warRooms.bySeverity.<severity>`): a private Slack
 * channel or Lark group chat for one incident, its card pinned there.
 */
export const warRoomSettingsSchema = z.strictObject({
  /** A private channel (Slack) / private group chat (Lark); default true. */
  private: z.boolean().default(true),
  /** Invited besides the acknowledger, the lead, whoever asked and whoever is on call. */
  invite: z.array(inviteSchema).default([]),
  /** Also invite whoever is on call in the rotations of the incident's escalation policy (every rotation when it has none); default true. */
  inviteOnCall: z.boolean().default(true),
  /** Open the room as soon as the incident opens; false: only from the War room button or `/incident room`. Default true. */
  auto: z.boolean().default(true),
  /** Where the room is made; default: the platform of the incident's first Slack or Lark destination (on demand: of whoever asked). */
  platform: z.enum(['slack', 'lark']).optional(),
});

/**
 * `warRooms`: war room settings by severity, as `escalation.bySeverity` chooses a policy. A route's
 * own `warRoom` wins over these.
 */
export const warRoomsSchema = z.strictObject({
  bySeverity: z.record(z.string().min(1), warRoomSettingsSchema).default({}),
});

export type WarRoomSettings = z.output<typeof warRoomSettingsSchema>;
export type WarRoomsConfig = z.output<typeof warRoomsSchema>;
