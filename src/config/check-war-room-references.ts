import type { z } from 'zod';
import type { WarRoomSettings, WarRoomsConfig } from './war-room-schema.js';

/** The parts of the configuration war rooms name. */
export interface WarRoomReferences {
  access: { people: Record<string, string[]>; groups: Record<string, string[]> };
  oncall: { rotations: Record<string, unknown> };
  warRooms: WarRoomsConfig;
  routes: { warRoom?: WarRoomSettings | undefined }[];
}

/** Reports every `invite` name of a route's `warRoom` or of `warRooms.bySeverity` that is no rotation, group or person. */
export function checkWarRoomReferences(config: WarRoomReferences, ctx: z.RefinementCtx): void {
  const { people, groups } = config.access;
  const check = (settings: WarRoomSettings, path: (string | number)[]) =>
    settings.invite.forEach((name, i) => {
      if (name.includes(':') || name in people || name in groups || name in config.oncall.rotations) return;
      ctx.addIssue({ code: 'custom', path: [...path, 'invite', i], message: `names "${name}", which is no rotation (oncall.rotations), group (access.groups) or person (access.people); define it or write an identity` });
    });
  for (const [severity, settings] of Object.entries(config.warRooms.bySeverity)) check(settings, ['warRooms', 'bySeverity', severity]);
  config.routes.forEach((route, i) => route.warRoom && check(route.warRoom, ['routes', i, 'warRoom']));
}
