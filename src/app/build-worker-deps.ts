import { paceSends } from '../jobs/notify/pace-sends.js';
import { listLinkHosts } from '../config/list-link-hosts.js';
import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { commands } from '../../commands/index.js';
import { createApprovalStore } from '../approvals/create-approval-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ChatAdapters } from '../ports/chat-adapter.js';
import type { Checklist } from '../checklists/checklist-schema.js';
import type { Config } from '../config/config-schema.js';
import { listSecrets } from '../config/list-secrets.js';
import { createResultScrubber } from '../observability/create-result-scrubber.js';
import type { ButtonHandler } from '../inbound/button-handler.js';
import { createIncidentStore } from '../incidents/create-incident-store.js';
import { toIncidentMetricLabels } from '../incidents/to-incident-metric-labels.js';
import { createMilestoneObserver } from '../incidents/create-milestone-observer.js';
import { remindIncidentLead } from '../incidents/remind-incident-lead.js';
import type { Queues } from '../jobs/create-queues.js';
import type { Work } from '../ports/work.js';
import type { StartWorkersOptions } from '../jobs/start-workers.js';
import type { WardenMetrics } from '../observability/create-metrics.js';
import type { Playbook } from '../playbooks/playbook-schema.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { createCheckContext, createChecklistDeps, type ChecklistWiring } from './create-checklist-deps.js';
import type { AuditCheckpointer } from './create-audit-checkpointer.js';
import type { RotationCalendars } from '../oncall/create-rotation-calendars.js';
import { hasAutomaticWarRooms } from '../war-rooms/has-automatic-war-rooms.js';

/** What the workers of one process are built from. */
export interface WorkerParts {
  /** The workers' connection (`maxRetriesPerRequest: null`). */
  redis: RedisClient;
  config: Config;
  keys: RedisKeys;
  queues: Queues;
  work: Work;
  audit: AuditLog;
  logger: Logger;
  metrics: WardenMetrics;
  now: () => number;
  adapters: ChatAdapters;
  playbooks: ReadonlyMap<string, Playbook>;
  checklists: ReadonlyMap<string, Checklist>;
  wiring: ChecklistWiring;
  /** Every card button, the playbook step button built on this connection included. */
  buttons: readonly ButtonHandler[];
  /** The Redis URL in use, if Redis is reached by URL: its credentials are secrets too. */
  redisUrl: string | undefined;
  missedSlotAfterMs?: number;
  /** Takes the scheduled audit checkpoints. */
  auditCheckpointer?: AuditCheckpointer;
  /** The on-call rotations' calendars, read by this process. */
  calendars?: RotationCalendars;
  /** How long a configured escalation minute is, in ms (default 60 000; tests shorten it). */
  escalationMinuteMs?: number;
}

/** Each queue's processing deps, on the workers' connection. */
export function buildWorkerDeps(parts: WorkerParts): Omit<StartWorkersOptions, 'connection' | 'prefix' | 'metrics' | 'logger' | 'concurrency' | 'lockMs'> {
  const { redis, config, keys, queues, work, audit, logger, metrics, now, adapters, playbooks, checklists, wiring, buttons, redisUrl, missedSlotAfterMs, auditCheckpointer, escalationMinuteMs, calendars } = parts;
  const workerStore = createIncidentStore(redis, keys);
  const common = { logger, now };
  const secrets = listSecrets(config, redisUrl);
  // One scrubber for every result this process stores or shows: probes, checklist checks, remediations.
  const scrub = createResultScrubber(secrets);
  const checkContext = { ...createCheckContext(wiring, redis), scrub };
  // Stateless wrappers over the connection: one of each serves every queue.
  const approvals = createApprovalStore(redis, keys);
  const checklistDeps = createChecklistDeps(wiring, redis);
  const observeMilestone = createMilestoneObserver(metrics, config.routes);
  return {
    notify: {
      ...common,
      redis,
      keys,
      store: workerStore,
      // Every send of a notify job keeps its destination's budget (spendBudget) once it is out.
      adapterFor: paceSends(adapters.adapterFor, { redis, keys, limits: config.limits, now, logger }),
      limits: config.limits,
      metrics,
      playbooks,
      actions: config.actions,
      linkHosts: listLinkHosts(config),
      approvals,
      secrets,
      notifyQueue: queues.notify,
      runs: checklistDeps.runs,
      work,
    },
    checklists: {
      ...checklistDeps,
      redis,
      keys,
      logger,
      checkContext,
      ...(missedSlotAfterMs === undefined ? {} : { missedAfterMs: missedSlotAfterMs }),
    },
    diagnose: { ...common, store: workerStore, work, actions: config.actions, audit, checkContext },
    dispatch: {
      store: workerStore,
      queues,
      actions: config.actions,
      audit,
      cards: { redis, keys, stormLimit: config.limits.storm.newIncidentsPerMinute, notifyQueue: queues.notify, now },
      expireSilencesOnResolve: config.alertmanager.silence.expireOnResolve, escalate: Object.keys(config.escalation.policies).length > 0, warRooms: hasAutomaticWarRooms(config) },
    escalation: {
      config,
      store: workerStore,
      work,
      audit,
      now,
      minuteMs: escalationMinuteMs ?? 60_000,
      ...(calendars ? { calendars } : {}),
      countEscalation: (incident) => metrics.escalations.inc(toIncidentMetricLabels(config.routes, incident)),
    },
    maintenance: {
      redis,
      keys,
      audit,
      now,
      closedIncidentDays: config.retention.closedIncidentDays,
      checklistRunDays: config.retention.checklistRunDays,
      checklistIds: [...checklists.keys()],
      ...(auditCheckpointer ? { takeAuditCheckpoint: () => auditCheckpointer('scheduled') } : {}),
      remindLead: (key, since) => remindIncidentLead({ store: workerStore, work, audit }, key, since),
    },
    remediate: {
      redis,
      keys,
      store: workerStore,
      work,
      actions: config.actions,
      audit,
      logger,
      now,
      secrets,
      access: config.access,
      approvals,
      scrub,
      wardenPrefix: config.redis.prefix,
      playbooks,
      checkContext,
      observeMilestone,
    },
    warRooms: { redis, keys, config, store: workerStore, work, audit, adapters, now, ...(calendars ? { calendars } : {}) },
    silences: { store: workerStore, work, audit, approvals, settings: config, now, scrub, countSilence: (incident) => metrics.silences.inc(toIncidentMetricLabels(config.routes, incident)) },
    inbound: {
      config,
      commands,
      buttons: buttons,
      store: workerStore,
      operations: {
        store: workerStore,
        work,
        audit,
        now,
        actions: config.actions,
        approvals,
        approvalExpiryMs: config.limits.approvalExpiryMinutes * 60_000,
        people: config.access.people,
        secrets,
        checklists: checklistDeps,
        observeMilestone,
        silencing: config,
        expireSilencesOnClose: config.alertmanager.silence.expireOnResolve,
        ...(calendars ? { calendars } : {}),
      },
      adapters,
      audit,
      logger,
    },
  };
}
