// The console's follow-up offer strings in English (a lazy area: pages/console-offer.tsx).
import type { followupOfferZh } from './followup-offer.js';

export const followupOfferEn: Record<keyof typeof followupOfferZh, string> = {
  title: 'Follow-up offer',
  hint: 'While you are free the box offers you the next follow-up due: read the customer and the script, then call or skip.',
  none: 'No follow-up to call right now',
  list: 'List',
  customer: 'Customer',
  unknownCustomer: 'Customer without a record',
  phone: 'Phone',
  note: 'Note',
  script: 'Script',
  attempts: '{n} attempts so far',
  expires: 'Goes to another agent if not taken by {t}',
  accept: 'Call',
  skip: 'Skip',
  skipNote: 'Why skip (optional)',
  skipped: 'Skipped; it comes back in 5 minutes',
  calling: 'Your phone is ringing; pick up and the box dials the customer',
  closedByBox: 'The call ended; the box recorded: {result}',
  outcomeTitle: 'After the call, record the result',
  'refusal.agentBusy': 'Your phone is busy: hang up, then call',
  'refusal.noLine': 'No outside line is free: try again shortly',
  'refusal.do_not_call': 'This customer must not be called',
  'refusal.expired': 'The offer expired and went back to the list',
} as const;
