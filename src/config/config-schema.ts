import { isIP } from 'node:net';
import { z } from 'zod';
import { checkCron } from '../shared/schedule-slots.js';
import { actionSchema } from './action-schema.js';
import { hasHashTag } from './has-hash-tag.js';
import { redisSchema } from './redis-schema.js';
import { alertmanagerApiUrlSchema, durationSchema, silenceSchema } from './silence-schema.js';
import { checkLarkTransport } from './check-lark-transport.js';
import { checkOncallReferences } from './check-oncall-references.js';
import { escalationSchema } from './escalation-schema.js';
import { oncallSchema } from './oncall-schema.js';
import { warRoomSettingsSchema, warRoomsSchema } from './war-room-schema.js';
import { checkWarRoomReferences } from './check-war-room-references.js';
import { locales } from '../shared/messages/locale.js';
import { auditSchema } from './audit-schema.js';
import { destinationSchema } from './destination-schema.js';
import { accessNameSchema, accessSchema, type permissionNames } from './access-schema.js';
import { consoleSchema } from './console-schema.js';
import { secret } from './secret.js';

export { destinationSchema } from './destination-schema.js';
export { CHAT_IDENTITY, CONSOLE_IDENTITY, TERMINAL_IDENTITY, identitySchema, isChatIdentity } from './identity-schema.js';
export { accessSchema, permissionNames } from './access-schema.js';
export { consoleSchema } from './console-schema.js';

const cidrSchema = z.string().refine(
  (value) => {
    const [address, bits, ...rest] = value.split('/');
    if (rest.length > 0 || address === undefined) return false;
    const family = isIP(address);
    if (family === 0) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
  },
  { message: 'must be an IP address or CIDR such as "10.0.0.0/8"' },
);

// 0 asks the OS for a free port (tests, ephemeral listeners).
const port = z.coerce.number().int().min(0).max(65535);

export const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(3000),
  trustedProxies: z.array(cidrSchema).default([]),
  bodyLimitBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
});

export const alertmanagerSchema = z.strictObject({
  token: z.string().min(32, { message: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' }),
  /** Authenticated webhook bodies up to this size are accepted: Alertmanager never retries a 4xx. */
  bodyLimitBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Where Warden reaches Alertmanager's API (silences); default: the notification's `externalURL`. */
  apiUrl: alertmanagerApiUrlSchema.optional(),
  silence: silenceSchema.prefault({}),
});

export const apiSchema = z.strictObject({
  /**
   * Bearer token (or Basic password) for `GET /api/incidents` and the details of `GET /healthz`:
   * its own, never the Alertmanager write token. Without it the export is off.
   */
  readToken: z.string().min(32, { message: 'must be at least 32 characters; generate one with `openssl rand -hex 32`' }).optional(),
});

export const slackSchema = z.strictObject({
  signingSecret: secret('slack.signingSecret'),
  botToken: secret('slack.botToken').regex(/^xox[bp]-/, { message: 'must be a bot token starting with xoxb-' }),
  appToken: z.string().regex(/^xapp-/, { message: 'must be an app-level token starting with xapp-' }).optional(),
  apiUrl: z.url().optional(),
  /** Requests for another Slack app (`api_app_id`) are refused; e.g. A0123ABCD. */
  appId: z.string().regex(/^A[A-Z0-9]{2,32}$/, { message: 'must be a Slack app id such as A0123ABCD (Basic Information page of the app)' }).optional(),
  /** Requests from another workspace (`team_id`) are refused; e.g. T0123ABCD. */
  teamId: z.string().regex(/^[TE][A-Z0-9]{2,32}$/, { message: 'must be a Slack workspace id such as T0123ABCD' }).optional(),
});

export const larkSchema = z
  .strictObject({
    appId: secret('lark.appId'),
    appSecret: secret('lark.appSecret'),
    /** Required with `transport: http`, which verifies and decrypts with it; optional over the long connection. */
    encryptKey: secret('lark.encryptKey').optional(),
    /** Required with `transport: http`; the long connection is authenticated by the app secret instead. */
    verificationToken: secret('lark.verificationToken').optional(),
    domain: z.url().optional(),
    /** Requests from another tenant (`tenant_key`) are refused. */
    tenantKey: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be the Lark tenant_key (letters, digits, "_" and "-")' }).optional(),
    /** How events and card callbacks arrive: `POST /lark/events` (`http`) or Lark's long connection (`websocket`). */
    transport: z.enum(['http', 'websocket']).default('http'),
  })
  .superRefine(checkLarkTransport, { when: () => true });

/** How long without a status update before the incident's lead is reminded; 0 turns reminders off. */
const remindAfterMinutesSchema = z.number().min(0).max(7 * 24 * 60);

/** `updates`: where `/incident update` also posts (stakeholder channels) and when the lead is reminded to post one. */
export const updatesSchema = z.strictObject({
  to: z.array(destinationSchema).default([]),
  remindAfterMinutes: remindAfterMinutesSchema.default(30),
});

export const routeSchema = z.strictObject({
  /** The route's label on incident metrics (default: its index in `routes`). */
  name: z.string().regex(/^[a-z0-9_-]{1,32}$/, { message: 'must be lowercase letters, digits, "_" or "-" (up to 32), e.g. payments' }).optional(),
  match: z.record(z.string().min(1), z.string()).optional(),
  to: z.array(destinationSchema).min(1, { message: 'needs at least one destination' }),
  playbook: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
  /** Replaces the global `updates.to` / `updates.remindAfterMinutes` for this route's incidents. */
  updates: z.strictObject({ to: z.array(destinationSchema).optional(), remindAfterMinutes: remindAfterMinutesSchema.optional() }).optional(),
  /** How long the Silence button silences this route's incidents; default `alertmanager.silence.defaultDuration`. */
  silenceDuration: durationSchema.optional(),
  /** The escalation policy (`escalation.policies`) of this route's incidents. */
  escalation: z.string().regex(/^[a-z0-9_-]{1,64}$/, { message: 'must name a policy of escalation.policies, e.g. default' }).optional(),
  /** A war room for this route's incidents (wins over `warRooms.bySeverity`). */
  warRoom: warRoomSettingsSchema.optional(),
});

export const checklistsSchema = z.strictObject({
  timezone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, { message: 'must be an IANA time zone such as "UTC" or "Asia/Shanghai"' })
    .default('UTC'),
  schedules: z
    .record(
      z.string().regex(/^[a-z0-9-]{1,32}$/, { message: 'must be a checklist id (the file name in checklists/ without .yaml), e.g. weekly' }),
      z.strictObject({
        cron: z.string().superRefine((cron, ctx) => {
          const problem = checkCron(cron);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `is not a cron expression (${problem}); write five fields, e.g. "0 10 * * 1" for Mondays at 10:00` });
        }),
        to: z.array(destinationSchema).min(1, { message: 'needs at least one destination, e.g. ["slack:C0SECURITY"]' }),
      }),
    )
    .default({}),
  remindAfterMinutes: z.number().int().min(5).default(240),
});

/** A host a card may link to: `wiki.example.com`, `prometheus.example.com:9090` or `*.example.com`. */
const linkHostSchema = z.string().regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/, {
  message: 'must be a host name, optionally with a port or a leading "*.", e.g. wiki.example.com, prometheus.example.com:9090 or *.example.com',
});

export const cardsSchema = z.strictObject({
  /**
   * Hosts that runbook (`runbook_url`) and source (`generatorURL`) links on incident cards may
   * point to, besides the Alertmanager's own and the configured Prometheus actions' hosts.
   */
  linkHosts: z.array(linkHostSchema).default([]),
});

export const retentionSchema = z.strictObject({
  closedIncidentDays: z.number().int().min(1).default(90),
  /** Completed checklist runs are kept this long: the compliance history `/audit history` shows. */
  checklistRunDays: z.number().int().min(7).default(400),
});

export const limitsSchema = z.strictObject({
  commandsPerUserPerMinute: z.number().int().min(1).default(10),
  /** How long an approval request for a destructive action stays open. */
  approvalExpiryMinutes: z.number().int().min(1).max(24 * 60).default(30),
  outbound: z
    .strictObject({
      slackPerChannelPerSecond: z.number().positive().max(100).default(1),
      larkPerChatPerSecond: z.number().positive().max(100).default(5),
    })
    .prefault({}),
  storm: z.strictObject({ newIncidentsPerMinute: z.number().int().min(1).default(20) }).prefault({}),
});

/** The whole configuration file (see deploy/warden.config.example.yaml). */
export const configSchema = z
  .strictObject({
    server: serverSchema.prefault({}),
    redis: redisSchema.prefault({}),
    alertmanager: alertmanagerSchema,
    api: apiSchema.prefault({}),
    slack: slackSchema.optional(),
    lark: larkSchema.optional(),
    routes: z.array(routeSchema).min(1).default([{ to: ['console:terminal'] }]),
    access: accessSchema.prefault({}),
    actions: z.record(z.string().regex(/^[a-z0-9-]{1,64}$/, { message: 'action ids are lowercase letters, digits and dashes' }), actionSchema).default({}),
    checklists: checklistsSchema.prefault({}),
    cards: cardsSchema.prefault({}),
    audit: auditSchema.prefault({}),
    retention: retentionSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    updates: updatesSchema.prefault({}),
    oncall: oncallSchema.prefault({}),
    escalation: escalationSchema.prefault({}),
    warRooms: warRoomsSchema.prefault({}),
    /** The language of cards and replies on Slack and the console (Lark cards carry both). */
    locale: z.enum(locales).default('en'),
    console: consoleSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    if (config.api.readToken !== undefined && config.api.readToken === config.alertmanager.token) {
      ctx.addIssue({
        code: 'custom',
        path: ['api', 'readToken'],
        message: 'is the same as alertmanager.token; the read token must be its own (openssl rand -hex 32), so that Alertmanager\'s write token cannot read incidents',
      });
    }
    const { people, groups } = config.access;
    const personOf = new Map<string, string>();
    for (const [person, identities] of Object.entries(people)) {
      if (person in groups) ctx.addIssue({ code: 'custom', path: ['access', 'people', person], message: `is also the name of a group; rename one of them so permissions are not ambiguous` });
      for (const [i, identity] of identities.entries()) {
        const other = personOf.get(identity);
        if (other !== undefined && other !== person) {
          ctx.addIssue({ code: 'custom', path: ['access', 'people', person, i], message: `${identity} already belongs to ${other}; an identity is one person's` });
        }
        personOf.set(identity, person);
      }
    }
    for (const [group, members] of Object.entries(groups)) {
      for (const [i, member] of members.entries()) {
        // Members that are no name at all were already reported by their own schema.
        if (!member.includes(':') && accessNameSchema.safeParse(member).success && !(member in people)) {
          ctx.addIssue({ code: 'custom', path: ['access', 'groups', group, i], message: `names the person "${member}", whom access.people does not define; add them there or write an identity (slack:U…, lark:ou_…)` });
        }
      }
    }
    for (const [permission, holders] of Object.entries(config.access.permissions)) {
      for (const [i, holder] of (holders ?? []).entries()) {
        if (!(holder in groups) && !(holder in people)) {
          ctx.addIssue({
            code: 'custom',
            path: ['access', 'permissions', permission, i],
            message: `names the group "${holder}", which access.groups does not define; add it there or remove it here`,
          });
        }
      }
    }
    if (config.console.enabled && config.server.trustedProxies.length === 0 && config.console.slackSignIn === undefined && config.console.larkSignIn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['console', 'enabled'],
        message:
          'needs a way to sign in: server.trustedProxies (the addresses or CIDRs of the authenticating proxy whose X-Forwarded-User / X-Forwarded-Email Warden may trust, e.g. ["127.0.0.1"]), console.slackSignIn (Sign in with Slack) or console.larkSignIn (Sign in with Lark)',
      });
    }
    checkOncallReferences(config, ctx);
    checkWarRoomReferences(config, ctx);
    if (config.redis.cluster === undefined) return;
    for (const [id, action] of Object.entries(config.actions)) {
      // BullMQ's scripts touch several keys of a queue at once: on a cluster they must share a slot.
      if (action.kind === 'queue' && action.redis === undefined && !hasHashTag(action.prefix)) {
        ctx.addIssue({
          code: 'custom',
          path: ['actions', id, 'prefix'],
          message: `must contain a hash tag on Redis Cluster (redis.cluster), as the queue's own producers must use, e.g. "{${action.prefix.replace(/[{}]/g, '')}}"`,
        });
      }
    }
  });

/** Validated, frozen configuration. */
export type Config = z.output<typeof configSchema>;
export type Destination = z.output<typeof destinationSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type SlackConfig = z.output<typeof slackSchema>;
export type LarkConfig = z.output<typeof larkSchema>;
export type Permission = (typeof permissionNames)[number];
