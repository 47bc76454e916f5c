import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
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
  /**
   * The control plane's REST API as the given caller (the task's initiator), so that the
   * control plane checks that person's permissions: e.g. a `ProvisionHubClient` whose fetch
   * sends an on-behalf-of token from `auth.getPluginRequestToken`.
   */
  apiFor(credentials: BackstageCredentials): ProvisionHubActionsApi;
  /** Authorizes `provisionhub.run.create` and `provisionhub.admin` for the initiator. */
  permissions: Pick<PermissionsService, 'authorize'>;
  /** Publishes `run.requested` with publisher confirms. */
  broker: Pick<ProvisionHubBroker, 'publishRequest'>;
  /**
   * The link to a run's page that outputs and logs show: `readRunPageUrl(config)` of
   * `@provisionhub/plugin-provisionhub-node` (`app.baseUrl` + `provisionhub.routes.run`).
   */
  runPageUrl(runId: string): string;
  /** How often a waiting action asks the control plane for news. Defaults to 750 ms. */
  pollIntervalMs?: number;
  /**
   * How long a create action waits for the control plane to accept or reject the request it
   * published before it ends anyway (the request stays queued). Defaults to 30 s.
   */
  acceptTimeoutMs?: number;
}
