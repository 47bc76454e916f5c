import { ConflictError, NotFoundError } from '@backstage/errors';
import type { ProvisionedComponent } from '@provisionhub/plugin-provisionhub-common';
import type {
  RunBlueprintJob,
  RunRecord,
  RunStore,
} from '../database/RunStore';

/**
 * A live component and the run that gave it its blueprint version and values: what a day-2
 * run of it starts from. `NotFoundError` for an unknown component, `ConflictError` for a
 * decommissioned one or one whose run is no longer stored; `action` ends the sentence
 * ("… cannot be upgraded").
 * @internal
 */
export async function liveComponent(
  store: RunStore,
  name: string,
  action: string,
): Promise<{
  component: ProvisionedComponent;
  current: RunRecord & { blueprintJob: RunBlueprintJob };
}> {
  const component = await store.getComponent(name);
  if (!component) {
    throw new NotFoundError(
      `component '${name}' was not provisioned by ProvisionHub`,
    );
  }
  if (component.status === 'decommissioned') {
    throw new ConflictError(
      `component '${name}' was decommissioned by run ${component.decommissionRunId}; it cannot be ${action}`,
    );
  }
  const current = await store.getRun(component.runId);
  if (!current?.blueprintJob) {
    throw new ConflictError(
      `component '${name}' cannot be ${action}: run ${component.runId}, which gave it its blueprint version and values, is no longer stored`,
    );
  }
  return {
    component,
    current: current as RunRecord & { blueprintJob: RunBlueprintJob },
  };
}
