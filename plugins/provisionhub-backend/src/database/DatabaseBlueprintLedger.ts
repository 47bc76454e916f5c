import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  BlueprintLedger,
  PublishedBlueprintVersion,
} from './BlueprintLedger';
import { migrateRunStore } from './DatabaseRunStore';

interface LedgerRow {
  name: string;
  version: string;
  digest: string;
  entity_ref: string;
  location: string;
  first_seen_at: string | number | Date;
}

/**
 * The blueprint ledger in the plugin's database (table `blueprint_versions`). Entries never
 * change once written, so they are also kept in memory.
 * @internal
 */
export class DatabaseBlueprintLedger implements BlueprintLedger {
  readonly #db: Knex;
  readonly #known = new Map<string, PublishedBlueprintVersion>();

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseBlueprintLedger> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateRunStore(db);
    }
    return new DatabaseBlueprintLedger(db);
  }

  constructor(db: Knex) {
    this.#db = db;
  }

  async recordFirstSeen(
    entry: Omit<PublishedBlueprintVersion, 'firstSeenAt'>,
  ): Promise<PublishedBlueprintVersion> {
    const known = await this.get(entry.name, entry.version);
    if (known) {
      return known;
    }
    await this.#db<LedgerRow>('blueprint_versions')
      .insert({
        name: entry.name,
        version: entry.version,
        digest: entry.digest,
        entity_ref: entry.entityRef,
        location: entry.location,
        first_seen_at: new Date(),
      })
      .onConflict(['name', 'version'])
      .ignore();
    return (await this.get(entry.name, entry.version))!;
  }

  async get(
    name: string,
    version: string,
  ): Promise<PublishedBlueprintVersion | undefined> {
    const key = `${name}@${version}`;
    const cached = this.#known.get(key);
    if (cached) {
      return cached;
    }
    const row = await this.#db<LedgerRow>('blueprint_versions')
      .where({ name, version })
      .first();
    if (!row) {
      return undefined;
    }
    const entry = {
      name: row.name,
      version: row.version,
      digest: row.digest,
      entityRef: row.entity_ref,
      location: row.location,
      firstSeenAt: new Date(row.first_seen_at).toISOString(),
    };
    this.#known.set(key, entry);
    return entry;
  }
}
