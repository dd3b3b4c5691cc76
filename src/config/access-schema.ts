import { z } from 'zod';
import { identitySchema } from './identity-schema.js';

/**
 * Permissions a command or button may require. `incident.view` (list and read incidents) defaults
 * to the holders of `incident.respond` when it is not configured. `console.view` (the read-only web
 * console) has no default: nobody holds it until it is granted.
 */
export const permissionNames = ['incident.view', 'incident.respond', 'action.run', 'action.approve', 'checklist.run', 'checklist.tick', 'console.view'] as const;

/** A person's or a group's name in `access`: lowercase letters, digits, "_" or "-". */
export const accessNameSchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, { message: 'must be lowercase letters, digits, "_" or "-" (up to 64), e.g. alice' });

/** An identity (`slack:U…`, `lark:ou_…`: anything with a ":" is read as one) or a person's name. */
const groupMemberSchema = z.string().superRefine((value, ctx) => {
  if (value.includes(':')) {
    const identity = identitySchema.safeParse(value);
    if (!identity.success) ctx.addIssue({ code: 'custom', message: identity.error.issues[0]?.message ?? 'is not an identity' });
  } else if (!accessNameSchema.safeParse(value).success) {
    ctx.addIssue({ code: 'custom', message: 'must be "slack:<user id>" (e.g. slack:U0OPS1), "lark:<open_id>" (e.g. lark:ou_0ops1), "console:<name>", "email:<address>", "sso:<user>" or the name of a person in access.people (e.g. alice)' });
  }
});

export const accessSchema = z.strictObject({
  /**
   * person → their identities on each platform (`alice: [slack:U0ALICE, lark:ou_0alice]`): one
   * person with two identities is still one person, so they cannot approve their own request from
   * their other platform.
   */
  people: z.record(accessNameSchema, z.array(identitySchema).min(1, { message: 'needs at least one identity, e.g. ["slack:U0ALICE"]' })).default({}),
  /** group → members: identities, or people by name. */
  groups: z.record(accessNameSchema, z.array(groupMemberSchema)).default({}),
  /** permission → the groups (or people, by name) that hold it. */
  permissions: z.partialRecord(z.enum(permissionNames), z.array(z.string())).default({}),
});
