/**
 * SMS received: each `sms` event of the driver's channels goes to the inbox (sms-inbox.ts), which
 * stores it once by its id, then makes its ticket (`tickets.fromSms`, when SMS tickets are on).
 * Attach before the driver starts: the modem's start reads what waited on the SIM (AT+CMGL), and
 * a message handed to no listener was deleted from the SIM and lost. The modem deletes a message
 * from the SIM only after `durable` (`inbox.durable` over the box's WAL sync): never one the inbox
 * could not store.
 */
import type { Channel } from '../../../hal/src/channel.js';
import type { SmsInbox } from './sms-inbox.js';

/** What the modem driver asks of the inbox (hal/src/drivers/atmodem/modem-sms.ts). */
export interface InboxHooks {
  durable: () => Promise<void>;
  known: (idPrefix: string) => { id: string; text: string }[];
}

/**
 * The modem deletes a message from the SIM only once the inbox has it on the storage (`sync`: the
 * box's WAL sync), and asks the inbox for the messages a part left on the SIM may belong to.
 */
export function modemToInbox(modem: InboxHooks, inbox: Pick<SmsInbox, 'durable' | 'known'>, sync: () => Promise<void>): void {
  modem.durable = () => inbox.durable(sync);
  modem.known = (prefix) => inbox.known(prefix);
}

export function smsToInbox(channels: readonly Channel[], inbox: Pick<SmsInbox, 'receive'>): void {
  for (const ch of channels) ch.events.on('sms', (m) => inbox.receive(m));
}
