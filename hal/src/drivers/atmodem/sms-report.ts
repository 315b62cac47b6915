/**
 * SMS-STATUS-REPORT (3GPP TS 23.040 9.2.2.3): what the service centre says about a message the box
 * sent with TP-SRR set — delivered to the phone, still trying, or given up. The report names the
 * message by its TP-MR (the reference `+CMGS: <mr>` gave) and its recipient; the status (TP-ST,
 * 9.2.3.15) is 0x00-0x1F done, 0x20-0x3F temporary error (SC still trying), 0x40-0x7F failed.
 */
import { decodeAddress, decodeScts, hexToBytes, Reader, readSmsc } from './pdu.js';

export type DeliveryStatus = 'delivered' | 'pending' | 'failed';

export interface SmsStatusReport {
  /** TP-MR of the message reported on. */
  ref: number;
  /** The recipient (TP-RA) as the network writes it. */
  to: string;
  /** When the service centre got the message (TP-SCTS), ms. */
  submittedAt: number;
  /** When the status was reached (TP-DT: delivered at, or the last try), ms. */
  at: number;
  /** TP-ST. */
  code: number;
  status: DeliveryStatus;
  /** The status in words (23.040's names). */
  detail: string;
}

const NAMES: Record<number, string> = {
  0: 'received by the phone',
  1: 'forwarded, delivery not confirmed',
  2: 'replaced by the service centre',
  32: 'congestion',
  33: 'phone busy',
  34: 'no response from the phone',
  35: 'service rejected',
  36: 'quality of service not available',
  37: 'error in the phone',
  64: 'remote procedure error',
  65: 'incompatible destination',
  66: 'connection rejected by the phone',
  67: 'not obtainable',
  68: 'quality of service not available',
  69: 'no interworking available',
  70: 'validity period expired',
  71: 'deleted by the sender',
  72: 'deleted by the service centre',
  73: 'message does not exist',
  96: 'congestion (given up)',
  97: 'phone busy (given up)',
  98: 'no response from the phone (given up)',
  99: 'service rejected (given up)',
  100: 'quality of service not available (given up)',
  101: 'error in the phone (given up)',
};

export function deliveryStatus(code: number): DeliveryStatus {
  if (code < 0x20) return 'delivered';
  if (code < 0x40) return 'pending';
  return 'failed';
}

/** Decode an SMS-STATUS-REPORT PDU (hex, with the SMSC prefix as +CDS / +CMGR give it). Throws a clear Error on anything else. */
export function decodeStatusReport(hex: string): SmsStatusReport {
  const r = new Reader(hexToBytes(hex));
  readSmsc(r);
  const first = r.u8('the first octet');
  if ((first & 0x03) !== 0x02) throw new Error(`not an SMS-STATUS-REPORT (MTI ${first & 3})`);
  const ref = r.u8('TP-MR');
  const to = decodeAddress(r, 'the recipient address');
  const submittedAt = decodeScts(r.take(7, 'the service centre time stamp'));
  const at = decodeScts(r.take(7, 'the discharge time'));
  if (!Number.isFinite(submittedAt) || !Number.isFinite(at)) throw new Error('unreadable time stamp in the status report');
  const code = r.u8('TP-ST') & 0x7f;
  const name = NAMES[code] ?? `status 0x${code.toString(16).padStart(2, '0')}`;
  return { ref, to, submittedAt, at, code, status: deliveryStatus(code), detail: name };
}
