import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  computeBlueprintDigest,
  readBlueprintFiles,
  resolveFileSources,
} from '@provisionhub/plugin-provisionhub-node';
import {
  HOSTILE_BLUEPRINTS,
  HostileBlueprintCase,
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

  /** Runs fetch-blueprint and render on a case; returns what came out. */
  async function runOnWorker(hostile: HostileBlueprintCase) {
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
    const outsideWorkspace = async () =>
      (await listTree(root)).filter(p => !p.startsWith('workspace'));
    const before = await outsideWorkspace();
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
    const rendered: Record<string, Buffer> = {};
    if (!error) {
      for (const file of helpers.state.rendered ?? []) {
        rendered[file.path] = file.content;
      }
    }
    return {
      error,
      rendered,
      unchangedOutside: isDeepStrictEqual(before, await outsideWorkspace()),
      output: [
        error ? messageOf(error) : '',
        ...logger.lines,
        ...Object.values(rendered).map(b => b.toString('latin1')),
      ].join('\n'),
    };
  }

  const onWorker = HOSTILE_BLUEPRINTS.filter(c => c.stage === 'render');

  it.each(
    onWorker
      .filter(c => 'refused' in c.expect)
      .map(
        c => [c.name, c, (c.expect as { refused: RegExp }).refused] as const,
      ),
  )('refuses %s', async (_, hostile, refused) => {
    const result = await runOnWorker(hostile);
    expect(result.error && messageOf(result.error)).toMatch(refused);
    expect(isRetryable(result.error)).toBe(false);
    expect(result.unchangedOutside).toBe(true);
    expect(result.output).not.toContain(HOSTILE_SECRET);
  });

  it.each(
    onWorker
      .filter(c => 'renders' in c.expect)
      .map(
        c =>
          [
            c.name,
            c,
            (c.expect as { renders: Record<string, string | Buffer> }).renders,
          ] as const,
      ),
  )('contains %s', async (_, hostile, renders) => {
    const result = await runOnWorker(hostile);
    expect(result.error).toBeUndefined();
    expect(result.rendered).toEqual(
      Object.fromEntries(
        Object.entries(renders).map(([p, c]) => [p, Buffer.from(c)]),
      ),
    );
    expect(result.unchangedOutside).toBe(true);
    expect(result.output).not.toContain(HOSTILE_SECRET);
  });
});
