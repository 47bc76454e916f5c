import fs from 'node:fs/promises';
import path from 'node:path';
import { gitCredentialsEnv } from '@provisionhub/plugin-provisionhub-node';
import {
  FakeGitLab,
  createTempDir,
  git as gitIn,
} from '@provisionhub/test-utils';
import { PermanentError } from '../errors';
import { commitFiles, initRepository, pushCommit } from './commits';

const TOKEN = 'glpat-push-test-token-0123';

describe('pushCommit over HTTPS', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let server: FakeGitLab;

  beforeAll(async () => {
    temp = await createTempDir('provisionhub-push-');
    server = await FakeGitLab.start({
      token: TOKEN,
      root: path.join(temp.dir, 'server'),
    });
    server.addGroup('platform');
    await server.addProject('platform/api', 'A project');
  });
  afterAll(async () => {
    await server?.close();
    await temp?.remove();
  });

  it('pushes with credentials from the environment, knows an earlier push, and calls a refused one permanent without the token', async () => {
    const dir = path.join(temp.dir, 'work');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'README.md'), '# api\n');
    await initRepository(dir, 'main');
    const { sha } = await commitFiles(dir, {
      message: 'Initial',
      author: { name: 'ProvisionHub', email: 'ph@example.com' },
      date: '2026-11-27T10:00:00Z',
      parents: [],
    });
    const target = {
      url: `${server.url}/platform/api.git`,
      sha,
      branch: 'main',
    };
    const options = {
      env: gitCredentialsEnv({
        baseUrl: server.url,
        username: 'oauth2',
        token: TOKEN,
      }),
      secrets: [TOKEN],
    };
    expect(await pushCommit(dir, target, options)).toBe('pushed');
    expect(await pushCommit(dir, target, options)).toBe('up-to-date');
    expect(
      await gitIn(server.repositoryPath('platform/api'), 'rev-parse', 'main'),
    ).toBe(sha);

    const refused = await pushCommit(dir, target, {}).catch(e => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused.message).toMatch(/^git push failed/);
    expect(refused.message).not.toContain(TOKEN);
  });
});
