/**
 * Labels as an Alertmanager filter of exact matchers, in the order given:
 * `{alertname="DiskFull",instance="db-1:9100"}` (quotes and backslashes in values escaped).
 */
export function formatLabelFilter(labels: Readonly<Record<string, string>>): string {
  const matchers = Object.entries(labels).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `{${matchers.join(',')}}`;
}
