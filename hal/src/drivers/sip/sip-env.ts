/**
 * The environment contract of the SIP driver: CALLBOX_SIP_PORT (default 5060),
 * CALLBOX_SIP_TRUNK_PEER=<host[:port]> (an IP-authenticated trunk whose calls to any DID without a
 * route of its own go to the main IVR), CALLBOX_SIP_EXTERNAL_ADDRESS (Via/Contact/SDP address
 * behind NAT), CALLBOX_SIP_BIND (default 0.0.0.0), CALLBOX_RTP_PORTS (min-max, default
 * 10000-20000), CALLBOX_SIP_TRUNK_CHANNELS (simultaneous trunk calls, default 8), CALLBOX_SIP_TCP=1
 * (SIP over TCP too, on the same port).
 */
import { networkInterfaces } from 'node:os';
import type { Clock } from '../../clock.js';
import { parsePortRange } from './port-range.js';
import type { SipDriverOptions } from './sip-driver.js';

function firstAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

function int(env: Record<string, string | undefined>, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}="${raw}" must be an integer ${min}-${max}`);
  return n;
}

/** SIP driver options from the environment, or null when no trunk is configured there. */
export function sipOptionsFromEnv(
  env: Record<string, string | undefined>,
  clock: Clock,
  fromConfig: Pick<SipDriverOptions, 'extensions' | 'realm' | 'maxAuthFailures' | 'outboundPrefix'> & {
    dids?: { did: string; ivr: string; channels?: number }[];
  } = {},
  defaultRoute = 'main',
): SipDriverOptions | null {
  // A provider registrar is also the trunk peer its calls come from, unless one is named.
  const peer = env.CALLBOX_SIP_TRUNK_PEER?.trim() || env.CALLBOX_SIP_REGISTRAR?.split(',')[0]?.trim() || '';
  const { dids, ...phones } = fromConfig;
  if (!peer && !phones.extensions?.length) return null;
  if (peer && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(peer)) throw new Error(`CALLBOX_SIP_TRUNK_PEER="${peer}" is not host[:port]`);
  const bindHost = env.CALLBOX_SIP_BIND?.trim() || '0.0.0.0';
  const loopbackPeer = peer !== '' && /^(127\.|localhost)/.test(peer);
  const externalAddress =
    env.CALLBOX_SIP_EXTERNAL_ADDRESS?.trim() || (bindHost !== '0.0.0.0' ? bindHost : loopbackPeer ? '127.0.0.1' : firstAddress());
  const rtpPorts = parsePortRange(env.CALLBOX_RTP_PORTS);
  const registrar = env.CALLBOX_SIP_REGISTRAR?.trim();
  const registration = registrar
    ? {
        registrar,
        username: env.CALLBOX_SIP_USERNAME?.trim() || '',
        password: env.CALLBOX_SIP_PASSWORD ?? '',
        expiresS: int(env, 'CALLBOX_SIP_REGISTER_EXPIRES', 600, 30, 86400),
      }
    : null;
  if (registration && (!registration.username || !registration.password))
    throw new Error('CALLBOX_SIP_REGISTRAR needs CALLBOX_SIP_USERNAME and CALLBOX_SIP_PASSWORD');
  const tcp = env.CALLBOX_SIP_TCP?.trim() ?? '';
  if (!/^(|0|1|true|false)$/.test(tcp)) throw new Error(`CALLBOX_SIP_TCP="${tcp}" must be 1 or 0`);
  return {
    clock,
    port: int(env, 'CALLBOX_SIP_PORT', 5060, 0, 65535),
    ...(tcp === '1' || tcp === 'true' ? { tcp: true } : {}),
    bindHost,
    externalAddress,
    ...(rtpPorts ? { rtpPorts } : {}),
    trunks: peer
      ? [
          {
            id: 'trunk',
            peer: peer.replace(/^localhost/, '127.0.0.1'),
            defaultRoute,
            channels: int(env, 'CALLBOX_SIP_TRUNK_CHANNELS', 8, 1, 256),
          },
        ]
      : [],
    // A DID with an IVR of its own gets its own channels (default 4); other DIDs use the trunk's.
    dids: peer ? (dids ?? []).map((d) => ({ did: d.did.replace(/^\+/, ''), route: d.ivr, channels: d.channels ?? 4 })) : [],
    ...phones,
    ...(registration ? { registration } : {}),
  };
}
