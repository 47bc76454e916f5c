import type { Logger } from './logger.js';
import { InvalidMessageError, WorkItem } from './messages.js';

export type Handler = (item: WorkItem, logger: Logger) => Promise<void>;

/**
 * What the worker does, by work item type. Replace the example with your own handlers; a handler
 * that throws has its message redelivered (up to the delivery limit), one that throws
 * InvalidMessageError sends it straight to the dead-letter queue.
 */
export const handlers: Record<string, Handler> = {
  async 'example.greet'(item, logger) {
    const name = item.data.name;
    if (typeof name !== 'string') {
      throw new InvalidMessageError('example.greet needs data.name as a string');
    }
    logger.info(`Hello, ${name}!`, { itemId: item.id });
  },
};

/** Finds the handler of an item; an unknown type is a message that can never be handled. */
export function handlerFor(item: WorkItem, registry: Record<string, Handler> = handlers): Handler {
  const handler = Object.hasOwn(registry, item.type) ? registry[item.type] : undefined;
  if (!handler) {
    throw new InvalidMessageError(
      `no handler for type '${item.type}'; known types: ${Object.keys(registry).join(', ')}`,
    );
  }
  return handler;
}
