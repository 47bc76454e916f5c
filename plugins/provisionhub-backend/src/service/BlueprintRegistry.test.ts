import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTempDir, createTestDatabases } from '@provisionhub/test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseBlueprintLedger } from '../database/DatabaseBlueprintLedger';
import { migrateRunStore } from '../database/DatabaseRunStore';
import { BlueprintRegistry } from './BlueprintRegistry';
import { BlueprintTrust } from './BlueprintTrust';

const databases = createTestDatabases();

function blueprintEntity(options: {
  name: string;
  version: string;
  file: string;
  files?: Array<{ from: string; to?: string }>;
  owner?: string;
}): Entity {
  return {
    apiVersion: 'provisionhub.io/v1alpha1',
    kind: 'Blueprint',
    metadata: {
      name: `${options.name}-v${options.version.replace(/\./g, '-')}`,
      namespace: 'default',
      labels: { 'provisionhub.io/blueprint': options.name },
      annotations: {
        'backstage.io/managed-by-location': `file:${options.file}`,
      },
    },
    spec: {
      type: 'backend',
      version: options.version,
      owner: options.owner ?? 'group:default/platform',
      parameters: { type: 'object', properties: {} },
      files: options.files ?? [{ from: './skeleton' }],
    },
  };
}

describe('BlueprintRegistry', () => {
  let tmp: Awaited<ReturnType<typeof createTempDir>>;
  let registry: BlueprintRegistry;
  let ledger: DatabaseBlueprintLedger;

  const write = async (file: string, content: string) => {
    await fs.mkdir(path.dirname(path.join(tmp.dir, file)), { recursive: true });
    await fs.writeFile(path.join(tmp.dir, file), content);
  };

  beforeEach(async () => {
    tmp = await createTempDir();
    await write('trusted/api/v1/skeleton/README.md', '# ${{ name }}');
    await write('trusted/api/v2/skeleton/README.md', '# ${{ name }} 2');
    await write('shared/helm/values.yaml', 'replicas: 1');
    await write('trusted/outside/README.md', 'not shared');
    await write('trusted/escaper/skeleton/README.md', '# x');
    await write('untrusted/api/skeleton/README.md', '# takeover');
    await write('untrusted/evil/skeleton/README.md', '# evil');
    const at = (folder: string) => path.join(tmp.dir, folder, 'blueprint.yaml');
    const entities = [
      blueprintEntity({
        name: 'api',
        version: '1.0.0',
        file: at('trusted/api/v1'),
        files: [
          { from: './skeleton' },
          { from: '../../../shared/helm', to: 'deploy' },
        ],
      }),
      blueprintEntity({
        name: 'api',
        version: '2.0.0',
        file: at('trusted/api/v2'),
      }),
      // An untrusted location tries to take over api with a higher version, and 2.0.0 itself.
      blueprintEntity({
        name: 'api',
        version: '9.0.0',
        file: at('untrusted/api'),
      }),
      blueprintEntity({
        name: 'api',
        version: '2.0.0',
        file: at('untrusted/api'),
      }),
      blueprintEntity({
        name: 'evil',
        version: '1.0.0',
        file: at('untrusted/evil'),
      }),
      blueprintEntity({
        name: 'escaper',
        version: '1.0.0',
        file: at('trusted/escaper'),
        files: [{ from: './skeleton' }, { from: '../outside', to: 'x' }],
      }),
    ];
    const knex = await databases.init('SQLITE_3');
    await migrateRunStore(knex);
    ledger = new DatabaseBlueprintLedger(knex);
    registry = new BlueprintRegistry({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      trust: BlueprintTrust.fromConfig(
        new ConfigReader({
          provisionhub: {
            blueprints: {
              trusted: [{ location: `file:${path.join(tmp.dir, 'trusted')}` }],
              sharedFolders: [`file:${path.join(tmp.dir, 'shared')}`],
            },
          },
        }),
      ),
      ledger,
      digestMaxAgeMs: 0,
    });
  });

  afterEach(() => tmp.remove());

  it('lists untrusted blueprints with the reason and never lets them take over a name', async () => {
    const list = await registry.list();
    const evil = list.find(b => b.name === 'evil')!;
    expect(evil.status).toMatchObject({ usable: false, trusted: false });
    expect(evil.status?.reason).toMatch(
      /^not from a trusted source: its catalog location file:.*untrusted\/evil\/blueprint\.yaml is not inside any location of provisionhub\.blueprints\.trusted$/,
    );
    const api = list.find(b => b.name === 'api')!;
    expect(api.versions).toEqual(['9.0.0', '2.0.0', '1.0.0']);
    expect(api.latestVersion).toBe('2.0.0');
    expect(api.status).toMatchObject({ usable: true, trusted: true });
    expect((await registry.resolve('api')).version).toBe('2.0.0');
    expect((await registry.resolve('api', '2.0.0')).entityRef).toBe(
      'blueprint:default/api-v2-0-0',
    );
    expect((await registry.resolve('api', '2.0.0')).location).toContain(
      '/trusted/api/v2/',
    );
  });

  it('refuses untrusted versions and files from outside the folder with 403', async () => {
    await expect(registry.resolve('evil')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^blueprint evil@1\.0\.0 \(blueprint:default\/evil-v1-0-0\) cannot be used: not from a trusted source/,
      ),
    });
    await expect(registry.resolve('api', '9.0.0')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(registry.resolve('escaper')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "spec.files[1].from '../outside' leaves the blueprint's folder",
      ),
    });
  });

  it('refuses a source folder that leaves through a symbolic link', async () => {
    const skeleton = path.join(tmp.dir, 'trusted/api/v2/skeleton');
    await fs.rm(skeleton, { recursive: true });
    await fs.symlink(path.join(tmp.dir, 'untrusted/evil/skeleton'), skeleton);
    await expect(registry.resolve('api', '2.0.0')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('through a symbolic link, outside'),
    });
  });

  it('records each version the first time it is seen and refuses it with 409 once its files change, shared folders included', async () => {
    const details = await registry.getDetails('api');
    const v1 = details.versions.find(v => v.version === '1.0.0')!;
    expect(v1.status).toMatchObject({
      usable: true,
      published: { digest: expect.stringMatching(/^sha256:/) },
    });
    const recorded = await ledger.get('api', '1.0.0');
    expect(recorded?.digest).toBe(v1.status?.published?.digest);

    await write('shared/helm/values.yaml', 'replicas: 3');
    const after = (await registry.getDetails('api')).versions.find(
      v => v.version === '1.0.0',
    )!;
    expect(after.status).toMatchObject({
      usable: false,
      reason: expect.stringMatching(
        /^modified after publication: its files now have digest sha256:/,
      ),
      published: { digest: recorded!.digest },
      modifiedAfterPublication: { digest: expect.stringMatching(/^sha256:/) },
    });
    await expect(registry.resolve('api', '1.0.0')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        /^blueprint api@1\.0\.0 was modified after publication: it was published with digest sha256:[0-9a-f]+ on .*, and its files \(shared folders included\) now have digest sha256:[0-9a-f]+\. A published version must not change: publish the change as a new version/,
      ),
    });
    expect(
      (await registry.describeVersion('api', '2.0.0')).status?.usable,
    ).toBe(true);

    await write('shared/helm/values.yaml', 'replicas: 1');
    expect((await registry.resolve('api', '1.0.0')).version).toBe('1.0.0');
  });
});
