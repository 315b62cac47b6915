/** The box's logger: pino, JSON lines on stdout, namespaced children (`ns`: calls, acd, hal:sim, ...). */
import { type Logger, pino } from 'pino';

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? 'info';
  return opts.destination ? pino({ level, base: { app: 'callbox' } }, opts.destination) : pino({ level, base: { app: 'callbox' } });
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
