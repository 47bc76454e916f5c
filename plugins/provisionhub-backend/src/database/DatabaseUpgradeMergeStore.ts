import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { entityFromRow } from './rows';
import type {
  MergedUpgrade,
  UpgradeMergeState,
  UpgradeMergeStore,
} from './UpgradeMergeStore';

/**
 * {@link UpgradeMergeStore} on knex: SQLite and PostgreSQL, on the tables the run store's
 * migrations create.
 * @internal
 */
export class DatabaseUpgradeMergeStore implements UpgradeMergeStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async listUnsettled(limit: number): Promise<string[]> {
    const rows = await this.#db('runs')
      .leftJoin('upgrade_merges', 'upgrade_merges.run_id', 'runs.id')
      .whereIn('runs.kind', ['upgrade', 'promote'])
      .where({ 'runs.status': 'succeeded' })
      .where(q =>
        q
          .whereNull('upgrade_merges.state')
          .orWhere('upgrade_merges.state', 'open'),
      )
      .select('runs.id')
      // Never checked first, then the longest unchecked.
      .orderByRaw(
        'upgrade_merges.checked_at is not null, upgrade_merges.checked_at, runs.finished_at',
      )
      .limit(limit);
    return rows.map((row: { id: string }) => row.id);
  }

  async record(
    runId: string,
    state: UpgradeMergeState,
    detail: string,
    at: string,
  ): Promise<void> {
    await upsert(this.#db, runId, state, detail, at);
  }

  async adopt(upgrade: MergedUpgrade): Promise<Entity | undefined> {
    return this.#db.transaction(async trx => {
      const row = await trx('components')
        .where({ name: upgrade.component, run_id: upgrade.expectedRunId })
        .first();
      if (!row) {
        await upsert(
          trx,
          upgrade.runId,
          'superseded',
          `merged after component '${upgrade.component}' had changed since the upgrade was requested`,
          upgrade.at,
        );
        return undefined;
      }
      const entity = upgrade.entity(entityFromRow(row));
      await trx('components')
        .where({ name: upgrade.component, run_id: upgrade.expectedRunId })
        .update({
          blueprint_name: upgrade.blueprint.name,
          blueprint_version: upgrade.blueprint.version,
          blueprint_digest: upgrade.blueprint.digest,
          run_id: upgrade.runId,
          entity: JSON.stringify(entity),
          updated_at: new Date(upgrade.at),
        });
      await upsert(
        trx,
        upgrade.runId,
        'merged',
        `component '${upgrade.component}' now runs ${upgrade.blueprint.name}@${upgrade.blueprint.version}`,
        upgrade.at,
      );
      return entity;
    });
  }
}

async function upsert(
  db: Knex,
  runId: string,
  state: UpgradeMergeState,
  detail: string,
  at: string,
) {
  await db('upgrade_merges')
    .insert({ run_id: runId, state, detail, checked_at: new Date(at) })
    .onConflict('run_id')
    .merge(['state', 'detail', 'checked_at']);
}
