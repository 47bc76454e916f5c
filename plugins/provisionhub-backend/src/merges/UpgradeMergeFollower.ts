import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_BLUEPRINT,
  ANNOTATION_RUN_ID,
  ProvisionedEntityEvent,
  formatBlueprintRef,
} from '@provisionhub/plugin-provisionhub-common';
import { isDeepStrictEqual } from 'node:util';
import type { RunRecord, RunStore } from '../database/RunStore';
import type { UpgradeMergeStore } from '../database/UpgradeMergeStore';
import type { GitBranchMergeReader } from './GitBranchMergeReader';
import type { HostedMergeRequestReader } from './HostedMergeRequestReader';

/** Upgrades asked about per pass; the rest wait for the next one. */
const BATCH = 50;

/**
 * The component follows its repository (a scheduled task): for each succeeded upgrade run not
 * known to be merged or closed, asks its merge request (GitLab, GitHub) or, without one, its
 * branch (plain git) whether it was merged. A merged upgrade becomes the component's: its
 * blueprint version, values (those of the upgrade run) and catalog entity. An upgrade merged
 * after the component changed otherwise (another upgrade merged first) is `superseded`. A
 * promotion proposed on a branch of the GitOps repository deploys once that branch is merged.
 * @internal
 */
export class UpgradeMergeFollower {
  readonly #store: RunStore;
  readonly #merges: UpgradeMergeStore;
  readonly #hosted: HostedMergeRequestReader;
  readonly #branches: GitBranchMergeReader;
  readonly #entityChanged: (event: ProvisionedEntityEvent) => void;
  readonly #logger: LoggerService;

  constructor(options: {
    store: RunStore;
    merges: UpgradeMergeStore;
    hosted: HostedMergeRequestReader;
    branches: GitBranchMergeReader;
    /** Tells the catalog module about the component's new entity. */
    entityChanged(event: ProvisionedEntityEvent): void;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#merges = options.merges;
    this.#hosted = options.hosted;
    this.#branches = options.branches;
    this.#entityChanged = options.entityChanged;
    this.#logger = options.logger;
  }

  /** @returns how many upgrades the components took in this pass */
  async followMerges(now = new Date()): Promise<number> {
    const runs = await this.#store.getRuns(
      await this.#merges.listUnsettled(BATCH),
    );
    let taken = 0;
    for (const run of runs) {
      try {
        if (await this.#follow(run, now.toISOString())) {
          taken++;
        }
      } catch (error) {
        this.#logger.warn(
          `Cannot tell whether upgrade run ${run.id} of ${
            run.entityRef
          } was merged; asking again later: ${(error as Error).message}`,
        );
      }
    }
    return taken;
  }

  async #follow(run: RunRecord, at: string): Promise<boolean> {
    if (run.kind === 'promote') {
      return this.#followPromotion(run, at);
    }
    const { outputs, upgrade } = run;
    if (!outputs || !upgrade) {
      await this.#merges.record(run.id, 'closed', 'the run has no result', at);
      return false;
    }
    const reader = this.#hosted.handles(outputs)
      ? this.#hosted
      : this.#branches;
    const status = await reader.read(outputs);
    if (status.state !== 'merged') {
      await this.#merges.record(run.id, status.state, status.detail, at);
      if (status.state === 'closed') {
        this.#logger.info(
          `Upgrade run ${run.id} of ${run.entityRef} will not be applied: ${status.detail}`,
        );
      }
      return false;
    }
    const expectedRunId = await this.#runUpgradedFrom(run);
    const entity = expectedRunId
      ? await this.#merges.adopt({
          runId: run.id,
          component: run.name,
          expectedRunId,
          blueprint: run.blueprint,
          entity: current => followUpgrade(current, run),
          at,
        })
      : undefined;
    if (!entity) {
      if (!expectedRunId) {
        await this.#merges.record(
          run.id,
          'superseded',
          `merged after component '${run.name}' had changed since the upgrade was requested`,
          at,
        );
      }
      this.#logger.info(
        `Upgrade run ${run.id} of ${run.entityRef} was merged after the component had changed; not applied`,
      );
      return false;
    }
    this.#entityChanged({ entityRef: run.entityRef, entity });
    this.#logger.info(
      `${run.entityRef} follows its repository: ${
        status.detail
      }; it now runs ${formatBlueprintRef(run.blueprint)} (run ${run.id})`,
    );
    return true;
  }

  /**
   * A promotion proposed on a branch (an environment that is not automatic) deploys once the
   * branch is merged into the branch Argo CD follows: its version becomes the environment's
   * committed one. A promotion committed directly is merged already.
   */
  async #followPromotion(run: RunRecord, at: string): Promise<boolean> {
    const { outputs } = run;
    if (!outputs?.branch || !outputs.deployments?.length) {
      await this.#merges.record(
        run.id,
        'merged',
        'committed to the branch Argo CD follows',
        at,
      );
      return false;
    }
    const reader = this.#hosted.handles(outputs)
      ? this.#hosted
      : this.#branches;
    const status = await reader.read(outputs);
    if (status.state === 'merged') {
      await this.#store.transaction(tx =>
        tx.recordDeployments({
          kind: 'component',
          name: run.name,
          runId: run.id,
          at,
          deployments: outputs.deployments!.map(
            ({ branch: _branch, mergeRequestUrl: _url, ...deployment }) => ({
              ...deployment,
              state: 'committed' as const,
            }),
          ),
        }),
      );
      this.#logger.info(
        `${run.entityRef}: promotion run ${run.id} deploys now: ${status.detail}`,
      );
    }
    await this.#merges.record(run.id, status.state, status.detail, at);
    return status.state === 'merged';
  }

  /**
   * The component's current run, when the upgrade was made from it: the same version and
   * values as the upgrade's `from`. Undefined when the component has moved on.
   */
  async #runUpgradedFrom(run: RunRecord): Promise<string | undefined> {
    const component = await this.#store.getComponent(run.name);
    const from = run.upgrade!.from;
    if (
      !component ||
      component.blueprint.version !== from.version ||
      component.blueprint.digest !== from.digest
    ) {
      return undefined;
    }
    const current = await this.#store.getRun(component.runId);
    return current && isDeepStrictEqual(current.values, from.values)
      ? component.runId
      : undefined;
  }
}

/** The component's entity with the upgrade's blueprint version and run. */
function followUpgrade(entity: Entity, run: RunRecord): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: {
        ...entity.metadata.annotations,
        [ANNOTATION_RUN_ID]: run.id,
        [ANNOTATION_BLUEPRINT]: formatBlueprintRef(run.blueprint),
      },
    },
  };
}
