import { createWorkerModule } from '@provisionhub/plugin-provisionhub-node';
import { readHttpCredentials } from './credentials';
import { createHttpRequestStep } from './httpRequestStep';

/**
 * The worker module that adds the `http:request` blueprint step.
 * @public
 */
export const httpWorkerModule = createWorkerModule({
  id: 'http',
  register(env) {
    env.registerStep(
      'http:request',
      createHttpRequestStep(readHttpCredentials(env.config)),
    );
  },
});
