import type { Destination } from '../config/config-schema.js';
import type { MessageRef } from './message-ref.js';

/** What a person asked for: a command typed in chat, or a click on a card button. */
export type InboundInput =
  | {
      type: 'command';
      /** The command without its slash, lowercased: `incident`, `warden`, `audit`. */
      name: string;
      /** Everything after the command name, as typed (trimmed). */
      text: string;
    }
  | {
      type: 'action';
      /** The button's action id, e.g. `incident.acknowledge`. */
      actionId: string;
      /** The button's value as the card set it (e.g. `{"k":"inc-…"}`); untrusted input. */
      value: string;
      /** The card the button is on, when the platform says. */
      message?: MessageRef;
    };

/**
 * One request from Slack, Lark or the terminal Warden runs in (the console), after verification, in the same shape for every platform.
 * Nothing past the platform edges sees a Slack or Lark payload. It is job data, so it holds no
 * secret (no tokens, no `response_url`).
 */
export interface InboundEvent {
  /**
   * Stable id of the delivery, the same on every redelivery of it: `slack:<event_id>`,
   * `slack:<trigger_id>:<action_ts>`, `lark:<event_id>`. Deduplication uses it.
   */
  id: string;
  platform: 'slack' | 'lark' | 'console';
  /** Who: `slack:<user id>`, `lark:<open_id>` or `console:<name>` — immutable ids, never display names. */
  identity: string;
  /** Slack team (workspace) id or Lark `tenant_key`. */
  tenant: string;
  /** Slack `api_app_id` or Lark `app_id` the request was addressed to. */
  appId: string;
  /** Where it happened (channel or chat), when known. */
  destination?: Destination;
  /** When Warden received it (epoch ms). */
  receivedAt: number;
  input: InboundInput;
}

/** How many seconds each platform's deliveries are remembered for deduplication. */
export const DEDUPE_TTL_SECONDS = {
  // Slack retries an event three times within minutes (immediately, after 1 and 5 minutes); an
  // interaction is never retried but could be replayed inside the 300 s signature window.
  slack: 60 * 60,
  // Lark pushes an event again for up to about 6 hours.
  lark: 24 * 60 * 60,
  // Typed at the terminal: never delivered twice; the id only has to outlive its job.
  console: 60 * 60,
} as const;
