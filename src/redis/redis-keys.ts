/**
 * Every Redis key Warden itself uses (BullMQ keeps its own under the same prefix). With the
 * prefix `{warden}` all keys share one hash slot, which Redis Cluster needs for the Lua scripts.
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
    /** destination → JSON of where the incident's card lives (see `claim-card.ts`). */
    messages: (key: string) => `${incident(key)}:messages`,
    /** Serialises posting and updating one incident's card in one destination. */
    cardLock: (key: string, destination: string) => `${incident(key)}:lock:${destination}`,
    /** Next time (ms) a destination may be sent to: the outbound budget. */
    budget: (destination: string) => `${prefix}:budget:${destination}`,
    /** How many new cards a destination got in one minute. */
    stormCount: (destination: string, minute: number) => `${prefix}:storm:${destination}:${minute}`,
    /** The digest card a destination gets in a storm minute: a hash (id, version, rendered) and a list of incident keys. */
    digest: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}`,
    digestIncidents: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:incidents`,
    /** Serialises posting and updating one digest card. */
    digestLock: (destination: string, minute: number) => `${prefix}:digest:${destination}:${minute}:lock`,
  } as const;
}

/** The keys object `createRedisKeys` returns. */
export type RedisKeys = ReturnType<typeof createRedisKeys>;
