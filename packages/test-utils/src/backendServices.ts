import { createServiceFactory } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

/**
 * Signals and notifications that go nowhere: `startTestBackend` cannot host the signals backend
 * (WebSockets), and the control plane only needs somewhere to send them.
 */
export function silentSignalsAndNotifications() {
  return [
    createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({ publish: async () => {} }),
    }),
    createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({ send: async () => {} }),
    }),
  ];
}

/** The dev portal's deny rule for big services, as the end-to-end tests configure it. */
export const CAPACITY_REVIEW_RULE = {
  id: 'capacity-review',
  description: 'Services over 10 replicas',
  when: { values: 'values.replicas > 10' },
  effect: 'deny',
  reason: 'more than 10 replicas need a capacity review with the platform team',
};
