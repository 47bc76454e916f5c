import type { Entity } from '@backstage/catalog-model';
import type {
  CreateRunKind,
  DeploymentOutput,
  JobDecommission,
  JobDeployment,
  JobMessage,
  JobUpgrade,
  Page,
  ProvisionedComponent,
  ProvisionedSystem,
  Run,
  RunError,
  RunEventMessage,
  RunKind,
  RunLogLine,
  RunLogsPage,
  RunApproval,
  RunOutputs,
  RunStatus,
  RunStep,
  RunTransition,
} from '@provisionhub/plugin-provisionhub-common';

/**
 * Position of a run event: `(attempt, delivery, seq)`, compared in that order.
 * @internal
 */
export interface EventKey {
  attempt: number;
  delivery: number;
  seq: number;
}

/**
 * The pinned blueprint part of a run's job, kept so that retries and approvals publish the
 * exact same blueprint without asking the catalog again.
 * @internal
 */
export type RunBlueprintJob = JobMessage['blueprint'] & {
  /** Lifecycle written on the provisioned entity. */
  lifecycle: string;
};

/**
 * A run as stored: the API's {@link Run} plus what only the control plane needs.
 * @internal
 */
export interface RunRecord
  extends Omit<
    Run,
    | 'steps'
    | 'history'
    | 'approvals'
    | 'canCancel'
    | 'canRetry'
    | 'canApprove'
    | 'approvalBlockedReason'
    | 'upgrade'
    | 'promotion'
  > {
  maxAttempt: number;
  /** Upgrade runs: what their job needs besides the target blueprint. */
  upgrade?: JobUpgrade;
  /** Decommission runs: the reason. */
  decommission?: JobDecommission;
  /** What the run writes to the GitOps repository, resolved when it was requested. */
  deploy?: JobDeployment;
  requestedAt: string;
  source?: string;
  blueprintJob?: RunBlueprintJob;
  eventCursor: EventKey;
  lastLogSeq: number;
}

/**
 * The fields of a run that change after it was created.
 * @internal
 */
export interface RunPatch {
  status?: RunStatus;
  attempt?: number;
  maxAttempt?: number;
  error?: RunError | null;
  rejectionReason?: string | null;
  outputs?: RunOutputs | null;
  eventCursor?: EventKey;
  lastLogSeq?: number;
  startedAt?: string | null;
  finishedAt?: string | null;
  approvalExpiresAt?: string | null;
  updatedAt: string;
}

/** @internal */
export interface StepPatch {
  status: RunStep['status'];
  attempt?: number;
  startedAt?: string | null;
  finishedAt?: string | null;
  durationMs?: number | null;
  detail?: string | null;
  error?: string | null;
}

/**
 * Filters of `GET /runs`, plus the access filter derived from conditional permissions.
 * @internal
 */
export interface RunListQuery {
  status?: RunStatus[];
  kind?: RunKind;
  system?: string;
  requestedBy?: string;
  entityRef?: string;
  limit: number;
  cursor?: string;
  access?: RunAccessFilter;
}

/**
 * What a conditional `provisionhub.run.read` decision allows, as a query the store can run.
 * @public
 */
export type RunAccessFilter =
  | { allOf: RunAccessFilter[] }
  | { anyOf: RunAccessFilter[] }
  | { not: RunAccessFilter }
  | { requestedBy: string[] }
  | { owner: string[] };

/**
 * What the dead-letter console keeps of a dead letter: where, why and when it died, and which
 * run and attempt it belongs to. The body itself is not kept.
 * @internal
 */
export interface DeadLetterRecord {
  queue: string;
  reason: string;
  kind?: string;
  valid: boolean;
  runId?: string;
  attempt?: number;
  bytes: number;
  deaths: number;
  firstDeathAt: string;
  lastDeathAt: string;
}

/** @internal */
export interface StoredDeadLetter extends DeadLetterRecord {
  id: string;
}

/** What a retention pass deleted. @internal */
export interface PruneResult {
  logLines: number;
  pendingEvents: number;
}

/** What the control plane's metrics read from the database. @internal */
export interface StoreGauges {
  runs: Array<{ status: RunStatus; blueprint: string; count: number }>;
  outboxSize: number;
  /** When the oldest outbox row was written; absent when the outbox is empty. */
  oldestOutboxAt?: string;
  pendingEvents: number;
  deadLetters: number;
}

/** @internal */
export type OutboxTopic = 'job' | 'run.cancel';

/** @internal */
export interface OutboxEntry {
  id: number;
  runId?: string;
  topic: OutboxTopic;
  payload: object;
  attempts: number;
}

/** @internal */
export interface ProvisionedRecord {
  kind: CreateRunKind;
  name: string;
  system?: string;
  type: string;
  owner: string;
  entityRef: string;
  blueprint: Run['blueprint'];
  repoUrl: string;
  defaultBranch: string;
  runId: string;
  entity: Entity;
  at: string;
}

/**
 * What one run wrote for one environment, as stored.
 * @internal
 */
export interface DeploymentRecord extends DeploymentOutput {
  runId: string;
  updatedAt: string;
}

/**
 * Everything that must change together in one database transaction.
 * @internal
 */
export interface RunStoreTransaction {
  /** Reads a run and locks it until the transaction ends (PostgreSQL; SQLite serializes writers). */
  lockRun(id: string): Promise<RunRecord | undefined>;
  insertRun(
    run: RunRecord,
    steps: Array<{ id: string; title: string }>,
  ): Promise<void>;
  updateRun(id: string, patch: RunPatch): Promise<void>;
  /** Appends entries to the run's history, in the order given, in one statement. */
  addTransition(runId: string, ...transitions: RunTransition[]): Promise<void>;
  updateStep(runId: string, stepId: string, patch: StepPatch): Promise<void>;
  /** Puts every step that has not succeeded or been skipped back to `pending`. */
  resetUnfinishedSteps(runId: string): Promise<void>;
  /** Marks running and pending steps `cancelled`. */
  cancelOpenSteps(runId: string, at: string): Promise<void>;
  /** Marks running steps `failed` with `error`. */
  failRunningSteps(runId: string, at: string, error: string): Promise<void>;
  /** Removes a dead letter; false when it is gone already (re-driven or purged meanwhile). */
  deleteDeadLetter(id: string): Promise<boolean>;
  appendLogLines(runId: string, lines: RunLogLine[]): Promise<void>;
  /** Keeps an event that arrived ahead of a gap; a duplicate is ignored. */
  bufferEvent(message: RunEventMessage, receivedAt: string): Promise<void>;
  /** Whether events of the run wait in the buffer. */
  hasBufferedEvents(runId: string): Promise<boolean>;
  /** Removes and returns the buffered event at exactly `key`. */
  takeBufferedEvent(
    runId: string,
    key: EventKey,
  ): Promise<RunEventMessage | undefined>;
  /** Drops buffered events of executions older than `key`'s. */
  dropBufferedEventsBefore(runId: string, key: EventKey): Promise<void>;
  /**
   * Adds an outbox message. With `lease`, the row is created already claimed by the caller, so it
   * can publish right after commit without another round trip and no other replica takes it.
   */
  enqueueOutbox(entry: {
    runId?: string;
    topic: OutboxTopic;
    payload: object;
    lease?: { token: string; until: string };
  }): Promise<number>;
  recordProvisioned(record: ProvisionedRecord): Promise<void>;
  /**
   * Marks a system or component decommissioned by `runId` at `at`; its row stays. A row that is
   * decommissioned already keeps its first run and time.
   */
  markDecommissioned(record: {
    kind: CreateRunKind;
    name: string;
    runId: string;
    at: string;
  }): Promise<void>;
  addApproval(runId: string, approval: RunApproval): Promise<void>;
  getApprovals(runId: string): Promise<RunApproval[]>;
  /**
   * Records what a run wrote to the GitOps repository: per environment, the committed version
   * (which also ends a proposal of the same or an older run) or the proposed one.
   */
  recordDeployments(record: {
    kind: CreateRunKind;
    name: string;
    runId: string;
    at: string;
    deployments: DeploymentOutput[];
  }): Promise<void>;
}

/**
 * Persistence of runs, steps, logs, history, provisioned systems and components, and the outbox.
 * Routes and services use this interface; only its implementation knows SQL.
 * @internal
 */
export interface RunStore {
  transaction<T>(fn: (tx: RunStoreTransaction) => Promise<T>): Promise<T>;

  getRun(id: string): Promise<RunRecord | undefined>;
  getRuns(ids: string[]): Promise<RunRecord[]>;
  getRunSteps(runId: string): Promise<RunStep[]>;
  getRunHistory(runId: string): Promise<RunTransition[]>;
  getApprovals(runId: string): Promise<RunApproval[]>;
  /** Ids of runs still awaiting approval whose wait ended before `now`. */
  listExpiredApprovals(now: string, limit: number): Promise<string[]>;
  listRuns(query: RunListQuery): Promise<Page<RunRecord>>;
  getRunLogs(
    runId: string,
    options: { after: number; limit: number },
  ): Promise<RunLogsPage>;

  /** Why `name` cannot be used for a new run of `kind`, or undefined when it is free. */
  findNameConflict(
    kind: CreateRunKind,
    name: string,
    entityRef: string,
  ): Promise<string | undefined>;
  /** True when the run is in a status that claims its entity (see the partial unique index). */
  isActiveRunConflict(error: unknown): boolean;

  listSystems(): Promise<ProvisionedSystem[]>;
  getSystem(name: string): Promise<ProvisionedSystem | undefined>;
  /** Live and decommissioned components, by name. */
  listComponents(query: { system?: string }): Promise<ProvisionedComponent[]>;
  getComponent(name: string): Promise<ProvisionedComponent | undefined>;
  /** What runs wrote to the GitOps repository for a system or component. */
  listDeployments(
    kind: CreateRunKind,
    name: string,
  ): Promise<DeploymentRecord[]>;
  /** How many live provisioned systems and components run each version of a blueprint. */
  countByBlueprintVersion(blueprint: string): Promise<Record<string, number>>;
  /** The entities of live systems and components: what the catalog should hold. */
  listProvisionedEntities(): Promise<Entity[]>;

  /** Claims up to `limit` unleased outbox rows (or rows whose lease expired) for `leaseMs`. */
  claimOutbox(options: {
    token: string;
    leaseMs: number;
    limit: number;
  }): Promise<OutboxEntry[]>;
  /** Gives a row back after a failed publish, so the next poll retries it. */
  releaseOutbox(id: number, error: string): Promise<void>;
  deleteOutbox(id: number): Promise<void>;
  countOutbox(): Promise<number>;

  /**
   * Keeps a dead letter. A dead letter of the same queue, run and attempt as one already kept
   * (the same job dead-lettered again) adds its deaths to that one.
   * @returns the id of the dead letter
   */
  recordDeadLetter(record: DeadLetterRecord): Promise<string>;
  /** Newest death first. */
  listDeadLetters(
    limit: number,
  ): Promise<{ items: StoredDeadLetter[]; total: number }>;
  getDeadLetter(id: string): Promise<StoredDeadLetter | undefined>;
  /** Deletes the given dead letters, or all of them without `ids`; returns how many. */
  purgeDeadLetters(ids?: string[]): Promise<number>;

  /** Ids of `running` runs that have not changed since before `updatedBefore`, oldest first. */
  listStaleRunningRuns(updatedBefore: string, limit: number): Promise<string[]>;
  /** Counts for the metrics: runs by status and blueprint, outbox, buffered events, dead letters. */
  readGauges(): Promise<StoreGauges>;
  /**
   * Retention: deletes log lines written before `before` and events that have waited in the
   * out-of-order buffer since before it. Runs, steps and history are never deleted.
   */
  pruneBefore(before: string): Promise<PruneResult>;
}
