import fs from 'node:fs/promises';
import path from 'node:path';
import { git } from './git';

/**
 * Makes pushes to a bare repository block: the first push's pre-receive hook creates
 * `<markers>/entered`, waits until `<markers>/release` exists, then accepts (exit 0) or rejects
 * (exit 1) it; later pushes pass straight through. This is how tests hold a worker inside a step
 * with real git, with no test code in the worker.
 */
export async function createBlockingRepository(
  dir: string,
  markers: string,
  options: { then: 'accept' | 'reject' },
): Promise<{ entered: string; release: () => Promise<void> }> {
  await fs.mkdir(markers, { recursive: true });
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await git(
    path.dirname(dir),
    'init',
    '--bare',
    '--quiet',
    '--initial-branch=main',
    dir,
  );
  await fs.mkdir(path.join(dir, 'hooks'), { recursive: true });
  const script = [
    '#!/bin/sh',
    `if mkdir "${markers}/first" 2>/dev/null; then`,
    `  touch "${markers}/entered"`,
    `  while [ ! -e "${markers}/release" ]; do sleep 0.05; done`,
    `  exit ${options.then === 'accept' ? 0 : 1}`,
    'fi',
    'exit 0',
    '',
  ].join('\n');
  await fs.writeFile(path.join(dir, 'hooks', 'pre-receive'), script, {
    mode: 0o755,
  });
  return {
    entered: path.join(markers, 'entered'),
    release: () => fs.writeFile(path.join(markers, 'release'), ''),
  };
}

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
