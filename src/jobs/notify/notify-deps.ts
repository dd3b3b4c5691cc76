import type { WarRoomWork } from '../../ports/war-room-work.js';
import type { RedisClient } from '../../redis/redis-client.js';
import type { ApprovalStore } from '../../approvals/create-approval-store.js';
import type { Logger } from 'pino';
import type { ChatAdapter } from '../../ports/chat-adapter.js';
import type { RunStore } from '../../checklists/create-run-store.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { WardenMetrics } from '../../observability/create-metrics.js';
import type { Playbook } from '../../playbooks/playbook-schema.js';
import type { RedisKeys } from '../../redis/redis-keys.js';
import type { Queue } from 'bullmq';
import type { NotifyJobData } from '../create-queues.js';

/** What a notify job needs. */
export interface NotifyDeps {
  redis: RedisClient;
  keys: RedisKeys;
  store: IncidentStore;
  /** The adapter that serves a destination (`console` for platforms without credentials). */
  adapterFor: (destination: string) => ChatAdapter;
  limits: Config['limits'];
  /** The loaded playbooks: the card shows the incident's playbook steps of its current phase. */
  playbooks: ReadonlyMap<string, Playbook>;
  /** The configured actions: the card has a button for each of the current phase's actions. */
  actions: Config['actions'];
  /** Hosts that runbook and source links on incident cards may point to (see `listLinkHosts`). */
  linkHosts: readonly string[];
  /** Pending approval requests show on the card with Approve and Deny buttons. */
  approvals: ApprovalStore;
  /** Every configured secret (`listSecrets`): masked in the runs approval requests show. Default none. */
  secrets?: readonly string[];
  /** The `notify` queue: a storm digest's changes queue the one job that sends it. */
  notifyQueue: Queue<NotifyJobData>;
  /** Checklist runs, for their cards. */
  runs: RunStore;
  metrics: WardenMetrics;
  logger: Logger;
  now: () => number;
  /** Pins a war room's card posted anew (the old message was gone); without it, such a card stays unpinned. */
  work?: Pick<WarRoomWork, 'pinWarRoomCard'>;
}
