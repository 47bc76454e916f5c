import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Entity } from '@backstage/catalog-model';
import {
  computeBlueprintDigest,
  readBlueprintFiles,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import { createTempDir } from '@provisionhub/test-utils';
import { parse as parseYaml } from 'yaml';
import {
  STARTER_ROOT,
  findShippedBlueprints,
  readBlueprintEntity,
} from './__testUtils__/shippedBlueprints';

const execFileAsync = promisify(execFile);
const BIN = path.join(STARTER_ROOT, 'bin/provisionhub-starter');
const CONTENT = ['all.yaml', 'blueprints', 'partials', 'templates'];
const OWNER = 'group:default/platform';

async function listFiles(root: string): Promise<string[]> {
  const names = await Promise.all(
    CONTENT.map(async name => {
      const stat = await fs.stat(path.join(root, name));
      if (stat.isFile()) {
        return [name];
      }
      const entries = await fs.readdir(path.join(root, name), {
        recursive: true,
        withFileTypes: true,
      });
      return entries
        .filter(e => e.isFile())
        .map(e => path.relative(root, path.join(e.parentPath, e.name)));
    }),
  );
  return names.flat().sort();
}

/** A blueprint's files, confined to its own folder and the set's partials (as the control plane confines them). */
async function digestOf(root: string, file: string) {
  const entity = await readBlueprintEntity(file);
  const sharedFolders = ['helm', 'kustomize'].map(
    p => `file:${path.join(root, 'partials', p)}`,
  );
  const sources = resolveFileSources(`file:${file}`, entity.spec.files, {
    sharedFolders,
  });
  return computeBlueprintDigest(await readBlueprintFiles(sources));
}

async function starter(args: string[]) {
  try {
    const { stdout } = await execFileAsync(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('the starter set (@provisionhub/starter)', () => {
  it('is published with everything its all.yaml and blueprints use', async () => {
    const pkg = JSON.parse(
      await fs.readFile(path.join(STARTER_ROOT, 'package.json'), 'utf8'),
    );
    expect(pkg.files.sort()).toEqual([...CONTENT, 'bin'].sort());
    expect(pkg.bin).toEqual({
      'provisionhub-starter': 'bin/provisionhub-starter',
    });
  });

  it('keeps every blueprint inside the set: files come from its own folder or the partials', async () => {
    const blueprints = await findShippedBlueprints();
    expect(blueprints.length).toBeGreaterThan(0);
    for (const file of blueprints) {
      await expect(digestOf(STARTER_ROOT, file)).resolves.toMatch(/^sha256:/);
    }
  });

  describe('copied with provisionhub-starter --owner', () => {
    let temp: { dir: string; remove(): Promise<void> };
    let copy: string;
    let output: Awaited<ReturnType<typeof starter>>;

    beforeAll(async () => {
      temp = await createTempDir();
      copy = path.join(temp.dir, 'provisionhub');
      output = await starter([copy, '--owner', OWNER]);
    });

    afterAll(() => temp?.remove());

    it('copies every file of the set and says what it did', async () => {
      expect(output.code).toBe(0);
      const files = await listFiles(STARTER_ROOT);
      expect(await listFiles(copy)).toEqual(files);
      expect(output.stdout).toContain(
        `Copied the ProvisionHub starter set (${files.length} files, 12 entities) into ${copy}; owner ${OWNER}.`,
      );
    });

    it('gives every Blueprint and Template the owner, and changes nothing else', async () => {
      const all = parseYaml(
        await fs.readFile(path.join(copy, 'all.yaml'), 'utf8'),
      ) as Entity;
      const targets = all.spec!.targets as string[];
      for (const target of targets) {
        const [original, copied] = await Promise.all(
          [STARTER_ROOT, copy].map(root =>
            fs.readFile(path.join(root, target), 'utf8'),
          ),
        );
        const entity = parseYaml(copied) as Entity;
        expect([target, entity.spec?.owner]).toEqual([target, OWNER]);
        expect(copied).toBe(
          original.replace(
            /^ {2}owner: group:default\/(platform-team|web-team)$/m,
            `  owner: ${OWNER}`,
          ),
        );
      }
      expect(targets.filter(t => t.startsWith('./templates/'))).toHaveLength(2);
    });

    it('renders every blueprint version to the files of the original: the partials travel with them', async () => {
      const originals = await findShippedBlueprints();
      const copies = await findShippedBlueprints(path.join(copy, 'blueprints'));
      expect(copies.map(f => path.relative(copy, f))).toEqual(
        originals.map(f => path.relative(STARTER_ROOT, f)),
      );
      for (const [index, file] of copies.entries()) {
        expect(await digestOf(copy, file)).toBe(
          await digestOf(STARTER_ROOT, originals[index]),
        );
      }
    });

    it('refuses a folder that is not empty and an owner that is not an entity ref', async () => {
      expect(await starter([copy])).toEqual({
        code: 1,
        stdout: '',
        stderr: `provisionhub-starter: ${copy} is not empty; copy into a new folder (nothing was changed)\n`,
      });
      expect(
        await starter([
          path.join(temp.dir, 'other'),
          '--owner',
          'platform team',
        ]),
      ).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "provisionhub-starter: --owner must be an entity ref such as group:default/platform, got 'platform team'\n",
      });
      await expect(fs.access(path.join(temp.dir, 'other'))).rejects.toThrow();
    });
  });
});
