import { createTestDatabases } from '@provisionhub/test-utils';
import { DatabaseBlueprintLedger } from './DatabaseBlueprintLedger';
import { migrateRunStore } from './DatabaseRunStore';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseBlueprintLedger on %p',
  databaseId => {
    it('keeps the first digest of a version, across replicas', async () => {
      const knex = await databases.init(databaseId);
      await migrateRunStore(knex);
      const one = new DatabaseBlueprintLedger(knex);
      const two = new DatabaseBlueprintLedger(knex);
      const entry = {
        name: 'node-backend',
        version: '1.0.0',
        entityRef: 'blueprint:default/node-backend-v1.0.0',
        location: 'file:/catalog/node-backend/v1.0.0/blueprint.yaml',
      };
      expect(await one.get('node-backend', '1.0.0')).toBeUndefined();
      const [a, b] = await Promise.all([
        one.recordFirstSeen({ ...entry, digest: 'sha256:aaa' }),
        two.recordFirstSeen({ ...entry, digest: 'sha256:bbb' }),
      ]);
      expect(a.digest).toBe(b.digest);
      const later = await new DatabaseBlueprintLedger(knex).recordFirstSeen({
        ...entry,
        digest: 'sha256:ccc',
      });
      expect(later).toEqual(a);
      expect(later.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await one.get('node-backend', '1.1.0')).toBeUndefined();
    });
  },
);
