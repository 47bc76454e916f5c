export { createOpenApiRouter } from './router';
export { spec } from './spec';
