import { loadConfig } from '../config/load-config.js';
import { loadPlaybooks } from '../playbooks/load-playbooks.js';
import type { CliIo } from './main.js';

/** `warden config check`: validates the configuration and the playbooks, prints a summary or every problem, exits. */
export async function runConfigCheckCommand(_args: string[], io: CliIo): Promise<number> {
  const config = loadConfig({ env: io.env });
  const playbooks = loadPlaybooks(undefined, { actions: config.actions, routes: config.routes });
  const platforms = [config.slack && 'slack', config.lark && 'lark'].filter(Boolean);
  io.stdout(
    [
      'Configuration OK',
      `  listen:     ${config.server.host}:${config.server.port}`,
      `  chat:       ${platforms.length > 0 ? platforms.join(', ') : 'none (cards go to the terminal)'}`,
      `  routes:     ${config.routes.length}`,
      `  actions:    ${Object.keys(config.actions).length}`,
      `  playbooks:  ${[...playbooks.keys()].join(', ')}`,
      `  checklists: ${Object.keys(config.checklists.schedules).join(', ') || 'none scheduled'}`,
      '',
    ].join('\n'),
  );
  return 0;
}
