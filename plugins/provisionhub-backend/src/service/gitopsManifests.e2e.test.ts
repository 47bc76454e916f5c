import {
  buildKustomization,
  validateObject,
} from '@provisionhub/deployment-checks';
import { createTestDatabases, git } from '@provisionhub/test-utils';
import path from 'node:path';
import fs from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { usePortalWithWorker } from '../__testUtils__/portalWithWorker';

jest.setTimeout(300_000);

const databases = createTestDatabases();

/**
 * Every environment automatic: one run writes all its overlays, so all can be checked.
 * Production's namespace is the system's name, as in the dev portal.
 */
const ENVIRONMENTS = [
  { name: 'development', automatic: true },
  { name: 'staging', automatic: true },
  {
    name: 'production',
    automatic: true,
    destination: { namespace: '${system}' },
  },
];
const namespaceOf = (environment: string) =>
  environment === 'production' ? 'ledger' : `ledger-${environment}`;

/** The shipped blueprints that deploy through the GitOps repository, as the latest versions. */
const COMPONENTS = [
  { name: 'ledger-api', blueprint: 'node-backend' },
  { name: 'ledger-web', blueprint: 'react-frontend' },
  { name: 'ledger-jobs', blueprint: 'rabbitmq-worker' },
];

/**
 * What the shipped blueprints deploy, as Argo CD would see it: the real pipeline (control plane,
 * RabbitMQ, a worker process) writes a system and one component of each deploying blueprint to
 * a GitOps repository; every overlay there builds with `kubectl kustomize`, and every object,
 * the Argo CD Applications and AppProject included, validates against its schema.
 */
// One engine is enough: what is checked is written by the worker, not stored by the database.
describe.each([['SQLITE_3' as const]])(
  'the shipped blueprints deployed through GitOps on %s',
  databaseId => {
    const { provision, remote, dir } = usePortalWithWorker(
      databases,
      databaseId,
      {
        rules: [],
        config: {
          environments: ENVIRONMENTS,
          gitops: { repository: 'platform/gitops' },
        },
      },
    );

    it('builds every overlay and validates every object', async () => {
      await provision({
        kind: 'system',
        name: 'ledger',
        owner: 'group:default/payments-team',
        blueprint: 'system',
        values: {},
      });
      for (const component of COMPONENTS) {
        await provision({
          kind: 'component',
          owner: 'group:default/payments-team',
          system: 'ledger',
          values: {},
          ...component,
        });
      }
      const checkout = path.join(dir(), 'gitops-checkout');
      await git(dir(), 'clone', '--quiet', remote('platform/gitops'), checkout);

      const overlays = [
        'ledger/_system',
        ...COMPONENTS.map(c => `ledger/${c.name}`),
      ].flatMap(folder =>
        ENVIRONMENTS.map(e => `${folder}/overlays/${e.name}`),
      );
      const built: string[] = [];
      for (const overlay of overlays) {
        const objects = await buildKustomization(path.join(checkout, overlay));
        expect(objects.length).toBeGreaterThan(0);
        for (const object of objects) {
          validateObject(object);
          const namespace = namespaceOf(overlay.split('/').pop()!);
          // A Namespace is the environment's; every namespaced object is in it.
          const where =
            object.kind === 'Namespace'
              ? object.metadata.name
              : object.metadata.namespace ?? namespace;
          expect([object.kind, where]).toEqual([object.kind, namespace]);
          built.push(`${overlay}: ${object.kind}`);
        }
      }
      expect(built).toEqual(
        expect.arrayContaining([
          'ledger/_system/overlays/production: Namespace',
          'ledger/ledger-api/overlays/production: Deployment',
          'ledger/ledger-web/overlays/staging: Deployment',
          'ledger/ledger-jobs/overlays/development: Deployment',
        ]),
      );

      const argocd = [
        'ledger/_system/appproject.yaml',
        ...[
          'ledger/_system',
          ...COMPONENTS.map(c => `ledger/${c.name}`),
        ].flatMap(folder =>
          ENVIRONMENTS.map(e => `${folder}/argocd/${e.name}.yaml`),
        ),
      ];
      for (const file of argocd) {
        const [document, ...more] = parseAllDocuments(
          await fs.readFile(path.join(checkout, file), 'utf8'),
        );
        expect(more).toEqual([]);
        validateObject(document.toJSON());
      }
    });
  },
);
