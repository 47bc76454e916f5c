/**
 * ProvisionHub worker module: the `gitlab` Git provider. Load it with
 * `provisionhub.worker.modules: ['@provisionhub/worker-module-gitlab']` and
 * `provisionhub.git.provider: gitlab`.
 *
 * @packageDocumentation
 */
import { gitlabWorkerModule } from './module';

export { GitLabProvider } from './GitLabProvider';
export { readGitLabOptions } from './readGitLabOptions';
export type { GitLabProviderOptions } from './readGitLabOptions';
export { gitlabWorkerModule };
export default gitlabWorkerModule;
