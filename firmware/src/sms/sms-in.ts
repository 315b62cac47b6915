/**
 * SMS received: each `sms` event of the driver's channels becomes a ticket, or a note on the
 * sender's open SMS ticket (`tickets.fromSms`, which drops a message it already has by its id).
 * Attach before the driver starts: the modem's start reads what waited on the SIM (AT+CMGL), and
 * a message handed to no listener was deleted from the SIM and lost.
 */
import type { Logger } from 'pino';
import type { Channel } from '../../../hal/src/channel.js';

export interface SmsTickets {
  fromSms(from: string, text: string, receivedAt: number, smsId?: string): unknown;
}

export function smsToTickets(channels: readonly Channel[], tickets: SmsTickets, log: Logger): void {
  for (const ch of channels) {
    ch.events.on('sms', (m) => {
      try {
        tickets.fromSms(m.from, m.text, m.receivedAt, m.id);
      } catch (err) {
        log.error({ err, from: m.from }, 'SMS could not become a ticket');
      }
    });
  }
}
