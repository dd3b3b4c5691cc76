import { WardenError } from '../errors/warden-error.js';
import type { ReplicaWait } from '../redis/create-replica-wait.js';
import type { Intake } from './create-intake.js';

/**
 * `intake` whose promise resolves only once what it wrote reached the replicas `wait` asks for
 * (`redis.waitForReplicas`), so a 202 means the notification survives a failover; otherwise it
 * rejects with `store_unavailable` (503) and Alertmanager delivers again. Without `wait`, `intake` as is.
 */
export function confirmOnReplicas(intake: Intake, wait: ReplicaWait | undefined): Intake {
  if (!wait) return intake;
  return async (notification, body) => {
    const ticket = wait.begin();
    const outcome = await intake(notification, body);
    try {
      await wait.confirm(ticket);
    } catch (error) {
      // Redis replicates asynchronously: a write only the primary holds is lost when the primary
      // fails before copying it and a replica is promoted. Without the replicas' confirmation this
      // notification might not survive a failover, so it is refused like any other store failure:
      // Alertmanager delivers it again, and intake's deduplication makes the redelivery harmless.
      throw new WardenError('store_unavailable', `the incident store (Redis) could not confirm the notification on a replica (${(error as Error).message}); Alertmanager will deliver again`, { cause: error });
    }
    return outcome;
  };
}
