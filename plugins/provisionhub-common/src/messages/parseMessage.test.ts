import { parseMessage } from './parseMessage';
import type { JobMessage, RunEventMessage, RunRequestedMessage } from './types';

const runId = '5f0c2a43-3f0e-4b7a-9d0e-4c3f2f1a7b10';

const requested: RunRequestedMessage = {
  kind: 'run.requested',
  version: 1,
  runId,
  requestedBy: 'user:default/alice',
  requestedAt: '2026-11-27T10:00:00.000Z',
  request: {
    kind: 'component',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    blueprint: 'node-backend',
    values: { port: 8080 },
  },
  source: { type: 'scaffolder', id: 'task-1' },
};

const digest = `sha256:${'a'.repeat(64)}`;
const blueprintFiles = [
  { location: 'file:/blueprints/node-backend', target: '' },
];

/** A component job of node-backend at `version`, with `extra` sections (upgrade, deploy). */
function jobOf(
  version: string,
  extra: Partial<JobMessage> & {
    steps?: JobMessage['blueprint']['steps'];
  } = {},
): JobMessage {
  const { steps = [], ...sections } = extra;
  return {
    kind: 'job',
    version: 1,
    runId,
    attempt: 1,
    maxAttempt: 3,
    requestedAt: '2026-11-27T10:00:00.000Z',
    requestedBy: 'user:default/alice',
    run: {
      kind: 'component',
      name: 'payments-api',
      owner: 'group:default/payments',
      system: 'payments',
      entityRef: 'component:default/payments-api',
      values: { port: 8080 },
    },
    blueprint: {
      name: 'node-backend',
      version,
      type: 'backend',
      digest,
      files: blueprintFiles,
      steps,
      catalogInfoPath: 'catalog-info.yaml',
    },
    repository: { path: 'payments/payments-api', description: 'x' },
    ...sections,
  };
}

describe('parseMessage', () => {
  it('accepts a valid message of an expected kind', () => {
    const parsed = parseMessage(JSON.stringify(requested), ['run.requested']);
    expect(parsed).toEqual({ ok: true, message: requested });
  });

  it('says why a body is not a message', () => {
    expect(parseMessage('{oops', ['job'])).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^body is not JSON/),
    });
    expect(parseMessage('[1]', ['job'])).toEqual({
      ok: false,
      reason: 'body is not a JSON object',
    });
  });

  it('rejects kinds the queue does not carry, and unknown versions', () => {
    expect(parseMessage(JSON.stringify(requested), ['job'])).toEqual({
      ok: false,
      reason: 'unknown message kind "run.requested"; this queue accepts job',
    });
    expect(
      parseMessage(JSON.stringify({ ...requested, version: 2 }), [
        'run.requested',
      ]),
    ).toEqual({
      ok: false,
      reason: 'unsupported run.requested version 2; supported: 1',
    });
  });

  it('names every invalid field', () => {
    const bad = {
      ...requested,
      runId: 'not-a-uuid',
      request: { ...requested.request, kind: 'database', extra: true },
    };
    const parsed = parseMessage(JSON.stringify(bad), ['run.requested']);
    expect(parsed.ok).toBe(false);
    const reason = (parsed as { reason: string }).reason;
    expect(reason).toContain('/runId must match format "uuid"');
    expect(reason).toContain(
      '/request/kind must be one of "system", "component"',
    );
    expect(reason).toContain('/request/extra is not a known field');
  });

  it('validates run event bodies by their type', () => {
    const event: RunEventMessage = {
      kind: 'run.event',
      version: 1,
      runId,
      attempt: 1,
      delivery: 0,
      seq: 3,
      at: '2026-11-27T10:00:01.000Z',
      event: {
        type: 'step.finished',
        step: 'render',
        status: 'succeeded',
        durationMs: 12,
      },
    };
    expect(parseMessage(JSON.stringify(event), ['run.event']).ok).toBe(true);
    const wrong = {
      ...event,
      event: { type: 'step.finished', step: 'render', status: 'done' },
    };
    const parsed = parseMessage(JSON.stringify(wrong), ['run.event']);
    expect(parsed).toMatchObject({ ok: false });
    const reason = (parsed as { reason: string }).reason;
    expect(reason).toContain('/event/durationMs is required');
    expect(reason).toContain(
      '/event/status must be one of "succeeded", "skipped"',
    );
    const unknown = { ...event, event: { type: 'step.exploded' } };
    expect(parseMessage(JSON.stringify(unknown), ['run.event'])).toMatchObject({
      ok: false,
    });
  });

  it('accepts upgrade jobs, refuses branches git or a shell could misread, and jobs of kind upgrade', () => {
    const job = jobOf('1.1.0', {
      upgrade: {
        from: {
          name: 'node-backend',
          version: '1.0.0',
          digest,
          files: blueprintFiles,
          values: { port: 8080 },
        },
        branch: 'provisionhub/upgrade-1.1.0',
        changedValues: [{ key: 'logLevel', to: 'info' }],
        changelog: [{ version: '1.1.0', changes: 'Metrics.' }],
      },
    });
    expect(parseMessage(JSON.stringify(job), ['job'])).toEqual({
      ok: true,
      message: job,
    });
    for (const branch of [
      'main',
      'provisionhub/../main',
      'provisionhub/-x y',
      'provisionhub/upgrade.lock',
    ]) {
      const bad = { ...job, upgrade: { ...job.upgrade, branch } };
      expect(parseMessage(JSON.stringify(bad), ['job'])).toMatchObject({
        ok: false,
        reason: expect.stringContaining('/upgrade/branch'),
      });
    }
    const upgradeKind = { ...job, run: { ...job.run, kind: 'upgrade' } };
    expect(parseMessage(JSON.stringify(upgradeKind), ['job'])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('/run/kind must be one of'),
    });
  });

  it('accepts the deploy section of a job and refuses paths, names and tags that could escape or mislead', () => {
    const job = jobOf('1.2.0', {
      steps: [{ id: 'deploy', type: 'deploy' }],
      deploy: {
        repository: 'platform/gitops',
        branch: 'main',
        argocdNamespace: 'argocd',
        path: 'payments/payments-api',
        environments: [
          {
            name: 'production',
            namespace: 'payments',
            server: 'https://kubernetes.default.svc',
            argocdProject: 'payments',
            automatic: false,
          },
        ],
        promote: { from: 'staging', to: 'production', version: '1a2b3c4d' },
      },
    });
    expect(parseMessage(JSON.stringify(job), ['job'])).toEqual({
      ok: true,
      message: job,
    });
    const deploy = job.deploy!;
    const bad: Array<[object, string]> = [
      [{ path: '../outside' }, '/deploy/path'],
      [{ path: 'payments/.git/hooks' }, '/deploy/path'],
      [{ repository: '/etc' }, '/deploy/repository'],
      [{ branch: 'main/../x' }, '/deploy/branch'],
      [{ argocdNamespace: 'Argo CD' }, '/deploy/argocdNamespace'],
      [
        { environments: [{ ...deploy.environments[0], namespace: 'a_b' }] },
        '/deploy/environments/0/namespace',
      ],
      [
        { promote: { ...deploy.promote!, version: '1.0; rm -rf /' } },
        '/deploy/promote/version',
      ],
    ];
    for (const [change, field] of bad) {
      const message = { ...job, deploy: { ...deploy, ...change } };
      expect(parseMessage(JSON.stringify(message), ['job'])).toMatchObject({
        ok: false,
        reason: expect.stringContaining(field),
      });
    }
  });
});
