import type { DeploymentOutput, JobDeployment } from '../environments';
import type { JsonObject } from '@backstage/types';
import type {
  BlueprintChangelogEntry,
  CreateRunKind,
  LogLevel,
  RunRequest,
  ValueChange,
} from '../types';

/**
 * A request for a new run, published by the scaffolder actions (or any client) to the requests queue.
 * `runId` is chosen by the publisher, so a request delivered twice makes one run.
 * @public
 */
export interface RunRequestedMessage {
  kind: 'run.requested';
  version: 1;
  runId: string;
  requestedBy: string;
  requestedAt: string;
  request: RunRequest;
  /**
   * The publisher checked `provisionhub.admin` with the requester's own credentials and it was
   * allowed, so the control plane's ownership checks do not apply. Only backends that authorize
   * their callers may publish to the requests queue (see the backend README).
   */
  requesterIsAdmin?: boolean;
  /** Where the request came from, e.g. `{ type: 'scaffolder', id: '<task id>' }`. */
  source?: { type: string; id?: string };
}

/**
 * An extra step a blueprint declares, run after the push.
 * @public
 */
export type BlueprintStepSpec = {
  id: string;
  /** The step implementation; the worker knows `gitops`. */
  type: string;
  title?: string;
  input?: JsonObject;
};

/**
 * A folder of blueprint files and where it lands in the rendered repository.
 * @public
 */
export interface ResolvedFileSource {
  /** `file:<absolute folder>` or a URL that a Backstage UrlReader can read as a tree. */
  location: string;
  /** Folder inside the repository, `''` for the root. */
  target: string;
}

/**
 * What an upgrade job adds to a job: the component's current blueprint version and values (the
 * common ancestor of the three-way merge) and where the result goes.
 * @public
 */
export interface JobUpgrade {
  /** The component's current blueprint version, pinned. */
  from: {
    name: string;
    version: string;
    digest: string;
    files: ResolvedFileSource[];
    /** The values the component was rendered with. */
    values: JsonObject;
  };
  /** The branch the upgrade is pushed to; never the default branch. */
  branch: string;
  /** The values that differ from `from.values`. */
  changedValues: ValueChange[];
  /** The versions after `from` up to the target, newest first. */
  changelog: BlueprintChangelogEntry[];
}

/**
 * What a decommission job adds to a job: the repository is archived instead of created.
 * @public
 */
export interface JobDecommission {
  /** Why, as the requester said it. */
  reason?: string;
}

/**
 * Work for the worker fleet: everything needed to execute one run, pinned and self-contained.
 * Without `upgrade` the job creates `run`'s repository; with it, the job proposes `blueprint`
 * (the target version, with `run.values`) to the existing repository through a branch.
 * @public
 */
export interface JobMessage {
  kind: 'job';
  version: 1;
  runId: string;
  /** 1 for the first attempt; a retry (automatic or operator re-drive) publishes attempt + 1. */
  attempt: number;
  /** The last attempt the worker may make before dead-lettering the job. */
  maxAttempt: number;
  requestedAt: string;
  requestedBy: string;
  run: {
    /** The kind of entity rendered (an upgrade job renders its component). */
    kind: CreateRunKind;
    name: string;
    owner: string;
    system?: string;
    entityRef: string;
    /** Values after defaults were applied and the schema check passed. */
    values: JsonObject;
  };
  blueprint: {
    name: string;
    version: string;
    type: string;
    digest: string;
    /** Where the blueprint's files are, already resolved against the blueprint's catalog location. */
    files: ResolvedFileSource[];
    steps: BlueprintStepSpec[];
    /** Path of the catalog descriptor inside the rendered repository. */
    catalogInfoPath: string;
  };
  /** Repository path relative to the provider base, see `repositoryPathFor`. */
  repository: { path: string; description: string };
  /** Present on the jobs of `upgrade` runs. */
  upgrade?: JobUpgrade;
  /**
   * Present on the jobs of `decommission` runs: the repository at `repository.path` is archived;
   * `blueprint` is the version the entity runs, for the record (nothing is rendered).
   */
  decommission?: JobDecommission;
  /**
   * What the job writes to the GitOps repository: on component jobs of a portal with
   * `provisionhub.gitops`, and on `promote` jobs (which write nothing else).
   */
  deploy?: JobDeployment;
}

/** @public */
export interface RunEventLogLine {
  at: string;
  step?: string;
  level: LogLevel;
  message: string;
}

/**
 * What happened during an execution, as reported by a worker.
 * @public
 */
export type RunEventBody =
  | { type: 'run.started'; workerId: string }
  | { type: 'step.started'; step: string }
  | {
      type: 'step.finished';
      step: string;
      status: 'succeeded' | 'skipped';
      durationMs: number;
      detail?: string;
    }
  | {
      type: 'step.failed';
      step: string;
      durationMs: number;
      error: string;
      retryable: boolean;
    }
  | { type: 'log'; lines: RunEventLogLine[] }
  | {
      type: 'run.retrying';
      error: string;
      nextAttempt: number;
      delayMs: number;
    }
  | {
      type: 'run.succeeded';
      outputs: {
        repoUrl: string;
        defaultBranch: string;
        entityRef: string;
        /**
         * The catalog entity descriptor the repository carries (catalog-info.yaml); absent on
         * decommission jobs, whose entity leaves the catalog.
         */
        entity?: JsonObject;
        /** Upgrade jobs: the branch pushed. */
        branch?: string;
        /** Upgrade jobs on GitLab: the merge request opened for `branch`. */
        mergeRequestUrl?: string;
        /** Decommission jobs: the repository is archived (or was already). */
        archived?: boolean;
        /** What the job wrote to the GitOps repository, per environment. */
        deployments?: DeploymentOutput[];
      };
    }
  | {
      type: 'run.failed';
      error: string;
      step?: string;
      retryable: boolean;
      deadLettered: boolean;
    }
  | { type: 'run.cancelled'; step?: string };

/** @public */
export type RunEventType = RunEventBody['type'];

/**
 * One event of one execution of a run. Events are ordered by `(attempt, delivery, seq)`:
 * `attempt` is the job's attempt, `delivery` counts broker redeliveries of that job
 * (the quorum queue's `x-delivery-count`), `seq` starts at 1 for every delivery.
 * @public
 */
export interface RunEventMessage {
  kind: 'run.event';
  version: 1;
  runId: string;
  attempt: number;
  delivery: number;
  seq: number;
  at: string;
  event: RunEventBody;
}

/**
 * Broadcast to every worker: stop working on this run.
 * @public
 */
export interface RunCancelMessage {
  kind: 'run.cancel';
  version: 1;
  runId: string;
}

/** @public */
export type ProvisionHubMessage =
  | RunRequestedMessage
  | JobMessage
  | RunEventMessage
  | RunCancelMessage;

/** @public */
export type ProvisionHubMessageKind = ProvisionHubMessage['kind'];
