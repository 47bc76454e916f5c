import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BlueprintDetails,
  BlueprintVersion,
  CORE_STEPS,
  DryRunResult,
  PolicyDecision,
  Run,
  RunLogLine,
  RunLogsPage,
  RunRequest,
  RunRequestedMessage,
  repositoryPathFor,
} from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubActionsApi } from '../lib/types';

function version(
  name: string,
  v: string,
  type: string,
  parameters: BlueprintVersion['parameters'],
): BlueprintVersion {
  return {
    name,
    version: v,
    type,
    title: name,
    owner: 'group:default/platform-team',
    tags: [],
    entityRef: `blueprint:default/${name}-v${v}`,
    parameters,
    steps: [],
  };
}

const describedBy = {
  type: 'object',
  additionalProperties: false,
  required: ['description'],
  properties: {
    description: { type: 'string', minLength: 1, maxLength: 200 },
    port: { type: 'integer', minimum: 1024, maximum: 65535, default: 8080 },
  },
};

/** The blueprints the fake knows: `system` and `node-backend` (1.1.0 and 1.0.0), newest first. */
export const TEST_BLUEPRINTS: BlueprintDetails[] = [
  {
    name: 'system',
    type: 'system',
    title: 'System',
    owner: 'group:default/platform-team',
    tags: [],
    latestVersion: '1.0.0',
    versions: [
      version('system', '1.0.0', 'system', {
        type: 'object',
        additionalProperties: false,
        properties: { description: { type: 'string', maxLength: 200 } },
      }),
    ],
  },
  {
    name: 'node-backend',
    type: 'backend',
    title: 'Node.js backend',
    owner: 'group:default/platform-team',
    tags: [],
    latestVersion: '1.1.0',
    versions: [
      version('node-backend', '1.1.0', 'backend', describedBy),
      version('node-backend', '1.0.0', 'backend', {
        ...describedBy,
        properties: { description: describedBy.properties.description },
      }),
    ],
  },
];

/** How a run the fake accepted ends. */
export type FakeOutcome =
  | { type: 'succeed' }
  | { type: 'fail'; step: string; error: string; deadLettered: boolean }
  | { type: 'reject'; reason: string }
  | { type: 'never' };

function notFound(what: string): Promise<never> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: `${what} not found` },
        request: { method: 'GET', url: '/' },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  ).then(e => Promise.reject(e));
}

/**
 * A stand-in for the control plane's REST API. Runs come from the real requests queue (through
 * `takeRequests`) or from {@link FakeControlPlane.accept}; every `getRun` moves a run one
 * step further (queued, then each core step, then the outcome), adding one log line per step,
 * so a follower sees the same sequence of changes the real control plane would show.
 */
export class FakeControlPlane implements ProvisionHubActionsApi {
  readonly calls: string[] = [];
  /** The credentials each client of this fake was made for (the task initiators). */
  readonly callers: BackstageCredentials[] = [];
  /** Every request taken, in order. */
  readonly accepted: RunRequestedMessage[] = [];
  readonly #runs = new Map<
    string,
    { run: Run; logs: RunLogLine[]; frame: number }
  >();
  readonly #takeRequests?: () => Promise<RunRequestedMessage[]>;
  outcome: FakeOutcome = { type: 'succeed' };
  /** What the dry run says policy would decide. */
  dryRunPolicy: PolicyDecision = { decision: 'allow', rules: [] };

  constructor(
    options: { takeRequests?: () => Promise<RunRequestedMessage[]> } = {},
  ) {
    this.#takeRequests = options.takeRequests;
  }

  async listBlueprints() {
    this.calls.push('listBlueprints');
    return {
      items: TEST_BLUEPRINTS.map(({ versions, ...b }) => ({
        ...b,
        versions: versions.map(v => v.version),
      })),
    };
  }

  async getBlueprint(name: string) {
    this.calls.push(`getBlueprint ${name}`);
    return (
      TEST_BLUEPRINTS.find(b => b.name === name) ??
      notFound(`blueprint ${name}`)
    );
  }

  async dryRun(request: RunRequest): Promise<DryRunResult> {
    this.calls.push(`dryRun ${request.name}`);
    return {
      policy: this.dryRunPolicy,
      blueprint: {
        name: request.blueprint,
        version: request.version!,
        digest: `sha256:${'0'.repeat(64)}`,
      },
      repositoryPath: repositoryPathFor(request),
      files: [
        { path: 'README.md', size: 120, executable: false },
        { path: 'catalog-info.yaml', size: 300, executable: false },
        { path: 'scripts/start.sh', size: 40, executable: true },
      ],
    };
  }

  /** Takes a request the way the control plane does when it consumes `run.requested`. */
  accept(message: RunRequestedMessage) {
    this.accepted.push(message);
    const { request } = message;
    const now = new Date().toISOString();
    this.#runs.set(message.runId, {
      frame: 0,
      logs: [],
      run: {
        id: message.runId,
        kind: request.kind,
        name: request.name,
        owner: request.owner,
        system: request.system,
        entityRef: `${request.kind}:default/${request.name}`,
        blueprint: {
          name: request.blueprint,
          version: request.version ?? '1.0.0',
          digest: `sha256:${'0'.repeat(64)}`,
        },
        values: request.values,
        status: 'requested',
        requestedBy: message.requestedBy,
        attempt: 1,
        createdAt: now,
        updatedAt: now,
        steps: CORE_STEPS.map(s => ({
          id: s.id,
          title: s.title,
          status: 'pending',
        })),
        history: [{ status: 'requested', at: now, actor: message.requestedBy }],
      },
    });
  }

  async getRun(id: string): Promise<Run> {
    this.calls.push(`getRun ${id}`);
    if (!this.#runs.has(id) && this.#takeRequests) {
      for (const message of await this.#takeRequests()) {
        this.accept(message);
      }
    }
    const entry = this.#runs.get(id);
    if (!entry) {
      return notFound(`run ${id}`);
    }
    this.#advance(entry);
    return structuredClone(entry.run);
  }

  async getRunLogs(
    id: string,
    options: { after?: number; limit?: number } = {},
  ): Promise<RunLogsPage> {
    const entry = this.#runs.get(id);
    if (!entry) {
      return notFound(`run ${id}`);
    }
    const after = options.after ?? 0;
    const items = entry.logs
      .filter(l => l.seq > after)
      .slice(0, options.limit ?? 1000);
    return {
      items,
      lastSeq: items.length ? items[items.length - 1].seq : after,
    };
  }

  async cancelRun(id: string): Promise<Run> {
    this.calls.push(`cancelRun ${id}`);
    const entry = this.#runs.get(id);
    if (!entry) {
      return notFound(`run ${id}`);
    }
    this.#transition(entry.run, 'cancelled', 'user:default/mock');
    for (const step of entry.run.steps!) {
      if (step.status === 'running') {
        step.status = 'cancelled';
      }
    }
    return structuredClone(entry.run);
  }

  #advance(entry: { run: Run; logs: RunLogLine[]; frame: number }) {
    const { run } = entry;
    if (
      run.status !== 'requested' &&
      run.status !== 'queued' &&
      run.status !== 'running'
    ) {
      return;
    }
    const frame = entry.frame++;
    const steps = run.steps!;
    const at = new Date().toISOString();
    if (frame === 0) {
      if (this.outcome.type === 'reject') {
        run.rejectionReason = this.outcome.reason;
        this.#transition(run, 'rejected', 'system:policy', this.outcome.reason);
      } else {
        this.#transition(run, 'queued', 'system:control-plane');
      }
      return;
    }
    if (this.outcome.type === 'never' && frame > 1) {
      return;
    }
    if (frame === 1) {
      this.#transition(run, 'running', 'system:worker');
    }
    const previous = steps[frame - 2];
    if (previous) {
      previous.status = 'succeeded';
      previous.finishedAt = at;
      previous.durationMs = 5;
    }
    const current = steps[frame - 1];
    if (!current) {
      run.outputs = {
        repoUrl: `file:///srv/git/${repositoryPathFor(run)}.git`,
        defaultBranch: 'main',
        entityRef: run.entityRef,
      };
      this.#transition(run, 'succeeded', 'system:worker');
      return;
    }
    current.status = 'running';
    current.startedAt = at;
    entry.logs.push({
      seq: entry.logs.length + 1,
      at,
      step: current.id,
      level: 'info',
      message: `working on ${current.title.toLocaleLowerCase('en-US')}`,
    });
    if (this.outcome.type === 'fail' && this.outcome.step === current.id) {
      current.status = 'failed';
      current.finishedAt = at;
      current.error = this.outcome.error;
      entry.logs.push({
        seq: entry.logs.length + 1,
        at,
        step: current.id,
        level: 'error',
        message: this.outcome.error,
      });
      run.error = {
        message: this.outcome.error,
        step: current.id,
        retryable: false,
        deadLettered: this.outcome.deadLettered,
      };
      this.#transition(run, 'failed', 'system:worker', this.outcome.error);
    }
  }

  #transition(run: Run, status: Run['status'], actor: string, reason?: string) {
    const at = new Date().toISOString();
    run.status = status;
    run.updatedAt = at;
    run.history!.push({ status, at, actor, ...(reason ? { reason } : {}) });
  }
}
