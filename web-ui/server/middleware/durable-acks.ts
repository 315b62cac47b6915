/**
 * A write the box answers with success is on the storage first: after a POST, PUT, PATCH or
 * DELETE that succeeded (status < 400), the response waits for `durable()` (the WAL's fsync on the
 * thread pool, firmware/src/store/wal-sync.ts). A failed sync (the card failing) answers 500 with
 * code STORAGE_FAILED instead: the record may not survive a power cut, and the client must not be
 * told it will. docs/RELIABILITY.md (Power loss).
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { AppMiddleware } from '../state.js';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function durableAcks(durable: (() => Promise<void>) | undefined): AppMiddleware {
  return async (ctx, next) => {
    await next();
    if (!durable || !WRITES.has(ctx.method) || ctx.status >= 400) return;
    try {
      await durable();
    } catch (e) {
      throw new CallboxError('STORAGE_FAILED', `the change was made but the storage did not confirm it: ${(e as Error).message}`);
    }
  };
}
