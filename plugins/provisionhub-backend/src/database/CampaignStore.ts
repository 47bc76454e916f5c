/**
 * An upgrade campaign as stored: which blueprint, from and to which version, who started it.
 * @internal
 */
export interface CampaignRecord {
  id: string;
  blueprint: string;
  from: string;
  to: string;
  createdBy: string;
  createdAt: string;
}

/**
 * One component of a campaign: its upgrade run, or why it has none.
 * @internal
 */
export interface CampaignEntry {
  component: string;
  entityRef: string;
  runId?: string;
  skippedReason?: string;
}

/**
 * Persistence of upgrade campaigns (tables `upgrade_campaigns`, `upgrade_campaign_runs`).
 * @internal
 */
export interface CampaignStore {
  createCampaign(campaign: CampaignRecord): Promise<void>;
  /** Adds a component as soon as its run exists, so a campaign cut short still lists it. */
  addEntry(campaignId: string, entry: CampaignEntry): Promise<void>;
  /** The campaign and its components by name; undefined when unknown. */
  getCampaign(
    id: string,
  ): Promise<
    { campaign: CampaignRecord; entries: CampaignEntry[] } | undefined
  >;
}
