import {
  createRenderContext,
  renderBlueprint,
} from '@provisionhub/plugin-provisionhub-node';
import type { StepFunction } from './types';

/**
 * Step `render`: renders the blueprint with the run's values, in memory (`push` commits them from
 * there; nothing is written to disk). Rendering is deterministic, so every delivery of the run
 * makes byte-identical files. An upgrade job also renders the version the component runs now
 * with the values it was made with (the common ancestor of the merge).
 */
export const render: StepFunction = async (
  job,
  { state, logger, renderLimits },
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
  }
  const binary = rendered.filter(f => f.binary).length;
  const detail = `${rendered.length} files (${binary} binary) in ${Math.round(
    performance.now() - started,
  )} ms`;
  logger.info(`Rendered ${detail}`);
  return { status: 'succeeded', detail };
};
