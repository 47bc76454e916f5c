import {
  LoggerService,
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { createTestDatabases, useTestBroker } from '@provisionhub/test-utils';
import { provisionhubPlugin } from '../plugin';
import {
  catalogWith,
  provisionhubConfig,
  recordingServices,
} from '../__testUtils__/fixtures';

jest.setTimeout(30_000);

const databases = createTestDatabases();

/** A logger (and every child of it) that keeps the warnings. */
function warningsLogger(warnings: string[]): LoggerService {
  const logger: LoggerService = {
    error: () => {},
    warn: message => {
      warnings.push(message);
    },
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return logger;
}

/** A permission plugin with a policy module of this id, as the backend's instance metadata lists them. */
const permissionPlugin = (moduleId: string) => [
  createBackendPlugin({
    pluginId: 'permission',
    register(env) {
      env.registerInit({ deps: {}, async init() {} });
    },
  }),
  createBackendModule({
    pluginId: 'permission',
    moduleId,
    register(reg) {
      reg.registerInit({ deps: {}, async init() {} });
    },
  }),
];

describe('the startup warning about who may approve', () => {
  const testBroker = useTestBroker();

  /** Starts the plugin in a portal with this config and these installed plugins; its warnings. */
  async function warningsAtStartup(
    root: JsonObject,
    installed: ReturnType<typeof permissionPlugin>,
  ) {
    const warnings: string[] = [];
    const backend = await startTestBackend({
      features: [
        provisionhubPlugin,
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        provisionhubConfig(testBroker, {}, root),
        catalogWith([]),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        ...installed,
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => warningsLogger(warnings),
        }),
        ...recordingServices().features,
      ],
    });
    await backend.stop();
    return warnings.filter(w => w.includes('provisionhub.run.approve'));
  }

  it("warns when the portal runs Backstage's allow-all policy", async () => {
    expect(
      await warningsAtStartup(
        { permission: { enabled: true } },
        permissionPlugin('allow-all-policy'),
      ),
    ).toEqual([
      expect.stringMatching(
        /^provisionhub.run.approve is granted to everyone because the permission backend's policy is Backstage's allow-all policy \(module allow-all-policy\): .*decideProvisionHubPermission/,
      ),
    ]);
  });

  it('warns when the permission framework is off', async () => {
    expect(
      await warningsAtStartup({}, permissionPlugin('portal-policy')),
    ).toEqual([
      expect.stringContaining(
        'because permission.enabled is not true (Backstage then allows every permission)',
      ),
    ]);
  });

  it('stays quiet when a policy of the portal decides', async () => {
    expect(
      await warningsAtStartup(
        { permission: { enabled: true } },
        permissionPlugin('portal-policy'),
      ),
    ).toEqual([]);
  });
});
