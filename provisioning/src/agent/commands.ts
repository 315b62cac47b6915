/**
 * The agent's commands (docs/provisioning.md, "Commands"). Open: info, selftest. Everything else runs
 * only in the sealed session. Config changes go through host.replaceConfig, which validates the
 * whole document and writes it atomically: a profile is applied whole or not at all.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { PROTOCOL_VERSIONS, ProvisionError } from '../protocol/messages.js';
import type { CloudCredentials } from './cloud.js';
import type { ProvisionHost } from './host.js';
import { type Identity, hardwareSerial, macAddresses } from './identity.js';
import { connectionsDir, writeNetwork } from './network.js';
import type { Handler } from './server.js';
import type { Uploads } from './files.js';

/** Config sections a shop profile may set (the rest of the config stays as it is). */
export const PROFILE_SECTIONS = [
  'shop',
  'lines',
  'agents',
  'queues',
  'ivr',
  'hours',
  'pauseReasons',
  'voicemail',
  'recording',
  'fax',
] as const;
const RESET_TOKEN_MS = 120_000;
const MIN_FREE_BYTES = 200 * 1024 * 1024;

export interface CommandDeps {
  host: ProvisionHost;
  identity: Identity;
  uploads: Uploads;
  cloud: CloudCredentials;
  netRoot: string;
  serial?: string;
  /** Run `nmcli connection reload` after writing keyfiles (on the box; off in tests). */
  applyNetwork?: () => Promise<void>;
  /** Factory reset of the box's own data (config to defaults, owner removed); the agent wipes its files. */
  factoryReset: () => Promise<void>;
  authenticated: () => boolean;
}

function bad(field: string, message: string): never {
  throw new ProvisionError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

export function openCommands(d: CommandDeps): Record<string, Handler> {
  return {
    info: () => {
      const channels = d.host.channels();
      const hardware: Record<string, string[]> = {};
      for (const c of channels) hardware[c.kind] = [...(hardware[c.kind] ?? []), c.id];
      return {
        serial: hardwareSerial(d.serial),
        deviceId: d.identity.deviceId(),
        versions: { firmware: d.host.version, protocol: [...PROTOCOL_VERSIONS], node: process.versions.node },
        mac: macAddresses(),
        hardware,
        time: d.host.now(),
        authenticated: d.authenticated(),
      };
    },
    selftest: () => selfTest(d.host),
  };
}

export function selfTest(host: ProvisionHost): Record<string, unknown> {
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const cfg = host.config();
  const channels = host.channels();
  const byId = new Map(channels.map((c) => [c.id, c]));
  checks.push({
    name: 'channels',
    ok: channels.length > 0,
    detail: `${channels.length} found: ${channels.map((c) => `${c.id}=${c.state}`).join(', ')}`,
  });
  for (const line of (cfg.lines as { channel: string; name: string }[] | undefined) ?? []) {
    const ch = byId.get(line.channel);
    checks.push({
      name: `line ${line.channel}`,
      ok: ch !== undefined && ch.state !== 'error',
      detail: ch ? `${line.name}: ${ch.state}` : `${line.name}: channel not found`,
    });
  }
  for (const ch of channels.filter((c) => c.kind === 'gsm')) {
    checks.push({
      name: `modem ${ch.id}`,
      ok: ch.state !== 'error',
      detail: `state ${ch.state} (SIM and signal: reported by the modem driver)`,
    });
  }
  try {
    const s = statfsSync(host.dataDir);
    const free = s.bavail * s.bsize;
    checks.push({ name: 'disk', ok: free >= MIN_FREE_BYTES, detail: `${Math.round(free / 1048576)} MB free in ${host.dataDir}` });
  } catch (e) {
    checks.push({ name: 'disk', ok: false, detail: (e as Error).message });
  }
  const now = host.now();
  checks.push({ name: 'clock', ok: now > Date.UTC(2024, 0, 1), detail: new Date(now).toISOString() });
  const db = host.checkDatabase();
  checks.push({ name: 'database', ...db });
  return { ok: checks.every((c) => c.ok), at: now, checks };
}

export function secureCommands(d: CommandDeps): Record<string, Handler> {
  let resetToken: { token: Buffer; until: number } | null = null;
  const cfg = (): Record<string, unknown> => structuredClone(d.host.config());
  return {
    'device.set': async (a) => {
      const id = d.identity.setDeviceId(a.deviceId);
      const c = cfg();
      if (c.cloud && typeof c.cloud === 'object') {
        (c.cloud as Record<string, unknown>).deviceId = id;
        await d.host.replaceConfig(c);
      }
      return { deviceId: id };
    },
    'network.set': async (a) => {
      const files = writeNetwork(d.netRoot, a);
      if (a.apply === true && d.applyNetwork) await d.applyNetwork();
      return { files };
    },
    'time.set': async (a) => {
      const ms = a.epochMs;
      if (!Number.isInteger(ms) || (ms as number) < Date.UTC(2024, 0, 1) || (ms as number) > Date.UTC(2100, 0, 1))
        bad('epochMs', 'milliseconds since 1970, 2024..2100');
      const skewMs = (ms as number) - d.host.now();
      let set = false;
      if (Math.abs(skewMs) > 2000 && d.host.setSystemTime) {
        await d.host.setSystemTime(ms as number);
        set = true;
      }
      if (a.timezone !== undefined) {
        if (typeof a.timezone !== 'string') bad('timezone', 'an IANA zone like Asia/Shanghai');
        const c = cfg();
        c.shop = { ...(c.shop as object), timezone: a.timezone };
        await d.host.replaceConfig(c);
      }
      return { skewMs, set };
    },
    'cloud.csr': async () => {
      const id = d.identity.deviceId();
      if (!id) throw new ProvisionError('CONFLICT', 'set the device id first (device.set)');
      return { csr: await d.cloud.csr(id) };
    },
    'cloud.set': async (a) => {
      if (typeof a.url !== 'string' || !/^(mqtts?|wss?):\/\/\S+$/.test(a.url)) bad('url', 'mqtt://, mqtts://, ws:// or wss:// URL');
      const id = d.identity.deviceId();
      if (!id) throw new ProvisionError('CONFLICT', 'set the device id first (device.set)');
      const pem = (v: unknown, upload: unknown, field: string): string | null => {
        if (typeof upload === 'string') return d.uploads.read(upload).toString('utf8');
        if (v === undefined) return null;
        if (typeof v !== 'string') bad(field, 'PEM text');
        return v;
      };
      const cert = pem(a.cert, a.certUpload, 'cert');
      const ca = pem(a.ca, a.caUpload, 'ca');
      const c = cfg();
      const cloud: Record<string, unknown> = { ...((c.cloud as object) ?? {}), enabled: a.enabled !== false, url: a.url, deviceId: id };
      let installed: Record<string, unknown> = {};
      if (cert !== null) {
        const files = d.cloud.install(cert, ca);
        installed = { subject: files.subject, validTo: files.validTo };
        cloud.certFile = files.certFile;
        cloud.keyFile = files.keyFile;
        if (files.caFile) cloud.caFile = files.caFile;
      }
      c.cloud = cloud;
      await d.host.replaceConfig(c);
      return { cloud: { url: a.url, deviceId: id, tls: cert !== null }, ...installed, restartRequired: true };
    },
    'owner.password': async (a) => {
      if (typeof a.password !== 'string') bad('password', 'a string');
      await d.host.setOwnerPassword(a.password);
      return { ok: true };
    },
    'profile.apply': async (a) => {
      let profile: unknown = a.profile;
      if (typeof a.upload === 'string') {
        try {
          profile = JSON.parse(d.uploads.read(a.upload).toString('utf8'));
        } catch (e) {
          if (e instanceof ProvisionError) throw e;
          bad('upload', 'the uploaded bundle is not JSON');
        }
      }
      if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) bad('profile', 'an object of config sections');
      const unknown = Object.keys(profile).filter((k) => !(PROFILE_SECTIONS as readonly string[]).includes(k));
      if (unknown.length) bad(`profile/${unknown[0]}`, `not a profile section (allowed: ${PROFILE_SECTIONS.join(', ')})`);
      const c = cfg();
      Object.assign(c, profile);
      await d.host.replaceConfig(c);
      return { applied: Object.keys(profile), restartRequired: true };
    },
    'reset.request': () => {
      resetToken = { token: randomBytes(8), until: d.host.now() + RESET_TOKEN_MS };
      return {
        token: resetToken.token.toString('hex'),
        expiresInS: RESET_TOKEN_MS / 1000,
        warning: 'confirm with reset.confirm {token} to erase config, owner, credentials and network settings',
      };
    },
    'reset.confirm': async (a) => {
      const pending = resetToken;
      resetToken = null;
      const given = typeof a.token === 'string' && /^[0-9a-f]{16}$/.test(a.token) ? Buffer.from(a.token, 'hex') : null;
      if (!pending || pending.until < d.host.now() || !given || !timingSafeEqual(given, pending.token)) {
        throw new ProvisionError('CONFLICT', 'no matching reset token (request a new one with reset.request)', { field: 'token' });
      }
      await d.factoryReset();
      for (const p of [d.cloud.dir, d.uploads.dir]) rmSync(p, { recursive: true, force: true });
      const nm = connectionsDir(d.netRoot);
      for (const f of existsSync(nm) ? readdirSync(nm).filter((n) => /^callbox-.*\.nmconnection$/.test(n)) : [])
        rmSync(join(nm, f), { force: true });
      d.identity.clear();
      d.host.requestRestart?.('factory reset');
      return { reset: true };
    },
  };
}
