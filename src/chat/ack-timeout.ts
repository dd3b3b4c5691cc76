/**
 * How long an inbound Slack or Lark request may take before Warden answers it anyway: both
 * platforms give up after 3 s (Slack: https://docs.slack.dev/interactivity/handling-user-interaction,
 * Lark: card callbacks), so the answer goes out with half a second to spare.
 */
export const DEFAULT_ACK_TIMEOUT_MS = 2500;
