import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/**
 * The settings of the ProvisionHub entity provider, from `catalog.providers.provisionhub`.
 * @public
 */
export interface ProvisionHubProviderConfig {
  /** Part of the provider name, `provisionhub-provider:<id>`. */
  id: string;
  /** How often the full refresh runs. */
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** @public */
export const DEFAULT_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 10 },
  };

/**
 * Reads `catalog.providers.provisionhub`; every key is optional, so installing the module without
 * any configuration gives a working provider.
 * @public
 */
export function readProviderConfig(config: Config): ProvisionHubProviderConfig {
  const root = config.getOptionalConfig('catalog.providers.provisionhub');
  const id = root?.getOptionalString('id') ?? 'default';
  if (!/^[a-zA-Z0-9_.-]+$/.test(id)) {
    throw new Error(
      `catalog.providers.provisionhub.id '${id}' may only contain letters, digits, '.', '_' and '-'`,
    );
  }
  const schedule = root?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        root.getConfig('schedule'),
      )
    : DEFAULT_PROVIDER_SCHEDULE;
  return { id, schedule };
}
