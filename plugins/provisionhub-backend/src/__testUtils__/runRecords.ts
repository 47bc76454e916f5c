import { randomUUID } from 'node:crypto';
import type { RunRecord } from '../database/RunStore';

/** A stored run with sensible defaults, for store tests and the benchmark. */
export function makeRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const at = overrides.createdAt ?? new Date().toISOString();
  const kind = overrides.kind ?? 'component';
  const name = overrides.name ?? `svc-${randomUUID().slice(0, 8)}`;
  return {
    id: randomUUID(),
    kind,
    name,
    owner: 'group:default/payments',
    system: kind === 'component' ? 'payments' : undefined,
    entityRef: `${kind}:default/${name}`,
    requestedBy: 'user:default/alice',
    blueprint: {
      name: 'node-backend',
      version: '1.0.0',
      digest: `sha256:${'a'.repeat(64)}`,
    },
    blueprintJob: {
      name: 'node-backend',
      version: '1.0.0',
      type: 'backend',
      digest: `sha256:${'a'.repeat(64)}`,
      files: [{ location: 'file:/tmp/blueprint', target: '' }],
      steps: [],
      catalogInfoPath: 'catalog-info.yaml',
      lifecycle: 'experimental',
    },
    values: { port: 8080 },
    status: 'queued',
    attempt: 1,
    maxAttempt: 5,
    eventCursor: { attempt: 0, delivery: 0, seq: 0 },
    lastLogSeq: 0,
    requestedAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
