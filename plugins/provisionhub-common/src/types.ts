import type {
  ComponentEnvironment,
  DeploymentOutput,
  RunPromotion,
} from './environments';
import type { JsonObject, JsonValue } from '@backstage/types';
import type { PolicyDecision, RunApproval } from './policy';

/**
 * Every state a provisioning run can be in.
 * @public
 */
export const RUN_STATUSES = [
  'requested',
  'awaiting_approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
] as const;

/** @public */
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * States a run never leaves on its own (a failed run may still be retried by an operator).
 * @public
 */
export const TERMINAL_RUN_STATUSES: ReadonlyArray<RunStatus> = [
  'succeeded',
  'failed',
  'cancelled',
  'rejected',
];

/** @public */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

/**
 * What a run request creates: a System or a Component.
 * @public
 */
export const CREATE_RUN_KINDS = ['system', 'component'] as const;

/**
 * `system` or `component`.
 * @public
 */
export type CreateRunKind = (typeof CREATE_RUN_KINDS)[number];

/**
 * Every kind of run: the creating ones, `upgrade` (a provisioned component moved to another
 * blueprint version or other values through a branch and a merge request) and `decommission`
 * (a provisioned system or component retired: its repository archived, its entity removed from
 * the catalog, its history kept) and `promote` (a component's version moved from one
 * environment to the next in the GitOps repository).
 * @public
 */
export const RUN_KINDS = [
  ...CREATE_RUN_KINDS,
  'upgrade',
  'decommission',
  'promote',
] as const;

/** @public */
export type RunKind = (typeof RUN_KINDS)[number];

/**
 * What a developer asks for: a System or a Component built from a blueprint.
 * @public
 */
export interface RunRequest {
  kind: CreateRunKind;
  /** Name of the new system or component; see {@link validateResourceName}. */
  name: string;
  /** Entity ref of the owning group or user, e.g. `group:default/payments`. */
  owner: string;
  /** Name of the system a component belongs to (components only). */
  system?: string;
  /** Blueprint name, e.g. `node-backend`. */
  blueprint: string;
  /** Exact blueprint version; the latest one when absent. */
  version?: string;
  /** The environment the request is for, e.g. `production`; policy rules may match on it. */
  environment?: string;
  /** Values for the blueprint's parameters. */
  values: JsonObject;
}

/**
 * The blueprint version a run is pinned to.
 * @public
 */
export interface PinnedBlueprint {
  name: string;
  version: string;
  /** `sha256:<hex>` over the blueprint's files; see the node package's `computeBlueprintDigest`. */
  digest: string;
}

/** @public */
export const STEP_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'skipped',
  'failed',
  'cancelled',
] as const;

/** @public */
export type StepStatus = (typeof STEP_STATUSES)[number];

/** @public */
export interface RunStep {
  /** Stable identifier, e.g. `render`. */
  id: string;
  title: string;
  status: StepStatus;
  attempt?: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  detail?: string;
  error?: string;
}

/** @public */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** @public */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** @public */
export interface RunLogLine {
  /** Per-run, strictly increasing; use it as the `after` cursor. */
  seq: number;
  at: string;
  step?: string;
  level: LogLevel;
  message: string;
}

/**
 * Why a run failed, and what an operator can do about it.
 * @public
 */
export interface RunError {
  message: string;
  step?: string;
  /** The failure was transient: retrying may succeed. */
  retryable: boolean;
  /** The job ended in the dead-letter queue. */
  deadLettered: boolean;
}

/** @public */
export interface RunOutputs {
  repoUrl: string;
  defaultBranch: string;
  /** Ref of the catalog entity the run created (or upgraded), e.g. `component:default/payments-api`. */
  entityRef: string;
  /** Upgrade runs: the branch that holds the upgrade (never the default branch). */
  branch?: string;
  /** Upgrade runs on GitLab: the merge request of `branch`. */
  mergeRequestUrl?: string;
  /** What the run wrote to the GitOps repository, one entry per environment. */
  deployments?: DeploymentOutput[];
}

/**
 * One value a day-2 run changes: absent `from` means added, absent `to` means removed.
 * @public
 */
export interface ValueChange {
  /** The parameter's name. */
  key: string;
  /** The value before the change. */
  from?: JsonValue;
  /** The value after the change. */
  to?: JsonValue;
}

/**
 * What an `upgrade` run changes on its component.
 * @public
 */
export interface RunUpgrade {
  /** The blueprint version the component runs now; the run's `blueprint` is the target. */
  from: PinnedBlueprint;
  /** The branch the worker pushes, e.g. `provisionhub/upgrade-1.1.0`. */
  branch: string;
  /** The values that differ from the component's recorded ones. */
  changedValues: ValueChange[];
}

/**
 * What a `decommission` run retires, and why.
 * @public
 */
export interface RunDecommission {
  /** What the requester gave as the reason; written into the archived repository. */
  reason?: string;
}

/**
 * The body of `POST /components/{name}/decommission` and `POST /systems/{name}/decommission`.
 * @public
 */
export interface DecommissionRequest {
  /** Why it is retired (at most 2000 characters); recorded on the run and in the repository. */
  reason?: string;
}

/**
 * `live` until a decommission run succeeds; a `decommissioned` system or component keeps its
 * row and runs but has left the catalog and its repository is archived.
 * @public
 */
export type ProvisionedStatus = 'live' | 'decommissioned';

/**
 * One entry of a run's audit trail.
 * @public
 */
export interface RunTransition {
  status: RunStatus;
  at: string;
  /** Who or what caused it: a user entity ref, or `system:<part>` (e.g. `system:worker`). */
  actor: string;
  reason?: string;
}

/** @public */
export interface Run {
  id: string;
  kind: RunKind;
  name: string;
  owner: string;
  system?: string;
  /** The entity ref the run creates (or, for an upgrade, changes). */
  entityRef: string;
  environment?: string;
  blueprint: PinnedBlueprint;
  values: JsonObject;
  status: RunStatus;
  requestedBy: string;
  attempt: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: RunError;
  /** Why policy or an approver rejected the run. */
  rejectionReason?: string;
  outputs?: RunOutputs;
  /** Upgrade runs: from which version, to which branch, which values change. */
  upgrade?: RunUpgrade;
  /** Decommission runs: why. */
  decommission?: RunDecommission;
  /** Promote runs: which version goes from which environment to which. */
  promotion?: RunPromotion;
  /** What policy decided when the run was requested. */
  policy?: PolicyDecision;
  /** Approvals given so far (present on single-run reads). */
  approvals?: RunApproval[];
  /** When a run awaiting approval is rejected for lack of it. */
  approvalExpiresAt?: string;
  /** Present on single-run reads. */
  steps?: RunStep[];
  /** Present on single-run reads. */
  history?: RunTransition[];
  /** The actions the caller is allowed to take on this run right now. */
  canCancel?: boolean;
  canRetry?: boolean;
  /**
   * Whether the caller may approve or reject this run now; when not, `approvalBlockedReason`
   * says why (e.g. they requested it, or they are not in an approver group).
   */
  canApprove?: boolean;
  approvalBlockedReason?: string;
}

/**
 * A provisioned system (a group plus its system repository).
 * @public
 */
export interface ProvisionedSystem {
  name: string;
  owner: string;
  entityRef: string;
  blueprint: PinnedBlueprint;
  repoUrl?: string;
  runId: string;
  createdAt: string;
  /** Live components only: decommissioned ones are not counted. */
  componentCount?: number;
  /** `decommissioned` once a decommission run succeeded. */
  status: ProvisionedStatus;
  /** When its decommission run succeeded (ISO 8601). */
  decommissionedAt?: string;
  /** The decommission run that retired it. */
  decommissionRunId?: string;
}

/** @public */
export interface ProvisionedComponent {
  name: string;
  owner: string;
  system: string;
  entityRef: string;
  type: string;
  blueprint: PinnedBlueprint;
  repoUrl?: string;
  /** The run whose blueprint version and values the component has now. */
  runId: string;
  createdAt: string;
  /** `decommissioned` once a decommission run succeeded. */
  status: ProvisionedStatus;
  /** When its decommission run succeeded (ISO 8601). */
  decommissionedAt?: string;
  /** The decommission run that retired it. */
  decommissionRunId?: string;
}

/**
 * The changes one blueprint version brings (`spec.changelog` of its Blueprint entity).
 * @public
 */
export interface BlueprintChangelogEntry {
  /** The blueprint version the entry describes. */
  version: string;
  /** Markdown; empty when the version has no `spec.changelog`. */
  changes: string;
}

/**
 * Whether a newer usable version of a component's blueprint exists.
 * @public
 */
export interface ComponentUpgradeInfo {
  /** `latest` is newer than the component's version. */
  available: boolean;
  /** The newest usable version of the blueprint. */
  latest: string;
  /** The versions after the component's, up to `latest`, newest first. */
  changelog: BlueprintChangelogEntry[];
}

/**
 * A provisioned component as `GET /components/{name}` answers: with what an upgrade would bring.
 * @public
 */
export interface ProvisionedComponentDetails extends ProvisionedComponent {
  /** Absent when the blueprint is no longer in the catalog. */
  upgrade?: ComponentUpgradeInfo;
  /** One entry per configured environment (`provisionhub.environments`), in promotion order. */
  environments: ComponentEnvironment[];
}

/**
 * The body of `POST /components/{name}/upgrade`.
 * @public
 */
export interface UpgradeComponentRequest {
  /** The target blueprint version; the component's own version to change values only. */
  version: string;
  /** Values to change; the others keep what the component has (defaults fill new ones). */
  values?: JsonObject;
}

/** @public */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * A message that reached the dead-letter queue, as the dead-letter console lists it. The body is
 * not kept; a job is re-driven from its run's pinned blueprint.
 * @public
 */
export interface DeadLetter {
  /** Names it in `POST /dead-letters/{id}/redrive` and in a purge. */
  id: string;
  /** The queue it died in, e.g. `provisionhub.jobs`. */
  queue: string;
  /** Why: the consumer's reason, or what the broker recorded (e.g. the delivery limit). */
  reason: string;
  /** The `kind` its body named, when it named one. */
  kind?: string;
  /** The body is a valid ProvisionHub message. */
  valid: boolean;
  /** The run its body named. */
  runId?: string;
  /** The attempt of the run its body named. */
  attempt?: number;
  /** Size of the body in bytes. */
  bytes: number;
  /** How many times it was dead-lettered. */
  deaths: number;
  /** When it was first dead-lettered (ISO 8601). */
  firstDeathAt: string;
  /** When it was last dead-lettered (ISO 8601). */
  lastDeathAt: string;
  /** Only valid jobs of a run can be re-driven; anything else can only be purged. */
  redrivable: boolean;
}
