/** The kb area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { KbService } from './types.js';

export function createKb(_deps: BackOfficeDeps): KbService {
  return notBuilt<KbService>('kb');
}
