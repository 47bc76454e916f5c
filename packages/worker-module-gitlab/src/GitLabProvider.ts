import { Gitlab } from '@gitbeaker/rest';
import {
  ArchiveRepositoryRequest,
  ArchiveRepositoryResult,
  EnsureRepositoryRequest,
  EnsureRepositoryResult,
  GitProvider,
  MergeRequestRequest,
  MergeRequestResult,
  PermanentError,
  ProvisionedRepository,
  TransientError,
  describeForRun,
  gitCredentialsEnv,
  isCreatedByRun,
  runMarker,
} from '@provisionhub/plugin-provisionhub-node';
import path from 'node:path';
import type { GitLabProviderOptions } from './readGitLabOptions';

interface MergeRequest {
  iid: number;
  web_url: string;
  description: string | null;
}

interface Project {
  id: number;
  archived?: boolean;
  description: string | null;
  default_branch?: string | null;
  http_url_to_repo: string;
  web_url: string;
}

/**
 * Provider `gitlab`: projects live at `<group>/<repository path>` (the system is a subgroup,
 * created when missing) and are created through the REST API with description, topics and
 * visibility. Files are pushed with the git CLI over HTTPS, so the commit is byte-for-byte the
 * one the `git` provider makes (same hash on every attempt) and binaries and modes need no
 * special handling.
 * @public
 */
export class GitLabProvider implements GitProvider {
  /** The provider's name in `provisionhub.git.provider`. */
  readonly type = 'gitlab' as const;
  readonly #options: GitLabProviderOptions;
  readonly #api: InstanceType<typeof Gitlab>;

  constructor(options: GitLabProviderOptions) {
    this.#options = options;
    this.#api = new Gitlab({
      host: options.apiBaseUrl.replace(/\/api\/v4\/?$/, ''),
      token: options.token,
      queryTimeout: 30000,
    });
  }

  /** Creates the run's project (and the system subgroup), or finds the one this run created earlier. */
  async ensureRepository(
    request: EnsureRepositoryRequest,
  ): Promise<EnsureRepositoryResult> {
    const fullPath = this.#fullPath(request.path);
    const existing = await this.#findProject(fullPath);
    if (existing) {
      return this.#claim(request, existing);
    }
    const namespaceId = await this.#ensureGroup(path.posix.dirname(fullPath));
    const name = path.posix.basename(fullPath);
    try {
      const project = (await this.#api.Projects.create({
        name,
        path: name,
        namespaceId,
        description: describeForRun(request.description, request.runId),
        visibility: this.#options.visibility,
        topics: request.topics,
      })) as Project;
      return {
        repository: this.#repository(request.path, project),
        outcome: 'created',
        detail: `created GitLab project ${fullPath}`,
      };
    } catch (error) {
      if (!isTaken(error)) {
        throw this.#explain(error, `creating project ${fullPath}`);
      }
      // Created a moment ago, by another delivery of this run or by someone else.
      const project = await this.#findProject(fullPath);
      if (!project) {
        throw this.#explain(error, `creating project ${fullPath}`);
      }
      return this.#claim(request, project);
    }
  }

  /** GitLab makes the first pushed branch the default one, so `defaultBranch` needs no call. */
  async ensureSharedRepository(
    repoPath: string,
    description: string,
    _defaultBranch: string,
  ) {
    const fullPath = this.#fullPath(repoPath);
    let project = await this.#findProject(fullPath);
    if (!project) {
      const namespaceId = await this.#ensureGroup(path.posix.dirname(fullPath));
      const name = path.posix.basename(fullPath);
      try {
        project = (await this.#api.Projects.create({
          name,
          path: name,
          namespaceId,
          description,
          visibility: this.#options.visibility,
        })) as Project;
      } catch (error) {
        project = isTaken(error)
          ? await this.#findProject(fullPath)
          : undefined;
        if (!project) {
          throw this.#explain(error, `creating project ${fullPath}`);
        }
      }
    }
    return this.#repository(repoPath, project);
  }

  /** Makes the pushed branch the project's default branch when it is not. */
  async afterPush(
    repository: ProvisionedRepository,
    branch: string,
  ): Promise<void> {
    const fullPath = this.#fullPath(repository.path);
    const project = await this.#findProject(fullPath);
    if (project && project.default_branch !== branch) {
      await this.#call(`setting the default branch of ${fullPath}`, () =>
        this.#api.Projects.edit(project.id, { defaultBranch: branch }),
      );
    }
  }

  /** An existing project below the base group (an upgrade changes one); undefined when gone. */
  async findRepository(
    repoPath: string,
  ): Promise<ProvisionedRepository | undefined> {
    const project = await this.#findProject(this.#fullPath(repoPath));
    return project && this.#repository(repoPath, project);
  }

  /** Opens the upgrade's merge request, or finds the one this run opened on an earlier delivery. */
  async openMergeRequest(
    request: MergeRequestRequest,
  ): Promise<MergeRequestResult> {
    const fullPath = this.#fullPath(request.repository.path);
    const project = await this.#findProject(fullPath);
    if (!project) {
      throw new PermanentError(
        `GitLab project ${fullPath} does not exist any more; the merge request of branch ${request.sourceBranch} cannot be opened`,
      );
    }
    const existing = (await this.#call(
      `listing the merge requests of ${fullPath}`,
      () =>
        this.#api.MergeRequests.all({
          projectId: project.id,
          sourceBranch: request.sourceBranch,
          targetBranch: request.targetBranch,
        }),
    )) as unknown as MergeRequest[];
    const mine = existing.find(mr =>
      isCreatedByRun(mr.description, request.runId),
    );
    if (mine) {
      return { url: mine.web_url, outcome: 'reused' };
    }
    const created = (await this.#call(
      `opening a merge request in ${fullPath}`,
      () =>
        this.#api.MergeRequests.create(
          project.id,
          request.sourceBranch,
          request.targetBranch,
          request.title,
          {
            description: `${request.description.trim()}\n\n${runMarker(
              request.runId,
            )}`,
            removeSourceBranch: true,
          },
        ),
    )) as unknown as MergeRequest;
    return { url: created.web_url, outcome: 'created' };
  }

  /**
   * Archives the project (`POST /projects/:id/archive`): GitLab makes it read-only and keeps
   * everything. An archived project is left as it is.
   */
  async archiveRepository(
    request: ArchiveRepositoryRequest,
  ): Promise<ArchiveRepositoryResult> {
    const fullPath = this.#fullPath(request.repository.path);
    const project = await this.#findProject(fullPath);
    if (!project) {
      throw new PermanentError(
        `GitLab project ${fullPath} does not exist any more; there is nothing to archive`,
      );
    }
    if (project.archived) {
      return {
        outcome: 'already-archived',
        detail: `GitLab project ${fullPath} is archived already`,
      };
    }
    await this.#call(`archiving project ${fullPath}`, () =>
      this.#api.Projects.archive(project.id),
    );
    return {
      outcome: 'archived',
      detail: `archived GitLab project ${fullPath}`,
    };
  }

  #claim(
    request: EnsureRepositoryRequest,
    project: Project,
  ): EnsureRepositoryResult {
    const fullPath = this.#fullPath(request.path);
    if (!isCreatedByRun(project.description, request.runId)) {
      throw new PermanentError(
        `repository path '${request.path}' is taken: GitLab project ${fullPath} exists and was not created by this run; choose another name`,
      );
    }
    return {
      repository: this.#repository(request.path, project),
      outcome: 'reused',
      detail: `GitLab project ${fullPath} was created by this run on an earlier attempt`,
    };
  }

  #repository(repoPath: string, project: Project): ProvisionedRepository {
    return {
      path: repoPath,
      cloneUrl: project.http_url_to_repo,
      webUrl: project.web_url,
      gitEnv: gitCredentialsEnv({
        baseUrl: new URL(project.http_url_to_repo).origin,
        username: 'oauth2',
        token: this.#options.token,
      }),
    };
  }

  #fullPath(repoPath: string) {
    return `${this.#options.group}/${repoPath}`;
  }

  /** The id of the group at `fullPath`, creating missing subgroups below the base group. */
  async #ensureGroup(fullPath: string): Promise<number> {
    const found = await this.#find(`reading group ${fullPath}`, () =>
      this.#api.Groups.show(fullPath),
    );
    if (found) {
      return (found as { id: number }).id;
    }
    if (fullPath === this.#options.group || !fullPath.includes('/')) {
      throw new PermanentError(
        `GitLab group '${fullPath}' (provisionhub.git.gitlab.group) does not exist; create it and give the token's user the Maintainer role in it`,
      );
    }
    const parentId = await this.#ensureGroup(path.posix.dirname(fullPath));
    const name = path.posix.basename(fullPath);
    try {
      const group = await this.#api.Groups.create(name, name, {
        parentId,
        visibility: this.#options.visibility,
      });
      return (group as { id: number }).id;
    } catch (error) {
      const again = isTaken(error)
        ? await this.#find(`reading group ${fullPath}`, () =>
            this.#api.Groups.show(fullPath),
          )
        : undefined;
      if (!again) {
        throw this.#explain(error, `creating group ${fullPath}`);
      }
      return (again as { id: number }).id;
    }
  }

  #findProject(fullPath: string): Promise<Project | undefined> {
    return this.#find(`reading project ${fullPath}`, () =>
      this.#api.Projects.show(fullPath),
    ) as Promise<Project | undefined>;
  }

  /** Calls the API; a 404 resolves undefined. */
  async #find<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw this.#explain(error, what);
    }
  }

  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#explain(error, what);
    }
  }

  /** A classified error with a message that says what failed and what to do about it. */
  #explain(error: unknown, what: string): Error {
    const host = this.#options.host;
    const status = statusOf(error);
    const said = describe(error);
    if (status === 401) {
      return new PermanentError(
        `GitLab at ${host} refused the token (401 Unauthorized) while ${what}; check integrations.gitlab token for ${host}`,
      );
    }
    if (status === 403) {
      return new PermanentError(
        `the GitLab token for ${host} may not do this (403 Forbidden) while ${what}: ${said}`,
      );
    }
    if (status !== undefined) {
      const message = `GitLab at ${host} answered ${status} while ${what}: ${said}`;
      // 5xx, 429 and 408 may pass when tried again; any other 4xx will not.
      return status >= 500 || status === 429 || status === 408
        ? new TransientError(message)
        : new PermanentError(message);
    }
    const name = (error as Error)?.name;
    if (name === 'GitbeakerRetryError' || name === 'GitbeakerTimeoutError') {
      return new TransientError(
        `GitLab at ${host} did not answer while ${what}: ${said}`,
      );
    }
    const code = ((error as Error)?.cause as { code?: string } | undefined)
      ?.code;
    return new TransientError(
      `cannot reach GitLab at ${host} while ${what}: ${said}${
        code ? ` (${code})` : ''
      }`,
    );
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { cause?: { response?: { status?: unknown } } })
    ?.cause?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitLab's own words: `cause.description` holds the `message`/`error` field of the body. */
function describe(error: unknown): string {
  const description = (error as { cause?: { description?: unknown } })?.cause
    ?.description;
  return typeof description === 'string' && description
    ? description
    : messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTaken(error: unknown): boolean {
  return (
    statusOf(error) === 400 && /has already been taken/i.test(describe(error))
  );
}
