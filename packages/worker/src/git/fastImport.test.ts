import fs from 'node:fs/promises';
import path from 'node:path';
import { createTempDir, git } from '@provisionhub/test-utils';
import { commitFiles, initRepository } from './commits';
import { importCommit, initScratchRepository, readBranch } from './fastImport';

const author = { name: 'ProvisionHub', email: 'provisionhub@example.com' };
const commit = {
  message: 'Create x\n\nProvisionHub-Run: 1',
  author,
  date: '2026-11-27T10:00:00.000Z',
};
const files = [
  { path: 'README.md', content: Buffer.from('# x\n'), executable: false },
  {
    path: 'bin/start.sh',
    content: Buffer.from('#!/bin/sh\n'),
    executable: true,
  },
  {
    path: 'docs/a file with spaces.md',
    content: Buffer.from('spaces\n'),
    executable: false,
  },
  {
    path: 'docs/"quoted".md',
    content: Buffer.from('quotes\n'),
    executable: false,
  },
  {
    path: 'logo.bin',
    content: Buffer.from([0, 1, 2, 255, 10, 0]),
    executable: false,
  },
];

describe('importCommit', () => {
  let temp: { dir: string; remove(): Promise<void> };
  beforeEach(async () => {
    temp = await createTempDir();
  });
  afterEach(() => temp.remove());

  it('makes exactly the commit git add + commit-tree makes, and creates the branch', async () => {
    const work = path.join(temp.dir, 'work');
    for (const file of files) {
      await fs.mkdir(path.dirname(path.join(work, file.path)), {
        recursive: true,
      });
      await fs.writeFile(path.join(work, file.path), file.content, {
        mode: file.executable ? 0o755 : 0o644,
      });
    }
    await initRepository(work, 'main');
    const { sha: expected } = await commitFiles(work, {
      ...commit,
      parents: [],
    });

    const bare = path.join(temp.dir, 'repo.git');
    await initScratchRepository(bare);
    const imported = await importCommit(bare, files, commit, 'main');
    expect(imported).toEqual({ sha: expected, branchUpdated: true });
    expect(await readBranch(bare, 'main')).toBe(expected);
    expect(
      await git(
        bare,
        'ls-tree',
        '-r',
        '--format=%(objectmode) %(path)',
        'main',
      ),
    ).toBe(
      [
        '100644 README.md',
        '100755 bin/start.sh',
        '100644 "docs/\\"quoted\\".md"',
        '100644 docs/a file with spaces.md',
        '100644 logo.bin',
      ].join('\n'),
    );
    expect(await git(bare, 'fsck', '--strict')).toBe('');
    // One pack, not a loose file per object.
    expect(await git(bare, 'count-objects', '-v')).toMatch(
      /^count: 0$[\s\S]*^packs: 1$/m,
    );
  });

  it('is a no-op the second time, and never moves a branch that holds other commits', async () => {
    const bare = path.join(temp.dir, 'repo.git');
    await initScratchRepository(bare);
    const first = await importCommit(bare, files, commit, 'main');
    expect(await importCommit(bare, files, commit, 'main')).toEqual(first);

    const other = await importCommit(bare, files.slice(1), commit, 'main');
    expect(other.branchUpdated).toBe(false);
    expect(other.sha).not.toBe(first.sha);
    expect(await readBranch(bare, 'main')).toBe(first.sha);
    expect(await readBranch(bare, 'missing')).toBeUndefined();
  });

  it('makes a child commit whose tree is exactly the files given', async () => {
    const bare = path.join(temp.dir, 'repo.git');
    await initScratchRepository(bare);
    const parent = await importCommit(bare, files, commit, 'main');
    const child = await importCommit(
      bare,
      [files[0], { ...files[1], content: Buffer.from('#!/bin/sh\nexit 0\n') }],
      { ...commit, message: 'next', parent: parent.sha },
      'main',
    );
    expect(child.branchUpdated).toBe(true);
    expect(await git(bare, 'rev-parse', 'main^')).toBe(parent.sha);
    expect(await git(bare, 'ls-tree', '-r', '--name-only', 'main')).toBe(
      'README.md\nbin/start.sh',
    );
    expect(await git(bare, 'show', 'main:bin/start.sh')).toBe(
      '#!/bin/sh\nexit 0',
    );
  });
});
