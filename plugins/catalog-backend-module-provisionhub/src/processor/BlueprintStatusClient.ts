import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { BlueprintVersion } from '@provisionhub/plugin-provisionhub-common';
import { createServiceFetch } from '../provider/createServiceFetch';

/**
 * Asks the ProvisionHub control plane what it thinks of a blueprint version
 * (`GET /api/provisionhub/blueprints/{name}/versions/{version}`, with a plugin-to-plugin token).
 * The control plane owns trust and the ledger of published versions; the catalog only reports.
 * @public
 */
export class BlueprintStatusClient {
  readonly #discovery: DiscoveryService;
  readonly #fetch: { fetch: typeof fetch };
  readonly #logger: LoggerService;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#discovery = options.discovery;
    this.#fetch = createServiceFetch(options.auth, 'provisionhub');
    this.#logger = options.logger;
  }

  /**
   * The version as the control plane sees it; `undefined` when the control plane does not know
   * it (yet) or cannot be reached, which is logged and not reported on the entity.
   */
  async getVersion(
    name: string,
    version: string,
  ): Promise<BlueprintVersion | undefined> {
    try {
      const base = await this.#discovery.getBaseUrl('provisionhub');
      const response = await this.#fetch.fetch(
        `${base}/blueprints/${encodeURIComponent(
          name,
        )}/versions/${encodeURIComponent(version)}`,
      );
      if (!response.ok) {
        this.#logger.debug(
          `ProvisionHub answered ${response.status} for blueprint ${name}@${version}; its status is not reported`,
        );
        return undefined;
      }
      return (await response.json()) as BlueprintVersion;
    } catch (error) {
      this.#logger.debug(
        `Cannot ask ProvisionHub about blueprint ${name}@${version}: ${
          (error as Error).message
        }`,
      );
      return undefined;
    }
  }
}
