/** The QA area (质检): built from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { Qa } from './service.js';
import type { QaService } from './types.js';

export function createQa(deps: BackOfficeDeps): QaService {
  return new Qa(deps);
}
