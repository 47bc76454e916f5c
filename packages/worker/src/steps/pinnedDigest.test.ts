import fs from 'node:fs/promises';
import path from 'node:path';
import { createTempDir } from '@provisionhub/test-utils';
import { BlueprintCache } from '../blueprints/BlueprintCache';
import { isRetryable } from '../errors';
import { createCapturingLogger } from '../__testUtils__/logger';
import { createJob, writeBlueprint } from '../__testUtils__/blueprints';
import { fetchBlueprint } from './fetchBlueprint';
import { render } from './render';
import type { RunState, StepHelpers } from './types';

/** One worker's view: its own blueprint cache, the fetch and render steps, a workspace. */
function workerSteps(root: string, name: string) {
  const blueprints = new BlueprintCache({ maxEntries: 10 });
  return {
    blueprints,
    async run(job: ReturnType<typeof createJob>) {
      const state: RunState = {};
      const workspace = path.join(root, `${name}-${job.runId}`);
      await fs.mkdir(workspace, { recursive: true });
      const helpers = {
        blueprints,
        state,
        workspace,
        logger: createCapturingLogger(),
        urlReader: { readTree: jest.fn() },
      } as unknown as StepHelpers;
      await fetchBlueprint(job, helpers);
      await render(job, helpers);
      return state
        .rendered!.find(f => f.path === 'README.md')!
        .content.toString('utf8');
    },
  };
}

describe('two workers whose blueprint caches disagree', () => {
  let tmp: Awaited<ReturnType<typeof createTempDir>>;
  afterEach(() => tmp.remove());

  it('render only the pinned content, and refuse files with another digest', async () => {
    tmp = await createTempDir();
    const dir = path.join(tmp.dir, 'blueprint');
    const published = await writeBlueprint(dir, {
      'README.md': '# ${{ name }} v1\n',
    });
    const a = workerSteps(tmp.dir, 'a');
    const b = workerSteps(tmp.dir, 'b');
    const pinnedJob = () => createJob(published);

    // Worker A renders the published version and caches its files.
    expect(await a.run(pinnedJob())).toBe('# payments-api v1\n');

    // Someone edits the published version in place.
    await fs.writeFile(
      path.join(dir, 'README.md'),
      '# ${{ name }} v1, edited\n',
    );

    // A still holds the pinned bytes and renders exactly them; B reads the edited files and
    // refuses them: neither renders content the run did not pin.
    expect(await a.run(pinnedJob())).toBe('# payments-api v1\n');
    const refused = await b.run(pinnedJob()).then(
      () => undefined,
      e => e as Error,
    );
    expect(refused?.message).toMatch(
      /changed after the run was requested: its files have digest sha256:[0-9a-f]{64}, the run pinned sha256:[0-9a-f]{64}\. A published version must not change; publish a new version/,
    );
    expect(isRetryable(refused)).toBe(false);
  });

  it('refuse to render cached files that are not the pinned ones', async () => {
    tmp = await createTempDir();
    const first = await writeBlueprint(path.join(tmp.dir, 'one'), {
      'README.md': '# one\n',
    });
    const second = await writeBlueprint(path.join(tmp.dir, 'two'), {
      'README.md': '# two\n',
    });
    const a = workerSteps(tmp.dir, 'a');
    await a.run(createJob(second));
    // A cache entry that lies: the files of `two` under the digest of `one`.
    a.blueprints.set(first.digest, a.blueprints.get(second.digest)!);

    const refused = await a.run(createJob(first)).then(
      () => undefined,
      e => e as Error,
    );
    expect(refused?.name).toBe('BlueprintDigestMismatchError');
    expect(refused?.message).toContain(
      `the blueprint files have digest ${second.digest}, but the run pinned ${first.digest}`,
    );
    expect(isRetryable(refused)).toBe(false);
  });
});
