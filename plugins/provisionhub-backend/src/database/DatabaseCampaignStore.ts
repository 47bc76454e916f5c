import type { Knex } from 'knex';
import type {
  CampaignEntry,
  CampaignRecord,
  CampaignStore,
} from './CampaignStore';
import { DbTime, toIso } from './rows';

interface CampaignRow {
  id: string;
  blueprint: string;
  from_version: string;
  to_version: string;
  created_by: string;
  created_at: DbTime;
}

interface EntryRow {
  campaign_id: string;
  component: string;
  entity_ref: string;
  run_id: string | null;
  skipped_reason: string | null;
}

/**
 * {@link CampaignStore} on knex: SQLite and PostgreSQL, on the tables the run store's migrations
 * create.
 * @internal
 */
export class DatabaseCampaignStore implements CampaignStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async createCampaign(campaign: CampaignRecord): Promise<void> {
    await this.#db<CampaignRow>('upgrade_campaigns').insert({
      id: campaign.id,
      blueprint: campaign.blueprint,
      from_version: campaign.from,
      to_version: campaign.to,
      created_by: campaign.createdBy,
      created_at: new Date(campaign.createdAt),
    });
  }

  async addEntry(campaignId: string, entry: CampaignEntry): Promise<void> {
    await this.#db<EntryRow>('upgrade_campaign_runs').insert({
      campaign_id: campaignId,
      component: entry.component,
      entity_ref: entry.entityRef,
      run_id: entry.runId ?? null,
      skipped_reason: entry.skippedReason ?? null,
    });
  }

  async getCampaign(id: string) {
    const row = await this.#db<CampaignRow>('upgrade_campaigns')
      .where({ id })
      .first();
    if (!row) {
      return undefined;
    }
    const entries = await this.#db<EntryRow>('upgrade_campaign_runs')
      .where({ campaign_id: id })
      .orderBy('component');
    return {
      campaign: {
        id: row.id,
        blueprint: row.blueprint,
        from: row.from_version,
        to: row.to_version,
        createdBy: row.created_by,
        createdAt: toIso(row.created_at),
      },
      entries: entries.map(
        (e): CampaignEntry => ({
          component: e.component,
          entityRef: e.entity_ref,
          ...(e.run_id ? { runId: e.run_id } : {}),
          ...(e.skipped_reason ? { skippedReason: e.skipped_reason } : {}),
        }),
      ),
    };
  }
}
