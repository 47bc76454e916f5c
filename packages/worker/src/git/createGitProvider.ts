import type { WorkerConfig } from '../config';
import { GitCliProvider } from './GitCliProvider';
import { GitLabProvider } from './GitLabProvider';
import type { GitProvider } from './GitProvider';

/** The provider `provisionhub.git.provider` names. @public */
export function createGitProvider(config: WorkerConfig): GitProvider {
  if (config.git.provider === 'gitlab') {
    return new GitLabProvider(config.git.gitlab);
  }
  return new GitCliProvider(config.git.git, config.secrets);
}
