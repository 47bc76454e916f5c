import fs from 'node:fs/promises';
import path from 'node:path';
import {
  computeBlueprintDigest,
  readBlueprintFiles,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import {
  HOSTILE_BLUEPRINTS,
  HOSTILE_SECRET,
  HOSTILE_SECRET_VARIABLE,
  createTempDir,
  listTree,
  writeHostileBlueprint,
} from '@provisionhub/test-utils';
import { BlueprintCache } from './blueprints/BlueprintCache';
import { isRetryable, messageOf } from './errors';
import { fetchBlueprint } from './steps/fetchBlueprint';
import { render } from './steps/render';
import type { StepHelpers } from './steps/types';
import { createJob } from './__testUtils__/blueprints';
import { createCapturingLogger } from './__testUtils__/logger';

/** The worker's render path (fetch-blueprint, render) against every hostile blueprint. */
describe('hostile blueprints on the worker render path', () => {
  let tmp: Awaited<ReturnType<typeof createTempDir>>;

  beforeAll(async () => {
    process.env[HOSTILE_SECRET_VARIABLE] = HOSTILE_SECRET;
    tmp = await createTempDir();
  });

  afterAll(async () => {
    delete process.env[HOSTILE_SECRET_VARIABLE];
    await tmp.remove();
  });

  it.each(
    HOSTILE_BLUEPRINTS.filter(c => c.stage === 'render').map(
      c => [c.name, c] as const,
    ),
  )('%s', async (_, hostile) => {
    const root = path.join(tmp.dir, hostile.name);
    const { entityFile, entity } = await writeHostileBlueprint(root, hostile);
    const files = resolveFileSources(`file:${entityFile}`, entity.spec.files);
    const digest = await readBlueprintFiles(files).then(
      computeBlueprintDigest,
      () => `sha256:${'0'.repeat(64)}`,
    );
    const job = createJob({
      location: files[0].location,
      digest,
      name: 'hostile-app',
      values: {},
    });
    job.blueprint.files = files;
    const workspace = path.join(root, 'workspace');
    await fs.mkdir(workspace);
    const before = await listTree(root);
    const logger = createCapturingLogger();
    const helpers = {
      blueprints: new BlueprintCache({ maxEntries: 5 }),
      renderLimits: { timeoutMs: 1000, maxOutputBytes: 8 * 1024 * 1024 },
      state: {},
      workspace,
      logger,
      urlReader: { readTree: jest.fn() },
    } as unknown as StepHelpers;

    const error = await fetchBlueprint(job, helpers)
      .then(() => render(job, helpers))
      .then(
        () => undefined,
        e => e as Error,
      );

    const written = (await listTree(root)).filter(
      p => !p.startsWith('workspace'),
    );
    expect(written).toEqual(before.filter(p => !p.startsWith('workspace')));
    const repo = path.join(workspace, 'repo');
    if ('refused' in hostile.expect) {
      expect(error && messageOf(error)).toMatch(hostile.expect.refused);
      expect(isRetryable(error)).toBe(false);
      expect(messageOf(error)).not.toContain(HOSTILE_SECRET);
    } else {
      expect(error).toBeUndefined();
      const rendered: string[] = [];
      for (const p of await listTree(repo)) {
        if ((await fs.stat(path.join(repo, p))).isFile()) {
          rendered.push(p);
        }
      }
      expect(rendered).toEqual(Object.keys(hostile.expect.renders).sort());
      for (const [p, content] of Object.entries(hostile.expect.renders)) {
        const actual = await fs.readFile(path.join(repo, p));
        expect(actual.equals(Buffer.from(content))).toBe(true);
        expect(actual.toString('latin1')).not.toContain(HOSTILE_SECRET);
      }
    }
    expect(logger.lines.join('\n')).not.toContain(HOSTILE_SECRET);
  });
});
