/**
 * One debug line per request: method, path, final status, duration. Never logs headers or bodies
 * (they carry tokens and passwords).
 */
import type { Logger } from 'pino';
import type { AppMiddleware } from '../state.js';

export function requestLog(log: Logger): AppMiddleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      if (log.isLevelEnabled('debug')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 100) / 100 }, 'http request');
      }
    }
  };
}
