import type { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  DECOMMISSIONED_ENTITY_TOPIC,
  DecommissionedEntityEvent,
  PROVISIONED_ENTITY_TOPIC,
  ProvisionedEntityEvent,
  RunChangedSignal,
  describePolicyDecision,
  entitySignalChannel,
} from '@provisionhub/plugin-provisionhub-common';
import type { RunRecord } from '../database/RunStore';

const ENDED_TITLES: Partial<
  Record<RunRecord['status'], { verb: string; severity: 'normal' | 'high' }>
> = {
  succeeded: { verb: 'succeeded', severity: 'normal' },
  failed: { verb: 'failed', severity: 'high' },
  rejected: { verb: 'was rejected', severity: 'high' },
  cancelled: { verb: 'was cancelled', severity: 'normal' },
};

/**
 * Tells the outside world about run changes after they are committed: a signal on the entity's
 * channel, a notification to the requester when a run ends (and to the approvers
 * when one waits), and the provisioned entity on the events service.
 *
 * Everything is sent in the background, so the pipeline never waits for it. Signals are
 * coalesced: a run that changes many times while the previous signals are being sent gets one
 * signal with its latest state (what a page needs to re-read it). Delivery problems are logged
 * and never undo or fail the change itself.
 * @internal
 */
export class RunNotifier {
  readonly #signals: SignalsService;
  readonly #notifications: NotificationService;
  readonly #events: EventsService;
  readonly #logger: LoggerService;
  readonly #runPageUrl: (runId: string) => string;
  /** Latest state of each run whose signal is not sent yet. */
  readonly #unsignalled = new Map<string, RunRecord>();
  #signalling: Promise<void> | undefined;
  readonly #sending = new Set<Promise<void>>();

  constructor(options: {
    signals: SignalsService;
    notifications: NotificationService;
    events: EventsService;
    logger: LoggerService;
    /** The link notifications carry to a run's page. */
    runPageUrl(runId: string): string;
  }) {
    this.#signals = options.signals;
    this.#notifications = options.notifications;
    this.#events = options.events;
    this.#logger = options.logger;
    this.#runPageUrl = options.runPageUrl;
  }

  /**
   * @param statusChanged - the run's status changed in this change (a notification may be due)
   * @param previousStatus - the status before the change (undefined for a new run)
   */
  runChanged(
    run: RunRecord,
    statusChanged: boolean,
    previousStatus?: RunRecord['status'],
  ): void {
    this.#unsignalled.set(run.id, run);
    this.#signalling ??= this.#sendSignals();
    if (statusChanged) {
      this.#track(this.#notify(run, previousStatus));
    }
  }

  entityProvisioned(event: ProvisionedEntityEvent): void {
    this.#track(
      this.#guard('provisioned entity event', () =>
        this.#events.publish({
          topic: PROVISIONED_ENTITY_TOPIC,
          eventPayload: event,
        }),
      ),
    );
  }

  entityDecommissioned(event: DecommissionedEntityEvent): void {
    this.#track(
      this.#guard('decommissioned entity event', () =>
        this.#events.publish({
          topic: DECOMMISSIONED_ENTITY_TOPIC,
          eventPayload: event,
        }),
      ),
    );
  }

  /** Resolves when everything handed over so far was sent (or failed and was logged). */
  async flush(): Promise<void> {
    while (this.#signalling || this.#sending.size) {
      await Promise.all([this.#signalling, ...this.#sending]);
    }
  }

  #track(sending: Promise<void>) {
    this.#sending.add(sending);
    sending.finally(() => this.#sending.delete(sending));
  }

  async #sendSignals(): Promise<void> {
    // Let the changes committed in this tick join the first round.
    await new Promise(resolve => setImmediate(resolve));
    while (this.#unsignalled.size) {
      const runs = [...this.#unsignalled.values()];
      this.#unsignalled.clear();
      await Promise.all(runs.map(run => this.#signal(run)));
    }
    this.#signalling = undefined;
  }

  #signal(run: RunRecord): Promise<void> {
    const message: RunChangedSignal = {
      runId: run.id,
      entityRef: run.entityRef,
      status: run.status,
      lastLogSeq: run.lastLogSeq,
    };
    return this.#guard('signal', () =>
      this.#signals.publish({
        recipients: { type: 'broadcast' },
        channel: entitySignalChannel(run.entityRef),
        message: { ...message },
      }),
    );
  }

  async #notify(run: RunRecord, previousStatus?: RunRecord['status']) {
    const link = this.#runPageUrl(run.id);
    const what = subjectOf(run);
    const ended = ENDED_TITLES[run.status];
    if (ended && isUserRef(run.requestedBy)) {
      const details: Partial<Record<RunRecord['status'], string | undefined>> =
        {
          failed: run.error?.message,
          rejected: run.rejectionReason,
          succeeded:
            run.outputs?.mergeRequestUrl ??
            (run.outputs?.branch
              ? `branch ${run.outputs.branch} of ${run.outputs.repoUrl}`
              : run.outputs?.repoUrl),
        };
      const detail = details[run.status];
      await this.#guard('notification', () =>
        this.#notifications.send({
          recipients: { type: 'entity', entityRef: run.requestedBy },
          payload: {
            title: `Provisioning of ${what} ${ended.verb}`,
            description:
              detail ??
              `Run ${run.id} of blueprint ${run.blueprint.name}@${run.blueprint.version}`,
            link,
            severity: ended.severity,
            topic: 'provisionhub',
            scope: `provisionhub:run:${run.id}`,
          },
        }),
      );
    }
    const approvers = run.policy?.approvers?.groups ?? [];
    if (run.status === 'awaiting_approval' && approvers.length) {
      await this.#guard('notification', () =>
        this.#notifications.send({
          recipients: { type: 'entity', entityRef: [...approvers] },
          payload: {
            title: `Approval needed: ${what}`,
            description: `${run.requestedBy} asked for ${what} from blueprint ${
              run.blueprint.name
            }@${run.blueprint.version}: ${describePolicyDecision(run.policy!)}`,
            link,
            severity: 'normal',
            topic: 'provisionhub',
            scope: `provisionhub:approval:${run.id}`,
          },
        }),
      );
    }
    if (
      previousStatus === 'awaiting_approval' &&
      run.status === 'queued' &&
      isUserRef(run.requestedBy)
    ) {
      await this.#guard('notification', () =>
        this.#notifications.send({
          recipients: { type: 'entity', entityRef: run.requestedBy },
          payload: {
            title: `Provisioning of ${what} was approved`,
            description: `Run ${run.id} is queued for the workers`,
            link,
            severity: 'normal',
            topic: 'provisionhub',
            scope: `provisionhub:run:${run.id}`,
          },
        }),
      );
    }
  }

  async #guard(what: string, send: () => Promise<void>) {
    try {
      await send();
    } catch (error) {
      this.#logger.warn(
        `Could not send a ${what}: ${(error as Error).message}`,
      );
    }
  }
}

function isUserRef(ref: string) {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'user';
  } catch {
    return false;
  }
}

/** What a run does, for a notification's title. */
function subjectOf(run: RunRecord): string {
  if (run.kind === 'upgrade') {
    return `the upgrade of component ${run.name} to ${run.blueprint.version}`;
  }
  if (run.kind === 'decommission') {
    return `the decommission of ${run.entityRef}`;
  }
  return `${run.kind} ${run.name}`;
}
