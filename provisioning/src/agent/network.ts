/**
 * Network settings as NetworkManager keyfiles (Pi OS Bookworm and Debian with NetworkManager):
 * <root>/etc/NetworkManager/system-connections/callbox-<iface>.nmconnection, mode 0600, written
 * atomically. `root` is "/" on the box and a temp folder in tests; NetworkManager picks the files
 * up on `nmcli connection reload` (the agent runs it only when told to apply).
 */
import { mkdirSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { ProvisionError } from '../protocol/messages.js';
import { writeAtomic } from './pop.js';

export interface EthernetSettings {
  iface: string;
  mode: 'dhcp' | 'static';
  address?: string;
  prefix?: number;
  gateway?: string;
  dns?: string[];
}

export interface WifiSettings {
  ssid: string;
  psk: string;
  country?: string;
}

const IFACE = /^[a-z][a-z0-9]{0,14}$/;

function bad(field: string, message: string): never {
  throw new ProvisionError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

export function checkEthernet(a: Record<string, unknown>): EthernetSettings {
  const iface = a.iface ?? 'eth0';
  if (typeof iface !== 'string' || !IFACE.test(iface)) bad('iface', 'an interface name like eth0');
  if (a.mode === 'dhcp') return { iface, mode: 'dhcp' };
  if (a.mode !== 'static') bad('mode', '"dhcp" or "static"');
  if (typeof a.address !== 'string' || !isIPv4(a.address)) bad('address', 'an IPv4 address');
  const prefix = a.prefix ?? 24;
  if (!Number.isInteger(prefix) || (prefix as number) < 1 || (prefix as number) > 32) bad('prefix', '1..32');
  if (a.gateway !== undefined && (typeof a.gateway !== 'string' || !isIPv4(a.gateway))) bad('gateway', 'an IPv4 address');
  const dns = a.dns ?? [];
  if (!Array.isArray(dns) || dns.length > 4 || !dns.every((d) => typeof d === 'string' && isIPv4(d))) bad('dns', 'up to 4 IPv4 addresses');
  return {
    iface,
    mode: 'static',
    address: a.address,
    prefix: prefix as number,
    ...(a.gateway ? { gateway: a.gateway as string } : {}),
    dns: dns as string[],
  };
}

export function checkWifi(a: Record<string, unknown>): WifiSettings {
  if (typeof a.ssid !== 'string' || a.ssid.length < 1 || Buffer.byteLength(a.ssid) > 32 || /[\n\r]/.test(a.ssid))
    bad('ssid', '1..32 bytes, one line');
  if (typeof a.psk !== 'string' || a.psk.length < 8 || a.psk.length > 63 || /[\n\r]/.test(a.psk)) bad('psk', '8..63 characters');
  if (a.country !== undefined && (typeof a.country !== 'string' || !/^[A-Z]{2}$/.test(a.country)))
    bad('country', 'a two-letter country code (CN)');
  return { ssid: a.ssid, psk: a.psk, ...(a.country ? { country: a.country as string } : {}) };
}

export function ethernetKeyfile(e: EthernetSettings): string {
  const ipv4 =
    e.mode === 'dhcp'
      ? ['[ipv4]', 'method=auto']
      : [
          '[ipv4]',
          'method=manual',
          `address1=${e.address}/${e.prefix}${e.gateway ? `,${e.gateway}` : ''}`,
          ...(e.dns?.length ? [`dns=${e.dns.join(';')};`] : []),
        ];
  return [
    '[connection]',
    `id=callbox-${e.iface}`,
    'type=ethernet',
    `interface-name=${e.iface}`,
    'autoconnect=true',
    '',
    '[ethernet]',
    '',
    ...ipv4,
    '',
    '[ipv6]',
    'method=auto',
    '',
  ].join('\n');
}

export function wifiKeyfile(w: WifiSettings): string {
  return [
    '[connection]',
    'id=callbox-wifi',
    'type=wifi',
    'interface-name=wlan0',
    'autoconnect=true',
    '',
    '[wifi]',
    'mode=infrastructure',
    `ssid=${w.ssid}`,
    '',
    '[wifi-security]',
    'key-mgmt=wpa-psk',
    `psk=${w.psk}`,
    '',
    '[ipv4]',
    'method=auto',
    '',
    '[ipv6]',
    'method=auto',
    '',
  ].join('\n');
}

/** The Wi-Fi keyfile's name in connectionsDir() (one Wi-Fi connection: network.set, Improv). */
export const WIFI_KEYFILE = 'callbox-wifi.nmconnection';

export function connectionsDir(root: string): string {
  return join(root, 'etc', 'NetworkManager', 'system-connections');
}

/** Write the keyfiles; returns their paths. Validation happens for both before either is written. */
export function writeNetwork(root: string, a: Record<string, unknown>): string[] {
  const eth = a.ethernet === undefined ? null : checkEthernet(asObject(a.ethernet, 'ethernet'));
  const wifi = a.wifi === undefined ? null : checkWifi(asObject(a.wifi, 'wifi'));
  if (!eth && !wifi) bad('ethernet', 'give ethernet and/or wifi');
  const dir = connectionsDir(root);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const written: string[] = [];
  if (eth) {
    const f = join(dir, `callbox-${eth.iface}.nmconnection`);
    writeAtomic(f, ethernetKeyfile(eth));
    written.push(f);
  }
  if (wifi) {
    const f = join(dir, WIFI_KEYFILE);
    writeAtomic(f, wifiKeyfile(wifi));
    written.push(f);
  }
  return written;
}

function asObject(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'an object');
  return v as Record<string, unknown>;
}
