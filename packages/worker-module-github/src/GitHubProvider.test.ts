import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { FakeGitHub, createTempDir } from '@provisionhub/test-utils';
import { GitHubProvider } from './GitHubProvider';
import { readGitHubOptions } from './readGitHubOptions';

const TOKEN = 'ghp_provider_test_token';

describe('GitHubProvider against the GitHub test server', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let github: FakeGitHub;
  let provider: GitHubProvider;
  const options = () => ({
    host: new URL(github.url).host,
    apiBaseUrl: github.url,
    token: TOKEN,
    organization: 'acme',
    visibility: 'internal' as const,
  });

  beforeAll(async () => {
    temp = await createTempDir('provisionhub-github-');
    github = await new FakeGitHub({
      token: TOKEN,
      organizations: ['acme'],
      gitRoot: path.join(temp.dir, 'git'),
    }).start();
    provider = new GitHubProvider(options());
  });
  afterAll(async () => {
    await github?.stop();
    await temp?.remove();
  });

  const request = (name: string, runId = 'run-1') => ({
    path: `payments/${name}`,
    description: `The ${name} component`,
    runId,
    defaultBranch: 'main',
    topics: ['provisionhub', 'node_backend', 'component'],
  });

  it('creates a repository with marker, visibility and topics, then reuses it for the same run', async () => {
    const first = await provider.ensureRepository(request('api'));
    expect(first).toEqual({
      outcome: 'created',
      detail: 'created GitHub repository acme/api',
      repository: {
        path: 'payments/api',
        cloneUrl: `file://${temp.dir}/git/acme/api.git`,
        webUrl: 'https://github.example/acme/api',
        gitEnv: {},
      },
    });
    expect(github.repositories.get('acme/api')).toMatchObject({
      description: 'The api component [provisionhub run run-1]',
      visibility: 'internal',
      topics: ['provisionhub', 'node-backend', 'component'],
    });
    expect((await provider.ensureRepository(request('api'))).outcome).toBe(
      'reused',
    );
    await expect(
      provider.ensureRepository(request('api', 'run-2')),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      message:
        "repository path 'payments/api' is taken: GitHub repository acme/api exists and was not created by this run; choose another name",
    });
  });

  it('finds an existing repository for upgrades, and nothing where there is none', async () => {
    await provider.ensureRepository(request('found'));
    expect(await provider.findRepository('payments/found')).toEqual({
      path: 'payments/found',
      cloneUrl: `file://${temp.dir}/git/acme/found.git`,
      webUrl: 'https://github.example/acme/found',
      gitEnv: {},
    });
    expect(await provider.findRepository('payments/never')).toBeUndefined();
  });

  it('opens one pull request per run, finds it again on a later delivery, and refuses a repository that is gone', async () => {
    const { repository } = await provider.ensureRepository(request('upgraded'));
    const pull = {
      repository,
      sourceBranch: 'provisionhub/upgrade-1.1.0',
      targetBranch: 'main',
      title: 'Upgrade to node-backend 1.1.0',
      description: '## Changelog\n\n- metrics',
      runId: 'run-upgrade',
    };
    expect(await provider.openMergeRequest(pull)).toEqual({
      url: 'https://github.example/acme/upgraded/pull/1',
      outcome: 'created',
    });
    expect(await provider.openMergeRequest(pull)).toEqual({
      url: 'https://github.example/acme/upgraded/pull/1',
      outcome: 'reused',
    });
    expect(github.pulls.get('acme/upgraded')).toEqual([
      expect.objectContaining({
        title: 'Upgrade to node-backend 1.1.0',
        body: '## Changelog\n\n- metrics\n\n[provisionhub run run-upgrade]',
        head: {
          ref: 'provisionhub/upgrade-1.1.0',
          label: 'acme:provisionhub/upgrade-1.1.0',
        },
        base: { ref: 'main' },
      }),
    ]);

    await expect(
      provider.openMergeRequest({
        ...pull,
        repository: { ...repository, path: 'payments/gone' },
      }),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringContaining(
        'GitHub repository acme/gone does not exist any more',
      ),
    });
  });

  it('archives a repository once (PATCH archived: true) and refuses one that is gone', async () => {
    const { repository } = await provider.ensureRepository(request('retired'));
    const archive = {
      repository,
      defaultBranch: 'main',
      notice: '# Decommissioned\n',
      runId: 'run-decommission',
      author: { name: 'ProvisionHub', email: 'provisionhub@example.com' },
      date: '2026-12-02T10:00:00.000Z',
      workspace: temp.dir,
    };
    const before = github.requests.length;
    expect(await provider.archiveRepository(archive)).toEqual({
      outcome: 'archived',
      detail: 'archived GitHub repository acme/retired',
    });
    expect(github.repositories.get('acme/retired')?.archived).toBe(true);
    expect(await provider.archiveRepository(archive)).toEqual({
      outcome: 'already-archived',
      detail: 'GitHub repository acme/retired is archived already',
    });
    expect(github.requests.slice(before)).toEqual([
      'GET /repos/acme/retired',
      'PATCH /repos/acme/retired',
      'GET /repos/acme/retired',
    ]);
    await expect(
      provider.archiveRepository({
        ...archive,
        repository: { ...repository, path: 'payments/never' },
      }),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      message:
        'GitHub repository acme/never does not exist any more; there is nothing to archive',
    });
  });

  it('sets the default branch after the push when it differs', async () => {
    const { repository } = await provider.ensureRepository(request('trunk'));
    await provider.afterPush(repository, 'trunk');
    expect(github.repositories.get('acme/trunk')!.default_branch).toBe('trunk');
    const patches = github.requests.filter(
      r => r === 'PATCH /repos/acme/trunk',
    );
    await provider.afterPush(repository, 'trunk');
    expect(
      github.requests.filter(r => r === 'PATCH /repos/acme/trunk'),
    ).toEqual(patches);
  });

  it('creates a shared repository once and returns it afterwards', async () => {
    const first = await provider.ensureSharedRepository(
      'platform/gitops',
      'GitOps',
      'main',
    );
    const second = await provider.ensureSharedRepository(
      'platform/gitops',
      'GitOps',
      'main',
    );
    expect(second).toEqual(first);
    expect(
      github.requests.filter(r => r === 'POST /orgs/acme/repos').length,
    ).toBeGreaterThan(0);
    expect(first.webUrl).toBe('https://github.example/acme/gitops');
  });

  it('gives git the token for https clone URLs only through the environment', () => {
    github.repositories.set('acme/remote', {
      ...github.repositories.get('acme/api')!,
      name: 'remote',
      full_name: 'acme/remote',
      clone_url: 'https://github.example/acme/remote.git',
    });
    return provider.ensureSharedRepository('x/remote', '', 'main').then(r => {
      expect(r.cloneUrl).toBe('https://github.example/acme/remote.git');
      expect(r.gitEnv).toEqual({
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.https://github.example/.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
          `x-access-token:${TOKEN}`,
        ).toString('base64')}`,
      });
    });
  });

  it('says what to check for a wrong token or organization', async () => {
    const wrongToken = new GitHubProvider({ ...options(), token: 'nope' });
    await expect(
      wrongToken.ensureRepository(request('x')),
    ).rejects.toMatchObject({
      name: 'PermanentError',
      message: `GitHub at ${
        options().host
      } refused the token (401 Unauthorized) while reading repository acme/x; check integrations.github token for ${
        options().host
      }`,
    });
    const wrongOrg = new GitHubProvider({
      ...options(),
      organization: 'nobody',
    });
    await expect(wrongOrg.ensureRepository(request('x'))).rejects.toMatchObject(
      {
        name: 'PermanentError',
        message: expect.stringContaining(
          'organization nobody (provisionhub.git.github.organization) does not exist or the token cannot see it',
        ),
      },
    );
  });

  it('retries when GitHub cannot be reached', async () => {
    const away = new GitHubProvider({
      ...options(),
      apiBaseUrl: 'http://127.0.0.1:1',
    });
    await expect(away.ensureRepository(request('x'))).rejects.toMatchObject({
      name: 'TransientError',
    });
  });
});

describe('readGitHubOptions', () => {
  const read = (git: object, integrations?: object) =>
    readGitHubOptions(
      new ConfigReader({
        provisionhub: { git },
        ...(integrations ? { integrations } : {}),
      }),
    );

  it('takes the token and API URL from the integration of the host', () => {
    expect(
      read(
        { github: { organization: 'acme' } },
        { github: [{ host: 'github.com', token: 'ghp_x' }] },
      ),
    ).toEqual({
      host: 'github.com',
      apiBaseUrl: 'https://api.github.com',
      token: 'ghp_x',
      organization: 'acme',
      visibility: 'private',
    });
  });

  it.each([
    [{}, undefined, 'provisionhub.git.github.organization is required'],
    [
      { github: { organization: 'a b' } },
      undefined,
      "'a b' is not a GitHub organization name",
    ],
    [
      { github: { organization: 'acme', visibility: 'secret' } },
      undefined,
      'provisionhub.git.github.visibility must be one of private, internal, public',
    ],
    [
      { github: { organization: 'acme', host: 'ghe.example.com' } },
      undefined,
      "integrations.github has no entry for host 'ghe.example.com'",
    ],
    [
      { github: { organization: 'acme' } },
      { github: [{ host: 'github.com' }] },
      "integrations.github entry for host 'github.com' has no token",
    ],
  ])('names the key that is wrong (%#)', (git, integrations, message) => {
    expect(() => read(git, integrations)).toThrow(message);
  });
});
