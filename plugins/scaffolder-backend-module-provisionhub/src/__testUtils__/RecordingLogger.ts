import type { LoggerService } from '@backstage/backend-plugin-api';

/** A task log that keeps what was written, in order. */
export class RecordingLogger implements LoggerService {
  readonly lines: Array<{
    level: 'error' | 'warn' | 'info' | 'debug';
    message: string;
  }> = [];

  error(message: string) {
    this.lines.push({ level: 'error', message });
  }
  warn(message: string) {
    this.lines.push({ level: 'warn', message });
  }
  info(message: string) {
    this.lines.push({ level: 'info', message });
  }
  debug(message: string) {
    this.lines.push({ level: 'debug', message });
  }
  child(): LoggerService {
    return this;
  }

  messages(): string[] {
    return this.lines.map(l => l.message);
  }
}
