import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { SignalApi } from '@backstage/plugin-signals-react';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  BlueprintSummary,
  BlueprintVersion,
  ComponentEnvironment,
  ProvisionHubApi,
  ProvisionedComponentDetails,
  ProvisionedSystemDetails,
  Run,
} from '@provisionhub/plugin-provisionhub-common';

/** A fake control plane: every method is a jest mock; unconfigured ones fail the call loudly. */
export function createFakeApi(
  impl: Partial<ProvisionHubApi> = {},
): jest.Mocked<ProvisionHubApi> {
  const methods: Array<keyof ProvisionHubApi> = [
    'createRun',
    'listRuns',
    'getRun',
    'getRunLogs',
    'cancelRun',
    'retryRun',
    'approveRun',
    'rejectRun',
    'listSystems',
    'getSystem',
    'listComponents',
    'getComponent',
    'upgradeComponent',
    'decommissionComponent',
    'decommissionSystem',
    'promoteComponent',
    'listEnvironments',
    'listBlueprints',
    'getBlueprint',
    'getBlueprintVersion',
    'startUpgradeCampaign',
    'getUpgradeCampaign',
    'dryRun',
    'listProvisionedEntities',
    'listDeadLetters',
    'redriveDeadLetter',
    'purgeDeadLetters',
  ];
  const api = {} as Record<string, jest.Mock>;
  for (const method of methods) {
    api[method] = jest.fn(
      (impl[method] as (...args: unknown[]) => unknown) ??
        (async () => {
          throw new Error(`unexpected call to ${method}`);
        }),
    );
  }
  return api as unknown as jest.Mocked<ProvisionHubApi>;
}

/** The error ProvisionHubClient throws for a Backstage error body with this status. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name, message },
    request: { method: 'GET', url: '/api/provisionhub' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: `HTTP ${status}`,
    url: 'http://localhost:7007/api/provisionhub',
    redirected: false,
    type: 'basic',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
  });
}

export const forbidden = (message = 'You are not allowed to read runs') =>
  responseError(403, 'NotAllowedError', message);

/** A promise that never settles: the component stays in its loading state. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A signal API whose `emit` delivers a message to the subscribers of a channel. */
export function createFakeSignalApi(): SignalApi & {
  emit(channel: string, message: JsonObject): void;
  channels(): string[];
} {
  const subscribers = new Map<string, Set<(message: JsonObject) => void>>();
  return {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage as (message: JsonObject) => void);
      subscribers.set(channel, set);
      return {
        unsubscribe() {
          set.delete(onMessage as (message: JsonObject) => void);
        },
      };
    },
    emit(channel, message) {
      for (const onMessage of subscribers.get(channel) ?? []) {
        onMessage(message);
      }
    },
    channels() {
      return [...subscribers.entries()]
        .filter(([, set]) => set.size > 0)
        .map(([channel]) => channel);
    },
  };
}

const pinned = {
  name: 'node-backend',
  version: '1.2.0',
  digest: 'sha256:0123456789abcdef',
};

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    kind: 'component',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    blueprint: pinned,
    values: { replicas: 2 },
    status: 'running',
    requestedBy: 'user:default/alice',
    attempt: 1,
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:05.000Z',
    startedAt: '2026-11-27T10:00:01.000Z',
    steps: [
      {
        id: 'fetch-blueprint',
        title: 'Fetch blueprint',
        status: 'succeeded',
        durationMs: 400,
      },
      { id: 'render', title: 'Render files', status: 'running' },
      {
        id: 'create-repository',
        title: 'Create repository',
        status: 'pending',
      },
      { id: 'push', title: 'Commit and push', status: 'pending' },
    ],
    history: [
      {
        status: 'requested',
        at: '2026-11-27T10:00:00.000Z',
        actor: 'user:default/alice',
      },
      {
        status: 'queued',
        at: '2026-11-27T10:00:00.500Z',
        actor: 'system:policy',
        reason: 'no approval rule matched',
      },
      {
        status: 'running',
        at: '2026-11-27T10:00:01.000Z',
        actor: 'system:worker',
      },
    ],
    canCancel: true,
    canRetry: false,
    ...overrides,
  };
}

export function makeSystem(
  overrides: Partial<ProvisionedSystemDetails> = {},
): ProvisionedSystemDetails {
  return {
    name: 'payments',
    owner: 'group:default/payments',
    entityRef: 'system:default/payments',
    blueprint: {
      name: 'standard-system',
      version: '1.0.0',
      digest: 'sha256:aa',
    },
    repoUrl: 'https://git.example.com/payments/payments',
    runId: 'run-system',
    createdAt: '2026-11-20T09:00:00.000Z',
    status: 'live',
    components: [],
    ...overrides,
  };
}

/** A component as `GET /components/{name}` answers; in no environment unless overridden. */
export function makeComponent(
  overrides: Partial<ProvisionedComponentDetails> = {},
): ProvisionedComponentDetails {
  return {
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    type: 'backend',
    blueprint: pinned,
    repoUrl: 'https://git.example.com/payments/payments-api',
    runId: 'run-1',
    createdAt: '2026-11-27T10:01:00.000Z',
    status: 'live',
    environments: [],
    ...overrides,
  };
}

/**
 * The three environments of the dev portal as `GET /components/payments-api` lists them:
 * development committed (and, with Argo CD, synced), staging proposed on a merge request,
 * production never deployed.
 */
export function makeEnvironments(): ComponentEnvironment[] {
  const path = (environment: string) =>
    `payments/payments-api/overlays/${environment}`;
  return [
    {
      name: 'development',
      title: 'Development',
      version: '4f2a9c1',
      gitopsPath: path('development'),
      status: 'committed',
      runId: 'run-1',
      updatedAt: '2026-11-27T10:02:00.000Z',
      argocd: {
        application: 'payments-api-development',
        sync: 'Synced',
        health: 'Healthy',
        revision: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d',
      },
    },
    {
      name: 'staging',
      title: 'Staging',
      version: '4f2a9c1',
      gitopsPath: path('staging'),
      status: 'proposed',
      runId: 'run-promote-staging',
      branch: 'provisionhub/promote-payments-api-staging',
      mergeRequestUrl:
        'https://gitlab.example.com/platform/gitops/-/merge_requests/7',
      argocd: {
        application: 'payments-api-staging',
        error: 'Argo CD has no application payments-api-staging',
      },
    },
    {
      name: 'production',
      title: 'Production',
      gitopsPath: path('production'),
      status: 'not-deployed',
    },
  ];
}

export const nodeBackendSummary: BlueprintSummary = {
  name: 'node-backend',
  type: 'backend',
  title: 'Node.js backend',
  description: 'An Express service with CI and a Helm chart',
  owner: 'group:default/platform',
  tags: ['node', 'http'],
  latestVersion: '1.2.0',
  versions: ['1.2.0', '1.1.0'],
};

export const systemSummary: BlueprintSummary = {
  name: 'standard-system',
  type: 'system',
  title: 'Standard system',
  owner: 'group:default/platform',
  tags: [],
  latestVersion: '1.0.0',
  versions: ['1.0.0'],
};

export const nodeBackendVersion: BlueprintVersion = {
  name: 'node-backend',
  version: '1.2.0',
  type: 'backend',
  title: 'Node.js backend',
  owner: 'group:default/platform',
  tags: ['node'],
  entityRef: 'blueprint:default/node-backend-v1.2.0',
  steps: [],
  parameters: {
    type: 'object',
    required: ['port'],
    properties: {
      port: {
        type: 'integer',
        title: 'HTTP port',
        minimum: 1024,
        maximum: 65535,
        'ui:help': 'The port the service listens on',
      },
      replicas: { type: 'integer', title: 'Replicas', default: 2, minimum: 1 },
      description: {
        type: 'string',
        title: 'Description',
        'ui:widget': 'textarea',
      },
    },
  },
};

export function provisionedEntity(
  kind: 'System' | 'Component',
  annotations: Record<string, string> = {
    [ANNOTATION_RUN_ID]: 'run-1',
    [ANNOTATION_BLUEPRINT]: 'node-backend@1.2.0',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'experimental',
    },
  };
}
