import type { LoggerService } from '@backstage/backend-plugin-api';

/** A LoggerService that keeps every line, to assert on what the worker logged. */
export function createCapturingLogger(
  lines: string[] = [],
): LoggerService & { lines: string[] } {
  const write = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  const logger = {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return logger;
}
