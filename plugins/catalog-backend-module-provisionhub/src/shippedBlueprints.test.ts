import fs from 'node:fs/promises';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  validateBlueprintEntity,
  validateStepInput,
} from '@provisionhub/plugin-provisionhub-common';
import {
  buildKustomization,
  validateObject,
} from '@provisionhub/deployment-checks';
import { createHttpRequestStep } from '@provisionhub/worker-module-http';
import {
  createTempDir,
  createTestBroker,
  createTestDatabases,
} from '@provisionhub/test-utils';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  BLUEPRINTS_ROOT,
  CATALOG_ROOT,
  STARTER_ROOT,
  devPortalEnvironments,
  exampleRun,
  findShippedBlueprints,
  readBlueprintEntity,
  renderShippedBlueprint,
  runInRepository,
  testCounts,
} from './__testUtils__/shippedBlueprints';
import { validateCatalogEntity } from './validateCatalogEntity';

jest.setTimeout(180_000);

const databases = createTestDatabases();

/** Helm chart templates are Go templates, not YAML: helm renders them, which we cannot here. */
const isHelmTemplate = (file: string) => /(^|\/)chart\/templates\//.test(file);
const isYaml = (file: string) => /\.ya?ml$/.test(file);
/** Kubernetes objects and kustomizations, as opposed to Helm charts and their values files. */
const isPlainManifest = (file: string) =>
  isYaml(file) &&
  /^(deploy|environments)\//.test(file) &&
  !isHelmTemplate(file) &&
  !/(^|\/)(Chart|values[^/]*)\.yaml$/.test(file);

async function readYamlDocuments(
  dir: string,
  file: string,
): Promise<unknown[]> {
  const text = await fs.readFile(path.join(dir, file), 'utf8');
  const documents = parseAllDocuments(text);
  const errors = documents.flatMap(doc => doc.errors.map(e => e.message));
  if (errors.length) {
    throw new Error(`${file} does not parse: ${errors.join('; ')}`);
  }
  return documents
    .map(d => d.toJS())
    .filter(d => d !== null && d !== undefined);
}

/** Parses every YAML (all documents) and JSON file; returns what it checked and what failed. */
async function findParseProblems(dir: string, paths: string[]) {
  const checked: string[] = [];
  const problems: string[] = [];
  for (const file of paths.filter(
    p => !isHelmTemplate(p) && (isYaml(p) || p.endsWith('.json')),
  )) {
    checked.push(file);
    try {
      if (isYaml(file)) {
        await readYamlDocuments(dir, file);
      } else {
        JSON.parse(await fs.readFile(path.join(dir, file), 'utf8'));
      }
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
    }
  }
  return { checked, problems };
}

/** The targets of a Location file, as absolute paths. */
async function locationTargets(file: string): Promise<string[]> {
  const location = parseYaml(await fs.readFile(file, 'utf8')) as Entity;
  expect(await validateCatalogEntity(location)).toBeUndefined();
  return (location.spec?.targets as string[])
    .map(t => path.resolve(path.dirname(file), t))
    .sort();
}

describe('the catalog/ folder and the starter set', () => {
  it('lists the org in catalog/all.yaml, the dev portal blueprint in catalog/modules/all.yaml, every blueprint version and both templates in the starter set', async () => {
    expect(await locationTargets(path.join(CATALOG_ROOT, 'all.yaml'))).toEqual([
      path.join(CATALOG_ROOT, 'org.yaml'),
    ]);
    expect(
      await locationTargets(path.join(CATALOG_ROOT, 'modules/all.yaml')),
    ).toEqual([
      path.join(CATALOG_ROOT, 'modules/typescript-library/blueprint.yaml'),
    ]);
    expect(await locationTargets(path.join(STARTER_ROOT, 'all.yaml'))).toEqual(
      [
        ...(await findShippedBlueprints()),
        path.join(STARTER_ROOT, 'templates/provisionhub-create-component.yaml'),
        path.join(STARTER_ROOT, 'templates/provisionhub-create-system.yaml'),
      ].sort(),
    );
  });

  it('has a valid demo organisation where the guest user belongs to a group', async () => {
    const entities = parseAllDocuments(
      await fs.readFile(path.join(CATALOG_ROOT, 'org.yaml'), 'utf8'),
    ).map(d => d.toJS() as Entity);
    for (const entity of entities) {
      expect({
        name: entity.metadata.name,
        problem: await validateCatalogEntity(entity),
      }).toEqual({
        name: entity.metadata.name,
        problem: undefined,
      });
    }
    const guest = entities.find(
      e => e.kind === 'User' && e.metadata.name === 'guest',
    );
    expect((guest?.spec?.memberOf as string[]).length).toBeGreaterThan(0);
    const groups = entities
      .filter(e => e.kind === 'Group')
      .map(e => e.metadata.name);
    expect(groups).toEqual(
      expect.arrayContaining(['platform-team', 'payments-team', 'web-team']),
    );
  });

  it('gives every version of a blueprint its own entity name and version', async () => {
    const entities = await Promise.all(
      (await findShippedBlueprints()).map(readBlueprintEntity),
    );
    const names = entities.map(e => e.metadata.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entity of entities) {
      const label = entity.metadata.labels?.['provisionhub.io/blueprint'];
      expect(entity.metadata.name).toBe(`${label}-v${entity.spec.version}`);
    }
    const labels = entities.map(
      e => e.metadata.labels?.['provisionhub.io/blueprint'],
    );
    expect(new Set(labels)).toEqual(
      new Set([
        'system',
        'node-backend',
        'react-frontend',
        'postgres-database',
        'rabbitmq-worker',
      ]),
    );
    const versions = (label: string) =>
      entities
        .filter(e => e.metadata.labels?.['provisionhub.io/blueprint'] === label)
        .map(e => e.spec.version)
        .sort();
    expect(versions('node-backend')).toEqual(['1.0.0', '1.1.0', '1.2.0']);
    expect(versions('react-frontend')).toEqual(['1.0.0', '1.1.0']);
    expect(versions('rabbitmq-worker')).toEqual(['1.0.0', '1.1.0']);
    expect(versions('system')).toEqual(['1.0.0', '1.1.0']);
  });
});

describe.each([
  'system/blueprint.yaml',
  'system/v1.1.0/blueprint.yaml',
  'node-backend/v1.0.0/blueprint.yaml',
  'node-backend/v1.1.0/blueprint.yaml',
  'node-backend/v1.2.0/blueprint.yaml',
  'react-frontend/blueprint.yaml',
  'react-frontend/v1.1.0/blueprint.yaml',
  'postgres-database/blueprint.yaml',
  'rabbitmq-worker/blueprint.yaml',
  'rabbitmq-worker/v1.1.0/blueprint.yaml',
])(
  'blueprint packages/starter/blueprints/%s rendered with its defaults',
  relative => {
    const file = path.join(BLUEPRINTS_ROOT, relative);
    let tmp: { dir: string; remove(): Promise<void> };
    let paths: string[];
    let dir: string;

    beforeAll(async () => {
      tmp = await createTempDir('provisionhub-blueprint-');
      dir = tmp.dir;
      ({ paths } = await renderShippedBlueprint(file, dir));
    });

    afterAll(async () => {
      await tmp?.remove();
    });

    it('is a valid Blueprint entity, and every parameter has a title, a description and a default', async () => {
      const entity = await readBlueprintEntity(file);
      expect(validateBlueprintEntity(entity)).toEqual([]);
      const properties = entity.spec.parameters.properties as Record<
        string,
        Record<string, unknown>
      >;
      const incomplete = Object.entries(properties)
        .filter(
          ([, schema]) =>
            typeof schema.title !== 'string' ||
            typeof schema.description !== 'string' ||
            !('default' in schema),
        )
        .map(([key]) => key);
      expect(incomplete).toEqual([]);
    });

    it('renders YAML (every document) and JSON files that parse', async () => {
      const { checked, problems } = await findParseProblems(dir, paths);
      expect(problems).toEqual([]);
      expect(checked).toContain('catalog-info.yaml');
    });

    it('renders a catalog-info.yaml the catalog accepts, owned by the requester and in the system', async () => {
      const run = exampleRun(await readBlueprintEntity(file));
      const [info] = (await readYamlDocuments(
        dir,
        'catalog-info.yaml',
      )) as Entity[];
      expect(await validateCatalogEntity(info)).toBeUndefined();
      const componentFields = {
        system: run.system,
        lifecycle: 'experimental',
        hasType: true,
      };
      expect({
        kind: info.kind,
        name: info.metadata.name,
        owner: info.spec?.owner,
        ...(info.kind === 'Component'
          ? {
              system: info.spec?.system,
              lifecycle: info.spec?.lifecycle,
              hasType: typeof info.spec?.type === 'string',
            }
          : {}),
      }).toEqual({
        kind: run.kind === 'system' ? 'System' : 'Component',
        name: run.name,
        owner: run.owner,
        ...(run.kind === 'component' ? componentFields : {}),
      });
    });

    it('renders Kubernetes manifests with apiVersion, kind and metadata.name, and kustomizations whose files exist', async () => {
      const manifests = paths.filter(isPlainManifest);
      expect(
        manifests.length + paths.filter(isHelmTemplate).length,
      ).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const manifest of manifests) {
        for (const doc of (await readYamlDocuments(dir, manifest)) as Array<
          Record<string, any>
        >) {
          if (
            typeof doc.apiVersion !== 'string' ||
            typeof doc.kind !== 'string'
          ) {
            problems.push(`${manifest}: a document without apiVersion or kind`);
          } else if (doc.kind === 'Kustomization') {
            const referenced: string[] = [
              ...(doc.resources ?? []),
              ...(doc.patches ?? []).map(
                (patch: { path: string }) => patch.path,
              ),
            ];
            for (const ref of referenced) {
              const exists = await fs
                .stat(path.join(dir, path.dirname(manifest), ref))
                .then(
                  () => true,
                  () => false,
                );
              if (!exists) {
                problems.push(
                  `${manifest}: refers to ${ref}, which was not rendered`,
                );
              }
            }
          } else if (typeof doc.metadata?.name !== 'string') {
            problems.push(`${manifest}: ${doc.kind} without metadata.name`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  },
);

describe.each([
  'node-backend/v1.0.0/blueprint.yaml',
  'node-backend/v1.1.0/blueprint.yaml',
  'node-backend/v1.2.0/blueprint.yaml',
  'react-frontend/blueprint.yaml',
  'react-frontend/v1.1.0/blueprint.yaml',
  'rabbitmq-worker/v1.1.0/blueprint.yaml',
])(
  'the Kubernetes overlays rendered from packages/starter/blueprints/%s',
  relative => {
    it('build for every environment of the dev portal with kubectl kustomize into objects that validate against their schemas', async () => {
      const tmp = await createTempDir('provisionhub-blueprint-overlays-');
      try {
        const { paths } = await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          tmp.dir,
        );
        const overlays = paths
          .filter(p => /^deploy\/overlays\/[^/]+\/kustomization\.yaml$/.test(p))
          .map(p => path.dirname(p))
          .sort();
        expect(overlays).toEqual(
          (await devPortalEnvironments())
            .map(({ name: environment }) => `deploy/overlays/${environment}`)
            .sort(),
        );
        for (const overlay of overlays) {
          const objects = await buildKustomization(path.join(tmp.dir, overlay));
          expect(objects.map(o => o.kind)).toContain('Deployment');
          for (const object of objects) {
            expect(() => validateObject(object)).not.toThrow();
          }
        }
      } finally {
        await tmp.remove();
      }
    });
  },
);

describe.each(['system/blueprint.yaml', 'system/v1.1.0/blueprint.yaml'])(
  'the environments rendered from packages/starter/blueprints/%s',
  relative => {
    it('build for every environment of the dev portal with kubectl kustomize into its namespace, quota, limits and network policies, valid against their schemas', async () => {
      const tmp = await createTempDir('provisionhub-blueprint-environments-');
      try {
        const { paths } = await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          tmp.dir,
        );
        const environments = paths
          .filter(p => /^environments\/[^/]+\/kustomization\.yaml$/.test(p))
          .map(p => path.dirname(p))
          .sort();
        expect(environments).toEqual(
          (await devPortalEnvironments())
            .map(({ name: environment }) => `environments/${environment}`)
            .sort(),
        );
        for (const environment of environments) {
          const objects = await buildKustomization(
            path.join(tmp.dir, environment),
          );
          expect(objects.map(o => o.kind).sort()).toEqual([
            'LimitRange',
            'Namespace',
            'NetworkPolicy',
            'NetworkPolicy',
            'ResourceQuota',
          ]);
          for (const object of objects) {
            expect(() => validateObject(object)).not.toThrow();
          }
        }
      } finally {
        await tmp.remove();
      }
    });
  },
);

describe.each([
  'rabbitmq-worker/blueprint.yaml',
  'postgres-database/blueprint.yaml',
])('the Helm chart rendered from packages/starter/blueprints/%s', relative => {
  it('is named after the component and has a default for every value its templates read', async () => {
    const tmp = await createTempDir('provisionhub-blueprint-chart-');
    try {
      const { paths } = await renderShippedBlueprint(
        path.join(BLUEPRINTS_ROOT, relative),
        tmp.dir,
      );
      const chartDir = path.join(tmp.dir, 'deploy/chart');
      const chart = parseYaml(
        await fs.readFile(path.join(chartDir, 'Chart.yaml'), 'utf8'),
      );
      expect(chart).toMatchObject({
        apiVersion: 'v2',
        name: 'checkout-api',
        type: 'application',
      });
      const defaults = parseYaml(
        await fs.readFile(path.join(chartDir, 'values.yaml'), 'utf8'),
      );
      const templates = paths.filter(p =>
        /^deploy\/chart\/templates\/.*\.(yaml|tpl)$/.test(p),
      );
      expect(templates.length).toBeGreaterThanOrEqual(5);
      const missing: string[] = [];
      for (const template of templates) {
        const text = await fs.readFile(path.join(tmp.dir, template), 'utf8');
        for (const [, valuePath] of text.matchAll(
          /\.Values((?:\.[A-Za-z0-9_]+)+)/g,
        )) {
          const value = valuePath
            .slice(1)
            .split('.')
            .reduce<any>(
              (at, key) =>
                at === undefined || at === null ? undefined : at[key],
              defaults,
            );
          if (value === undefined) {
            missing.push(`${template}: .Values${valuePath}`);
          }
        }
      }
      expect(missing).toEqual([]);
      // The repository's own values files only set values the chart knows.
      const unknown: string[] = [];
      for (const valuesFile of paths.filter(p =>
        /^deploy\/values[^/]*\.yaml$/.test(p),
      )) {
        const values =
          parseYaml(
            await fs.readFile(path.join(tmp.dir, valuesFile), 'utf8'),
          ) ?? {};
        for (const key of Object.keys(values)) {
          if (!(key in defaults)) {
            unknown.push(`${valuesFile}: ${key}`);
          }
        }
      }
      expect(unknown).toEqual([]);
    } finally {
      await tmp.remove();
    }
  });
});

describe.each([
  [
    'system/blueprint.yaml',
    { domain: 'commerce', productionCpu: 3, productionMemoryGi: 5 },
  ],
  [
    'system/v1.1.0/blueprint.yaml',
    { domain: 'commerce', productionCpu: 3, productionMemoryGi: 5 },
  ],
  [
    'node-backend/v1.1.0/blueprint.yaml',
    { logLevel: 'warn', port: 9090, replicas: 1, memory: '1Gi' },
  ],
  [
    'node-backend/v1.2.0/blueprint.yaml',
    { logLevel: 'warn', port: 9090, replicas: 1, memory: '1Gi' },
  ],
  [
    'react-frontend/blueprint.yaml',
    {
      title: 'Checkout "beta" <new>',
      backendService: 'checkout-backend',
      apiPath: '/v1/api',
    },
  ],
  [
    'react-frontend/v1.1.0/blueprint.yaml',
    {
      title: 'Checkout "beta" <new>',
      backendService: 'checkout-backend',
      apiPath: '/v1/api',
    },
  ],
  [
    'postgres-database/blueprint.yaml',
    { highAvailability: true, postgresVersion: '17' },
  ],
  [
    'rabbitmq-worker/blueprint.yaml',
    { exchange: 'orders', bindingKey: 'order.*.created', prefetch: 1 },
  ],
  [
    'rabbitmq-worker/v1.1.0/blueprint.yaml',
    {
      exchange: 'orders',
      bindingKey: 'order.*.created',
      prefetch: 1,
      healthPath: '/live',
    },
  ],
])(
  'blueprint packages/starter/blueprints/%s rendered with optional settings %j',
  (relative, values) => {
    it('renders parseable YAML and JSON and a valid catalog-info.yaml', async () => {
      const tmp = await createTempDir('provisionhub-blueprint-options-');
      try {
        const { paths } = await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          tmp.dir,
          values,
        );
        expect((await findParseProblems(tmp.dir, paths)).problems).toEqual([]);
        const [info] = (await readYamlDocuments(
          tmp.dir,
          'catalog-info.yaml',
        )) as Entity[];
        expect(await validateCatalogEntity(info)).toBeUndefined();
      } finally {
        await tmp.remove();
      }
    });
  },
);

describe('each rendered repository passes its own checks', () => {
  it.each([
    'node-backend/v1.0.0',
    'node-backend/v1.1.0',
    'node-backend/v1.2.0',
  ])(
    '%s type-checks and passes its own tests (npm test: tsc, then node --test)',
    async version => {
      const tmp = await createTempDir('provisionhub-node-backend-');
      try {
        await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, version, 'blueprint.yaml'),
          tmp.dir,
        );
        const pkg = JSON.parse(
          await fs.readFile(path.join(tmp.dir, 'package.json'), 'utf8'),
        );
        expect(pkg.dependencies ?? {}).toEqual({});
        expect(Object.keys(pkg.devDependencies).sort()).toEqual([
          '@types/node',
          'typescript',
        ]);

        const { stdout } = await runInRepository(tmp.dir, 'npm', ['test'], {
          npm_config_update_notifier: 'false',
        });
        const counts = testCounts(stdout);
        // eslint-disable-next-line no-console
        console.log(
          `${version}: node --test ran ${counts.tests} tests, ${counts.pass} passed`,
        );
        expect(counts.fail).toBe(0);
        expect(counts.pass).toBe(counts.tests);
        expect(counts.tests).toBeGreaterThanOrEqual(5);
      } finally {
        await tmp.remove();
      }
    },
  );

  it.each([
    'react-frontend/blueprint.yaml',
    'react-frontend/v1.1.0/blueprint.yaml',
  ])(
    '%s type-checks (app and tests) and passes its own tests (npm run typecheck, npm test)',
    async relative => {
      const tmp = await createTempDir('provisionhub-react-frontend-');
      try {
        await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          tmp.dir,
        );
        const npm = { npm_config_update_notifier: 'false' };
        await runInRepository(tmp.dir, 'npm', ['run', 'typecheck'], npm);
        const { stdout } = await runInRepository(tmp.dir, 'npm', ['test'], npm);
        const counts = testCounts(stdout);
        // eslint-disable-next-line no-console
        console.log(
          `${relative}: node --test ran ${counts.tests} tests, ${counts.pass} passed`,
        );
        expect(counts.fail).toBe(0);
        expect(counts.pass).toBe(counts.tests);
        expect(counts.tests).toBeGreaterThanOrEqual(5);
      } finally {
        await tmp.remove();
      }
    },
  );

  it.each([
    'rabbitmq-worker/blueprint.yaml',
    'rabbitmq-worker/v1.1.0/blueprint.yaml',
  ])(
    '%s type-checks and passes its unit tests and its integration tests on the real RabbitMQ',
    async relative => {
      const tmp = await createTempDir('provisionhub-rabbitmq-worker-');
      const broker = await createTestBroker();
      try {
        await renderShippedBlueprint(
          path.join(BLUEPRINTS_ROOT, relative),
          tmp.dir,
        );
        const env = {
          npm_config_update_notifier: 'false',
          AMQP_URL: broker.url,
        };
        const unit = testCounts(
          (await runInRepository(tmp.dir, 'npm', ['test'], env)).stdout,
        );
        const integration = testCounts(
          (
            await runInRepository(
              tmp.dir,
              'npm',
              ['run', 'test:integration'],
              env,
            )
          ).stdout,
        );
        // eslint-disable-next-line no-console
        console.log(
          `${relative}: unit ${unit.pass}/${unit.tests} passed, integration on RabbitMQ ${integration.pass}/${integration.tests} passed`,
        );
        for (const counts of [unit, integration]) {
          expect(counts.fail).toBe(0);
          expect(counts.pass).toBe(counts.tests);
        }
        expect(unit.tests).toBeGreaterThanOrEqual(5);
        expect(integration.tests).toBe(2);
      } finally {
        await broker.remove();
        await tmp.remove();
      }
    },
  );

  it('postgres-database migrations apply, in version order, on the real PostgreSQL', async () => {
    const tmp = await createTempDir('provisionhub-postgres-database-');
    try {
      await renderShippedBlueprint(
        path.join(BLUEPRINTS_ROOT, 'postgres-database/blueprint.yaml'),
        tmp.dir,
      );
      const migrations = (await fs.readdir(path.join(tmp.dir, 'migrations')))
        .map(file => ({
          file,
          version: Number(file.match(/^V(\d+)__.+\.sql$/)?.[1]),
        }))
        .sort((a, b) => a.version - b.version);
      expect(migrations.every(m => Number.isInteger(m.version))).toBe(true);
      expect(migrations.length).toBeGreaterThanOrEqual(2);

      const knex = await databases.init('POSTGRES_15');
      for (const { file } of migrations) {
        await knex.raw(
          await fs.readFile(path.join(tmp.dir, 'migrations', file), 'utf8'),
        );
      }
      await knex('checkout_api.example_items').insert({ name: 'first' });
      const rows = await knex('checkout_api.example_items').select(
        'id',
        'name',
        'created_at',
      );
      expect(rows).toEqual([
        { id: expect.any(String), name: 'first', created_at: expect.any(Date) },
      ]);
      const index = await knex.raw(
        "select indexname from pg_indexes where schemaname = 'checkout_api' and indexname = 'example_items_created_at_idx'",
      );
      expect(index.rows).toHaveLength(1);
      // eslint-disable-next-line no-console
      console.log(
        `postgres-database: ${migrations.length} migrations applied on PostgreSQL`,
      );
    } finally {
      await tmp.remove();
    }
  });
});

describe('blueprint catalog/modules/typescript-library', () => {
  const file = path.join(
    CATALOG_ROOT,
    'modules/typescript-library/blueprint.yaml',
  );

  it('is a valid Blueprint entity whose http:request step input matches the step schema', async () => {
    const entity = await readBlueprintEntity(file);
    expect(validateBlueprintEntity(entity)).toEqual([]);
    const schema = createHttpRequestStep(new Map()).schema.input;
    expect(
      entity.spec.steps?.map(s => [
        s.id,
        s.type,
        validateStepInput(schema, s.input).ok,
      ]),
    ).toEqual([['announce', 'http:request', true]]);
  });

  it('renders a catalog-info.yaml the catalog accepts, and passes its own tests (npm test: tsc, then node --test)', async () => {
    const tmp = await createTempDir('provisionhub-typescript-library-');
    try {
      const { paths } = await renderShippedBlueprint(file, tmp.dir);
      expect((await findParseProblems(tmp.dir, paths)).problems).toEqual([]);
      const [info] = (await readYamlDocuments(
        tmp.dir,
        'catalog-info.yaml',
      )) as Entity[];
      expect(await validateCatalogEntity(info)).toBeUndefined();
      expect(info.spec).toMatchObject({
        type: 'library',
        owner: 'group:default/payments-team',
        system: 'payments',
      });

      const { stdout } = await runInRepository(tmp.dir, 'npm', ['test'], {
        npm_config_update_notifier: 'false',
      });
      const counts = testCounts(stdout);
      expect(counts.fail).toBe(0);
      expect(counts.pass).toBe(counts.tests);
      expect(counts.tests).toBeGreaterThanOrEqual(1);
    } finally {
      await tmp.remove();
    }
  });
});
