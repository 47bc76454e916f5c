/** Between 500 ms and 1 s: live enough for a task log, light enough for the control plane. */
export const DEFAULT_POLL_INTERVAL_MS = 750;

/** How long `wait: true` and `provisionhub:run:wait` wait when no `timeoutMinutes` is given. */
export const DEFAULT_TIMEOUT_MINUTES = 30;

/** The longest a step may wait for a run: one day. */
export const MAX_TIMEOUT_MINUTES = 24 * 60;

/** How long a create action waits for the control plane to take its request off the queue. */
export const DEFAULT_ACCEPT_TIMEOUT_MS = 30_000;
