import { auditCommand } from './audit.js';
import type { ChatCommand } from './command.js';
import { incidentCommand } from './incident.js';
import { oncallCommand } from './oncall.js';
import { wardenCommand } from './warden.js';

/** Every chat command Warden answers, in help order. Add a command by listing it here. */
export const commands: readonly ChatCommand[] = [incidentCommand, auditCommand, wardenCommand, oncallCommand];
