import type {
  ProvisionedComponentDetails,
  Run,
} from '@provisionhub/plugin-provisionhub-common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from '../main';

const TOKEN = 'ci-token-0123456789abcdef';

const component: ProvisionedComponentDetails = {
  name: 'payments-api',
  owner: 'group:default/payments',
  system: 'payments',
  entityRef: 'component:default/payments-api',
  type: 'backend',
  blueprint: { name: 'node-backend', version: '1.2.0', digest: 'sha256:ab' },
  repoUrl: 'https://git.example.com/payments/payments-api',
  runId: 'run-1',
  createdAt: '2026-11-27T10:01:00.000Z',
  status: 'live',
  environments: [
    {
      name: 'development',
      title: 'Development',
      version: '4f2a9c1',
      gitopsPath: 'payments/payments-api/overlays/development',
      status: 'committed',
      runId: 'run-1',
      argocd: {
        application: 'payments-api-development',
        sync: 'Synced',
        health: 'Healthy',
      },
    },
    {
      name: 'staging',
      title: 'Staging',
      version: '4f2a9c1',
      gitopsPath: 'payments/payments-api/overlays/staging',
      status: 'proposed',
      runId: 'run-2',
      branch: 'provisionhub/promote-staging',
      argocd: {
        application: 'payments-api-staging',
        error: 'Argo CD has no application payments-api-staging',
      },
    },
    {
      name: 'production',
      title: 'Production',
      version: '3e1b8a0',
      gitopsPath: 'payments/payments-api/overlays/production',
      status: 'committed',
      runId: 'run-3',
      proposal: {
        version: '4f2a9c1',
        runId: 'run-4',
        mergeRequestUrl:
          'https://gitlab.example.com/platform/gitops/-/merge_requests/7',
      },
    },
    {
      name: 'dr',
      title: 'Disaster recovery',
      gitopsPath: 'payments/payments-api/overlays/dr',
      status: 'not-deployed',
    },
  ],
};

function promoteRun(status: Run['status']): Run {
  return {
    id: 'run-promote',
    kind: 'promote',
    name: 'payments-api',
    owner: 'group:default/payments',
    system: 'payments',
    entityRef: 'component:default/payments-api',
    blueprint: component.blueprint,
    values: {},
    status,
    requestedBy: 'user:default/ci',
    attempt: 1,
    createdAt: '2026-12-02T15:00:00.000Z',
    updatedAt: '2026-12-02T15:00:00.000Z',
    promotion: { from: 'staging', to: 'production', version: '4f2a9c1' },
    ...(status === 'succeeded'
      ? { finishedAt: '2026-12-02T15:00:05.000Z' }
      : {}),
  };
}

/**
 * A stand-in control plane for the component endpoints: it answers what the test sets and
 * records each request with its body.
 */
async function startPortal() {
  const seen: Array<{ route: string; body?: unknown }> = [];
  const state = {
    promote: (): { status: number; body: unknown } => ({
      status: 202,
      body: promoteRun('queued'),
    }),
    runReads: 0,
  };
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) {
      raw += chunk;
    }
    const route = `${req.method} ${new URL(req.url!, 'http://x').pathname}`;
    seen.push({ route, ...(raw ? { body: JSON.parse(raw) } : {}) });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      reply(401, {
        error: { name: 'AuthenticationError', message: 'Missing credentials' },
        response: { statusCode: 401 },
      });
    } else if (route === 'GET /api/provisionhub/components/payments-api') {
      reply(200, component);
    } else if (
      route === 'POST /api/provisionhub/components/payments-api/promote'
    ) {
      const answer = state.promote();
      reply(answer.status, answer.body);
    } else if (route === 'GET /api/provisionhub/runs/run-promote') {
      state.runReads += 1;
      reply(200, promoteRun(state.runReads > 1 ? 'succeeded' : 'running'));
    } else if (route === 'GET /api/provisionhub/runs/run-promote/logs') {
      reply(200, { items: [], lastSeq: 0 });
    } else {
      reply(404, {
        error: { name: 'NotFoundError', message: `no route ${route}` },
        response: { statusCode: 404 },
      });
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      PROVISIONHUB_URL: `http://127.0.0.1:${port}`,
      PROVISIONHUB_TOKEN: TOKEN,
    },
    seen,
    state,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

describe('provisionhub components', () => {
  let portal: Awaited<ReturnType<typeof startPortal>>;

  beforeEach(async () => {
    portal = await startPortal();
  });
  afterEach(() => portal.close());

  async function run(argv: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const code = await main(argv, { stdout, stderr, env: portal.env });
    return {
      code,
      stdout: (stdout.read() ?? '').toString(),
      stderr: (stderr.read() ?? '').toString(),
    };
  }

  describe('get', () => {
    it('prints the component and one row per environment with version, status and Argo CD', async () => {
      const result = await run(['components', 'get', 'payments-api']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const lines: string[] = result.stdout.split('\n');
      expect(lines[0]).toBe('Component payments-api  (system payments)');
      expect(result.stdout).toContain('Blueprint   node-backend@1.2.0');
      const table = lines
        .slice(lines.findIndex(l => l.startsWith('ENVIRONMENT')))
        .filter(Boolean)
        .map(line => line.split(/ {2,}/));
      expect(table).toEqual([
        ['ENVIRONMENT', 'VERSION', 'STATUS', 'ARGO CD', 'RUN', 'GITOPS PATH'],
        [
          'development',
          '4f2a9c1',
          'committed',
          'Synced/Healthy',
          'run-1',
          'payments/payments-api/overlays/development',
        ],
        [
          'staging',
          '4f2a9c1',
          'proposed (provisionhub/promote-staging)',
          '? (Argo CD has no application payments-api-staging)',
          'run-2',
          'payments/payments-api/overlays/staging',
        ],
        [
          'production',
          '3e1b8a0',
          'committed; 4f2a9c1 proposed (https://gitlab.example.com/platform/gitops/-/merge_requests/7)',
          '-',
          'run-3',
          'payments/payments-api/overlays/production',
        ],
        [
          'dr',
          '-',
          'not-deployed',
          '-',
          '-',
          'payments/payments-api/overlays/dr',
        ],
      ]);
    });

    it('answers --json with the component as the portal gave it', async () => {
      const result = await run(['components', 'get', 'payments-api', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual(component);
    });

    it('exits 2 for a component the portal does not know', async () => {
      const result = await run(['components', 'get', 'nope']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'no route GET /api/provisionhub/components/nope',
      );
    });
  });

  describe('promote', () => {
    it('requests a promote run with --from and --to and says how to follow it', async () => {
      const result = await run([
        'components',
        'promote',
        'payments-api',
        '--from',
        'staging',
        '--to',
        'production',
      ]);
      expect(result).toEqual({
        code: 0,
        stdout: [
          'Requested run run-promote: promotion of component payments-api (system payments) from staging to production, version 4f2a9c1, queued',
          'Follow it: provisionhub runs logs run-promote --follow',
          '',
        ].join('\n'),
        stderr: '',
      });
      expect(portal.seen).toEqual([
        {
          route: 'POST /api/provisionhub/components/payments-api/promote',
          body: { from: 'staging', to: 'production' },
        },
      ]);
    });

    it('sends --version, and with --wait follows the run to its end', async () => {
      const result = await run([
        'components',
        'promote',
        'payments-api',
        '--from',
        'staging',
        '--to',
        'production',
        '--version',
        '5b3c0d2',
        '--wait',
        '--poll-interval',
        '1',
      ]);
      expect(result.code).toBe(0);
      expect(portal.seen[0].body).toEqual({
        from: 'staging',
        to: 'production',
        version: '5b3c0d2',
      });
      expect(result.stdout).toContain('succeeded');
      expect(portal.state.runReads).toBe(2);
    });

    it('exits 1 with the reason when the portal refuses the promotion', async () => {
      portal.state.promote = () => ({
        status: 409,
        body: {
          error: {
            name: 'ConflictError',
            message:
              'staging has no version of payments-api to promote: it was never deployed there',
          },
          response: { statusCode: 409 },
        },
      });
      const result = await run([
        'components',
        'promote',
        'payments-api',
        '--from',
        'staging',
        '--to',
        'production',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'staging has no version of payments-api to promote',
      );
    });

    it('needs --from and --to', async () => {
      const result = await run([
        'components',
        'promote',
        'payments-api',
        '--to',
        'production',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "error: required option '--from <environment>' not specified",
      );
      expect(portal.seen).toEqual([]);
    });
  });
});
