import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A value put into the test process's environment: no rendered file, error or log may ever
 * contain it (the render sandbox runs without the environment).
 */
export const HOSTILE_SECRET = 'hostile-secret-7f3a9c21';
/** The variable that holds {@link HOSTILE_SECRET}. */
export const HOSTILE_SECRET_VARIABLE = 'PROVISIONHUB_HOSTILE_TEST_SECRET';

/** A PNG whose bytes contain template syntax and an escape attempt; copied untouched. */
export const HOSTILE_PNG = Buffer.concat([
  Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
    'hex',
  ),
  Buffer.from('${{ range.constructor("return process")() }}'),
  Buffer.from([0, 0, 0, 0]),
]);

/**
 * One hostile blueprint and what must happen to it.
 * - `stage: 'resolve'`: the control plane refuses the blueprint before anything renders (its
 *   `spec.files` or folders); a worker never gets a job for it.
 * - `stage: 'render'`: the files reach the renderer (the worker's fetch and render steps, the
 *   control plane's dry run), which refuses or contains them.
 */
export interface HostileBlueprintCase {
  name: string;
  stage: 'resolve' | 'render';
  /** Files of the blueprint's `skeleton` folder. */
  files: Record<string, string | Buffer>;
  /** `spec.files`; `[{ from: './skeleton' }]` when absent. */
  sources?: Array<{ from: string; to?: string }>;
  /** Changes on disk after the files are written (symbolic links). */
  prepare?(dirs: { blueprint: string; outside: string }): Promise<void>;
  /** The error must match; or, for a contained case, the rendered files must be exactly these. */
  expect: { refused: RegExp } | { renders: Record<string, string | Buffer> };
}

const loopForever =
  '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}';

/**
 * The hostile-blueprint suite: escapes from the template language, endless and enormous
 * renders, paths that leave the repository or the blueprint's folder, symbolic links, `.git`,
 * unicode and templated names, binary files. Run on the worker's render path and on the control
 * plane's dry run; the render limits of those tests must be small (1 s, 8 MiB).
 */
export const HOSTILE_BLUEPRINTS: HostileBlueprintCase[] = [
  {
    name: 'constructor-escape',
    stage: 'render',
    files: {
      'README.md': `# escape\n\${{ range.constructor("return process")().env.${HOSTILE_SECRET_VARIABLE} }}\n`,
    },
    expect: {
      refused:
        /README\.md line 2: 'constructor' cannot be used in a blueprint template/,
    },
  },
  {
    name: 'string-constructor-escape',
    stage: 'render',
    files: {
      'a.txt': `\${{ "".constructor.constructor("return process")().mainModule.require("fs").readFileSync("/etc/passwd") }}`,
    },
    expect: {
      refused: /a\.txt line 1: 'constructor' cannot be used/,
    },
  },
  {
    name: 'prototype-escape',
    stage: 'render',
    files: {
      'b.txt': 'ok\nok\n{% set p = values.__proto__ %}${{ p }}\n',
    },
    expect: { refused: /b\.txt line 3: '__proto__' cannot be used/ },
  },
  {
    name: 'top-level-constructor',
    stage: 'render',
    files: { 'c.txt': '${{ constructor.getOwnPropertyNames(values) }}' },
    expect: { refused: /c\.txt line 1: 'constructor' cannot be used/ },
  },
  {
    name: 'process-access',
    stage: 'render',
    files: {
      'd.txt': `\${{ process.env.${HOSTILE_SECRET_VARIABLE} }}`,
    },
    expect: {
      refused: new RegExp(
        `d\\.txt line 1: 'process\\.env\\.${HOSTILE_SECRET_VARIABLE}' is not defined`,
      ),
    },
  },
  {
    name: 'require-access',
    stage: 'render',
    files: {
      'e.txt': 'x\n${{ require("child_process").execSync("id") }}',
    },
    expect: { refused: /e\.txt line 2: Unable to call `require`/ },
  },
  {
    name: 'include-a-file',
    stage: 'render',
    files: { 'f.txt': '{% include "/etc/passwd" %}' },
    expect: {
      refused:
        /f\.txt line 1: '\/etc\/passwd' cannot be loaded: blueprint templates cannot include/,
    },
  },
  {
    name: 'endless-loop',
    stage: 'render',
    files: { 'slow.txt': `first line\n${loopForever}\n` },
    expect: {
      refused:
        /slow\.txt line 2: rendering took longer than the time limit of \d+ ms/,
    },
  },
  {
    name: 'gigabyte-output',
    stage: 'render',
    files: {
      'big.txt':
        'header\n{% for i in range(100000) %}{% for j in range(100000) %}${{ "0123456789".repeat(100000) }}{% endfor %}{% endfor %}',
    },
    expect: {
      refused:
        /big\.txt line 2: the rendered output is larger than the limit of \d+ bytes/,
    },
  },
  {
    name: 'huge-range',
    stage: 'render',
    files: { 'r.txt': '${{ range(0, 1000000000000) | length }}' },
    expect: {
      refused: /r\.txt line 1: range\(\) may produce at most 100000 numbers/,
    },
  },
  {
    name: 'rendered-name-dot-dot',
    stage: 'render',
    // Folders literally named `${{ ".." }}` on disk, rendering to `..`.
    files: { '${{ ".." }}/${{ ".." }}/escaped.txt': 'x' },
    expect: {
      refused:
        /renders to "\.\.\/\.\.\/escaped\.txt", which contains '\.\.' and would leave the repository/,
    },
  },
  {
    name: 'rendered-name-absolute',
    stage: 'render',
    files: { '${{ "/tmp/provisionhub-hostile" }}.txt': 'x' },
    expect: {
      refused:
        /renders to "\/tmp\/provisionhub-hostile\.txt", which is absolute/,
    },
  },
  {
    name: 'rendered-name-git',
    stage: 'render',
    files: { '${{ ".gi" + "t" }}/hooks/post-checkout': '#!/bin/sh\nid\n' },
    expect: { refused: /writes into '\.git', which belongs to Git/ },
  },
  {
    name: 'git-folder-in-skeleton',
    stage: 'render',
    files: {
      '.git/hooks/post-checkout': '#!/bin/sh\nid\n',
      '.git/config': '[core]\n\thooksPath = /tmp\n',
      'README.md': '# ${{ name }}\n',
    },
    expect: { renders: { 'README.md': '# hostile-app\n' } },
  },
  {
    name: 'symlinked-file',
    stage: 'render',
    files: { 'README.md': '# ${{ name }}\n' },
    async prepare({ blueprint }) {
      await fs.symlink(
        '/etc/passwd',
        path.join(blueprint, 'skeleton', 'passwd'),
      );
    },
    expect: {
      refused:
        /'passwd' is a symbolic link; blueprints may only contain regular files/,
    },
  },
  {
    name: 'unicode-and-templated-folders',
    stage: 'render',
    files: {
      'src/${{ name }}/ünïcödé-文件.txt': 'Grüße von ${{ name }} 🚀\n',
      '${{ values.folder | default("docs") }}/${{ name | upper }}.md':
        '# ${{ name }}\n',
    },
    expect: {
      renders: {
        'docs/HOSTILE-APP.md': '# hostile-app\n',
        'src/hostile-app/ünïcödé-文件.txt': 'Grüße von hostile-app 🚀\n',
      },
    },
  },
  {
    name: 'binary-files',
    stage: 'render',
    files: { 'assets/${{ name }}.png': HOSTILE_PNG },
    expect: { renders: { 'assets/hostile-app.png': HOSTILE_PNG } },
  },
  {
    name: 'files-from-dot-dot',
    stage: 'resolve',
    files: { 'README.md': 'x' },
    sources: [{ from: './skeleton' }, { from: '../../outside', to: 'stolen' }],
    expect: {
      refused:
        /spec\.files\[1\]\.from '\.\.\/\.\.\/outside' leaves the blueprint's folder/,
    },
  },
  {
    // Invalid for the Blueprint schema already (the catalog reports it); never resolvable.
    name: 'files-from-absolute',
    stage: 'resolve',
    files: { 'README.md': 'x' },
    sources: [{ from: '/etc' }],
    expect: { refused: /invalid: \/spec\/files\/0\/from/ },
  },
  {
    name: 'symlinked-folder',
    stage: 'resolve',
    files: {},
    async prepare({ blueprint, outside }) {
      await fs.rm(path.join(blueprint, 'skeleton'), {
        recursive: true,
        force: true,
      });
      await fs.symlink(outside, path.join(blueprint, 'skeleton'));
    },
    expect: {
      refused: /through a symbolic link, outside the blueprint's folder/,
    },
  },
];

/**
 * Writes a hostile case under `<root>/blueprints/<name>/` (files in `skeleton/`, an entity file
 * `blueprint.yaml` next to it) and a sentinel folder `<root>/outside` that nothing may read or
 * change. Returns the Blueprint entity as the catalog would give it.
 */
export async function writeHostileBlueprint(
  root: string,
  hostile: HostileBlueprintCase,
): Promise<{
  folder: string;
  entityFile: string;
  entity: {
    apiVersion: string;
    kind: string;
    metadata: {
      name: string;
      namespace: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    spec: Record<string, any>;
  };
}> {
  const folder = path.join(root, 'blueprints', hostile.name);
  const outside = path.join(root, 'outside');
  await fs.mkdir(path.join(folder, 'skeleton'), { recursive: true });
  await fs.mkdir(outside, { recursive: true });
  await fs.writeFile(path.join(outside, 'secret.txt'), HOSTILE_SECRET);
  for (const [file, content] of Object.entries(hostile.files)) {
    const full = path.join(folder, 'skeleton', file);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
  await hostile.prepare?.({ blueprint: folder, outside });
  const entityFile = path.join(folder, 'blueprint.yaml');
  const spec = {
    type: 'backend',
    version: '1.0.0',
    owner: 'group:default/platform',
    parameters: { type: 'object', properties: {} },
    files: hostile.sources ?? [{ from: './skeleton' }],
  };
  await fs.writeFile(entityFile, JSON.stringify(spec));
  return {
    folder,
    entityFile,
    entity: {
      apiVersion: 'provisionhub.io/v1alpha1',
      kind: 'Blueprint',
      metadata: {
        name: `${hostile.name}-v1.0.0`,
        namespace: 'default',
        labels: { 'provisionhub.io/blueprint': hostile.name },
        annotations: {
          'backstage.io/managed-by-location': `file:${entityFile}`,
          'backstage.io/managed-by-origin-location': `file:${entityFile}`,
        },
      },
      spec,
    },
  };
}

/** Every file under `dir` (relative paths, symbolic links not followed), sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string) {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      out.push(path.relative(dir, full));
      if (entry.isDirectory()) {
        await walk(full);
      }
    }
  }
  await walk(dir);
  return out.sort();
}
