import { ConfigReader } from '@backstage/config';
import {
  FakeGitHub,
  FakeGitLab,
  createTempDir,
  git,
} from '@provisionhub/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GitBranchMergeReader } from './GitBranchMergeReader';
import { HostedMergeRequestReader } from './HostedMergeRequestReader';

jest.setTimeout(60_000);

const TOKEN = 'glpat-merge-reader-test';

const commit = (dir: string, message: string) =>
  git(
    dir,
    '-c',
    'user.name=Dev',
    '-c',
    'user.email=dev@example.com',
    'commit',
    '--quiet',
    '--allow-empty',
    '-m',
    message,
  );

/** A work tree of a new bare repository: `main` with one commit, and `upgrade` one commit ahead. */
async function repositoryWithUpgradeBranch(bare: string, work: string) {
  await fs.mkdir(path.dirname(bare), { recursive: true });
  await git(
    path.dirname(bare),
    'init',
    '--quiet',
    '--bare',
    '-b',
    'main',
    bare,
  );
  await git(path.dirname(bare), 'clone', '--quiet', bare, work);
  await git(work, 'checkout', '--quiet', '-b', 'main');
  await fs.writeFile(path.join(work, 'README.md'), 'hello\n');
  await git(work, 'add', '--all');
  await commit(work, 'initial');
  await git(work, 'push', '--quiet', 'origin', 'main');
  await git(work, 'checkout', '--quiet', '-b', 'upgrade');
  await commit(work, 'upgrade');
  await git(work, 'push', '--quiet', 'origin', 'upgrade');
  await git(work, 'checkout', '--quiet', 'main');
}

const outputsOf = (repoUrl: string, extra: object = {}) => ({
  repoUrl,
  defaultBranch: 'main',
  entityRef: 'component:default/orders-api',
  branch: 'upgrade',
  ...extra,
});

describe('merge status readers', () => {
  let temp: Awaited<ReturnType<typeof createTempDir>>;

  beforeEach(async () => {
    temp = await createTempDir('provisionhub-merge-reader-');
  });

  afterEach(async () => {
    await temp.remove();
  });

  it('plain git: the branch is merged once its tip is an ancestor of the default branch', async () => {
    const bare = path.join(temp.dir, 'remotes/orders-api.git');
    const work = path.join(temp.dir, 'work');
    await repositoryWithUpgradeBranch(bare, work);
    const reader = new GitBranchMergeReader();
    const outputs = outputsOf(`file://${bare}`);

    expect(await reader.read(outputs)).toEqual({
      state: 'open',
      detail: 'upgrade is not merged into main yet',
    });

    // Work on main goes on; then the branch is merged with a merge commit.
    await commit(work, 'more work');
    await git(
      work,
      '-c',
      'user.name=Dev',
      '-c',
      'user.email=dev@example.com',
      'merge',
      '--quiet',
      '--no-ff',
      '-m',
      'merge',
      'origin/upgrade',
    );
    await git(work, 'push', '--quiet', 'origin', 'main');
    expect(await reader.read(outputs)).toEqual({
      state: 'merged',
      detail: 'upgrade was merged into main',
    });

    await git(work, 'push', '--quiet', 'origin', '--delete', 'upgrade');
    expect((await reader.read(outputs)).state).toBe('closed');
    await expect(
      reader.read(outputsOf(path.join(temp.dir, 'remotes/gone.git'))),
    ).rejects.toThrow(/gone\.git/);
  });

  it('plain git: a fast-forwarded default branch is merged', async () => {
    const bare = path.join(temp.dir, 'remotes/ff.git');
    const work = path.join(temp.dir, 'work');
    await repositoryWithUpgradeBranch(bare, work);
    await git(work, 'merge', '--quiet', '--ff-only', 'origin/upgrade');
    await git(work, 'push', '--quiet', 'origin', 'main');
    expect(await new GitBranchMergeReader().read(outputsOf(bare))).toEqual({
      state: 'merged',
      detail: 'main is at upgrade',
    });
  });

  it('GitLab: reads the merge request state with the integration token of its host', async () => {
    const gitlab = await FakeGitLab.start({
      token: TOKEN,
      root: path.join(temp.dir, 'gitlab'),
    });
    try {
      const project = await gitlab.addProject('payments/orders-api', '');
      const work = path.join(temp.dir, 'work');
      await git(
        temp.dir,
        'clone',
        '--quiet',
        gitlab.repositoryPath(project.path_with_namespace),
        work,
      );
      await commit(work, 'initial');
      await git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
      await git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/upgrade');
      const created = await fetch(
        `${gitlab.url}/api/v4/projects/${project.id}/merge_requests`,
        {
          method: 'POST',
          headers: {
            'PRIVATE-TOKEN': TOKEN,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({
            source_branch: 'upgrade',
            target_branch: 'main',
            title: 'Upgrade',
          }),
        },
      );
      const mergeRequestUrl = ((await created.json()) as { web_url: string })
        .web_url;
      const host = new URL(gitlab.url).host;
      const reader = (token: string) =>
        HostedMergeRequestReader.fromConfig(
          new ConfigReader({
            integrations: {
              gitlab: [
                {
                  host,
                  baseUrl: gitlab.url,
                  apiBaseUrl: `${gitlab.url}/api/v4`,
                  token,
                },
              ],
            },
          }),
        );
      const outputs = outputsOf(project.web_url, { mergeRequestUrl });
      expect(reader(TOKEN).handles(outputs)).toBe(true);
      expect(await reader(TOKEN).read(outputs)).toEqual({
        state: 'open',
        detail: `${mergeRequestUrl} is opened`,
      });
      gitlab.setMergeRequestState(mergeRequestUrl, 'merged');
      expect((await reader(TOKEN).read(outputs)).state).toBe('merged');
      gitlab.setMergeRequestState(mergeRequestUrl, 'closed');
      expect((await reader(TOKEN).read(outputs)).state).toBe('closed');

      const refused = reader('wrong').read(outputs);
      await expect(refused).rejects.toThrow(
        `refused to show merge request ${mergeRequestUrl} (401 Unauthorized); check the integrations.gitlab token for host ${host}`,
      );
      await expect(refused).rejects.not.toThrow('wrong');
      await expect(
        HostedMergeRequestReader.fromConfig(new ConfigReader({})).read(outputs),
      ).rejects.toThrow(`integrations.gitlab has no entry for host '${host}'`);
    } finally {
      await gitlab.close();
    }
  });

  it('GitHub: a pull request is merged when GitHub says `merged`, closed when closed without', async () => {
    const github = await new FakeGitHub({
      token: TOKEN,
      organizations: ['acme'],
      gitRoot: path.join(temp.dir, 'github'),
    }).start();
    try {
      const call = (method: string, route: string, body: object) =>
        fetch(`${github.url}${route}`, {
          method,
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      await call('POST', '/orgs/acme/repos', { name: 'orders-api' });
      const created = await call('POST', '/repos/acme/orders-api/pulls', {
        head: 'upgrade',
        base: 'main',
        title: 'Upgrade',
      });
      const pull = (await created.json()) as { html_url: string };
      const reader = HostedMergeRequestReader.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: new URL(pull.html_url).host,
                apiBaseUrl: github.url,
                token: TOKEN,
              },
            ],
          },
        }),
      );
      const outputs = outputsOf('https://github.example/acme/orders-api', {
        mergeRequestUrl: pull.html_url,
      });
      expect((await reader.read(outputs)).state).toBe('open');
      github.closePullRequest('acme/orders-api', 1, { merged: true });
      expect(await reader.read(outputs)).toEqual({
        state: 'merged',
        detail: `${pull.html_url} was merged`,
      });
      github.closePullRequest('acme/orders-api', 1, { merged: false });
      expect((await reader.read(outputs)).state).toBe('closed');
      expect(reader.handles(outputsOf('file:///x'))).toBe(false);
    } finally {
      await github.stop();
    }
  });
});
