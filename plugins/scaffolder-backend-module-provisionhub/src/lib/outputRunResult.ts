import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { Run } from '@provisionhub/plugin-provisionhub-common';

/** The outputs of a step that followed a run to its successful end. */
export function outputRunResult(
  ctx: Pick<ActionContext<any, any>, 'output'>,
  run: Run,
) {
  ctx.output('status', run.status);
  if (run.outputs) {
    ctx.output('repoUrl', run.outputs.repoUrl);
    ctx.output('entityRef', run.outputs.entityRef);
  }
}
