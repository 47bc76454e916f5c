import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  HOSTILE_BLUEPRINTS,
  HOSTILE_SECRET,
  HOSTILE_SECRET_VARIABLE,
  createTempDir,
  createTestDatabases,
  listTree,
  useTestBroker,
  writeHostileBlueprint,
} from '@provisionhub/test-utils';
import { isDeepStrictEqual } from 'node:util';
import request from 'supertest';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
} from '../__testUtils__/fixtures';

const databases = createTestDatabases();

const dryRunOf = (blueprint: string) => ({
  kind: 'component',
  name: 'hostile-app',
  owner: 'group:default/payments',
  system: 'legacy',
  blueprint,
  values: {},
});

/** The control plane's dry run (and run requests) against every hostile blueprint. */
describe('hostile blueprints', () => {
  // Declared first, so its vhost outlives the backend of the nested block.
  const testBroker = useTestBroker();
  describe('on the dry run', () => {
    let app: any;
    let server: Awaited<ReturnType<typeof startTestBackend>>;
    let tmp: Awaited<ReturnType<typeof createTempDir>>;
    let before: string[];

    beforeAll(async () => {
      process.env[HOSTILE_SECRET_VARIABLE] = HOSTILE_SECRET;
      tmp = await createTempDir();
      const entities: Entity[] = [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'legacy', namespace: 'default' },
          spec: { owner: 'group:default/platform' },
        },
      ];
      for (const hostile of HOSTILE_BLUEPRINTS) {
        entities.push((await writeHostileBlueprint(tmp.dir, hostile)).entity);
      }
      before = await listTree(tmp.dir);
      server = await startTestBackend({
        features: [
          provisionhubPlugin,
          mockServices.database.factory({
            knex: await databases.init('SQLITE_3'),
          }),
          provisionhubConfig(testBroker, {
            render: { timeoutMs: 1000, maxOutputBytes: 8 * 1024 * 1024 },
          }),
          catalogWith(entities),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          ...recordingServices().features,
        ],
      });
      app = server.server;
    });

    afterAll(async () => {
      delete process.env[HOSTILE_SECRET_VARIABLE];
      await server?.stop();
      await tmp?.remove();
    });

    const dryRun = async (name: string) => {
      const res = await request(app)
        .post('/api/provisionhub/dry-run')
        .send(dryRunOf(name));
      return {
        status: res.status,
        body: res.body,
        text: JSON.stringify(res.body),
        unchanged: isDeepStrictEqual(await listTree(tmp.dir), before),
      };
    };

    it.each(
      HOSTILE_BLUEPRINTS.filter(c => 'refused' in c.expect).map(
        c => [c.name, (c.expect as { refused: RegExp }).refused] as const,
      ),
    )('refuses %s with a 4xx naming the problem', async (name, refused) => {
      const res = await dryRun(name);
      expect(res.status >= 400 && res.status < 500).toBe(true);
      expect(res.body.error.message).toMatch(refused);
      expect(res.text).not.toContain(HOSTILE_SECRET);
      expect(res.unchanged).toBe(true);
    });

    it.each(
      HOSTILE_BLUEPRINTS.filter(c => 'renders' in c.expect).map(
        c =>
          [
            c.name,
            Object.keys(
              (c.expect as { renders: Record<string, unknown> }).renders,
            ).sort(),
          ] as const,
      ),
    )('contains %s', async (name, paths) => {
      const res = await dryRun(name);
      expect(res.status).toBe(200);
      expect(res.body.files.map((f: { path: string }) => f.path)).toEqual(
        paths,
      );
      expect(res.text).not.toContain(HOSTILE_SECRET);
      expect(res.unchanged).toBe(true);
    });

    it('refuses run requests of blueprints that take files from outside their folder, and of untrusted ones', async () => {
      const outside = await request(app)
        .post('/api/provisionhub/runs')
        .send(dryRunOf('files-from-dot-dot'));
      expect(outside.status).toBe(403);
      expect(outside.body.error.message).toMatch(
        /^blueprint files-from-dot-dot@1\.0\.0 \(blueprint:default\/files-from-dot-dot-v1\.0\.0\) cannot be used: spec\.files\[1\]\.from/,
      );
      const list = await request(app).get('/api/provisionhub/blueprints');
      const escaping = list.body.items.find(
        (b: { name: string }) => b.name === 'files-from-dot-dot',
      );
      expect(escaping.status).toMatchObject({ usable: false, trusted: true });
    });
  });
});
