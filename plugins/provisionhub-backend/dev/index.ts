/*
 * A runnable sandbox: `yarn start` in this package starts a backend with only this plugin, the
 * machine's RabbitMQ (provisionhub.amqp from app-config.yaml), an in-memory catalog holding the
 * test blueprints (written to a temp folder) and logging stand-ins for signals and
 * notifications. Every request is treated as coming from `user:default/mock`.
 *
 *   curl -s localhost:7007/api/provisionhub/blueprints
 *   curl -s -XPOST -H 'Content-Type: application/json' localhost:7007/api/provisionhub/runs \
 *     -d '{"kind":"component","name":"demo-api","owner":"group:default/payments","system":"legacy","blueprint":"node-backend","values":{}}'
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createTempDir } from '@provisionhub/test-utils';
import {
  catalogWith,
  writeBlueprintEntities,
} from '../src/__testUtils__/fixtures';

async function main() {
  const { dir } = await createTempDir('provisionhub-sandbox-');
  const backend = createBackend();
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(
    mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
  );
  backend.add(catalogWith(await writeBlueprintEntities(dir)));
  backend.add(
    createServiceFactory({
      service: signalsServiceRef,
      deps: { logger: coreServices.logger },
      factory: ({ logger }) => ({
        publish: async signal =>
          logger.info(
            `signal ${signal.channel}: ${JSON.stringify(signal.message)}`,
          ),
      }),
    }),
  );
  backend.add(
    createServiceFactory({
      service: notificationService,
      deps: { logger: coreServices.logger },
      factory: ({ logger }) => ({
        send: async options =>
          logger.info(`notification: ${JSON.stringify(options)}`),
      }),
    }),
  );
  backend.add(import('../src'));
  await backend.start();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
