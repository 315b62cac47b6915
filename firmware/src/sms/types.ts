/** Text messages the box sends and receives through the GSM modem (短信): the service contract. */
import type { Actor } from '../backoffice/common/types.js';

/** queued → sending → sent → delivered (the network's report), or failed (tries used up, or the network gave up delivering). */
export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

/** The network's delivery report on one part, as the API shows it. */
export interface SmsPartReport {
  /** 1-based part number. */
  part: number;
  /** pending: the network is still trying (the phone was off, busy…). */
  status: 'delivered' | 'pending' | 'failed';
  /** In words (3GPP TS 23.040), e.g. "received by the phone", "validity period expired". */
  detail: string;
  /** When the network reached this status (ISO). */
  at: string;
}

export interface SmsMessage {
  id: string;
  direction: 'out';
  /** Masked (138****5678) for viewers without customers.phones. */
  to: string;
  text: string;
  status: SmsStatus;
  /** Tries so far (a try while the modem is not ready does not count). */
  attempts: number;
  /** ISO time of the next try while queued. */
  nextTryAt: string | null;
  lastError: string | null;
  /** Parts the message went out in (a long or Chinese text is split). */
  parts: number | null;
  customerId: string | null;
  ticketId: string | null;
  createdBy: string;
  createdAt: string;
  sentAt: string | null;
  /** When the last part reached the phone (status delivered), from the network's report. */
  deliveredAt: string | null;
  /** The network's latest report per part (empty until one comes; a modem without reports sends none). */
  delivery: SmsPartReport[];
}

/** What to send: to a number, or to the customer / ticket's phone or a received message's sender (then `to` may be left out). */
export interface SmsSendInput {
  to?: string;
  text: string;
  customerId?: string;
  ticketId?: string;
  /** A message this answers, received (its sender) or sent (its number): the number, customer and ticket default to its. */
  replyTo?: string;
}

/** A text message the modem received (收件箱), stored before anything else happens to it. */
export interface SmsReceived {
  id: string;
  direction: 'in';
  /** The sender as the network gave it (+86…, a service number, a name); masked (138****5678) for viewers without customers.phones. */
  from: string;
  text: string;
  /** When the box read it from the modem (ISO). */
  receivedAt: string;
  /** The owner of the number when it came. */
  customerId: string | null;
  customerName: string | null;
  /** The ticket it became or was noted on (null while SMS tickets are off). */
  ticketId: string | null;
  ticketNumber: string | null;
  readAt: string | null;
  readBy: string | null;
}

/** One message of either direction, as the list shows it. */
export type SmsRecord = SmsMessage | SmsReceived;

export interface SmsQuery {
  /** Only received (in) or only sent (out) messages; both when left out. */
  direction?: 'in' | 'out';
  /** Sent messages in this status (implies out). */
  status?: SmsStatus;
  /** Received messages not yet read (implies in). */
  unread?: boolean;
  customerId?: string;
  ticketId?: string;
  /** 1..500, default 50. */
  limit?: number;
  /** Skip that many (paging), default 0. */
  offset?: number;
}

/** A page of the list: `total` counts every match, `unread` every received message not yet read. */
export interface SmsList {
  messages: SmsRecord[];
  total: number;
  unread: number;
}

/** A message as the modem driver hands it over (hal/src/channel.ts `sms` event). */
export interface SmsArrival {
  from: string;
  text: string;
  receivedAt: number;
  /** The driver's id: the same message read again (after a restart) has the same id. */
  id: string;
}

export interface SmsService {
  /**
   * Queue a message; it goes out through the modem with retries. VALIDATION_FAILED naming the field
   * (text empty or over 670 characters, no number, a bad number), NOT_FOUND for an unknown
   * customer or ticket, CONFLICT when the box has no modem.
   */
  send(actor: Actor, input: SmsSendInput): SmsMessage;
  /** Newest first, both directions unless `direction`; VALIDATION_FAILED naming a bad field. */
  list(actor: Actor, q: SmsQuery): SmsList;
  /** A sent or a received message by its id. */
  get(actor: Actor, id: string): SmsRecord | null;
  /** Mark a received message read (again: unchanged); NOT_FOUND, or CONFLICT for a sent one. */
  markRead(actor: Actor, id: string): SmsReceived;
}

/** A delivery report from the modem (hal/src/drivers/atmodem/sms-report.ts), about one part by its TP-MR. */
export interface SmsDeliveryReport {
  ref: number;
  /** The recipient as the network writes it (+86…, or national). */
  to: string;
  status: 'delivered' | 'pending' | 'failed';
  detail: string;
  /** When the network reached the status, ms. */
  at: number;
}

/** The modem as the outbox needs it. */
export interface SmsSender {
  /** False while the modem is absent, starting, without SIM or network: the outbox waits. */
  ready(): boolean;
  /** Resolves with the message references of the parts; rejects naming the failed part. */
  send(to: string, text: string): Promise<number[]>;
  /** Delivery reports as they come; returns a function that stops them. Absent: the modem gives none. */
  onReport?(fn: (r: SmsDeliveryReport) => void): () => void;
}
