import fs from 'node:fs/promises';
import path from 'node:path';
import {
  RenderedFile,
  createRenderContext,
  renderBlueprint,
} from '@provisionhub/plugin-provisionhub-node';
import type { StepFunction } from './types';

/**
 * Step `render`: renders the blueprint with the run's values into `<workspace>/repo`. Rendering is
 * deterministic, so every delivery of the run writes byte-identical files. An upgrade job also
 * renders the version the component runs now with the values it was made with (the common
 * ancestor of the merge); both stay in memory.
 */
export const render: StepFunction = async (
  job,
  { state, workspace, logger, renderLimits },
) => {
  const started = performance.now();
  const rendered = await renderBlueprint(
    state.files!,
    createRenderContext(job),
    { digest: job.blueprint.digest, limits: renderLimits },
  );
  state.rendered = rendered;
  if (job.upgrade) {
    const { from } = job.upgrade;
    state.baseRendered = await renderBlueprint(
      state.baseFiles!,
      createRenderContext({
        ...job,
        run: { ...job.run, values: from.values },
        blueprint: from,
      }),
      { digest: from.digest, limits: renderLimits },
    );
  } else {
    const repoDir = path.join(workspace, 'repo');
    await writeFiles(repoDir, rendered);
    state.repoDir = repoDir;
  }
  const binary = rendered.filter(f => f.binary).length;
  const detail = `${rendered.length} files (${binary} binary) in ${Math.round(
    performance.now() - started,
  )} ms`;
  logger.info(`Rendered ${detail}`);
  return { status: 'succeeded', detail };
};

/** Writes rendered files under `dir`, keeping the executable bit. */
export async function writeFiles(
  dir: string,
  files: readonly RenderedFile[],
): Promise<void> {
  // Only the deepest folders: creating them creates their parents.
  const folders = [
    ...new Set(files.map(f => path.dirname(path.join(dir, f.path)))),
  ];
  const leaves = folders.filter(
    folder => !folders.some(other => other.startsWith(`${folder}${path.sep}`)),
  );
  await Promise.all(
    leaves.map(folder => fs.mkdir(folder, { recursive: true })),
  );
  await Promise.all(
    files.map(f =>
      fs.writeFile(path.join(dir, f.path), f.content, {
        mode: f.executable ? 0o755 : 0o644,
      }),
    ),
  );
}
