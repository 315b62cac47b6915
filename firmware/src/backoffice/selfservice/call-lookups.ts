/**
 * The call engine's view of the shop's data (calls/lookups.ts CallLookups), built from the back
 * office: order status and authenticity codes for the IVR's lookups, the where-to-buy message as
 * 8 kHz audio (the caller's language, else the other one), and a VIP caller's queue priority from
 * the customers area (`customers.queuePriority(phone)`: VIP customers).
 */
import { loadWavAs8k } from '../../../../hal/src/dsp/resample.js';
import type { CallLookups, CodeVerdict } from '../../calls/lookups.js';
import type { BackOffice } from '../index.js';
import { CODE_PATTERN, normalizeCode } from './code-csv.js';

export function callLookups(backOffice: () => BackOffice): CallLookups {
  return {
    orderStatus: (number) => backOffice().selfService.orderStatus(number),
    checkCode: (code, call): CodeVerdict => {
      // a keyed code the table cannot hold (too short) is unknown, and not logged
      if (!CODE_PATTERN.test(normalizeCode(code))) return { verdict: 'unknown' };
      const r = backOffice().selfService.checkCode(code, { source: 'ivr', caller: call.callerId, callId: call.callId });
      if (r.verdict === 'unknown') return { verdict: 'unknown' };
      if (r.verdict === 'genuine') return { verdict: 'genuine', product: r.product, batch: r.batch };
      return { verdict: 'repeat', product: r.product, batch: r.batch, previousChecks: r.previousChecks, firstCheckedAt: r.firstCheckedAt };
    },
    whereToBuy: (language) => {
      const ss = backOffice().selfService;
      const wav = ss.whereToBuyWav(language) ?? ss.whereToBuyWav(language === 'en' ? 'zh-CN' : 'en');
      return wav ? loadWavAs8k(wav) : null;
    },
    callerPriority: (callerId) => backOffice().customers.queuePriority(callerId),
  };
}
