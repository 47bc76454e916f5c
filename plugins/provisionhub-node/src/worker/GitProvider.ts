/**
 * A repository a run pushes to.
 * @public
 */
export interface ProvisionedRepository {
  /** Path relative to the provider's base, e.g. `payments/payments-api`. */
  path: string;
  /** What git pushes to and clones from; never contains credentials. */
  cloneUrl: string;
  /** Shown to people and reported as the run's `repoUrl`. */
  webUrl: string;
  /** Environment that gives git its credentials (`GIT_CONFIG_*`, never argv); empty when none. */
  gitEnv: Record<string, string>;
  /** Set when it is a bare repository on this machine: commits are written into it directly. */
  localPath?: string;
}

/**
 * What `create-repository` asks the provider for.
 * @public
 */
export interface EnsureRepositoryRequest {
  /** Path relative to the provider's base, e.g. `payments/payments-api`. */
  path: string;
  /** Human description; the provider appends the run marker. */
  description: string;
  /** The run that asks; a repository marked with it is this run's. */
  runId: string;
  /** `provisionhub.git.defaultBranch`. */
  defaultBranch: string;
  /** `provisionhub`, the blueprint name and the run kind, for providers that have topics. */
  topics: string[];
}

/**
 * What the provider did for `ensureRepository`.
 * @public
 */
export interface EnsureRepositoryResult {
  /** The run's repository. */
  repository: ProvisionedRepository;
  /** `created` now, `reused` (this run created it before), or `external` (not managed here). */
  outcome: 'created' | 'reused' | 'external';
  /** One line for the run log, e.g. `created GitHub repository acme/api`. */
  detail: string;
}

/**
 * A merge request an upgrade asks for.
 * @public
 */
export interface MergeRequestRequest {
  /** The repository the branch was pushed to. */
  repository: ProvisionedRepository;
  /** The pushed branch, e.g. `provisionhub/upgrade-1.1.0`. */
  sourceBranch: string;
  /** Where it should be merged: the repository's default branch. */
  targetBranch: string;
  /** The merge request's title. */
  title: string;
  /** Markdown; the provider appends the run marker. */
  description: string;
  /** The run that asks; a merge request marked with it is this run's. */
  runId: string;
}

/**
 * The merge request the provider opened or found.
 * @public
 */
export interface MergeRequestResult {
  /** The merge request's web page. */
  url: string;
  /** `reused`: this run opened it on an earlier delivery. */
  outcome: 'created' | 'reused';
}

/**
 * What a decommission asks the provider to do with a repository.
 * @public
 */
export interface ArchiveRepositoryRequest {
  /** The repository to archive. */
  repository: ProvisionedRepository;
  /** Its default branch (`provisionhub.git.defaultBranch`). */
  defaultBranch: string;
  /**
   * Markdown saying who retired it, when, why and by which run. Providers without archiving
   * commit it as `DECOMMISSIONED.md` on the default branch; the others may ignore it.
   */
  notice: string;
  /** The decommission run; providers that commit name it in the commit message. */
  runId: string;
  /** The author of a commit. */
  author: { name: string; email: string };
  /** The date of a commit (the run's `requestedAt`), so every attempt writes the same commit. */
  date: string;
  /** A fresh folder of this delivery the provider may clone into. */
  workspace: string;
  /** Aborted when the run is cancelled or the worker shuts down. */
  signal?: AbortSignal;
}

/**
 * What the provider did for `archiveRepository`.
 * @public
 */
export interface ArchiveRepositoryResult {
  /** `already-archived`: an earlier delivery (or someone else) archived it before. */
  outcome: 'archived' | 'already-archived';
  /** One line for the run log, e.g. `archived GitLab project acme/payments/api`. */
  detail: string;
}

/**
 * Where repositories are created and pushed to. One implementation per name in
 * `provisionhub.git.provider`; worker modules add more with `env.registerGitProvider`.
 * @public
 */
export interface GitProvider {
  /** The name it was registered under, e.g. `git` or `gitlab`. */
  readonly type: string;
  /**
   * Creates the run's repository, or finds the one this run created on an earlier delivery
   * (the run marker at the end of its description, see {@link describeForRun}). A path that
   * belongs to anything else is a PermanentError ("path taken").
   */
  ensureRepository(
    request: EnsureRepositoryRequest,
  ): Promise<EnsureRepositoryResult>;
  /** A repository many runs push to (GitOps); created when missing. */
  ensureSharedRepository(
    path: string,
    description: string,
    defaultBranch: string,
  ): Promise<ProvisionedRepository>;
  /** Settings that need the pushed branch to exist, e.g. GitLab's default branch. */
  afterPush(repository: ProvisionedRepository, branch: string): Promise<void>;
  /**
   * An existing repository (an upgrade changes one); undefined when it is gone. On a remote
   * the provider cannot look into, it is returned as it would be, and git's fetch tells.
   */
  findRepository(path: string): Promise<ProvisionedRepository | undefined>;
  /**
   * Opens a merge request, or finds the one this run opened on an earlier delivery (the run
   * marker at the end of its description). Undefined where the provider has no merge requests:
   * there the pushed branch is the result.
   */
  openMergeRequest(
    request: MergeRequestRequest,
  ): Promise<MergeRequestResult | undefined>;
  /**
   * Makes the repository read-only for good (a decommission): the host's archive where it has
   * one, otherwise a final commit on the default branch that adds `DECOMMISSIONED.md` (the
   * request's notice) and changes nothing else. Idempotent: archiving an archived repository
   * resolves `already-archived` and writes nothing.
   */
  archiveRepository(
    request: ArchiveRepositoryRequest,
  ): Promise<ArchiveRepositoryResult>;
}

/**
 * The marker that says "this run created the repository": the bare repository's `description`
 * file, or the hosted repository's description, ends with it.
 * @public
 */
export function runMarker(runId: string): string {
  return `[provisionhub run ${runId}]`;
}

/**
 * The description with the run marker appended once.
 * @public
 */
export function describeForRun(description: string, runId: string): string {
  const marker = runMarker(runId);
  const text = description.trim();
  if (text.endsWith(marker)) {
    return text;
  }
  return text ? `${text} ${marker}` : marker;
}

/**
 * Whether a repository description ends with the run's marker.
 * @public
 */
export function isCreatedByRun(
  description: string | null | undefined,
  runId: string,
): boolean {
  return (description ?? '').trim().endsWith(runMarker(runId));
}
