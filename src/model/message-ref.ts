import type { Destination } from '../config/config-schema.js';

/** The platforms Warden talks to. */
export type Platform = 'slack' | 'lark' | 'console';

/** Where a posted card lives, so it can be updated in place. */
export interface MessageRef {
  destination: Destination;
  /** Slack message `ts`, Lark `message_id`, or the console's own id. */
  id: string;
}
