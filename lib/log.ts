import { pino, type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level: string;
  format: 'json' | 'pretty';
}

/**
 * The root logger. JSON for machines in production, readable lines in development.
 * Secrets never reach the output: the redaction list covers every place a key or token travels.
 */
export function createLogger(options: LogOptions, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level: options.level,
    base: bindings,
    redact: {
      paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'secret', 'privateKey', '*.secret', '*.privateKey'],
      censor: '[redacted]',
    },
    transport:
      options.format === 'pretty'
        ? { target: 'pino-pretty', options: { colorize: true, singleLine: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } }
        : undefined,
  });
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
