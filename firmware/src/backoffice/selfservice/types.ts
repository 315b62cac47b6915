/** IVR self-service data: authenticity codes (防伪码) and the where-to-buy message. The service contract. */
import type { Actor } from '../common/types.js';

export interface SelfServiceService {
  /** How many codes the table holds. */
  codeCount(actor: Actor): number;
}
