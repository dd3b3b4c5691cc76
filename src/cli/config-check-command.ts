import { listConfigWarnings } from '../config/list-config-warnings.js';
import { loadConfig } from '../config/load-config.js';
import { loadChecklists } from '../checklists/load-checklists.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import type { CliIo } from './main.js';

/** `warden config check`: validates the configuration, the playbooks and the checklists, prints a summary or every problem, exits. */
export async function runConfigCheckCommand(_args: string[], io: CliIo): Promise<number> {
  const config = loadConfig({ env: io.env });
  const playbooks = loadPlaybooks(undefined, { actions: config.actions, routes: config.routes });
  const checklists = loadChecklists(undefined, { actions: config.actions, schedules: config.checklists.schedules });
  const scheduled = [...checklists.keys()].map((id) => {
    const schedule = config.checklists.schedules[id];
    return schedule ? `${id} ("${schedule.cron}")` : `${id} (on demand)`;
  });
  const platforms = [config.slack && 'slack', config.lark && 'lark'].filter(Boolean);
  io.stdout(
    [
      'Configuration OK',
      `  listen:     ${config.server.host}:${config.server.port}`,
      `  chat:       ${platforms.length > 0 ? platforms.join(', ') : 'none (cards go to the terminal)'}`,
      `  routes:     ${config.routes.length}`,
      `  actions:    ${Object.keys(config.actions).length}`,
      `  playbooks:  ${[...playbooks.keys()].join(', ')}`,
      `  checklists: ${scheduled.join(', ')} — times in ${config.checklists.timezone}`,
      `  on call:    ${Object.keys(config.oncall.rotations).join(', ') || 'no rotations'}`,
      `  escalation: ${Object.keys(config.escalation.policies).join(', ') || 'no policies'}`,
      ...formatWarnings(listConfigWarnings(config)),
      '',
    ].join('\n'),
  );
  return 0;
}

function formatWarnings(warnings: readonly string[]): string[] {
  return warnings.length === 0 ? [] : ['Warnings:', ...warnings.map((warning) => `  - ${warning}`)];
}
