import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import type { Worker } from '../Worker';
import type { ProbeResult } from './startHttpServer';

/**
 * `/readyz`: ready while connected to RabbitMQ, subscribed to the jobs and control queues and not
 * draining; otherwise the first reason it is not.
 */
export function readiness(
  broker: Pick<ProvisionHubBroker, 'isConnected' | 'names'>,
  worker: Pick<Worker, 'stopping' | 'isConsuming'> | undefined,
): ProbeResult {
  if (!worker) {
    return { ok: false, detail: 'starting' };
  }
  if (worker.stopping) {
    return { ok: false, detail: 'shutting down' };
  }
  if (!broker.isConnected()) {
    return { ok: false, detail: 'not connected to RabbitMQ' };
  }
  if (!worker.isConsuming()) {
    return { ok: false, detail: `not consuming ${broker.names.jobsQueue}` };
  }
  return {
    ok: true,
    detail: `connected to RabbitMQ, consuming ${broker.names.jobsQueue}`,
  };
}
