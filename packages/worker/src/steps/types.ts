import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type {
  BlueprintStepSpec,
  DeploymentOutput,
  JobMessage,
} from '@provisionhub/plugin-provisionhub-common';
import type {
  BlueprintFile,
  RenderLimits,
  RenderedFile,
} from '@provisionhub/plugin-provisionhub-node';
import type { BlueprintCache } from '../blueprints/BlueprintCache';
import type { GitOptions } from '../config';
import type { GitProvider, ProvisionedRepository } from '../git/GitProvider';

/**
 * What a step did. `skipped` means its effect already existed (an earlier delivery did it).
 * @public
 */
export interface StepResult {
  status: 'succeeded' | 'skipped';
  detail?: string;
}

/**
 * What the steps of one delivery hand to each other. Every delivery starts empty: steps redo
 * the cheap, deterministic work (fetch, render) and skip side effects that already exist.
 * @public
 */
export interface RunState {
  files?: BlueprintFile[];
  rendered?: RenderedFile[];
  repository?: ProvisionedRepository;
  /** What `create-repository` did: `reused` means an earlier delivery may have pushed already. */
  repositoryOutcome?: 'created' | 'reused' | 'external';
  /** The run's commit on the default branch. */
  commit?: string;
  /** Upgrade runs: the component's current blueprint version, and its render with its values. */
  baseFiles?: BlueprintFile[];
  baseRendered?: RenderedFile[];
  /** Upgrade runs: what `merge` made (or found on the branch), `push` and `merge-request` did. */
  upgrade?: {
    /** The scratch repository that holds `commit`. */
    dir: string;
    commit: string;
    conflicts: string[];
    /** False: the default branch already has every change, there is nothing to propose. */
    changed: boolean;
    /** The branch holds the commit (an earlier delivery pushed it). */
    pushed: boolean;
    mergeRequestUrl?: string;
  };
  /** Decommission runs: the repository is archived now (false: it was gone already). */
  archived?: boolean;
  /** What the `deploy` step wrote to the GitOps repository, and that repository's page. */
  deployments?: DeploymentOutput[];
  gitopsUrl?: string;
  outputs?: {
    repoUrl: string;
    defaultBranch: string;
    entityRef: string;
    /** Absent on decommission runs. */
    entity?: JsonObject;
    branch?: string;
    mergeRequestUrl?: string;
    archived?: boolean;
    deployments?: DeploymentOutput[];
  };
}

/** @public */
export interface StepHelpers {
  /** Writes to the run's log (sent as `log` events) and to the worker's log. */
  logger: LoggerService;
  /** Aborted when the run is cancelled or the worker shuts down. */
  signal: AbortSignal;
  /** A fresh folder for this delivery, removed afterwards. */
  workspace: string;
  state: RunState;
  provider: GitProvider;
  git: GitOptions;
  blueprints: BlueprintCache;
  /** Limits of the render sandbox; the node package's defaults when absent. */
  renderLimits?: RenderLimits;
  urlReader: Pick<UrlReaderService, 'readTree'>;
  /** Redacted from anything that leaves the process. */
  secrets: readonly string[];
  /** The blueprint step being run (blueprint steps only). */
  step?: BlueprintStepSpec;
}

/**
 * A step: a plain function of the job and the helpers.
 * @public
 */
export type StepFunction = (
  job: JobMessage,
  helpers: StepHelpers,
) => Promise<StepResult>;
