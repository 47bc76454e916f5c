import type { Entity } from '@backstage/catalog-model';
import type { PinnedBlueprint } from '@provisionhub/plugin-provisionhub-common';

/**
 * What the control plane last learnt about an upgrade's branch or merge request: `open` (asked
 * again), `merged` (the component took the upgrade's version and values), `closed` (never
 * merged), `superseded` (merged after the component had moved on, so not taken).
 * @internal
 */
export type UpgradeMergeState = 'open' | 'merged' | 'closed' | 'superseded';

/**
 * An upgrade the component takes now that it is merged.
 * @internal
 */
export interface MergedUpgrade {
  /** The upgrade run. */
  runId: string;
  component: string;
  /** The run that gave the component its version and values when the upgrade was requested. */
  expectedRunId: string;
  blueprint: PinnedBlueprint;
  /** The component's catalog entity as it becomes. */
  entity(current: Entity): Entity;
  at: string;
}

/**
 * Persistence of upgrade merge states (table `upgrade_merges`) and of the component change a
 * merge brings.
 * @internal
 */
export interface UpgradeMergeStore {
  /**
   * Succeeded upgrade and promote runs not known to be merged, closed or superseded; least
   * recently checked first.
   */
  listUnsettled(limit: number): Promise<string[]>;
  record(
    runId: string,
    state: UpgradeMergeState,
    detail: string,
    at: string,
  ): Promise<void>;
  /**
   * In one transaction: the component takes the upgrade's blueprint version, its run (whose
   * values and files are now the component's) and entity, and the upgrade is recorded `merged`.
   * When the component's run is no longer `expectedRunId` nothing changes, and the upgrade is
   * recorded `superseded`.
   * @returns the component's new entity, or undefined when superseded
   */
  adopt(upgrade: MergedUpgrade): Promise<Entity | undefined>;
}
