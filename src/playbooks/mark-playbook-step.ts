import type { RedisClient } from '../redis/redis-client.js';
import { formatUtcTime } from '../shared/format-utc-time.js';
import type { IncidentOperationDeps, IncidentOperationResult } from '../incidents/incident-operation.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import { findPlaybookStep, type Playbook } from './playbook-schema.js';
import { parsePlaybookStepRecord, type PlaybookStepRecord } from './playbook-step-state.js';
import { selectPlaybook } from './select-playbook.js';
import { say, sayWith } from '../shared/messages/say.js';

/** What ticking a playbook step needs: the usual operation deps plus the step hash and the playbooks. */
export interface PlaybookStepDeps extends Pick<IncidentOperationDeps, 'store' | 'work' | 'audit' | 'now'> {
  redis: RedisClient;
  keys: RedisKeys;
  playbooks: ReadonlyMap<string, Playbook>;
}

/**
 * Records that `actor` finished (or skipped) step `stepId` of the incident's playbook: once — the
 * first record stays, with who and when (a second tick changes nothing and says who was first) —
 * and never on a closed incident or for a step the playbook does not have. The change goes on the
 * timeline (kind `step`), bumps the incident version, updates the cards in place and is audited.
 *
 * The record is written before the incident is patched: a crash in between leaves the step
 * recorded (and shown at the incident's next change) without its timeline entry.
 */
export async function markPlaybookStep(
  deps: PlaybookStepDeps,
  key: string,
  stepId: string,
  actor: string,
  state: PlaybookStepRecord['state'] = 'done',
): Promise<IncidentOperationResult> {
  const current = await deps.store.get(key);
  if (!current) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
  if (current.phase === 'closed') return { outcome: 'refused', ...say('op.step.closed', { key }) };
  const playbook = selectPlaybook(deps.playbooks, current.playbook);
  const found = playbook ? findPlaybookStep(playbook, stepId) : undefined;
  if (!playbook || !found) {
    return { outcome: 'refused', ...say('op.step.unknown', { key, stepId }) };
  }
  const { phase, step } = found;

  const now = deps.now();
  const field = deps.keys.steps(key);
  const record: PlaybookStepRecord = { state, by: actor, at: now };
  if ((await deps.redis.hsetnx(field, stepId, JSON.stringify(record))) === 0) {
    const first = parsePlaybookStepRecord(await deps.redis.hget(field, stepId));
    // A retry after a crash between the change and its card jobs: queue them again (deterministic ids).
    await deps.work.refreshCards(key, current.version, current.destinations);
    const said = sayWith((t) => {
      const marked = t(`op.step.state.${first?.state ?? 'done'}`);
      return first ? t('op.step.alreadyBy', { title: step.title, state: marked, who: first.by, at: formatUtcTime(first.at) }) : t('op.step.already', { title: step.title, state: marked });
    });
    return { outcome: 'unchanged', incident: current, ...said };
  }

  const result = await deps.store.patch(
    key,
    {
      timeline: [
        { at: now, kind: 'step', text: `Step “${step.title}” (${phase}) ${state} by ${actor}`, actor, data: { playbook: playbook.id, stepId, phase, state } },
      ],
      unlessPhase: 'closed',
    },
    now,
  );
  if (result.outcome !== 'applied') {
    // Closed (or gone) between the check and the record: the record must not outlive the refusal.
    await deps.redis.hdel(field, stepId);
    return { outcome: 'refused', ...(result.outcome === 'missing' ? say('op.incident.unknown', { key }) : say('op.incident.closedMeanwhile', { key })) };
  }
  const { incident } = result;
  await deps.work.refreshCards(key, incident.version, incident.destinations);
  await deps.audit.append({ type: 'incident.step', actor, subject: key, outcome: 'ok', detail: { playbook: playbook.id, stepId, phase, state } });
  return { outcome: 'changed', incident, ...sayWith((t) => t('op.step.done', { title: step.title, state: t(`op.step.state.${state}`), key })) };
}
