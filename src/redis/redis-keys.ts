/**
 * Every Redis key Warden itself uses (BullMQ keeps its own under the same prefix). With the
 * prefix `{warden}` all keys share one hash slot, which Redis Cluster needs for the Lua scripts.
 * BullMQ owns `<prefix>:<queue name>:*` (dispatch, notify, diagnose, inbound, remediate, maintenance,
 * checklists, silences, escalation): never use those words as the first part of a key here.
 */
export function createRedisKeys(prefix: string) {
  const incident = (key: string) => `${prefix}:incident:${key}`;
  return {
    prefix,
    /** groupKey → key of the group's open incident. */
    openIncidents: `${prefix}:incidents:open`,
    /** groupKey → how many incidents the group has had (makes keys of later incidents unique). */
    incidentGenerations: `${prefix}:incidents:generation`,
    /** key → openedAt (ms), for listing and retention. */
    incidentIndex: `${prefix}:incidents:index`,
    incident,
    alerts: (key: string) => `${incident(key)}:alerts`,
    timeline: (key: string) => `${incident(key)}:timeline`,
    diagnosis: (key: string) => `${incident(key)}:diagnosis`,
    /** Set by the record script when it stored an intake batch; its dispatch job waits for it (see `create-intake.ts`). */
    intakeBatch: (id: string) => `${prefix}:intake-batch:${id}`,
    /** destination → JSON of where the incident's card lives (see `claim-card.ts`). */
    messages: (key: string) => `${incident(key)}:messages`,
    /** Serialises posting and updating one incident's card in one destination. */
    cardLock: (key: string, destination: string) => `${incident(key)}:lock:${destination}`,
    /** Next time (ms) a destination may be sent to: the outbound budget. */
    budget: (destination: string) => `${prefix}:budget:${destination}`,
    /** How many new cards a destination got in one minute. */
    stormCount: (destination: string, minute: number) => `${prefix}:storm:${destination}:${minute}`,
    /** The digest card a destination gets in a storm minute: a hash (id, rendered, replaces, versions). */
    digest: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}`,
    /** A sorted set of the digest's incident keys in digest order (see `digestOrder`): the card lists the first and counts the rest. */
    digestRanking: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:ranking`,
    /** A hash of the incident version each of the digest's incidents was last marked with. */
    digestVersions: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:versions`,
    /** Serialises posting and updating one digest card. */
    digestLock: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:lock`,
    /** Counts the changes of one digest card (an incident joined, or one of its incidents changed). */
    digestGeneration: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:generation`,
    /** JSON `{ job, by? }`: the one `digest` job that is to send the digest's current state (see `mark-digest-changed.ts`). */
    digestCarrier: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:carrier`,
    /** An inbound delivery (Slack or Lark event id) already accepted: redeliveries have no effect. */
    inboundSeen: (id: string) => `${prefix}:delivery:seen:${id}`,
    /** A signed request (Lark timestamp and nonce) already seen within the signature window. */
    inboundReplay: (key: string) => `${prefix}:delivery:replay:${key}`,
    /** When an identity may run its next command: the per-user command rate limit. */
    commandBudget: (identity: string) => `${prefix}:limit:commands:${identity}`,
    /** The audit log's entries, one per stream id `<seq>-0` (field `entry`: the entry's JSON). */
    auditStream: `${prefix}:audit:stream`,
    /** The audit chain's head: a hash with `seq` and `hash` of the last entry, moved together with the stream. */
    auditHead: `${prefix}:audit:head`,
    /** Held by the one process on `host` that writes the audit JSONL file `file` (an absolute path). */
    auditExportLock: (host: string, file: string) => `${prefix}:audit:export:${host}:${file}`,
    /** `<host>:<file>` → JSON `{ seq, at }`: how far each audit file is written (the stream is trimmed only behind all of them). */
    auditExporters: `${prefix}:audit:exporters`,
    /** The last checkpoint taken: a hash with `seq`, `hash`, `at`, `mac`, and `announced` / `posted` once sent. */
    auditCheckpoint: `${prefix}:audit:checkpoint`,
    /** Held while one process takes a checkpoint. */
    auditCheckpointLock: `${prefix}:audit:checkpoint:lock`,
    /** An approval request for a destructive action (a hash), by request id. */
    approval: (id: string) => `${prefix}:approval:${id}`,
    /** Request ids of an incident's approval requests, by creation time (ms). */
    incidentApprovals: (key: string) => `${incident(key)}:approvals`,
    /** The recorded result of one remediation request: its effect happened (or failed for good). */
    remediation: (id: string) => `${prefix}:remediation:${id}`,
    /** Held while an attempt of a remediation request runs its exec program: JSON of the `ExecRun`. */
    execRun: (id: string) => `${prefix}:remediation:${id}:exec`,
    /** The incident's playbook step states: step id → JSON `{ state, by, at }`; an absent step is open. */
    steps: (key: string) => `${incident(key)}:steps`,
    /** A checklist run: a hash with `json` (what the run is), `version`, `completedAt`, `escalatedAt`. */
    checklistRun: (runId: string) => `${prefix}:checklist:run:${runId}`,
    /** A run's items: item id → JSON of its state. */
    checklistRunItems: (runId: string) => `${prefix}:checklist:run:${runId}:items`,
    /** destination → JSON of where the run's card lives (`{ id, rendered }`). */
    checklistRunMessages: (runId: string) => `${prefix}:checklist:run:${runId}:messages`,
    /** Serialises posting and updating one run's card in one destination. */
    checklistRunCardLock: (runId: string, destination: string) => `${prefix}:checklist:run:${runId}:lock:${destination}`,
    /** The checklist's newest open run id: a second request points there. */
    checklistOpen: (checklistId: string) => `${prefix}:checklist:open:${checklistId}`,
    /** A checklist's runs: run id → start time (ms), for history and compliance. */
    checklistRuns: (checklistId: string) => `${prefix}:checklist:runs:${checklistId}`,
    /** Every open run: run id → start time (ms), for reminders and escalation. */
    checklistOpenRuns: `${prefix}:checklist:runs:open`,
    /** A checklist's schedule slots (ms) that got a run: member and score are the slot. */
    checklistSlots: (checklistId: string) => `${prefix}:checklist:slots:${checklistId}`,
    /** A checklist's schedule slots already reported as missed. */
    checklistMissed: (checklistId: string) => `${prefix}:checklist:missed:${checklistId}`,
    /** Written before a `WAIT`, so that the WAIT covers everything the server applied until then (see `createReplicaWait`). */
    replicaBarrier: `${prefix}:replica-barrier`,
    /** Set for an hour when a person's web console visit was audited (`console.signin`, `console.denied`): one entry per person per hour. */
    consoleVisit: (outcome: string, who: string) => `${prefix}:console:${outcome}:${who}`,
    /** checklist id → JSON `{ cron, timezone, since }`: since when its current schedule holds. */
    checklistSchedules: `${prefix}:checklist:schedules`,
  } as const;
}

/** The keys object `createRedisKeys` returns. */
export type RedisKeys = ReturnType<typeof createRedisKeys>;


/**
 * How a key that Warden writes without a TTL is kept from growing without bound, by key pattern
 * (after the prefix). Every other key of Warden's has a TTL; BullMQ's keys are bounded by the
 * queues' `removeOnComplete` / `removeOnFail`. `bounded` keys stay, but their size is fixed or
 * follows what is open or configured; the others are removed by a retention job.
 */
const KEY_RETENTION: readonly { pattern: RegExp; rule: string; bounded: boolean }[] = [
  { pattern: /^incidents:open$/, rule: 'a field per open incident, removed when it closes', bounded: true },
  { pattern: /^incidents:index$/, rule: 'an entry per incident, removed when retention prunes it', bounded: false },
  { pattern: /^incidents:generation$/, rule: "a field per group, removed with the group's latest incident", bounded: false },
  { pattern: /^incident:[^:]+(:(alerts|timeline|diagnosis|messages|steps|approvals))?$/, rule: 'pruned retention.closedIncidentDays after the incident closed', bounded: false },
  { pattern: /^checklist:run:[^:]+(:(items|messages))?$/, rule: 'pruned retention.checklistRunDays after the run completed', bounded: false },
  { pattern: /^checklist:runs:open$/, rule: 'an entry per open run', bounded: true },
  { pattern: /^checklist:runs:[^:]+$/, rule: 'an entry per run, removed with the run', bounded: false },
  { pattern: /^checklist:(slots|missed):[^:]+$/, rule: 'an entry per schedule slot, removed with the runs of its time', bounded: false },
  { pattern: /^checklist:open:[^:]+$/, rule: 'one per checklist: its newest open run', bounded: true },
  { pattern: /^checklist:schedules$/, rule: 'a field per scheduled checklist, removed when its schedule is', bounded: true },
  { pattern: /^audit:head$/, rule: 'the audit chain head: one hash', bounded: true },
  { pattern: /^audit:stream$/, rule: 'the audit chain: trimmed behind each checkpoint once the audit files hold its entries', bounded: false },
  { pattern: /^audit:checkpoint$/, rule: 'the last audit checkpoint: one hash', bounded: true },
  { pattern: /^audit:exporters$/, rule: 'a field per audit file writer; one silent for a week is dropped by the trim', bounded: true },
];

/**
 * The retention rule of `key` (a full key under `prefix`) when Warden writes it without a TTL, or
 * undefined for a key no rule covers. `bounded` says whether it stays after every retention job.
 */
export function describeKeyRetention(prefix: string, key: string): { rule: string; bounded: boolean } | undefined {
  if (!key.startsWith(`${prefix}:`)) return undefined;
  const rest = key.slice(prefix.length + 1);
  const found = KEY_RETENTION.find((entry) => entry.pattern.test(rest));
  return found && { rule: found.rule, bounded: found.bounded };
}
