/**
 * The setup page's SIP phones section (GET /api/v1/setup/sip, docs/sip.md): what a desk phone is
 * set up with — the box's SIP address, port, transports and realm — and every SIP extension of the
 * config with whether it runs now (the SIP driver reads `sip` only at start) and its live
 * registrations. No password ever: the config's extensions give only their users.
 */
import type { SipPhonesStatus } from '../../../hal/src/drivers/sip/phone-status.js';
import type { Config } from '../config/schema.js';

export interface SipContact {
  /** Where the phone registered from (its address as the box sees it, behind NAT too). */
  address: string;
  port: number;
  expiresAt: string;
}

export interface SipPhoneStatus {
  user: string;
  /** The channel an agent's `extension` names: `sip-<user>`. */
  channel: string;
  /** In the saved config. */
  configured: boolean;
  /** Served by the running SIP driver (false: added since the start, works after a restart). */
  running: boolean;
  registered: boolean;
  /** The channel's state (idle, ringing, active …), null when not running. */
  state: string | null;
  contacts: SipContact[];
}

export interface SipSetupStatus {
  /** The SIP driver runs in this process (SIP phones or a trunk were configured at start). */
  running: boolean;
  /** The address and port a phone registers to (null when SIP does not run). */
  address: string | null;
  port: number | null;
  transports: ('udp' | 'tcp')[];
  realm: string;
  /** `sip` changed since the box started: phones added or removed work after a restart. */
  restartRequired: boolean;
  phones: SipPhoneStatus[];
}

export function sipSetupStatus(config: Config, live: SipPhonesStatus | null, restartRequired: readonly string[]): SipSetupStatus {
  const users = (config.sip?.extensions ?? []).map((e) => e.user);
  for (const p of live?.phones ?? []) if (!users.includes(p.user)) users.push(p.user);
  return {
    running: live !== null,
    address: live?.address ?? null,
    port: live?.port ?? null,
    transports: live?.transports ?? [],
    realm: live?.realm ?? config.sip?.realm ?? 'callbox',
    restartRequired: restartRequired.includes('/sip'),
    phones: users.map((user) => {
      const p = live?.phones.find((x) => x.user === user);
      return {
        user,
        channel: `sip-${user}`,
        configured: config.sip?.extensions.some((e) => e.user === user) ?? false,
        running: p !== undefined,
        registered: (p?.contacts.length ?? 0) > 0,
        state: p?.state ?? null,
        contacts: p?.contacts ?? [],
      };
    }),
  };
}
