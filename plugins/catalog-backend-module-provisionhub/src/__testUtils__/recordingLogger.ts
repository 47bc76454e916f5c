import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/** One line a backend logged, with the metadata of the logger it went through. */
export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: JsonObject;
}

/**
 * A root logger that keeps every line in memory (and prints warnings and errors), so tests can
 * assert what a plugin told its operators.
 */
export function createRecordingLogger() {
  const lines: LoggedLine[] = [];
  const make = (meta: JsonObject): LoggerService => {
    const log =
      (level: LoggedLine['level']) =>
      (message: string, extra?: Error | JsonObject) => {
        lines.push({
          level,
          message,
          meta: { ...meta, ...(extra instanceof Error ? {} : extra) },
        });
        if (level === 'error' || level === 'warn') {
          // eslint-disable-next-line no-console
          console[level](`[${level}] ${message}`);
        }
      };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: childMeta => make({ ...meta, ...childMeta }),
    };
  };
  const factory = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
  return { lines, factory };
}
