import { LOG_LEVELS, LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Where log lines go; one JSON object per line. */
export type LogSink = (line: string) => void;

const toStdout: LogSink = line => process.stdout.write(`${line}\n`);

/** A logger writing one JSON object per line, as log collectors expect. */
export function createLogger(
  level: LogLevel,
  base: LogFields = {},
  sink: LogSink = toStdout,
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string, fields?: LogFields) => {
    if (LOG_LEVELS.indexOf(at) < threshold) {
      return;
    }
    sink(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...base, ...fields }));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: fields => createLogger(level, { ...base, ...fields }, sink),
  };
}
