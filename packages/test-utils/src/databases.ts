import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The machine's PostgreSQL (trust auth); override with the variable TestDatabases reads. */
const POSTGRES_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The engines every store test runs on: SQLite, and the machine's PostgreSQL 15.
 * Set PROVISIONHUB_TEST_SKIP_POSTGRES=1 to run on SQLite only.
 */
export function createTestDatabases(): TestDatabases {
  if (!process.env.PROVISIONHUB_TEST_SKIP_POSTGRES) {
    process.env[POSTGRES_VARIABLE] ??= 'postgresql://postgres@127.0.0.1:5432';
  }
  process.env.BACKSTAGE_TEST_DISABLE_DOCKER ??= '1';
  const ids: TestDatabaseId[] = process.env.PROVISIONHUB_TEST_SKIP_POSTGRES
    ? ['SQLITE_3']
    : ['SQLITE_3', 'POSTGRES_15'];
  return TestDatabases.create({ ids });
}
