import fs from 'node:fs/promises';
import path from 'node:path';
import { createTempDir } from '@provisionhub/test-utils';
import { computeBlueprintDigest } from './computeBlueprintDigest';
import { readBlueprintFiles } from './readBlueprintFiles';
import { resolveFileSources } from './resolveFileSources';

describe('blueprint files', () => {
  let tmp: Awaited<ReturnType<typeof createTempDir>>;

  beforeEach(async () => {
    tmp = await createTempDir();
    const write = async (file: string, content: string, mode = 0o644) => {
      await fs.mkdir(path.dirname(path.join(tmp.dir, file)), {
        recursive: true,
      });
      await fs.writeFile(path.join(tmp.dir, file), content, { mode });
    };
    await write('modules/api/blueprint.yaml', 'kind: Blueprint');
    await write('modules/api/skeleton/README.md', '# ${{ name }}');
    await write('modules/api/skeleton/scripts/run.sh', '#!/bin/sh', 0o755);
    await write('shared/helm/values.yaml', 'replicas: 1');
  });

  afterEach(() => tmp.remove());

  it('resolves sources against the entity location and mounts them', async () => {
    const entityFile = path.join(tmp.dir, 'modules/api/blueprint.yaml');
    const sources = resolveFileSources(`file:${entityFile}`, [
      { from: './skeleton' },
      { from: '../../shared/helm', to: 'deploy/helm/' },
    ]);
    expect(sources).toEqual([
      {
        location: `file:${path.join(tmp.dir, 'modules/api/skeleton')}`,
        target: '',
      },
      {
        location: `file:${path.join(tmp.dir, 'shared/helm')}`,
        target: 'deploy/helm',
      },
    ]);
    const files = await readBlueprintFiles(sources);
    expect(files.map(f => [f.path, f.executable])).toEqual([
      ['README.md', false],
      ['deploy/helm/values.yaml', false],
      ['scripts/run.sh', true],
    ]);
  });

  it('resolves URL locations relative to the entity file', () => {
    expect(
      resolveFileSources(
        'url:https://gitlab.example.com/p/b/-/blob/main/bp/blueprint.yaml',
        './skeleton',
      ),
    ).toEqual([
      {
        location: 'https://gitlab.example.com/p/b/-/blob/main/bp/skeleton/',
        target: '',
      },
    ]);
    expect(() => resolveFileSources('github:x', './s')).toThrow(
      /only file: and url:/,
    );
  });

  it('gives the same digest for the same tree and another for any change', async () => {
    const sources = [
      {
        location: `file:${path.join(tmp.dir, 'modules/api/skeleton')}`,
        target: '',
      },
    ];
    const first = computeBlueprintDigest(await readBlueprintFiles(sources));
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(computeBlueprintDigest(await readBlueprintFiles(sources))).toBe(
      first,
    );
    await fs.chmod(path.join(tmp.dir, 'modules/api/skeleton/README.md'), 0o755);
    expect(computeBlueprintDigest(await readBlueprintFiles(sources))).not.toBe(
      first,
    );
  });

  it('refuses symbolic links, overlapping sources and oversized trees', async () => {
    const skeleton = path.join(tmp.dir, 'modules/api/skeleton');
    const source = { location: `file:${skeleton}`, target: '' };
    await expect(readBlueprintFiles([source, source])).rejects.toThrow(
      "two blueprint sources write 'README.md'; give one of them a different 'to' folder",
    );
    await expect(readBlueprintFiles([source], { maxFiles: 1 })).rejects.toThrow(
      'blueprint is too large: over 1 files or 20971520 bytes',
    );
    await fs.symlink('/etc/passwd', path.join(skeleton, 'passwd'));
    await expect(readBlueprintFiles([source])).rejects.toThrow(
      "blueprint file 'passwd' is a symbolic link; blueprints may only contain regular files",
    );
  });
});
