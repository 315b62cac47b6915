/** The kb area: built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { KbArticles } from './articles.js';
import type { KbService } from './types.js';

export function createKb(deps: BackOfficeDeps): KbService {
  return new KbArticles(deps);
}
