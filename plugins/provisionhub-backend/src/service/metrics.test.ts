import { metricsServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { RunEventBody } from '@provisionhub/plugin-provisionhub-common';
import {
  createTempDir,
  createTestDatabases,
  useTestBroker,
  waitUntil,
} from '@provisionhub/test-utils';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
  writeBlueprintEntities,
} from '../__testUtils__/fixtures';
import {
  TestBrokerClient,
  connectTestBroker,
} from '../__testUtils__/testBroker';

jest.setTimeout(60_000);

const databases = createTestDatabases();
// At the top level, so the vhost outlives the backends the suite's hooks stop (a vhost removed
// under a connected backend fails the suite with "Channel ended").
const testBroker = useTestBroker();

// What the dev portal's packages/backend/src/instrumentation.js sets up, without its server:
// Backstage's metrics service (OpenTelemetry) read by a Prometheus exporter.
const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
const scrape = () =>
  request(
    http.createServer((req, res) =>
      exporter.getMetricsRequestHandler(req, res),
    ),
  ).get('/metrics');

/** The value of the sample with this name that carries these labels (and maybe others). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-z_]+)(?:\{(.*)\})? (\S+)$/);
    if (match?.[1] !== name) {
      continue;
    }
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** The metrics the README's "Metrics" table lists. */
function documentedMetrics(): string[] {
  const readme = fs.readFileSync(
    path.resolve(__dirname, '../../README.md'),
    'utf8',
  );
  return [...readme.matchAll(/^\| `(provisionhub_\w+)` +\|/gm)].map(m => m[1]);
}

describe('control-plane metrics', () => {
  let broker: TestBrokerClient;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let removeDir: () => Promise<void>;

  beforeAll(async () => {
    const temp = await createTempDir();
    removeDir = temp.remove;
    const entities = await writeBlueprintEntities(temp.dir);
    broker = await connectTestBroker(testBroker);
    backend = await startTestBackend({
      features: [
        provisionhubPlugin,
        metricsServiceFactory,
        mockServices.database.factory({
          knex: await databases.init('POSTGRES_15'),
        }),
        provisionhubConfig(testBroker),
        catalogWith(entities),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ...recordingServices().features,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await broker?.close();
    await removeDir?.();
  });

  it('exports runs by status and blueprint, run durations, event application, outbox, buffer, dead letters and queue depths', async () => {
    const created = await request(backend.server)
      .post('/api/provisionhub/runs')
      .send({
        kind: 'component',
        name: 'measured',
        owner: 'group:default/payments',
        system: 'legacy',
        blueprint: 'node-backend',
        version: '1.0.0',
        values: {},
      });
    const runId: string = created.body.id;
    await waitUntil(
      async () => (await broker.depth(broker.client.names.jobsQueue)) === 1,
      { what: 'the job on the jobs queue' },
    );
    let text = (await scrape()).text;
    expect(
      sample(text, 'provisionhub_runs', {
        status: 'queued',
        blueprint: 'node-backend',
      }),
    ).toBe(1);
    expect(sample(text, 'provisionhub_queue_depth', { queue: 'jobs' })).toBe(1);
    expect(sample(text, 'provisionhub_outbox_size')).toBe(0);
    expect(sample(text, 'provisionhub_outbox_lag')).toBe(0);

    const bodies: RunEventBody[] = [
      { type: 'run.started', workerId: 'w1' },
      {
        type: 'run.succeeded',
        outputs: {
          repoUrl: 'https://git.example.com/legacy/measured',
          defaultBranch: 'main',
          entityRef: 'component:default/measured',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'measured' },
            spec: { type: 'service' },
          },
        },
      },
    ];
    // The second event first: it waits in the buffer until the first arrives.
    const at = new Date().toISOString();
    const event = (seq: number) => ({
      kind: 'run.event' as const,
      version: 1 as const,
      runId,
      attempt: 1,
      delivery: 0,
      seq,
      at,
      event: bodies[seq - 1],
    });
    await broker.client.publishEvent(event(2));
    text = await waitUntil(
      async () => {
        const scraped = (await scrape()).text;
        return sample(scraped, 'provisionhub_events_pending') === 1
          ? scraped
          : undefined;
      },
      { what: 'the buffered event in the metrics', timeoutMs: 20_000 },
    );
    await broker.client.publishEvent(event(1));
    await waitUntil(
      async () =>
        (
          await request(backend.server).get(`/api/provisionhub/runs/${runId}`)
        ).body.status === 'succeeded',
      { what: 'the run to succeed' },
    );
    await broker.client.deadLetter(
      { content: Buffer.from('not json') },
      'body is not JSON',
      broker.client.names.requestsQueue,
    );

    text = await waitUntil(
      async () => {
        const scraped = (await scrape()).text;
        return sample(scraped, 'provisionhub_dead_letters') === 1 &&
          sample(scraped, 'provisionhub_events_pending') === 0
          ? scraped
          : undefined;
      },
      { what: 'the dead letter in the metrics', timeoutMs: 20_000 },
    );
    expect(
      sample(text, 'provisionhub_runs', {
        status: 'succeeded',
        blueprint: 'node-backend',
      }),
    ).toBe(1);
    expect(
      sample(text, 'provisionhub_runs', {
        status: 'queued',
        blueprint: 'node-backend',
      }),
    ).toBe(0);
    expect(sample(text, 'provisionhub_events_applied_total')).toBe(2);
    expect(
      sample(text, 'provisionhub_events_apply_duration_count'),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'provisionhub_run_duration_count', {
        status: 'succeeded',
        blueprint: 'node-backend',
      }),
    ).toBe(1);
    expect(sample(text, 'provisionhub_queue_depth', { queue: 'events' })).toBe(
      0,
    );
    const documented = documentedMetrics();
    expect(documented).toHaveLength(9);
    for (const name of documented) {
      const exported = [name, `${name}_count`].some(
        n => sample(text, n) !== undefined,
      );
      expect({ name, exported }).toEqual({ name, exported: true });
    }
    expect(
      sample(text, 'provisionhub_queue_depth', { queue: 'dead-letter' }),
    ).toBe(0);
  });
});
