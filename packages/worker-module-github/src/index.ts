/**
 * ProvisionHub worker module: the `github` Git provider. Load it with
 * `provisionhub.worker.modules: ['@provisionhub/worker-module-github']` and
 * `provisionhub.git.provider: github`.
 *
 * @packageDocumentation
 */
import { githubWorkerModule } from './module';

export { GitHubProvider } from './GitHubProvider';
export { readGitHubOptions } from './readGitHubOptions';
export type { GitHubProviderOptions } from './readGitHubOptions';
export { githubWorkerModule };
export default githubWorkerModule;
