import fs from 'node:fs/promises';
import path from 'node:path';
import { createTempDir, git } from '@provisionhub/test-utils';
import { PermanentError } from '../errors';
import { GitCliProvider } from './GitCliProvider';

const RUN = '6f1c1b8e-2a51-4c9e-9d59-1d2f0b4c8a10';

describe('GitCliProvider', () => {
  let temp: { dir: string; remove(): Promise<void> };
  beforeEach(async () => {
    temp = await createTempDir();
  });
  afterEach(() => temp.remove());

  const request = (runId = RUN) => ({
    path: 'payments/payments-api',
    description: 'The payments-api component',
    runId,
    defaultBranch: 'trunk',
    topics: [],
  });

  it('creates a bare repository with the run marker and the default branch, then reuses it', async () => {
    const provider = new GitCliProvider({ remoteBase: temp.dir });
    const created = await provider.ensureRepository(request());
    const dir = path.join(temp.dir, 'payments/payments-api.git');
    expect(created).toMatchObject({
      outcome: 'created',
      repository: { cloneUrl: dir, webUrl: `file://${dir}`, gitEnv: {} },
    });
    expect(await fs.readFile(path.join(dir, 'description'), 'utf8')).toBe(
      `The payments-api component [provisionhub run ${RUN}]\n`,
    );
    expect(await git(dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/trunk');
    expect((await provider.ensureRepository(request())).outcome).toBe('reused');
  });

  it('creates repositories with exactly the files and folders `git init --bare` writes', async () => {
    const provider = new GitCliProvider({ remoteBase: temp.dir });
    await provider.ensureRepository(request());
    await provider.ensureRepository({ ...request(), path: 'payments/second' });
    const reference = path.join(temp.dir, 'reference.git');
    await git(
      temp.dir,
      'init',
      '--bare',
      '--quiet',
      '--template=',
      '--initial-branch=trunk',
      reference,
    );
    await fs.writeFile(path.join(reference, 'description'), 'x');
    const tree = async (dir: string) => {
      const entries = await fs.readdir(dir, { recursive: true });
      const files: Record<string, string> = {};
      for (const entry of entries.sort()) {
        const stat = await fs.stat(path.join(dir, entry));
        files[entry] = stat.isDirectory()
          ? 'folder'
          : await fs.readFile(path.join(dir, entry), 'utf8');
      }
      return { ...files, description: 'x' };
    };
    expect(await tree(path.join(temp.dir, 'payments/second.git'))).toEqual(
      await tree(reference),
    );
    expect(
      await git(path.join(temp.dir, 'payments/second.git'), 'fsck', '--strict'),
    ).toBe('');
  });

  it('creates exactly one repository when deliveries of the run race', async () => {
    const provider = new GitCliProvider({ remoteBase: `file://${temp.dir}` });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => provider.ensureRepository(request())),
    );
    expect(results.map(r => r.outcome).sort()).toEqual([
      'created',
      'reused',
      'reused',
      'reused',
      'reused',
    ]);
    expect(await fs.readdir(path.join(temp.dir, 'payments'))).toEqual([
      'payments-api.git',
    ]);
  });

  it('refuses a path another run created, and one that leaves the base folder', async () => {
    const provider = new GitCliProvider({ remoteBase: temp.dir });
    await provider.ensureRepository(request());
    const other = provider.ensureRepository(
      request('11111111-2a51-4c9e-9d59-1d2f0b4c8a10'),
    );
    await expect(other).rejects.toBeInstanceOf(PermanentError);
    await expect(other).rejects.toThrow(
      "repository path 'payments/payments-api' is taken",
    );
    await expect(
      provider.ensureRepository({ ...request(), path: '../outside' }),
    ).rejects.toThrow(`repository path '../outside' would leave ${temp.dir}`);
  });

  it('only pushes to remote servers, naming the URL it will push to', async () => {
    const ssh = new GitCliProvider({
      remoteBase: 'git@git.example.com:platform',
    });
    expect(await ssh.ensureRepository(request())).toMatchObject({
      outcome: 'external',
      repository: {
        cloneUrl: 'git@git.example.com:platform/payments/payments-api.git',
      },
    });
    const https = new GitCliProvider({
      remoteBase: 'https://git.example.com/platform',
      credentials: {
        baseUrl: 'https://git.example.com',
        username: 'oauth2',
        token: 'tok-123456',
      },
    });
    const { repository } = await https.ensureRepository(request());
    expect(repository.cloneUrl).toBe(
      'https://git.example.com/platform/payments/payments-api.git',
    );
    expect(repository.gitEnv).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://git.example.com/.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
        'oauth2:tok-123456',
      ).toString('base64')}`,
    });
  });
});
