import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type {
  BlueprintDetails,
  BlueprintSummary,
  BlueprintVersion,
  DryRunResult,
} from './blueprints/types';
import type { StartUpgradeCampaignRequest, UpgradeCampaign } from './campaigns';
import type {
  EnvironmentDefinition,
  PromoteComponentRequest,
} from './environments';
import type { PolicyDecision } from './policy';
import type {
  DeadLetter,
  DecommissionRequest,
  Page,
  ProvisionedComponent,
  ProvisionedComponentDetails,
  ProvisionedSystem,
  Run,
  RunKind,
  RunLogLine,
  RunRequest,
  RunStatus,
  UpgradeComponentRequest,
} from './types';

/** @public */
export interface ListRunsQuery {
  status?: RunStatus | RunStatus[];
  kind?: RunKind;
  system?: string;
  requestedBy?: string;
  entityRef?: string;
  limit?: number;
  cursor?: string;
}

/** @public */
export interface RunLogsPage {
  items: RunLogLine[];
  /** The highest sequence returned, or the `after` given when there is nothing new. */
  lastSeq: number;
}

/** @public */
export interface ProvisionedSystemDetails extends ProvisionedSystem {
  components: ProvisionedComponent[];
}

/**
 * The REST API of the ProvisionHub control plane (`/api/provisionhub`), described in the backend's
 * `src/schema/openapi.yaml`.
 * @public
 */
export interface ProvisionHubApi {
  createRun(request: RunRequest): Promise<Run>;
  listRuns(query?: ListRunsQuery): Promise<Page<Run>>;
  getRun(id: string): Promise<Run>;
  getRunLogs(
    id: string,
    options?: { after?: number; limit?: number },
  ): Promise<RunLogsPage>;
  cancelRun(id: string): Promise<Run>;
  retryRun(id: string): Promise<Run>;
  approveRun(id: string, options?: { comment?: string }): Promise<Run>;
  rejectRun(id: string, options: { reason: string }): Promise<Run>;
  listSystems(): Promise<{ items: ProvisionedSystem[] }>;
  getSystem(name: string): Promise<ProvisionedSystemDetails>;
  listComponents(query?: {
    system?: string;
  }): Promise<{ items: ProvisionedComponent[] }>;
  getComponent(name: string): Promise<ProvisionedComponentDetails>;
  /** Starts an `upgrade` run of the component (202): a branch, and a merge request on GitLab. */
  upgradeComponent(
    name: string,
    request: UpgradeComponentRequest,
  ): Promise<Run>;
  /**
   * Starts a `decommission` run of the component (202): its repository is archived and its
   * entity leaves the catalog; the component and its runs are kept.
   */
  decommissionComponent(
    name: string,
    request?: DecommissionRequest,
  ): Promise<Run>;
  /** Starts a `decommission` run of a system that holds no live components (202). */
  decommissionSystem(name: string, request?: DecommissionRequest): Promise<Run>;
  /**
   * Starts a `promote` run (202): the version of `from` (or `request.version`) goes to `to`,
   * changing only `to`'s overlay in the GitOps repository. Policy rules see the target
   * environment, so a production promotion may wait for approvals.
   */
  promoteComponent(
    name: string,
    request: PromoteComponentRequest,
  ): Promise<Run>;
  /** The portal's environments, in promotion order (`provisionhub.environments`). */
  listEnvironments(): Promise<{ items: EnvironmentDefinition[] }>;
  listBlueprints(query?: {
    type?: string;
  }): Promise<{ items: BlueprintSummary[] }>;
  getBlueprint(name: string): Promise<BlueprintDetails>;
  /**
   * Starts an upgrade run for every component of the blueprint on `from` (202; permission
   * `provisionhub.admin`). Components with a run in progress are skipped, with the reason.
   */
  startUpgradeCampaign(
    blueprint: string,
    request: StartUpgradeCampaignRequest,
  ): Promise<UpgradeCampaign>;
  /** A campaign's progress: how many runs are in each state, and the runs. */
  getUpgradeCampaign(blueprint: string, id: string): Promise<UpgradeCampaign>;
  getBlueprintVersion(name: string, version: string): Promise<BlueprintVersion>;
  dryRun(request: RunRequest): Promise<DryRunResult>;
  /** What policy would decide for this request by the caller; creates nothing. */
  evaluatePolicy(request: RunRequest): Promise<PolicyDecision>;
  /** Entities of succeeded runs, for the catalog entity provider (service callers only). */
  listProvisionedEntities(): Promise<{ items: Entity[] }>;
  /** Dead-lettered messages, newest death first (permission `provisionhub.admin`). */
  listDeadLetters(query?: {
    limit?: number;
  }): Promise<{ items: DeadLetter[]; total: number }>;
  /**
   * Re-drives a dead-lettered job: its run is retried as the next attempt (waiting for approval
   * again when it was never approved) and the dead letter is removed, in one transaction.
   */
  redriveDeadLetter(id: string): Promise<Run>;
  /** Removes the given dead letters, or every one when `ids` is absent. */
  purgeDeadLetters(options?: { ids?: string[] }): Promise<{ purged: number }>;
}

/**
 * Fetch-based client of {@link ProvisionHubApi}. In the browser, pass the app's discovery and fetch
 * APIs; in a backend, pass the discovery service and a fetch that adds a service token.
 * @public
 */
export class ProvisionHubClient implements ProvisionHubApi {
  readonly #discovery: { getBaseUrl(pluginId: string): Promise<string> };
  readonly #fetch: typeof fetch;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.#discovery = options.discoveryApi;
    this.#fetch = options.fetchApi
      ? options.fetchApi.fetch.bind(options.fetchApi)
      : fetch;
  }

  createRun(request: RunRequest) {
    return this.#request<Run>('POST', '/runs', request);
  }

  listRuns(query: ListRunsQuery = {}) {
    return this.#request<Page<Run>>('GET', `/runs${toQuery(query)}`);
  }

  getRun(id: string) {
    return this.#request<Run>('GET', `/runs/${encodeURIComponent(id)}`);
  }

  getRunLogs(id: string, options: { after?: number; limit?: number } = {}) {
    return this.#request<RunLogsPage>(
      'GET',
      `/runs/${encodeURIComponent(id)}/logs${toQuery(options)}`,
    );
  }

  cancelRun(id: string) {
    return this.#request<Run>(
      'POST',
      `/runs/${encodeURIComponent(id)}/cancel`,
      {},
    );
  }

  retryRun(id: string) {
    return this.#request<Run>(
      'POST',
      `/runs/${encodeURIComponent(id)}/retry`,
      {},
    );
  }

  approveRun(id: string, options: { comment?: string } = {}) {
    return this.#request<Run>(
      'POST',
      `/runs/${encodeURIComponent(id)}/approve`,
      options,
    );
  }

  rejectRun(id: string, options: { reason: string }) {
    return this.#request<Run>(
      'POST',
      `/runs/${encodeURIComponent(id)}/reject`,
      options,
    );
  }

  listSystems() {
    return this.#request<{ items: ProvisionedSystem[] }>('GET', '/systems');
  }

  getSystem(name: string) {
    return this.#request<ProvisionedSystemDetails>(
      'GET',
      `/systems/${encodeURIComponent(name)}`,
    );
  }

  listComponents(query: { system?: string } = {}) {
    return this.#request<{ items: ProvisionedComponent[] }>(
      'GET',
      `/components${toQuery(query)}`,
    );
  }

  getComponent(name: string) {
    return this.#request<ProvisionedComponentDetails>(
      'GET',
      `/components/${encodeURIComponent(name)}`,
    );
  }

  /** {@inheritDoc ProvisionHubApi.upgradeComponent} */
  upgradeComponent(name: string, request: UpgradeComponentRequest) {
    return this.#request<Run>(
      'POST',
      `/components/${encodeURIComponent(name)}/upgrade`,
      request,
    );
  }

  /** {@inheritDoc ProvisionHubApi.decommissionComponent} */
  decommissionComponent(name: string, request: DecommissionRequest = {}) {
    return this.#request<Run>(
      'POST',
      `/components/${encodeURIComponent(name)}/decommission`,
      request,
    );
  }

  /** {@inheritDoc ProvisionHubApi.promoteComponent} */
  promoteComponent(name: string, request: PromoteComponentRequest) {
    return this.#request<Run>(
      'POST',
      `/components/${encodeURIComponent(name)}/promote`,
      request,
    );
  }

  /** {@inheritDoc ProvisionHubApi.listEnvironments} */
  listEnvironments() {
    return this.#request<{ items: EnvironmentDefinition[] }>(
      'GET',
      '/environments',
    );
  }

  /** {@inheritDoc ProvisionHubApi.decommissionSystem} */
  decommissionSystem(name: string, request: DecommissionRequest = {}) {
    return this.#request<Run>(
      'POST',
      `/systems/${encodeURIComponent(name)}/decommission`,
      request,
    );
  }

  listBlueprints(query: { type?: string } = {}) {
    return this.#request<{ items: BlueprintSummary[] }>(
      'GET',
      `/blueprints${toQuery(query)}`,
    );
  }

  getBlueprint(name: string) {
    return this.#request<BlueprintDetails>(
      'GET',
      `/blueprints/${encodeURIComponent(name)}`,
    );
  }

  /** {@inheritDoc ProvisionHubApi.startUpgradeCampaign} */
  startUpgradeCampaign(
    blueprint: string,
    request: StartUpgradeCampaignRequest,
  ) {
    return this.#request<UpgradeCampaign>(
      'POST',
      `/blueprints/${encodeURIComponent(blueprint)}/upgrades`,
      request,
    );
  }

  /** {@inheritDoc ProvisionHubApi.getUpgradeCampaign} */
  getUpgradeCampaign(blueprint: string, id: string) {
    return this.#request<UpgradeCampaign>(
      'GET',
      `/blueprints/${encodeURIComponent(
        blueprint,
      )}/upgrades/${encodeURIComponent(id)}`,
    );
  }

  getBlueprintVersion(name: string, version: string) {
    return this.#request<BlueprintVersion>(
      'GET',
      `/blueprints/${encodeURIComponent(name)}/versions/${encodeURIComponent(
        version,
      )}`,
    );
  }

  dryRun(request: RunRequest) {
    return this.#request<DryRunResult>('POST', '/dry-run', request);
  }

  evaluatePolicy(request: RunRequest) {
    return this.#request<PolicyDecision>('POST', '/policy/evaluate', request);
  }

  listProvisionedEntities() {
    return this.#request<{ items: Entity[] }>('GET', '/catalog/entities');
  }

  listDeadLetters(query: { limit?: number } = {}) {
    return this.#request<{ items: DeadLetter[]; total: number }>(
      'GET',
      `/dead-letters${toQuery(query)}`,
    );
  }

  redriveDeadLetter(id: string) {
    return this.#request<Run>(
      'POST',
      `/dead-letters/${encodeURIComponent(id)}/redrive`,
      {},
    );
  }

  purgeDeadLetters(options: { ids?: string[] } = {}) {
    return this.#request<{ purged: number }>(
      'POST',
      '/dead-letters/purge',
      options,
    );
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl('provisionhub');
    const response = await this.#fetch(`${baseUrl}${path}`, {
      method,
      headers:
        body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function toQuery(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== '') {
        params.append(key, String(v));
      }
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
