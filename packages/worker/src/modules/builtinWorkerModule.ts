import { createWorkerModule } from '@provisionhub/plugin-provisionhub-node';
import type { WorkerConfig } from '../config';
import { GitCliProvider } from '../git/GitCliProvider';
import { createGitopsStep } from '../steps/gitops';
import type { LoadedWorkerModule } from './WorkerRegistry';

/**
 * What the worker has without modules: the `gitops` step type and the `git` provider,
 * registered through the same API as any module.
 */
export function builtinWorkerModule(config: WorkerConfig): LoadedWorkerModule {
  const settings = config.git;
  return {
    source: 'built-in',
    module: createWorkerModule({
      id: 'builtin',
      register(env) {
        env.registerStep('gitops', createGitopsStep(config.secrets));
        env.registerGitProvider('git', () => {
          if (settings.provider !== 'git') {
            throw new Error('provisionhub.git.provider is not git');
          }
          return new GitCliProvider(settings.git, config.secrets);
        });
      },
    }),
  };
}
