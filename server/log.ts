import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type LogFormat = 'json' | 'pretty';

/**
 * Readable lines for a person at a terminal; JSON lines for log collectors. An explicit LOG_FORMAT
 * wins; otherwise pretty only on a TTY outside production.
 */
export function chooseLogFormat(
  explicit: LogFormat | undefined,
  env: { NODE_ENV?: string | undefined } = process.env,
  isTTY: boolean = process.stdout.isTTY === true,
): LogFormat {
  if (explicit) return explicit;
  return isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/**
 * pino-pretty runs in-process and synchronously (not as a worker transport): lines stay in order
 * with the plain start-up lines printed next to them, and nothing is lost when the process exits.
 */
export function createLogger(level: string, format: LogFormat = 'json', destination?: DestinationStream): Logger {
  const options = { level, base: { app: 'cca-quiz' }, timestamp: pino.stdTimeFunctions.isoTime };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  const stream = pretty({
    colorize: destination === undefined && process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
    sync: true,
    ...(destination ? { destination } : {}),
  });
  return pino(options, stream);
}
