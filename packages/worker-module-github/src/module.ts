import { createWorkerModule } from '@provisionhub/plugin-provisionhub-node';
import { GitHubProvider } from './GitHubProvider';
import { readGitHubOptions } from './readGitHubOptions';

/**
 * The worker module that adds the `github` Git provider.
 * @public
 */
export const githubWorkerModule = createWorkerModule({
  id: 'github',
  register(env) {
    env.registerGitProvider(
      'github',
      ({ config }) => new GitHubProvider(readGitHubOptions(config)),
    );
  },
});
