import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { EventParams, EventsService } from '@backstage/plugin-events-node';
import {
  DECOMMISSIONED_ENTITY_TOPIC,
  PROVISIONED_ENTITY_TOPIC,
  ProvisionHubApi,
  ProvisionHubClient,
} from '@provisionhub/plugin-provisionhub-common';
import { createServiceFetch } from './createServiceFetch';
import {
  PreparedEntity,
  prepareProvisionedEntity,
} from './prepareProvisionedEntity';
import { readProviderConfig } from './readProviderConfig';

const CONTROL_PLANE_PLUGIN_ID = 'provisionhub';

/** @public */
export interface ProvisionHubEntityProviderOptions {
  id: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  client: Pick<ProvisionHubApi, 'listProvisionedEntities'>;
  discovery: Pick<DiscoveryService, 'getExternalBaseUrl'>;
  events: EventsService;
  scheduler: SchedulerService;
  logger: LoggerService;
}

/**
 * Puts the Systems and Components that ProvisionHub created into the catalog: each one as soon as
 * its run succeeds (an event on {@link @provisionhub/plugin-provisionhub-common#PROVISIONED_ENTITY_TOPIC},
 * applied as a delta), and all of them on a schedule (a full mutation from the control plane's
 * `GET /catalog/entities`), which also removes what the control plane no longer reports. A
 * decommissioned one leaves as soon as its decommission run succeeds (an event on
 * {@link @provisionhub/plugin-provisionhub-common#DECOMMISSIONED_ENTITY_TOPIC}, a delta removal).
 *
 * @public
 */
export class ProvisionHubEntityProvider implements EntityProvider {
  readonly #options: ProvisionHubEntityProviderOptions;
  #connection?: EntityProviderConnection;
  /** Mutations are applied one at a time so a full refresh never overtakes a delta. */
  #mutations: Promise<void> = Promise.resolve();
  /**
   * Entities received as deltas while a full refresh was reading, per refresh in flight; `null`
   * for an entity removed meanwhile.
   */
  readonly #refreshesInFlight = new Set<Map<string, DeferredEntity | null>>();

  /**
   * Reads `catalog.providers.provisionhub` and talks to the control plane of the same deployment
   * with a plugin-to-plugin token.
   */
  static fromConfig(
    config: Config,
    deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      events: EventsService;
      scheduler: SchedulerService;
      logger: LoggerService;
    },
  ): ProvisionHubEntityProvider {
    const { id, schedule } = readProviderConfig(config);
    const client = new ProvisionHubClient({
      discoveryApi: deps.discovery,
      fetchApi: createServiceFetch(deps.auth, CONTROL_PLANE_PLUGIN_ID),
    });
    return ProvisionHubEntityProvider.create({ ...deps, id, schedule, client });
  }

  static create(
    options: ProvisionHubEntityProviderOptions,
  ): ProvisionHubEntityProvider {
    return new ProvisionHubEntityProvider(options);
  }

  private constructor(options: ProvisionHubEntityProviderOptions) {
    this.#options = {
      ...options,
      logger: options.logger.child({
        provider: `provisionhub-provider:${options.id}`,
      }),
    };
  }

  getProviderName(): string {
    return `provisionhub-provider:${this.#options.id}`;
  }

  /** The id of the scheduled full refresh, for triggering it by hand. */
  getTaskId(): string {
    return `${this.getProviderName()}:refresh`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#options.scheduler.scheduleTask({
      id: this.getTaskId(),
      ...this.#options.schedule,
      fn: () => this.refresh(),
    });
    await this.#options.events.subscribe({
      id: `provisionhub-provider-${this.#options.id}`,
      topics: [PROVISIONED_ENTITY_TOPIC, DECOMMISSIONED_ENTITY_TOPIC],
      onEvent: params =>
        params.topic === DECOMMISSIONED_ENTITY_TOPIC
          ? this.#applyDecommissionedEvent(params)
          : this.#applyProvisionedEvent(params),
    });
  }

  /**
   * Replaces the provider's entities with everything the control plane reports. When the control
   * plane cannot be reached the catalog keeps what it has, the failure is logged and the next
   * scheduled refresh tries again; once connected, this method never throws.
   */
  async refresh(): Promise<void> {
    const connection = this.#requireConnection();
    const arrivedMeanwhile = new Map<string, DeferredEntity | null>();
    this.#refreshesInFlight.add(arrivedMeanwhile);
    try {
      const { items } = await this.#options.client.listProvisionedEntities();
      const baseUrl = await this.#controlPlaneUrl();
      const entities = new Map<string, DeferredEntity>();
      let rejected = 0;
      for (const item of items) {
        const prepared = await prepareProvisionedEntity(item, baseUrl);
        if (this.#accept(prepared, 'the full refresh')) {
          entities.set(prepared.entityRef, this.#deferred(prepared.entity));
        } else {
          rejected++;
        }
      }
      await this.#serialized(async () => {
        for (const [ref, deferred] of arrivedMeanwhile) {
          if (!deferred) {
            entities.delete(ref);
          } else if (!entities.has(ref)) {
            entities.set(ref, deferred);
          }
        }
        await connection.applyMutation({
          type: 'full',
          entities: [...entities.values()],
        });
      });
      this.#options.logger.info(
        `Refreshed ${entities.size} provisioned entities from ProvisionHub${
          rejected
            ? `, skipped ${rejected} invalid ones (see the warnings above)`
            : ''
        }`,
      );
    } catch (error) {
      this.#options.logger.warn(
        `Could not refresh the provisioned entities from ProvisionHub; the catalog keeps the ones it has and the next scheduled refresh tries again. Cause: ${describeError(
          error,
        )}`,
      );
    } finally {
      this.#refreshesInFlight.delete(arrivedMeanwhile);
    }
  }

  async #applyProvisionedEvent(params: EventParams): Promise<void> {
    try {
      const connection = this.#requireConnection();
      const payload = params.eventPayload as { entity?: unknown } | undefined;
      const prepared = await prepareProvisionedEntity(
        payload?.entity,
        await this.#controlPlaneUrl(),
      );
      if (!this.#accept(prepared, `an event on ${PROVISIONED_ENTITY_TOPIC}`)) {
        return;
      }
      const deferred = this.#deferred(prepared.entity);
      for (const arrivedMeanwhile of this.#refreshesInFlight) {
        arrivedMeanwhile.set(prepared.entityRef, deferred);
      }
      await this.#serialized(() =>
        connection.applyMutation({
          type: 'delta',
          added: [deferred],
          removed: [],
        }),
      );
      this.#options.logger.info(
        `Added provisioned entity ${prepared.entityRef} to the catalog`,
      );
    } catch (error) {
      this.#options.logger.warn(
        `Could not add a provisioned entity to the catalog; the next scheduled refresh adds it. Cause: ${describeError(
          error,
        )}`,
      );
    }
  }

  async #applyDecommissionedEvent(params: EventParams): Promise<void> {
    try {
      const connection = this.#requireConnection();
      const entityRef = (params.eventPayload as { entityRef?: unknown })
        ?.entityRef;
      if (typeof entityRef !== 'string' || !entityRef) {
        this.#options.logger.warn(
          `Skipped an event on ${DECOMMISSIONED_ENTITY_TOPIC} without an entityRef; the next scheduled refresh removes the entity`,
        );
        return;
      }
      for (const arrivedMeanwhile of this.#refreshesInFlight) {
        arrivedMeanwhile.set(entityRef, null);
      }
      await this.#serialized(() =>
        connection.applyMutation({
          type: 'delta',
          added: [],
          removed: [{ entityRef, locationKey: this.getProviderName() }],
        }),
      );
      this.#options.logger.info(
        `Removed decommissioned entity ${entityRef} from the catalog`,
      );
    } catch (error) {
      this.#options.logger.warn(
        `Could not remove a decommissioned entity from the catalog; the next scheduled refresh removes it. Cause: ${describeError(
          error,
        )}`,
      );
    }
  }

  #accept(
    prepared: PreparedEntity,
    source: string,
  ): prepared is Extract<PreparedEntity, { ok: true }> {
    if (!prepared.ok) {
      this.#options.logger.warn(
        `Skipped ${prepared.description} from ${source}: the catalog would not accept it because ${prepared.reason}`,
      );
    }
    return prepared.ok;
  }

  #deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.getProviderName() };
  }

  #controlPlaneUrl(): Promise<string> {
    return this.#options.discovery.getExternalBaseUrl(CONTROL_PLANE_PLUGIN_ID);
  }

  #serialized(mutation: () => Promise<void>): Promise<void> {
    const next = this.#mutations.then(mutation);
    this.#mutations = next.catch(() => undefined);
    return next;
  }

  #requireConnection(): EntityProviderConnection {
    if (!this.#connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    return this.#connection;
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = (error as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return `${error.message} (${code ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}
