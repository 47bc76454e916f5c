import { Octokit } from '@octokit/rest';
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
import type { GitHubProviderOptions } from './readGitHubOptions';

/** The fields of GitHub's repository object the provider reads. */
interface Repository {
  name: string;
  archived?: boolean;
  full_name: string;
  description: string | null;
  html_url: string;
  clone_url: string;
  default_branch?: string;
}

/** The fields of GitHub's pull request object the provider reads. */
interface PullRequest {
  html_url: string;
  body: string | null;
}

/**
 * Provider `github`: repositories in one organization, created through the REST API
 * (`POST /orgs/{org}/repos`) with the run marker in the description, topics and visibility,
 * and pushed with the git CLI over HTTPS (the token in an `Authorization` header, never in a
 * URL). GitHub organizations are flat: a repository is named after the last segment of its path
 * (`payments/payments-api` → `<organization>/payments-api`).
 * @public
 */
export class GitHubProvider implements GitProvider {
  /** The provider's name in `provisionhub.git.provider`. */
  readonly type = 'github';
  readonly #options: GitHubProviderOptions;
  readonly #api: Octokit;

  constructor(options: GitHubProviderOptions) {
    this.#options = options;
    this.#api = new Octokit({
      auth: options.token,
      baseUrl: options.apiBaseUrl,
      userAgent: 'provisionhub-worker',
      request: { timeout: 30000, retries: 0 },
    });
  }

  /** Creates the run's repository, or finds the one this run created earlier. */
  async ensureRepository(
    request: EnsureRepositoryRequest,
  ): Promise<EnsureRepositoryResult> {
    const name = repositoryName(request.path);
    const existing = await this.#find(name);
    if (existing) {
      return this.#claim(request, existing);
    }
    let created: Repository;
    try {
      created = (
        await this.#create(
          name,
          describeForRun(request.description, request.runId),
        )
      ).data as Repository;
    } catch (error) {
      if (!isTaken(error)) {
        throw this.#explain(error, `creating repository ${this.#full(name)}`);
      }
      // Created a moment ago, by another delivery of this run or by someone else.
      const again = await this.#find(name);
      if (!again) {
        throw this.#explain(error, `creating repository ${this.#full(name)}`);
      }
      return this.#claim(request, again);
    }
    await this.#call(`setting the topics of ${this.#full(name)}`, () =>
      this.#api.repos.replaceAllTopics({
        owner: this.#options.organization,
        repo: name,
        names: request.topics.map(topic),
      }),
    );
    return {
      repository: this.#repository(request.path, created),
      outcome: 'created',
      detail: `created GitHub repository ${created.full_name}`,
    };
  }

  /** A repository many runs push to (GitOps), created when missing. */
  async ensureSharedRepository(
    repoPath: string,
    description: string,
    _defaultBranch: string,
  ): Promise<ProvisionedRepository> {
    const name = repositoryName(repoPath);
    let repository = await this.#find(name);
    if (!repository) {
      try {
        repository = (await this.#create(name, description)).data as Repository;
      } catch (error) {
        repository = isTaken(error) ? await this.#find(name) : undefined;
        if (!repository) {
          throw this.#explain(error, `creating repository ${this.#full(name)}`);
        }
      }
    }
    return this.#repository(repoPath, repository);
  }

  /** The first push to an empty repository does not always make its branch the default one. */
  async afterPush(
    repository: ProvisionedRepository,
    branch: string,
  ): Promise<void> {
    const name = repositoryName(repository.path);
    const found = await this.#find(name);
    if (found && found.default_branch !== branch) {
      await this.#call(
        `setting the default branch of ${this.#full(name)}`,
        () =>
          this.#api.repos.update({
            owner: this.#options.organization,
            repo: name,
            default_branch: branch,
          }),
      );
    }
  }

  /** An existing repository of the organization (an upgrade changes one); undefined when gone. */
  async findRepository(
    repoPath: string,
  ): Promise<ProvisionedRepository | undefined> {
    const found = await this.#find(repositoryName(repoPath));
    return found && this.#repository(repoPath, found);
  }

  /**
   * Opens a pull request from `sourceBranch` into `targetBranch`, or finds the open one this run
   * opened on an earlier delivery (the run marker at the end of its body).
   */
  async openMergeRequest(
    request: MergeRequestRequest,
  ): Promise<MergeRequestResult> {
    const name = repositoryName(request.repository.path);
    if (!(await this.#find(name))) {
      throw new PermanentError(
        `GitHub repository ${this.#full(
          name,
        )} does not exist any more; the pull request of branch ${
          request.sourceBranch
        } cannot be opened`,
      );
    }
    const open = (
      await this.#call(`listing the pull requests of ${this.#full(name)}`, () =>
        this.#api.pulls.list({
          owner: this.#options.organization,
          repo: name,
          state: 'open',
          head: `${this.#options.organization}:${request.sourceBranch}`,
          base: request.targetBranch,
        }),
      )
    ).data as PullRequest[];
    const mine = open.find(pull => isCreatedByRun(pull.body, request.runId));
    if (mine) {
      return { url: mine.html_url, outcome: 'reused' };
    }
    const created = (
      await this.#call(`opening a pull request in ${this.#full(name)}`, () =>
        this.#api.pulls.create({
          owner: this.#options.organization,
          repo: name,
          title: request.title,
          head: request.sourceBranch,
          base: request.targetBranch,
          body: `${request.description.trim()}\n\n${runMarker(request.runId)}`,
        }),
      )
    ).data as PullRequest;
    return { url: created.html_url, outcome: 'created' };
  }

  /**
   * Archives the repository (`PATCH /repos/{owner}/{repo}` with `archived: true`): GitHub makes
   * it read-only and keeps everything. An archived repository is left as it is (GitHub refuses
   * to change one).
   */
  async archiveRepository(
    request: ArchiveRepositoryRequest,
  ): Promise<ArchiveRepositoryResult> {
    const name = repositoryName(request.repository.path);
    const found = await this.#find(name);
    if (!found) {
      throw new PermanentError(
        `GitHub repository ${this.#full(
          name,
        )} does not exist any more; there is nothing to archive`,
      );
    }
    if (found.archived) {
      return {
        outcome: 'already-archived',
        detail: `GitHub repository ${found.full_name} is archived already`,
      };
    }
    await this.#call(`archiving repository ${found.full_name}`, () =>
      this.#api.repos.update({
        owner: this.#options.organization,
        repo: name,
        archived: true,
      }),
    );
    return {
      outcome: 'archived',
      detail: `archived GitHub repository ${found.full_name}`,
    };
  }

  #create(name: string, description: string) {
    return this.#api.repos.createInOrg({
      org: this.#options.organization,
      name,
      description,
      // Octokit 19's types predate `internal` (GitHub Enterprise), which the endpoint accepts.
      visibility: this.#options.visibility as 'private',
      auto_init: false,
    });
  }

  #claim(
    request: EnsureRepositoryRequest,
    repository: Repository,
  ): EnsureRepositoryResult {
    if (!isCreatedByRun(repository.description, request.runId)) {
      throw new PermanentError(
        `repository path '${request.path}' is taken: GitHub repository ${repository.full_name} exists and was not created by this run; choose another name`,
      );
    }
    return {
      repository: this.#repository(request.path, repository),
      outcome: 'reused',
      detail: `GitHub repository ${repository.full_name} was created by this run on an earlier attempt`,
    };
  }

  #repository(repoPath: string, repository: Repository): ProvisionedRepository {
    const url = new URL(repository.clone_url);
    return {
      path: repoPath,
      cloneUrl: repository.clone_url,
      webUrl: repository.html_url,
      gitEnv: /^https?:$/.test(url.protocol)
        ? gitCredentialsEnv({
            baseUrl: url.origin,
            username: 'x-access-token',
            token: this.#options.token,
          })
        : {},
    };
  }

  #full(name: string) {
    return `${this.#options.organization}/${name}`;
  }

  async #find(name: string): Promise<Repository | undefined> {
    try {
      return (
        await this.#api.repos.get({
          owner: this.#options.organization,
          repo: name,
        })
      ).data as Repository;
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw this.#explain(error, `reading repository ${this.#full(name)}`);
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
    const said = messageOf(error);
    if (status === 401) {
      return new PermanentError(
        `GitHub at ${host} refused the token (401 Unauthorized) while ${what}; check integrations.github token for ${host}`,
      );
    }
    if (status === 403 || status === 429) {
      const headers = (
        error as { response?: { headers?: Record<string, string> } }
      ).response?.headers;
      if (status === 429 || headers?.['x-ratelimit-remaining'] === '0') {
        return new TransientError(
          `GitHub at ${host} rate-limited the token while ${what}: ${said}`,
        );
      }
      return new PermanentError(
        `the GitHub token for ${host} may not do this (403 Forbidden) while ${what}: ${said}`,
      );
    }
    if (status === 404) {
      return new PermanentError(
        `GitHub at ${host} answered 404 while ${what}: organization ${
          this.#options.organization
        } (provisionhub.git.github.organization) does not exist or the token cannot see it`,
      );
    }
    if (status !== undefined && status >= 500) {
      return new TransientError(
        `GitHub at ${host} answered ${status} while ${what}: ${said}`,
      );
    }
    if (status !== undefined) {
      return new PermanentError(
        `GitHub at ${host} answered ${status} while ${what}: ${said}`,
      );
    }
    return new TransientError(
      `cannot reach GitHub at ${host} while ${what}: ${said}`,
    );
  }
}

/** The repository name of a path: its last segment (organizations have no subgroups). */
export function repositoryName(repoPath: string): string {
  return repoPath.split('/').pop()!;
}

/** GitHub topics are lowercase letters, digits and hyphens, at most 50 characters. */
function topic(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** GitHub answers 422 with "name already exists on this account" for a taken name. */
function isTaken(error: unknown): boolean {
  return statusOf(error) === 422 && /already exists/i.test(messageOf(error));
}
