import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JobMessage } from '@provisionhub/plugin-provisionhub-common';
import type {
  BrokerConsumer,
  DeliveryContext,
  HandlerResult,
  ProvisionHubBroker,
} from '@provisionhub/plugin-provisionhub-node';
import { AbortReason, RunJobDependencies, runJob } from './runJob';

/**
 * After aborting the runs still in flight at the shutdown timeout, the worker waits this long
 * for them. A deployment's grace period must cover `shutdownTimeoutMs` plus this.
 * @public
 */
export const ABORT_GRACE_MS = 10000;

/** @public */
export interface WorkerDependencies extends Omit<RunJobDependencies, 'broker'> {
  broker: ProvisionHubBroker;
  concurrency: number;
  shutdownTimeoutMs: number;
  logger: LoggerService;
}

/**
 * Consumes jobs (prefetch = concurrency) and run cancellations, and drains on stop.
 * @public
 */
export class Worker {
  readonly #options: WorkerDependencies;
  readonly #runs = new Map<string, Set<AbortController>>();
  #jobs?: BrokerConsumer;
  #control?: BrokerConsumer;
  #stopping?: Promise<void>;

  static async start(options: WorkerDependencies): Promise<Worker> {
    const worker = new Worker(options);
    await worker.#start();
    return worker;
  }

  private constructor(options: WorkerDependencies) {
    this.#options = options;
  }

  get id(): string {
    return this.#options.workerId;
  }

  /** Runs being worked on right now. */
  inFlight(): number {
    return this.#jobs?.inFlight() ?? 0;
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** True while subscribed to the jobs queue and to this worker's control queue. */
  isConsuming(): boolean {
    return (
      (this.#jobs?.isConsuming() ?? false) &&
      (this.#control?.isConsuming() ?? false)
    );
  }

  /**
   * Stops taking jobs, lets the ones in flight finish for up to `shutdownTimeoutMs`, then aborts
   * the rest: they stop at their next step boundary and go back to the queue. Safe to call twice.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** Aborts every run now (they are requeued); used on a second shutdown signal. */
  abortAll(): void {
    this.#abortAll('shutdown');
  }

  async #start() {
    const { broker, logger } = this.#options;
    this.#control = await broker.consumeControl(this.id, async message => {
      const controllers = this.#runs.get(message.runId);
      if (controllers) {
        logger.info(`Cancelling run ${message.runId} as requested`);
        controllers.forEach(c => c.abort('cancelled' satisfies AbortReason));
      }
    });
    this.#jobs = await broker.consume(
      broker.names.jobsQueue,
      ['job'],
      (job, delivery) => this.#handle(job, delivery),
      { prefetch: this.#options.concurrency },
    );
    logger.info(
      `Worker ${this.id} is consuming ${
        broker.names.jobsQueue
      } with concurrency ${this.#options.concurrency}`,
    );
  }

  async #handle(
    job: JobMessage,
    delivery: DeliveryContext,
  ): Promise<HandlerResult> {
    if (this.#stopping) {
      // Delivered while the consumer was being cancelled: leave it to another worker untouched.
      return { requeue: true };
    }
    const controller = new AbortController();
    const controllers = this.#runs.get(job.runId) ?? new Set();
    controllers.add(controller);
    this.#runs.set(job.runId, controllers);
    try {
      return await runJob(job, delivery, controller.signal, this.#options);
    } finally {
      controllers.delete(controller);
      if (controllers.size === 0) {
        this.#runs.delete(job.runId);
      }
    }
  }

  #abortAll(reason: AbortReason) {
    for (const controllers of this.#runs.values()) {
      controllers.forEach(c => c.abort(reason));
    }
  }

  async #stop() {
    const { logger, shutdownTimeoutMs } = this.#options;
    await this.#jobs
      ?.cancel()
      .catch(error =>
        logger.warn(
          `Could not cancel the job consumer: ${(error as Error).message}`,
        ),
      );
    const inFlight = this.inFlight();
    if (inFlight > 0) {
      logger.info(
        `Stopped taking jobs; waiting up to ${shutdownTimeoutMs} ms for ${inFlight} in-flight run(s)`,
      );
    }
    const drained = this.#jobs?.drain() ?? Promise.resolve();
    if (!(await settlesWithin(drained, shutdownTimeoutMs))) {
      logger.warn(
        `${this.inFlight()} run(s) did not finish within ${shutdownTimeoutMs} ms; aborting them, they go back to the queue`,
      );
      this.#abortAll('shutdown');
      if (!(await settlesWithin(drained, ABORT_GRACE_MS))) {
        logger.warn(
          `${this.inFlight()} run(s) are stuck in a step; closing the connection returns them to the queue`,
        );
      }
    }
    await this.#control?.cancel().catch(() => undefined);
  }
}

async function settlesWithin(
  promise: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>(resolve => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
