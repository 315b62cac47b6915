/**
 * The SIP driver's view for the setup page's SIP section (firmware/src/service/sip-status.ts): what a
 * desk phone is set up with — the box's address (the one it writes in Via/Contact/SDP), port,
 * transports and digest realm — and each agent phone's channel, state and live registrations.
 */
import type { Registrar } from './registrar.js';

export interface SipPhonesStatus {
  address: string;
  port: number;
  transports: ('udp' | 'tcp')[];
  realm: string;
  phones: { user: string; channel: string; state: string; contacts: { address: string; port: number; expiresAt: string }[] }[];
}

export function phonesStatus(
  o: { externalAddress: string; tcp?: boolean; realm?: string },
  port: number,
  phones: readonly { user: string; id: string; state: string }[],
  registrar: Registrar,
): SipPhonesStatus {
  return {
    address: o.externalAddress,
    port,
    transports: o.tcp ? ['udp', 'tcp'] : ['udp'],
    realm: o.realm ?? 'callbox',
    phones: phones.map((p) => ({
      user: p.user,
      channel: p.id,
      state: p.state,
      contacts: registrar
        .contacts(p.user)
        .map((b) => ({ address: b.address, port: b.port, expiresAt: new Date(b.expiresAt).toISOString() })),
    })),
  };
}
