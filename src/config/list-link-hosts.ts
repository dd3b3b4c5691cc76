import type { Config } from './config-schema.js';

/**
 * Hosts that links on incident cards may point to: `cards.linkHosts` and the host of every
 * configured Prometheus action (the Prometheus that `generatorURL`s lead to). The Alertmanager's
 * own host is added per incident, from its `externalURL`.
 */
export function listLinkHosts(config: Pick<Config, 'cards' | 'actions'>): readonly string[] {
  const hosts = new Set(config.cards.linkHosts);
  for (const action of Object.values(config.actions)) {
    if (action.kind === 'prometheus') hosts.add(new URL(action.url).host);
  }
  return [...hosts];
}
