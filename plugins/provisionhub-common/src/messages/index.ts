export * from './types';
export { messageSchemas } from './schemas';
export { parseMessage, validateMessage } from './parseMessage';
export type { ParsedMessage } from './parseMessage';
