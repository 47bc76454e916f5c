import {
  ArchiveRepositoryRequest,
  ArchiveRepositoryResult,
  EnsureRepositoryRequest,
  EnsureRepositoryResult,
  GitProvider,
  ProvisionedRepository,
  describeForRun,
  gitCredentialsEnv,
  isCreatedByRun,
} from '@provisionhub/plugin-provisionhub-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GitCliProviderOptions } from '../config';
import { PermanentError } from '../errors';
import {
  BareRepositoryLayout,
  readBareRepositoryLayout,
  writeBareRepository,
} from './bareRepositoryLayout';
import { runTrailer } from './commits';
import { commitDecommissionNotice } from './noticeCommit';

/**
 * Provider `git`: the real git CLI against any remote it can push to. When the base is a local
 * folder (or `file://`), it creates bare repositories `<base>/<path>.git` itself, with the run
 * marker in their `description` file. Remote servers (ssh, https) create repositories their own
 * way; there the push step's check (the branch must be empty or hold this run's commit) is
 * what protects a path that belongs to someone else.
 * @public
 */
export class GitCliProvider implements GitProvider {
  readonly type = 'git' as const;
  readonly #options: GitCliProviderOptions;
  readonly #localRoot?: string;
  readonly #secrets: string[];
  readonly #layouts = new Map<string, Promise<BareRepositoryLayout>>();

  constructor(options: GitCliProviderOptions, secrets: string[] = []) {
    this.#options = options;
    this.#secrets = secrets;
    if (options.remoteBase.startsWith('file://')) {
      this.#localRoot = fileURLToPath(options.remoteBase);
    } else if (path.isAbsolute(options.remoteBase)) {
      this.#localRoot = options.remoteBase;
    }
  }

  async ensureRepository(
    request: EnsureRepositoryRequest,
  ): Promise<EnsureRepositoryResult> {
    const repository = this.#repository(request.path);
    if (!this.#localRoot) {
      return {
        repository,
        outcome: 'external',
        detail: `${repository.webUrl} is on a remote server; the git provider only pushes to it`,
      };
    }
    const dir = this.#localPath(request.path);
    const existing = await readBareRepository(dir);
    if (existing.exists) {
      return this.#claim(repository, existing.description, request.runId);
    }
    const description = describeForRun(request.description, request.runId);
    const created = await this.#createBare(
      dir,
      request.defaultBranch,
      description,
    );
    if (!created) {
      // Another delivery of this run (or another run) created it a moment ago.
      const now = await readBareRepository(dir);
      return this.#claim(repository, now.description, request.runId);
    }
    return { repository, outcome: 'created', detail: `created ${dir}` };
  }

  async ensureSharedRepository(
    repoPath: string,
    description: string,
    defaultBranch: string,
  ) {
    const repository = this.#repository(repoPath);
    if (this.#localRoot) {
      const dir = this.#localPath(repoPath);
      if (!(await readBareRepository(dir)).exists) {
        await this.#createBare(dir, defaultBranch, description);
      }
    }
    return repository;
  }

  async afterPush(): Promise<void> {
    // A bare repository's HEAD already names the default branch (set when it was created).
  }

  async findRepository(
    repoPath: string,
  ): Promise<ProvisionedRepository | undefined> {
    const repository = this.#repository(repoPath);
    if (
      this.#localRoot &&
      !(await readBareRepository(repository.localPath!)).exists
    ) {
      return undefined;
    }
    return repository;
  }

  /** Plain git has no merge requests: the pushed branch is the result. */
  async openMergeRequest(): Promise<undefined> {
    return undefined;
  }

  /**
   * Plain git has no archive: a final commit on the default branch adds `DECOMMISSIONED.md`
   * (the notice) and changes nothing else; a default branch that has the file is left alone.
   */
  async archiveRepository(
    request: ArchiveRepositoryRequest,
  ): Promise<ArchiveRepositoryResult> {
    const { repository, defaultBranch, runId } = request;
    const outcome = await commitDecommissionNotice(
      path.join(request.workspace, 'decommission'),
      {
        url: repository.cloneUrl,
        webUrl: repository.webUrl,
        branch: defaultBranch,
      },
      {
        notice: request.notice,
        message: `Decommissioned by ProvisionHub\n\n${runTrailer(runId)}`,
        author: request.author,
        date: request.date,
      },
      {
        env: repository.gitEnv,
        secrets: this.#secrets,
        signal: request.signal,
      },
    );
    return {
      outcome,
      detail:
        outcome === 'archived'
          ? `committed DECOMMISSIONED.md on ${defaultBranch} of ${repository.webUrl}`
          : `${defaultBranch} of ${repository.webUrl} already has DECOMMISSIONED.md`,
    };
  }

  #claim(
    repository: ProvisionedRepository,
    description: string,
    runId: string,
  ) {
    if (!isCreatedByRun(description, runId)) {
      throw new PermanentError(
        `repository path '${repository.path}' is taken: ${repository.cloneUrl} exists and was not created by this run; choose another name`,
      );
    }
    return {
      repository,
      outcome: 'reused' as const,
      detail: `${repository.cloneUrl} was created by this run on an earlier attempt`,
    };
  }

  #repository(repoPath: string): ProvisionedRepository {
    if (this.#localRoot) {
      const dir = this.#localPath(repoPath);
      return {
        path: repoPath,
        cloneUrl: dir,
        webUrl: pathToFileURL(dir).toString(),
        gitEnv: {},
        localPath: dir,
      };
    }
    const base = this.#options.remoteBase;
    const separator = /^[^/@\s]+@[^:/\s]+:$/.test(base) ? '' : '/';
    const url = `${base}${separator}${repoPath}.git`;
    return {
      path: repoPath,
      cloneUrl: url,
      webUrl: url,
      gitEnv: gitCredentialsEnv(this.#options.credentials),
    };
  }

  #localPath(repoPath: string): string {
    const root = this.#localRoot!;
    const dir = path.resolve(root, `${repoPath}.git`);
    if (!dir.startsWith(`${root}${path.sep}`)) {
      throw new PermanentError(
        `repository path '${repoPath}' would leave ${root}`,
      );
    }
    return dir;
  }

  /** What `git init --bare` writes for `branch`, read once per branch name. */
  #layout(branch: string): Promise<BareRepositoryLayout> {
    let layout = this.#layouts.get(branch);
    if (!layout) {
      layout = readBareRepositoryLayout(branch);
      // A failed `git init` is tried again by the next repository, not remembered.
      layout.catch(() => this.#layouts.delete(branch));
      this.#layouts.set(branch, layout);
    }
    return layout;
  }

  /**
   * Creates a bare repository atomically: built under a temporary name, then renamed, so no one
   * ever sees it without its description. Resolves false when `dir` appeared in the meantime.
   */
  async #createBare(dir: string, branch: string, description: string) {
    await fs.mkdir(path.dirname(dir), { recursive: true });
    const temp = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await writeBareRepository(temp, await this.#layout(branch));
      await fs.writeFile(path.join(temp, 'description'), `${description}\n`);
      await fs.rename(temp, dir);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        return false;
      }
      throw error;
    } finally {
      await fs.rm(temp, { recursive: true, force: true });
    }
  }
}

async function readBareRepository(
  dir: string,
): Promise<{ exists: boolean; description: string }> {
  try {
    await fs.access(dir);
  } catch {
    return { exists: false, description: '' };
  }
  const description = await fs
    .readFile(path.join(dir, 'description'), 'utf8')
    .catch(() => '');
  return { exists: true, description };
}
