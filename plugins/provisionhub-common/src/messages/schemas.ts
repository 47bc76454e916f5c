import { GITOPS_PATTERNS } from '../environments';
import { CREATE_RUN_KINDS, LOG_LEVELS } from '../types';

const str = { type: 'string', minLength: 1 } as const;
const timestamp = { type: 'string', minLength: 10, maxLength: 40 } as const;
const positiveInt = { type: 'integer', minimum: 1 } as const;
const values = { type: 'object' } as const;
const fileSources = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['location', 'target'],
    additionalProperties: false,
    properties: { location: str, target: { type: 'string' } },
  },
} as const;

/** A resource name (environments, versions are checked by the worker as well). */
const resourceName = {
  type: 'string',
  pattern: GITOPS_PATTERNS.kubernetesName,
  maxLength: 63,
} as const;
/** A relative folder that never climbs out of its repository. */
const relativeFolder = {
  type: 'string',
  minLength: 1,
  maxLength: 500,
  pattern: GITOPS_PATTERNS.relativePath,
  not: { pattern: '(^|/)\\.\\.?(/|$)|(^|/)\\.git(/|$)' },
} as const;
/** An image tag, as docker accepts it. */
const imageTag = {
  type: 'string',
  pattern: GITOPS_PATTERNS.imageTag,
} as const;
const promotion = {
  type: 'object',
  required: ['from', 'to', 'version'],
  additionalProperties: false,
  properties: { from: resourceName, to: resourceName, version: imageTag },
} as const;
const deployment = {
  type: 'object',
  required: ['repository', 'branch', 'argocdNamespace', 'path', 'environments'],
  additionalProperties: false,
  properties: {
    repository: relativeFolder,
    argocdNamespace: resourceName,
    branch: {
      type: 'string',
      pattern: GITOPS_PATTERNS.branch,
      not: { pattern: '\\.\\.|\\.lock$|^-|//' },
    },
    path: relativeFolder,
    environments: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        required: ['name', 'namespace', 'server', 'argocdProject', 'automatic'],
        additionalProperties: false,
        properties: {
          name: resourceName,
          namespace: resourceName,
          server: str,
          argocdProject: resourceName,
          automatic: { type: 'boolean' },
        },
      },
    },
    promote: promotion,
  },
} as const;

const runRequest = {
  type: 'object',
  required: ['kind', 'name', 'owner', 'blueprint', 'values'],
  additionalProperties: false,
  properties: {
    kind: { enum: CREATE_RUN_KINDS },
    name: str,
    owner: str,
    system: str,
    blueprint: str,
    version: str,
    environment: str,
    values,
  },
} as const;

const runRequested = {
  type: 'object',
  required: [
    'kind',
    'version',
    'runId',
    'requestedBy',
    'requestedAt',
    'request',
  ],
  additionalProperties: false,
  properties: {
    kind: { const: 'run.requested' },
    version: { const: 1 },
    runId: { type: 'string', format: 'uuid' },
    requestedBy: str,
    requestedAt: timestamp,
    request: runRequest,
    requesterIsAdmin: { type: 'boolean' },
    source: {
      type: 'object',
      required: ['type'],
      properties: { type: str, id: { type: 'string' } },
    },
  },
} as const;

const job = {
  type: 'object',
  required: [
    'kind',
    'version',
    'runId',
    'attempt',
    'maxAttempt',
    'requestedAt',
    'requestedBy',
    'run',
    'blueprint',
    'repository',
  ],
  additionalProperties: false,
  properties: {
    kind: { const: 'job' },
    version: { const: 1 },
    runId: { type: 'string', format: 'uuid' },
    attempt: positiveInt,
    maxAttempt: positiveInt,
    requestedAt: timestamp,
    requestedBy: str,
    run: {
      type: 'object',
      required: ['kind', 'name', 'owner', 'entityRef', 'values'],
      additionalProperties: false,
      properties: {
        kind: { enum: CREATE_RUN_KINDS },
        name: str,
        owner: str,
        system: str,
        entityRef: str,
        values,
      },
    },
    blueprint: {
      type: 'object',
      required: [
        'name',
        'version',
        'type',
        'digest',
        'files',
        'steps',
        'catalogInfoPath',
      ],
      additionalProperties: false,
      properties: {
        name: str,
        version: str,
        type: str,
        digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        catalogInfoPath: str,
        files: fileSources,
        steps: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'type'],
            properties: {
              id: str,
              type: str,
              title: { type: 'string' },
              input: { type: 'object' },
            },
          },
        },
      },
    },
    repository: {
      type: 'object',
      required: ['path', 'description'],
      additionalProperties: false,
      properties: { path: str, description: { type: 'string' } },
    },
    upgrade: {
      type: 'object',
      required: ['from', 'branch', 'changedValues', 'changelog'],
      additionalProperties: false,
      properties: {
        from: {
          type: 'object',
          required: ['name', 'version', 'digest', 'files', 'values'],
          additionalProperties: false,
          properties: {
            name: str,
            version: str,
            digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
            files: fileSources,
            values,
          },
        },
        // A ref name git accepts, never a path that climbs or an option.
        branch: {
          type: 'string',
          pattern: '^provisionhub/[A-Za-z0-9._-]+$',
          not: { pattern: '\\.\\.|\\.lock$|\\.$' },
        },
        changedValues: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key'],
            properties: { key: str },
          },
        },
        changelog: {
          type: 'array',
          items: {
            type: 'object',
            required: ['version', 'changes'],
            additionalProperties: false,
            properties: { version: str, changes: { type: 'string' } },
          },
        },
      },
    },
    decommission: {
      type: 'object',
      additionalProperties: false,
      properties: { reason: { type: 'string', maxLength: 2000 } },
    },
    deploy: deployment,
  },
} as const;

const eventBodies = [
  {
    properties: { type: { const: 'run.started' }, workerId: str },
    required: ['workerId'],
  },
  {
    properties: { type: { const: 'step.started' }, step: str },
    required: ['step'],
  },
  {
    properties: {
      type: { const: 'step.finished' },
      step: str,
      status: { enum: ['succeeded', 'skipped'] },
      durationMs: { type: 'number', minimum: 0 },
      detail: { type: 'string' },
    },
    required: ['step', 'status', 'durationMs'],
  },
  {
    properties: {
      type: { const: 'step.failed' },
      step: str,
      durationMs: { type: 'number', minimum: 0 },
      error: { type: 'string' },
      retryable: { type: 'boolean' },
    },
    required: ['step', 'durationMs', 'error', 'retryable'],
  },
  {
    properties: {
      type: { const: 'log' },
      lines: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          required: ['at', 'level', 'message'],
          properties: {
            at: timestamp,
            step: { type: 'string' },
            level: { enum: LOG_LEVELS },
            message: { type: 'string', maxLength: 16384 },
          },
        },
      },
    },
    required: ['lines'],
  },
  {
    properties: {
      type: { const: 'run.retrying' },
      error: { type: 'string' },
      nextAttempt: positiveInt,
      delayMs: { type: 'number', minimum: 0 },
    },
    required: ['error', 'nextAttempt', 'delayMs'],
  },
  {
    properties: {
      type: { const: 'run.succeeded' },
      outputs: {
        type: 'object',
        required: ['repoUrl', 'defaultBranch', 'entityRef'],
        properties: {
          repoUrl: str,
          defaultBranch: str,
          entityRef: str,
          entity: { type: 'object' },
          branch: str,
          mergeRequestUrl: str,
          archived: { type: 'boolean' },
          deployments: {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'object',
              required: ['environment', 'version', 'path', 'commit', 'state'],
              additionalProperties: false,
              properties: {
                environment: resourceName,
                version: imageTag,
                path: relativeFolder,
                commit: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
                state: { enum: ['committed', 'proposed'] },
                branch: str,
                mergeRequestUrl: str,
              },
            },
          },
        },
      },
    },
    required: ['outputs'],
  },
  {
    properties: {
      type: { const: 'run.failed' },
      error: { type: 'string' },
      step: { type: 'string' },
      retryable: { type: 'boolean' },
      deadLettered: { type: 'boolean' },
    },
    required: ['error', 'retryable', 'deadLettered'],
  },
  {
    properties: { type: { const: 'run.cancelled' }, step: { type: 'string' } },
    required: [],
  },
].map(body => ({
  type: 'object',
  ...body,
  required: ['type', ...body.required],
}));

const runEvent = {
  type: 'object',
  required: [
    'kind',
    'version',
    'runId',
    'attempt',
    'delivery',
    'seq',
    'at',
    'event',
  ],
  additionalProperties: false,
  properties: {
    kind: { const: 'run.event' },
    version: { const: 1 },
    runId: { type: 'string', format: 'uuid' },
    attempt: positiveInt,
    delivery: { type: 'integer', minimum: 0 },
    seq: positiveInt,
    at: timestamp,
    event: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string' } },
      // Selects the body schema by `type`, so an error names the field that is wrong.
      discriminator: { propertyName: 'type' },
      oneOf: eventBodies,
    },
  },
} as const;

const runCancel = {
  type: 'object',
  required: ['kind', 'version', 'runId'],
  additionalProperties: false,
  properties: {
    kind: { const: 'run.cancel' },
    version: { const: 1 },
    runId: { type: 'string', format: 'uuid' },
  },
} as const;

/**
 * JSON Schemas of every message, by `kind`, then by `version`.
 * @public
 */
export const messageSchemas = {
  'run.requested': { 1: runRequested },
  job: { 1: job },
  'run.event': { 1: runEvent },
  'run.cancel': { 1: runCancel },
} as const;
