import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';
import type { RunRecord, RunStore, StoreGauges } from '../database/RunStore';

/** Gauges read the database and the broker at most this often, however often they are scraped. */
const GAUGE_CACHE_MS = 5000;

/** Seconds, from 10 ms to an hour (event batches) and from a second to a day (runs). */
const APPLY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400];

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

interface Gauges extends StoreGauges {
  queues: Record<string, number>;
}

/**
 * The control plane's metrics, through Backstage's metrics service (OpenTelemetry; the backend
 * decides where they go, e.g. a Prometheus exporter). Counters and histograms are recorded as
 * things happen; gauges are read from the database and the broker when metrics are collected.
 * @internal
 */
export class ControlPlaneMetrics {
  readonly #runDuration: MetricsServiceHistogram;
  readonly #eventsApplied: MetricsServiceCounter;
  readonly #applyDuration: MetricsServiceHistogram;
  readonly #read: () => Promise<Gauges>;
  readonly #logger: LoggerService;
  #cached?: { at: number; gauges: Promise<Gauges> };
  /**
   * Every status and blueprint reported so far: one without runs any more is reported as 0,
   * because the exporter keeps repeating the last value of a series that is not observed.
   */
  readonly #runSeries = new Map<
    string,
    { status: string; blueprint: string }
  >();

  constructor(options: {
    metrics: MetricsService;
    store: Pick<RunStore, 'readGauges'>;
    broker: Pick<ProvisionHubBroker, 'queueDepths' | 'names'>;
    logger: LoggerService;
  }) {
    const { metrics, store, broker } = options;
    this.#logger = options.logger;
    const { jobsQueue, eventsQueue, requestsQueue, deadLetterQueue } =
      broker.names;
    this.#read = async () => {
      const [stored, depths] = await Promise.all([
        store.readGauges(),
        broker.queueDepths([
          jobsQueue,
          eventsQueue,
          requestsQueue,
          deadLetterQueue,
        ]),
      ]);
      return { ...stored, queues: depths };
    };

    this.#runDuration = metrics.createHistogram('provisionhub.run.duration', {
      description:
        'How long runs took from start to end, by final status and blueprint',
      unit: 's',
      advice: { explicitBucketBoundaries: RUN_BUCKETS },
    });
    this.#eventsApplied = metrics.createCounter('provisionhub.events.applied', {
      description:
        'Run events applied to runs (duplicates and buffered ones not counted)',
    });
    this.#applyDuration = metrics.createHistogram(
      'provisionhub.events.apply.duration',
      {
        description: 'How long applying one batch of run events took',
        unit: 's',
        advice: { explicitBucketBoundaries: APPLY_BUCKETS },
      },
    );

    metrics
      .createObservableGauge('provisionhub.runs', {
        description: 'Runs by status and blueprint',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        if (!gauges) {
          return;
        }
        const counts = new Map<string, number>();
        for (const row of gauges.runs) {
          const key = `${row.status} ${row.blueprint}`;
          counts.set(key, row.count);
          this.#runSeries.set(key, {
            status: row.status,
            blueprint: row.blueprint,
          });
        }
        for (const [key, attributes] of this.#runSeries) {
          result.observe(counts.get(key) ?? 0, attributes);
        }
      });
    metrics
      .createObservableGauge('provisionhub.outbox.size', {
        description: 'Messages in the outbox, waiting to be published',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        if (gauges) {
          result.observe(gauges.outboxSize);
        }
      });
    metrics
      .createObservableGauge('provisionhub.outbox.lag', {
        description:
          'Age of the oldest message waiting in the outbox (0 when it is empty)',
        unit: 's',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        if (gauges) {
          result.observe(
            gauges.oldestOutboxAt
              ? Math.max(
                  0,
                  (Date.now() - Date.parse(gauges.oldestOutboxAt)) / 1000,
                )
              : 0,
          );
        }
      });
    metrics
      .createObservableGauge('provisionhub.events.pending', {
        description:
          'Run events that arrived out of order and wait for the events before them',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        if (gauges) {
          result.observe(gauges.pendingEvents);
        }
      });
    metrics
      .createObservableGauge('provisionhub.dead_letters', {
        description: 'Dead letters in the dead-letter console',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        if (gauges) {
          result.observe(gauges.deadLetters);
        }
      });
    const queueLabels: Array<[string, string]> = [
      ['jobs', jobsQueue],
      ['events', eventsQueue],
      ['requests', requestsQueue],
      ['dead-letter', deadLetterQueue],
    ];
    metrics
      .createObservableGauge('provisionhub.queue.depth', {
        description: 'Messages ready in the RabbitMQ queues, by queue',
      })
      .addCallback(async result => {
        const gauges = await this.#gauges();
        for (const [label, queue] of queueLabels) {
          const depth = gauges?.queues[queue];
          if (depth !== undefined) {
            result.observe(depth, { queue: label });
          }
        }
      });
  }

  /** After a run changed: a run that ended records how long it ran. */
  runChanged(run: RunRecord, statusChanged: boolean): void {
    if (!statusChanged || !ENDED.has(run.status) || !run.startedAt) {
      return;
    }
    const seconds =
      (Date.parse(run.finishedAt ?? run.updatedAt) -
        Date.parse(run.startedAt)) /
      1000;
    if (seconds >= 0) {
      this.#runDuration.record(seconds, {
        status: run.status,
        blueprint: run.blueprint.name,
      });
    }
  }

  /** After a batch of run events was applied. */
  eventsApplied(applied: number, seconds: number): void {
    this.#eventsApplied.add(applied);
    this.#applyDuration.record(seconds);
  }

  /** One read of the database and the broker for every gauge of a collection. */
  async #gauges(): Promise<Gauges | undefined> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at > GAUGE_CACHE_MS) {
      this.#cached = { at: now, gauges: this.#read() };
    }
    try {
      return await this.#cached.gauges;
    } catch (error) {
      this.#cached = undefined;
      this.#logger.warn(
        `Could not read the control plane's gauges: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }
}
