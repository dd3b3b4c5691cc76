import { startMissingEscalations } from '../jobs/escalation/start-missing-escalations.js';
import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../redis/redis-client.js';
import { commands } from '../../commands/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import { createAuditLog } from '../audit/create-audit-log.js';
import type { CreateWardenOptions } from './create-warden-options.js';
import { createRejectionAuditor } from '../audit/create-rejection-auditor.js';
import { startAuditExport, type AuditExport } from '../audit/export-audit-log.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import { createAcceptInboundEvent } from '../inbound/create-accept-inbound-event.js';
import { buttons } from '../inbound/buttons.js';
import { listIncidents, type ListIncidents } from '../incidents/list-incidents.js';
import { createPlaybookStepButton } from '../inbound/playbook-step-button.js';
import { createChatAdapters } from '../chat/create-chat-adapters.js';
import type { ChatAdapters } from '../ports/chat-adapter.js';
import type { Config } from '../config/config-schema.js';
import { listSecrets } from '../config/list-secrets.js';
import { createServer } from '../http/create-server.js';
import { createApprovalStore } from '../approvals/create-approval-store.js';
import { listLinkHosts } from '../config/list-link-hosts.js';
import { cacheAuditStatus, readAuditStatus, readSettledAuditStatus } from '../web-console/read-audit-status.js';
import { createIncidentStore, type IncidentStore } from '../incidents/create-incident-store.js';
import { createIntake } from '../incidents/create-intake.js';
import { createQueues, QUEUE_NAMES, type Queues } from '../jobs/create-queues.js';
import { createJobWork } from '../jobs/create-job-work.js';
import { scheduleMaintenance } from '../jobs/maintenance/process-maintenance-job.js';
import { startWorkers, type Workers } from '../jobs/start-workers.js';
import { createHealthCheck } from '../observability/check-health.js';
import { createMetrics, type WardenMetrics } from '../observability/create-metrics.js';
import { connectWardenRedis } from './connect-warden-redis.js';
import { createRedisKeys } from '../redis/redis-keys.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import { loadChecklists } from '../checklists/load-checklists.js';
import { scheduleChecklists } from '../jobs/checklists/schedule-checklists.js';
import { createRunStore } from '../checklists/create-run-store.js';
import { countOpenRuns } from '../checklists/count-open-runs.js';
import { buildWorkerDeps } from './build-worker-deps.js';
import { checkpointOnShutdown } from './checkpoint-on-shutdown.js';
import { createAuditCheckpointer } from './create-audit-checkpointer.js';
import type { ChecklistWiring } from './create-checklist-deps.js';
import { createReplicaWait } from '../redis/create-replica-wait.js';
import { confirmOnReplicas } from '../incidents/confirm-on-replicas.js';
import { confirmBeforeSending } from './confirm-before-sending.js';
import { createRotationCalendars } from '../oncall/create-rotation-calendars.js';
import { createConsoleControls } from '../chat/console/create-console-controls.js';
import { startConsoleInput } from '../chat/console/start-console-input.js';
import { listConsolePeople } from '../config/list-console-people.js';

export type { CreateWardenOptions, Role } from './create-warden-options.js';

/** A Warden process: `start` listens and/or starts workers; `stop` shuts down gracefully. */
export interface Warden {
  readonly config: Config;
  readonly metrics: WardenMetrics;
  readonly store: IncidentStore;
  readonly queues: Queues;
  readonly adapters: ChatAdapters;
  readonly audit: AuditLog;
  /** The HTTP server (web and all roles). */
  readonly server: FastifyInstance | undefined;
  /** Starts the role's parts; resolves with the listening URL for web roles. */
  start(): Promise<{ url?: string }>;
  /** Stops taking requests, lets active jobs finish within the grace period, closes connections. */
  stop(): Promise<void>;
}

/**
 * Wires one Warden process from its configuration and connects to Redis (BullMQ needs a ready
 * connection before a fail-fast producer can be shared with it). Nothing listens until `start`.
 */
export async function createWarden(options: CreateWardenOptions): Promise<Warden> {
  const { config, role, logger } = options;
  const now = options.now ?? Date.now;
  const keys = createRedisKeys(config.redis.prefix);
  // Validated before Redis is touched, so a bad playbook fails the start at once.
  const playbooks = loadPlaybooks(undefined, { actions: config.actions, routes: config.routes });
  const checklists = loadChecklists(options.checklistsDir, { actions: config.actions, schedules: config.checklists.schedules });
  const metrics = createMetrics();
  const connections = await connectWardenRedis(options.redis, role !== 'web', logger);
  const { redis, queueRedis, worker } = connections;

  // Intake writes the notification with the script on `redis` and its dispatch job on `queueRedis`.
  const replicaWait = config.redis.waitForReplicas && createReplicaWait([redis, queueRedis], keys.replicaBarrier, config.redis.waitForReplicas);
  const workerReplicaWait = worker && config.redis.waitForReplicas && createReplicaWait([worker.redis, worker.jobs], keys.replicaBarrier, config.redis.waitForReplicas);
  const store = createIncidentStore(redis, keys);
  const queues = createQueues(queueRedis, config.redis.prefix);
  const work = createJobWork(queues);
  // The queues repeat their connection's errors (logged by connectWardenRedis); without a listener BullMQ prints
  // each one to the console, outside the JSON log.
  for (const name of QUEUE_NAMES) queues[name].on('error', (error: Error) => logger.debug({ err: error, queue: name }, 'queue error'));
  const consolePeople = listConsolePeople(config);
  const interactive = options.consoleInput !== undefined && options.terminal?.tty === true && role === 'all' && !config.slack && !config.lark && consolePeople.length > 0;
  const consoleControls = interactive ? createConsoleControls() : undefined;
  const adapters = await createChatAdapters({
    config,
    metrics,
    logger,
    override: options.adapters,
    console: { ...(options.terminal ? { terminal: options.terminal } : {}), ...(consoleControls ? { controls: consoleControls } : {}) },
  });
  const audit = options.audit ?? createAuditLog({ redis, prefix: config.redis.prefix, hmacKey: config.audit.hmacKey, logger, now, secrets: listSecrets(config, options.redis.kind === 'url' ? options.redis.url : undefined) });
  const wiring: ChecklistWiring = { config, checklists, keys, work, audit, now, configPath: options.configPath ?? null, env: options.env ?? process.env };
  // The step button reads playbooks and step states: it is built per connection, after the fixed list.
  const buttonsOn = (connection: RedisClient) => [...buttons, createPlaybookStepButton({ redis: connection, keys, playbooks })];
  const accept = createAcceptInboundEvent({ redis, keys, work, config, commands, buttons: buttonsOn(redis), audit, logger, now });
  // The transports import their platform's SDK: loaded only when configured, like the adapters.
  const socketMode =
    role !== 'worker' && config.slack?.appToken && adapters.slack
      ? (await import('../chat/slack/start-slack-socket-mode.js')).startSlackSocketMode({ slack: config.slack, accept, adapter: adapters.slack, logger, now, locale: config.locale })
      : undefined;
  const larkConnection =
    role !== 'worker' && config.lark?.transport === 'websocket' && adapters.lark
      ? (await import('../chat/lark/start-lark-long-connection.js')).startLarkLongConnection({ lark: config.lark, accept, adapter: adapters.lark, logger, now })
      : undefined;
  const remoteAdapters = Object.fromEntries(
    Object.entries({ slack: adapters.slack, lark: adapters.lark }).filter((entry): entry is [string, ChatAdapter] => entry[1] !== undefined),
  );
  const runs = createRunStore(redis, keys);
  const rejections = createRejectionAuditor({ audit, logger, now, windowMs: options.rejectionWindowMs });
  // Processes running workers take the audit checkpoints, on the fail-fast connection: a stop must not wait for Redis.
  const auditCheckpointer = worker ? createAuditCheckpointer({ config, redis, keys, work, audit, logger, now }) : undefined;
  metrics.setCollectors({
    countOpenIncidents: () => store.countOpen(),
    countJobs: async () => Object.fromEntries(await Promise.all(QUEUE_NAMES.map(async (name) => [name, await queues[name].getJobCounts()] as const))),
    countOpenRuns: () => countOpenRuns(runs, checklists.keys(), now()),
    ...(larkConnection ? { larkConnectionUp: () => larkConnection.status().state === 'connected' } : {}),
  });

  const readIncidents: ListIncidents = (query) => listIncidents(redis, keys, query);
  const server =
    role === 'worker'
      ? undefined
      : createServer({
          config,
          metrics,
          logger,
          intake: confirmOnReplicas(createIntake({ redis, keys, work, config, now }), replicaWait),
          checkHealth: createHealthCheck({ redis, adapters: remoteAdapters, connections: larkConnection ? { lark_connection: () => larkConnection.checkHealth() } : {} }),
          inbound: { accept, adapters, now },
          onUnauthorized: rejections.record,
          listIncidents: readIncidents,
          console: {
            config,
            redis,
            keys,
            store,
            listIncidents: readIncidents,
            approvals: createApprovalStore(redis, keys),
            runs,
            checklists,
            audit,
            auditStatus: cacheAuditStatus(() => readSettledAuditStatus(() => readAuditStatus({ redis, keys, file: config.audit.file, hmacKey: config.audit.hmacKey, now })), now),
            linkHosts: listLinkHosts(config),
            logger,
            now,
          },
        });
  let workers: Workers | undefined;
  let auditExport: AuditExport | undefined;
  let missingEscalations: Promise<unknown> | undefined;
  let stopConsoleInput: (() => void) | undefined;

  return {
    config,
    metrics,
    store,
    queues,
    adapters,
    audit,
    server,

    async start() {
      if (worker) {
        workers = startWorkers({
          connection: worker.redis,
          prefix: config.redis.prefix,
          metrics,
          logger,
          concurrency: options.concurrency,
          lockMs: options.workerLockMs,
          ...(server ? { intakeFirst: { targetDelayMs: options.intakeTargetDelayMs } } : {}),
          ...buildWorkerDeps({
            redis: worker.jobs,
            config,
            keys,
            queues,
            work,
            audit,
            logger,
            metrics,
            now,
            adapters: workerReplicaWait ? confirmBeforeSending(adapters, workerReplicaWait.barrier) : adapters,
            playbooks,
            checklists,
            wiring,
            buttons: buttonsOn(worker.redis),
            redisUrl: options.redis.kind === 'url' ? options.redis.url : undefined,
            missedSlotAfterMs: options.missedSlotAfterMs,
            auditCheckpointer,
            escalationMinuteMs: options.escalationMinuteMs,
            calendars: createRotationCalendars({ config, now, logger }),
          }),
        });
        // Processes that run workers keep the append-only JSONL copy of the chain (one per host and file).
        await scheduleMaintenance(queues, { auditCheckpointEveryMs: config.audit.checkpoint.everyMinutes * 60_000 });
        await scheduleChecklists({ config, now, queues, redis: worker.redis, keys }, { sweepEveryMs: options.checklistSweepEveryMs });
        auditExport = startAuditExport({ redis: worker.redis, prefix: config.redis.prefix, file: config.audit.file, logger, now, replicas: config.redis.waitForReplicas });
        // In the background: incidents that opened before a policy applied to them get their chain now.
        missingEscalations = startMissingEscalations({ config, store, queues, work, audit, logger, now }).catch((error: unknown) =>
          logger.warn({ err: error }, 'could not start the escalation of open incidents that opened before a policy applied'),
        );
      }
      await audit.append({
        type: 'config.loaded',
        actor: 'warden',
        subject: role,
        outcome: 'ok',
        detail: {
          slack: config.slack !== undefined,
          lark: config.lark !== undefined,
          routes: config.routes.length,
          actions: Object.keys(config.actions),
          groups: Object.fromEntries(Object.entries(config.access.groups).map(([name, members]) => [name, members.length])),
          permissions: config.access.permissions,
        },
      });
      await socketMode?.start();
      await larkConnection?.start();
      if (!server) return {};
      const url = await server.listen({ host: config.server.host, port: config.server.port });
      if (consoleControls && options.terminal) {
        const { input, output } = options.consoleInput ?? {};
        stopConsoleInput = startConsoleInput({
          terminal: options.terminal,
          controls: consoleControls,
          accept,
          people: consolePeople,
          locale: config.locale,
          logger,
          now,
          ...(input ? { input } : {}),
          ...(output ? { output } : {}),
        });
      }
      return { url };
    },

    async stop() {
      // Order matters: no new requests, then no new jobs, then the connections they used.
      stopConsoleInput?.();
      await server?.close();
      await socketMode?.stop();
      await larkConnection?.stop();
      await rejections.flush();
      await missingEscalations;
      await workers?.close(options.shutdownGraceMs ?? 25_000);
      if (auditCheckpointer) await checkpointOnShutdown({ checkpointer: auditCheckpointer, redis, keys, file: auditExport && !auditExport.refused ? config.audit.file : undefined, logger });
      await auditExport?.stop();
      await queues.close();
      await Promise.all(
        connections.all.map((connection) => connection.quit().catch(() => connection.disconnect())),
      );
    },
  };
}
