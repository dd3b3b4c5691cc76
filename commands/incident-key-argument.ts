import { INCIDENT_KEY_PATTERN } from '../src/incidents/build-incident-key.js';
import { localize } from '../src/shared/messages/localize.js';
import type { CommandArgument } from './command.js';

/** The `<key>` argument of every `/incident` subcommand that names one incident. */
export const incidentKeyArgument: CommandArgument = { name: 'key', pattern: INCIDENT_KEY_PATTERN, hint: localize('command.incident.hint.key') };
