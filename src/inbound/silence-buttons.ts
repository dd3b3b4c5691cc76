import { SILENCE_BUTTON_ACTION_ID, UNSILENCE_BUTTON_ACTION_ID } from '../../cards/build-silence-blocks.js';
import { requestSilence } from '../silences/request-silence.js';
import { requestUnsilence } from '../silences/request-unsilence.js';
import { toRequestId } from './action-buttons.js';
import type { ButtonHandler } from './button-handler.js';
import { parseIncidentButtonValue } from './incident-buttons.js';

/**
 * The incident card's Silence button (silences the incident's alerts in Alertmanager for the
 * route's default duration; a longer default needs an approval) and Unsilence (expires that
 * silence). Both need `incident.respond`; the request id comes from the click's delivery id, so a
 * redelivered click silences once.
 */
export const silenceButtons: readonly ButtonHandler<string>[] = [
  {
    actionId: SILENCE_BUTTON_ACTION_ID,
    permission: 'incident.respond',
    parse: parseIncidentButtonValue,
    run: (deps, event, key) => requestSilence(deps, key, event.identity, toRequestId(event)),
  },
  {
    actionId: UNSILENCE_BUTTON_ACTION_ID,
    permission: 'incident.respond',
    parse: parseIncidentButtonValue,
    run: (deps, event, key) => requestUnsilence(deps, key, event.identity, toRequestId(event)),
  },
];
