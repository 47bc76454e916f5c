import amqp from 'amqplib';
import type { ChannelModel } from 'amqplib';
import type { Logger } from './logger.js';

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connects to the broker, retrying with capped exponential backoff while it is not reachable
 * (e.g. it starts at the same time as the worker), and gives up after `timeoutMs`.
 */
export async function connectWithRetry(
  url: string,
  logger: Logger,
  timeoutMs = 60000,
): Promise<ChannelModel> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await amqp.connect(url);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (Date.now() >= deadline) {
        throw new Error(`cannot connect to ${redactUrl(url)} after ${attempt} attempts: ${reason}`);
      }
      const delay = Math.min(250 * 2 ** (attempt - 1), 5000);
      logger.warn(`broker not reachable, retrying in ${delay} ms`, { url: redactUrl(url), reason });
      await new Promise(resolve => setTimeout(resolve, delay));
    }
  }
}
