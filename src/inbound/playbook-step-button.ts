import type { RedisClient } from '../redis/redis-client.js';
import { STEP_BUTTON_ACTION_ID } from '../../cards/build-incident-card.js';
import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import { markPlaybookStep } from '../playbooks/mark-playbook-step.js';
import { STEP_ID_PATTERN, type Playbook } from '../playbooks/playbook-schema.js';
import type { RedisKeys } from '../redis/redis-keys.js';
import type { ButtonHandler } from './button-handler.js';
import { parseButtonValue } from './parse-button-value.js';

/** What a step button's value means. */
export interface PlaybookStepButtonValue {
  key: string;
  stepId: string;
}

/** What the step button needs beyond the operation deps every button gets. */
export interface PlaybookStepButtonDeps {
  redis: RedisClient;
  keys: RedisKeys;
  playbooks: ReadonlyMap<string, Playbook>;
}

/**
 * The "Done" button of a playbook step (`incident.step`, permission `incident.respond`): marks the
 * step done once, with who and when. The value is parsed strictly — exactly `k` (an incident key)
 * and `s` (a step id) — since anyone can send any value.
 */
export function createPlaybookStepButton(deps: PlaybookStepButtonDeps): ButtonHandler<PlaybookStepButtonValue> {
  return {
    actionId: STEP_BUTTON_ACTION_ID,
    permission: 'incident.respond',
    parse: parsePlaybookStepButtonValue,
    run: (operations, event, value) => {
      const { store, work, audit, now } = operations;
      return markPlaybookStep({ ...deps, store, work, audit, now }, value.key, value.stepId, event.identity);
    },
  };
}

/** The incident key and step id of a step button's value, or undefined for anything else. */
export function parsePlaybookStepButtonValue(value: string): PlaybookStepButtonValue | undefined {
  const record = parseButtonValue(value, 200);
  if (record === undefined || Object.keys(record).length !== 2) return undefined;
  const { k, s } = record;
  if (typeof k !== 'string' || !INCIDENT_KEY_PATTERN.test(k) || typeof s !== 'string' || !STEP_ID_PATTERN.test(s)) return undefined;
  return { key: k, stepId: s };
}
