/** The selfservice area: authenticity codes and the where-to-buy message, from the shared back-office deps. */
import type { BackOfficeDeps } from '../common/deps.js';
import { CodeStore } from './code-store.js';
import { orderStatus } from './order-status.js';
import type { SelfServiceService } from './types.js';
import { WhereToBuyStore } from './where-to-buy.js';

export function createSelfService(deps: BackOfficeDeps, opts: { espeak?: string } = {}): SelfServiceService {
  const codes = new CodeStore(deps);
  const message = new WhereToBuyStore(deps, opts.espeak);
  return {
    orderStatus: (number) => orderStatus(deps, number),
    codeCount: () => codes.count(),
    importCodes: (actor, csv) => codes.import(actor, csv),
    getCode: (_actor, code) => codes.get(code),
    checkCode: (code, from) => codes.check(code, from),
    checks: (_actor, q) => codes.checks(q),
    stats: (_actor, q) => codes.stats(q),
    setWhereToBuyAudio: (actor, language, wav) => message.setAudio(actor, language, wav),
    setWhereToBuyText: (actor, language, text) => message.setText(actor, language, text),
    whereToBuy: (_actor, language) => message.get(language),
    whereToBuyWav: (language) => message.wav(language),
    clearWhereToBuy: (_actor, language) => message.clear(language),
  };
}
