/**
 * TEMPORARY scaffolding while the areas are being built in parallel: an object whose every method
 * throws NOT_IMPLEMENTED. Each area replaces its use with the real implementation; this file is
 * deleted when the last one is gone.
 */
import { CallboxError } from '../../errors.js';

export function notBuilt<T extends object>(area: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => () => {
      throw new CallboxError('NOT_IMPLEMENTED', `${area}.${String(prop)} is not built yet`);
    },
  });
}
