import path from 'node:path';
import { createTempDir, git } from '@provisionhub/test-utils';
import { createCheckpoint } from './checkpoints';

describe('createCheckpoint', () => {
  let temp: { dir: string; remove(): Promise<void> };
  let remote: string;
  beforeAll(async () => {
    temp = await createTempDir('provisionhub-checkpoints-');
    remote = path.join(temp.dir, 'remote.git');
    await git(temp.dir, 'init', '--bare', '--quiet', remote);
  });
  afterAll(() => temp.remove());

  const checkpointFor = (scratch: string, stepId = 'notify') =>
    createCheckpoint({
      dir: path.join(temp.dir, scratch),
      repository: {
        path: 'payments/api',
        cloneUrl: `file://${remote}`,
        webUrl: `file://${remote}`,
        gitEnv: {},
      },
      runId: 'run-1',
      stepId,
      author: { name: 'P', email: 'p@example.com' },
      date: '2026-11-27T10:00:00.000Z',
      secrets: [],
      signal: new AbortController().signal,
    });

  it('stores a result in the repository and returns it to a later delivery without calling again', async () => {
    const fn = jest.fn(async () => ({ status: 202, ids: [1, 2] }));
    expect(await checkpointFor('a')('response', fn)).toEqual({
      status: 202,
      ids: [1, 2],
    });
    // Another delivery: a fresh scratch folder, the same repository.
    const again = jest.fn(async () => ({ status: 500, ids: [] }));
    expect(await checkpointFor('b')('response', again)).toEqual({
      status: 202,
      ids: [1, 2],
    });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(again).not.toHaveBeenCalled();
    expect(await git(remote, 'for-each-ref', '--format=%(refname)')).toBe(
      'refs/provisionhub/checkpoints/run-1/notify/response',
    );
    expect(await git(remote, 'branch', '--list')).toBe('');
  });

  it('keeps results of nothing (void) and null apart from missing ones', async () => {
    const checkpoint = checkpointFor('c', 'other');
    expect(await checkpoint('void', async () => undefined)).toBeUndefined();
    expect(await checkpoint('null', async () => null)).toBeNull();
    const fn = jest.fn(async () => 'x');
    expect(await checkpointFor('d', 'other')('void', fn)).toBeUndefined();
    expect(fn).not.toHaveBeenCalled();
  });

  it('does not store anything when fn throws', async () => {
    const checkpoint = checkpointFor('e', 'failing');
    await expect(
      checkpoint('call', async () => {
        throw new Error('503');
      }),
    ).rejects.toThrow('503');
    expect(await checkpoint('call', async () => 'second')).toBe('second');
  });

  it.each(['', '../x', 'a/b', 'x.lock', 'x.', '.hidden', 'a'.repeat(101)])(
    'refuses the key %j',
    async key => {
      await expect(
        checkpointFor('f')(key, async () => 1),
      ).rejects.toMatchObject({ name: 'PermanentError' });
    },
  );
});
