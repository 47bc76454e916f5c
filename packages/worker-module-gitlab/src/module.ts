import { createWorkerModule } from '@provisionhub/plugin-provisionhub-node';
import { GitLabProvider } from './GitLabProvider';
import { readGitLabOptions } from './readGitLabOptions';

/**
 * The worker module that adds the `gitlab` Git provider.
 * @public
 */
export const gitlabWorkerModule = createWorkerModule({
  id: 'gitlab',
  register(env) {
    env.registerGitProvider(
      'gitlab',
      ({ config }) => new GitLabProvider(readGitLabOptions(config)),
    );
  },
});
