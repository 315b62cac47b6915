/** The selfservice area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { notBuilt } from '../common/not-built.js';
import type { SelfServiceService } from './types.js';

export function createSelfService(_deps: BackOfficeDeps): SelfServiceService {
  return notBuilt<SelfServiceService>('selfservice');
}
