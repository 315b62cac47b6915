// The disposition strings in English (the app's English chunk: text-en.ts); keys from disposition.ts.
import { callbacksEn } from './callbacks.en.js';
import type { dispositionZh } from './disposition.js';

export const dispositionEn: Record<keyof typeof dispositionZh, string> = {
  ...callbacksEn,
  'disp.title': 'Call result',
  'disp.none': 'Answer a call to set its result here.',
  'disp.call': 'Call {phone} · {time}',
  'disp.code': 'Result',
  'disp.pick': 'Choose…',
  'disp.note': 'Note (optional)',
  'disp.save': 'Save result',
  'disp.saved': 'Saved: {label}',
  'disp.current': 'Current result: {label}',
  'disp.noneSet': 'Recorded by the box: not set',
  'disp.phoneHint': 'Analog phone: press *4 and the code during or after the call, e.g. *41.',
};
