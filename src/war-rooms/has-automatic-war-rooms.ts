import type { Config } from '../config/config-schema.js';

/** True when some route or severity opens war rooms as incidents open (`auto`, the default). */
export function hasAutomaticWarRooms(config: Pick<Config, 'routes' | 'warRooms'>): boolean {
  return config.routes.some((route) => route.warRoom?.auto === true) || Object.values(config.warRooms.bySeverity).some((settings) => settings.auto);
}
