import type { ProvisionHubApi } from '@provisionhub/plugin-provisionhub-common';
import type { ProvisionHubBroker } from '@provisionhub/plugin-provisionhub-node';

/**
 * The part of the control plane's REST API the actions use.
 * @public
 */
export type ProvisionHubActionsApi = Pick<
  ProvisionHubApi,
  | 'listBlueprints'
  | 'getBlueprint'
  | 'dryRun'
  | 'getRun'
  | 'getRunLogs'
  | 'cancelRun'
>;

/**
 * What every `provisionhub:*` action needs.
 * @public
 */
export interface ProvisionHubActionsOptions {
  /** The control plane's REST API, e.g. a `ProvisionHubClient` with a service token. */
  api: ProvisionHubActionsApi;
  /** Publishes `run.requested` with publisher confirms. */
  broker: Pick<ProvisionHubBroker, 'publishRequest'>;
  /** `app.baseUrl`: run links point at `<appBaseUrl>/provisionhub/runs/<runId>`. */
  appBaseUrl: string;
  /** How often a waiting action asks the control plane for news. Defaults to 750 ms. */
  pollIntervalMs?: number;
}
