/** The box calling an agent's SIP phone: an INVITE to the extension's newest registered contact. */
import { Inviter, type Referral, UserAgent } from 'sip.js';
import type { Clock } from '../../clock.js';
import type { Registrar } from './registrar.js';

/** What a phone channel uses of the driver. */
export interface PhoneHost {
  ua(): UserAgent;
  registrar: Registrar;
  /** The box's address in From / To (the external address behind NAT). */
  boxHost: string;
  clock: Clock;
}

/** An INVITE to extension `user`'s newest binding, from `fromUser` (caller ID) and `fromName`; its REFERs go to `onRefer`. */
export function invitePhone(
  host: PhoneHost,
  user: string,
  fromUser: string,
  fromName: string | null,
  onRefer: (r: Referral) => void,
): Inviter {
  const b = host.registrar.contacts(user)[0];
  if (!b) throw new Error(`sip-${user}: extension ${user} is not registered`);
  const c = UserAgent.makeURI(b.contact);
  if (!c) throw new Error(`sip-${user}: bad contact ${b.contact}`);
  // Behind NAT the contact names a private address: send where the REGISTER came from.
  if (c.host !== b.address || (c.port ?? 5060) !== b.port) {
    c.host = b.address;
    c.port = b.port;
  }
  return new Inviter(host.ua(), c, {
    params: {
      fromUri: UserAgent.makeURI(`sip:${fromUser}@${host.boxHost}`),
      ...(fromName ? { fromDisplayName: fromName } : {}),
      toUri: UserAgent.makeURI(`sip:${user}@${host.boxHost}`),
    },
    delegate: { onRefer },
  });
}
