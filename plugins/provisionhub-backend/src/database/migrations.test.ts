import { createTestDatabases } from '@provisionhub/test-utils';
import { migrateRunStore, rollbackRunStore } from './DatabaseRunStore';

// Every migration up and down twice on PostgreSQL outlasts jest's default 5 s on a busy 2-core
// machine. Nothing here asserts a duration.
jest.setTimeout(60_000);

const databases = createTestDatabases();

const TABLES = [
  'runs',
  'run_steps',
  'run_log_lines',
  'run_transitions',
  'run_pending_events',
  'systems',
  'components',
  'outbox',
  'run_approvals',
  'blueprint_versions',
  'dead_letters',
  'upgrade_campaigns',
  'upgrade_campaign_runs',
  'upgrade_merges',
];

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('create every table on the way up and remove them on the way down, twice', async () => {
    const knex = await databases.init(databaseId);
    for (let round = 0; round < 2; round++) {
      await migrateRunStore(knex);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      await rollbackRunStore(knex);
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    }
  });
});
