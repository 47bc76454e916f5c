export { loadAppConfig } from './loadAppConfig';
export { readWorkerConfig } from './readWorkerConfig';
export { ConfigError } from './ConfigError';
export type * from './types';
