import path from 'node:path';
import {
  cloneAndList,
  createTempDir,
  git,
  FakeGitLab,
} from '@provisionhub/test-utils';
import fs from 'node:fs/promises';
import { PermanentError, TransientError } from '../errors';
import { commitFiles, initRepository, pushCommit } from './commits';
import { GitLabProvider } from './GitLabProvider';

const TOKEN = 'glpat-test-token-0123456789';
const RUN = '6f1c1b8e-2a51-4c9e-9d59-1d2f0b4c8a10';

describe('GitLabProvider against a GitLab REST v4 test server', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let gitlab: FakeGitLab;
  let provider: GitLabProvider;

  const request = (name: string, runId = RUN) => ({
    path: `payments/${name}`,
    description: `The ${name} component`,
    runId,
    defaultBranch: 'main',
    topics: ['provisionhub', 'node-backend', 'component'],
  });

  beforeEach(async () => {
    temp = await createTempDir('provisionhub-gitlab-');
    gitlab = await FakeGitLab.start({
      token: TOKEN,
      root: path.join(temp.dir, 'gitlab'),
    });
    gitlab.addGroup('platform');
    const host = new URL(gitlab.url).host;
    provider = new GitLabProvider({
      host,
      baseUrl: gitlab.url,
      apiBaseUrl: `${gitlab.url}/api/v4`,
      token: TOKEN,
      group: 'platform',
      visibility: 'internal',
    });
  });

  afterEach(async () => {
    await gitlab.close();
    await temp.remove();
  });

  it('creates the system subgroup and the project with description, topics and visibility', async () => {
    const result = await provider.ensureRepository(request('payments-api'));
    expect(result.outcome).toBe('created');
    expect(result.repository).toMatchObject({
      path: 'payments/payments-api',
      cloneUrl: `${gitlab.url}/platform/payments/payments-api.git`,
      webUrl: `${gitlab.url}/platform/payments/payments-api`,
    });
    expect(JSON.stringify(result.repository.gitEnv)).not.toContain(TOKEN);

    const calls = gitlab.requests.map(r => `${r.route} ${r.status}`);
    expect(calls).toEqual([
      'GET /api/v4/projects/platform%2Fpayments%2Fpayments-api 404',
      'GET /api/v4/groups/platform%2Fpayments 404',
      'GET /api/v4/groups/platform 200',
      'POST /api/v4/groups 201',
      'POST /api/v4/projects 201',
    ]);
    const platform = gitlab.groups.get('platform')!;
    expect(gitlab.requests[3].body).toEqual({
      name: 'payments',
      path: 'payments',
      parent_id: platform.id,
      visibility: 'internal',
    });
    expect(gitlab.requests[4].body).toEqual({
      name: 'payments-api',
      path: 'payments-api',
      namespace_id: gitlab.groups.get('platform/payments')!.id,
      description: `The payments-api component [provisionhub run ${RUN}]`,
      visibility: 'internal',
      topics: ['provisionhub', 'node-backend', 'component'],
    });
  });

  it('reuses the project this run created, and refuses one that belongs to something else', async () => {
    await provider.ensureRepository(request('payments-api'));
    const again = await provider.ensureRepository(request('payments-api'));
    expect(again.outcome).toBe('reused');
    expect(
      gitlab.requests.filter(r => r.route === 'POST /api/v4/projects'),
    ).toHaveLength(1);

    const other = provider.ensureRepository(
      request('payments-api', '0b7d9a55-1111-4c9e-9d59-1d2f0b4c8a10'),
    );
    await expect(other).rejects.toBeInstanceOf(PermanentError);
    await expect(other).rejects.toThrow(
      "repository path 'payments/payments-api' is taken: GitLab project platform/payments/payments-api exists",
    );
  });

  it('treats "has already been taken" after a race as taken unless the project carries the run marker', async () => {
    gitlab.addGroup('platform/payments');
    // The project appears between the provider's lookup and its create call.
    gitlab.failNext('GET /api/v4/projects/platform%2Fpayments%2Fledger', 404);
    await gitlab.addProject('platform/payments/ledger', 'Made by hand');
    await expect(provider.ensureRepository(request('ledger'))).rejects.toThrow(
      /is taken/,
    );
    expect(gitlab.requests.map(r => `${r.route} ${r.status}`)).toContain(
      'POST /api/v4/projects 400',
    );
  });

  it('reports a rejected token as a permanent error that names the setting, not the token', async () => {
    gitlab.failNext('GET /api/v4/projects', 401);
    const error = await provider
      .ensureRepository(request('payments-api'))
      .catch(e => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(
      /refused the token \(401 Unauthorized\).*check integrations\.gitlab token/,
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it("reports 5xx as transient and 4xx as permanent, with GitLab's message", async () => {
    gitlab.failNext('POST /api/v4/projects', 503);
    const unavailable = await provider
      .ensureRepository(request('a1'))
      .catch(e => e);
    expect(unavailable).toBeInstanceOf(TransientError);
    expect(unavailable.message).toMatch(
      /answered 503 while creating project platform\/payments\/a1/,
    );

    gitlab.failNext('POST /api/v4/projects', 422, {
      message: 'Path is reserved',
    });
    const reserved = await provider
      .ensureRepository(request('a2'))
      .catch(e => e);
    expect(reserved).toBeInstanceOf(PermanentError);
    expect(reserved.message).toContain(
      'answered 422 while creating project platform/payments/a2: Path is reserved',
    );
  });

  it('says how to fix a missing base group', async () => {
    gitlab.groups.delete('platform');
    await expect(provider.ensureRepository(request('x1'))).rejects.toThrow(
      "GitLab group 'platform' (provisionhub.git.gitlab.group) does not exist",
    );
  });

  it('pushes over HTTPS with the token in a header and sets the default branch', async () => {
    const { repository } = await provider.ensureRepository(
      request('payments-api'),
    );
    const dir = path.join(temp.dir, 'work');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'README.md'), '# payments-api\n');
    await initRepository(dir, 'main');
    const { sha } = await commitFiles(dir, {
      message: 'Initial',
      author: { name: 'ProvisionHub', email: 'ph@example.com' },
      date: '2026-11-27T10:00:00Z',
      parents: [],
    });
    const options = { env: repository.gitEnv, secrets: [TOKEN] };
    const target = { url: repository.cloneUrl, sha, branch: 'main' };
    expect(await pushCommit(dir, target, options)).toBe('pushed');
    expect(await pushCommit(dir, target, options)).toBe('up-to-date');
    await provider.afterPush(repository, 'main');
    expect(
      gitlab.projects.get('platform/payments/payments-api')?.default_branch,
    ).toBe('main');

    const bare = gitlab.repositoryPath('platform/payments/payments-api');
    expect(await git(bare, 'rev-parse', 'refs/heads/main')).toBe(sha);
    const clone = await cloneAndList(bare, path.join(temp.dir, 'clone'));
    expect(clone.files).toEqual(['README.md']);

    // Without the credentials the server refuses, and git's message is classified permanent.
    await expect(pushCommit(dir, target, {})).rejects.toBeInstanceOf(
      PermanentError,
    );
  });
});
