/**
 * The last-resort policy of `callbox run` for an exception nothing caught (uncaughtException,
 * unhandledRejection): never go on silently after an unknown error. Log it as fatal, stop the box
 * gracefully (calls saved, database closed) and exit non-zero, so systemd (Restart=always) starts it
 * again; the HAT's bypass relay gives the lines to the phones meanwhile and the OTA boot counter
 * rolls back a release that keeps crashing. A second fatal error while stopping exits at once.
 */
import type { Logger } from 'pino';
import { EXIT } from './usage.js';

export interface FatalPolicy {
  /** Until the box serves: what a fatal error does (default: exit EXIT.FAILURE at once). */
  setStop(stop: (reason: string) => void): void;
}

export function installFatalHandlers(log: Logger, exit: (code: number) => void = (c) => process.exit(c)): FatalPolicy {
  let stop: ((reason: string) => void) | null = null;
  let fatalSeen = false;
  const fatal = (kind: 'uncaughtException' | 'unhandledRejection', err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    log.fatal({ err, kind }, `${kind}: ${message}; stopping (exit ${EXIT.FAILURE}) so the service manager restarts the box`);
    if (fatalSeen || !stop) {
      exit(EXIT.FAILURE);
      return;
    }
    fatalSeen = true;
    stop(`${kind}: ${message}`);
  };
  process.on('uncaughtException', (err) => fatal('uncaughtException', err));
  process.on('unhandledRejection', (err) => fatal('unhandledRejection', err));
  return {
    setStop: (s) => {
      stop = s;
    },
  };
}
