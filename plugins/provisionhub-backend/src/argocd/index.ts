export { ArgoCdClient } from './ArgoCdClient';
export type { ArgoCdClientOptions } from './ArgoCdClient';
export { readArgoCdConfig } from './readArgoCdConfig';
