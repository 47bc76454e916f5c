import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** How a job ended, as counted by `provisionhub_worker_jobs_total`. @public */
export type JobOutcome =
  | 'succeeded'
  | 'failed'
  | 'retried'
  | 'dead_lettered'
  | 'cancelled'
  | 'requeued';

/**
 * The worker's Prometheus metrics, in a registry of its own (several workers in one test
 * process must not share counters).
 * @public
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly #jobs: Counter<'outcome'>;
  readonly #jobDuration: Histogram<'outcome'>;
  readonly #stepDuration: Histogram<'step' | 'status'>;
  readonly #inFlight: Gauge;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({
        register: this.registry,
        prefix: 'provisionhub_worker_',
      });
    }
    this.#jobs = new Counter({
      name: 'provisionhub_worker_jobs_total',
      help: 'Jobs handled, by outcome',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    this.#jobDuration = new Histogram({
      name: 'provisionhub_worker_job_duration_seconds',
      help: 'Time from taking a job to settling it, by outcome',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [this.registry],
    });
    this.#stepDuration = new Histogram({
      name: 'provisionhub_worker_step_duration_seconds',
      help: 'Step duration, by step (blueprint steps by type) and status',
      labelNames: ['step', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [this.registry],
    });
    this.#inFlight = new Gauge({
      name: 'provisionhub_worker_jobs_in_flight',
      help: 'Jobs being worked on right now',
      registers: [this.registry],
    });
  }

  jobStarted(): void {
    this.#inFlight.inc();
  }

  jobFinished(outcome: JobOutcome, seconds: number): void {
    this.#inFlight.dec();
    this.#jobs.inc({ outcome });
    this.#jobDuration.observe({ outcome }, seconds);
  }

  stepFinished(step: string, status: string, seconds: number): void {
    this.#stepDuration.observe({ step, status }, seconds);
  }
}
