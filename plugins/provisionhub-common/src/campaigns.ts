import type { RunOutputs, RunStatus } from './types';

/**
 * The body of `POST /blueprints/{name}/upgrades`: upgrade every component on `from` to `to`.
 * @public
 */
export interface StartUpgradeCampaignRequest {
  /** The blueprint version the components run now. */
  from: string;
  /** The version to upgrade them to. */
  to: string;
}

/**
 * Where one component of a campaign is: the status of its upgrade run, or `skipped` when no run
 * could be started for it (`skippedReason` says why).
 * @public
 */
export type UpgradeCampaignRunState = RunStatus | 'skipped';

/**
 * One component of an upgrade campaign.
 * @public
 */
export interface UpgradeCampaignRun {
  /** The component's name. */
  component: string;
  /** The component's entity ref, e.g. `component:default/cards-api`. */
  entityRef: string;
  /** Its upgrade run's status, or `skipped`. */
  state: UpgradeCampaignRunState;
  /** The component's upgrade run; absent when it was skipped. */
  runId?: string;
  /** Why no run was started, e.g. another run of the component is not finished. */
  skippedReason?: string;
  /** The run's branch and merge request, once it succeeded. */
  outputs?: RunOutputs;
}

/**
 * A bulk upgrade of one blueprint's components from one version to another, and its progress.
 * @public
 */
export interface UpgradeCampaign {
  /** Names it in `GET /blueprints/{name}/upgrades/{id}`. */
  id: string;
  /** The blueprint's name. */
  blueprint: string;
  /** The version the components ran when the campaign started. */
  from: string;
  /** The version they are upgraded to. */
  to: string;
  /** Who started it (a user entity ref). */
  createdBy: string;
  /** When it started (ISO 8601). */
  createdAt: string;
  /** How many components are in each state. */
  counts: Partial<Record<UpgradeCampaignRunState, number>>;
  /** Every run ended (or was skipped). */
  done: boolean;
  /** One entry per component that ran `from` when the campaign started, by name. */
  runs: UpgradeCampaignRun[];
}
