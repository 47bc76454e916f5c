export { spawnWorker, writeConfigFile } from '@provisionhub/test-utils';
export type { WorkerProcess } from '@provisionhub/test-utils';
