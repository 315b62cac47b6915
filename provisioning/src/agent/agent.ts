/**
 * The provisioning agent: a box module (start/stop like firmware/src/modules.ts) that keeps the
 * configured serial port open (reopening it when it goes away: a USB cable pulled, a pty gone) and
 * answers the protocol on it. One link at a time; a new link starts without a session.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { SerialFactory, SerialPort } from '../../../hal/src/serial.js';
import { CloudCredentials } from './cloud.js';
import { type CommandDeps, openCommands, secureCommands } from './commands.js';
import { Uploads, logHandlers } from './files.js';
import type { ProvisionHost } from './host.js';
import { Identity, hardwareSerial } from './identity.js';
import { type ImprovMode, ImprovServer } from './improv.js';
import { WIFI_KEYFILE, connectionsDir, writeNetwork } from './network.js';
import { PopStore, writeAtomic } from './pop.js';
import { LinkServer } from './server.js';

export interface AgentOptions {
  host: ProvisionHost;
  serial: SerialFactory;
  /** /dev/ttyGS0 on the box (CALLBOX_PROVISION_PORT / config provisioning.port). */
  port: string;
  baudRate?: number;
  /** Agent state: PoP hash, attempts, identity, uploads. Default <data>/provisioning. */
  stateDir?: string;
  /** Root for NetworkManager keyfiles ("/" on the box). */
  netRoot?: string;
  logsDir?: string;
  /** Hardware serial override (tests). */
  hardwareSerial?: string;
  factoryReset: () => Promise<void>;
  applyNetwork?: () => Promise<void>;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
  reopenMs?: number;
  /** Improv Wi-Fi on the same port (provisioning/src/agent/improv.ts); default "first-setup". */
  improv?: ImprovMode;
  /** The dashboard's URL for Improv's results; default http://<first IPv4>:$CALLBOX_HTTP_PORT/. */
  deviceUrl?: () => string | null;
}

/** http://<address>:<port>/ of the first non-loopback IPv4 (wlan0 first), or null. */
export function defaultDeviceUrl(port = process.env.CALLBOX_HTTP_PORT ?? '8080'): string | null {
  const all = networkInterfaces();
  const names = Object.keys(all).sort((a, b) => (a === 'wlan0' ? -1 : b === 'wlan0' ? 1 : 0));
  for (const n of names) {
    const v4 = all[n]?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return `http://${v4.address}:${port}/`;
  }
  return null;
}

export class ProvisionAgent {
  readonly name = 'provisioning';
  readonly pop: PopStore;
  private port: SerialPort | null = null;
  server: LinkServer | null = null;
  improv: ImprovServer | null = null;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private readonly deps: CommandDeps;
  readonly stateDir: string;

  constructor(private readonly o: AgentOptions) {
    this.stateDir = o.stateDir ?? join(o.host.dataDir, 'provisioning');
    this.pop = new PopStore(this.stateDir, () => o.host.now());
    this.deps = {
      host: o.host,
      identity: new Identity(this.stateDir),
      uploads: new Uploads(this.stateDir),
      cloud: new CloudCredentials(o.host.dataDir),
      netRoot: o.netRoot ?? '/',
      factoryReset: o.factoryReset,
      authenticated: () => this.server?.authenticated ?? false,
      ...(o.hardwareSerial ? { serial: o.hardwareSerial } : {}),
      ...(o.applyNetwork ? { applyNetwork: o.applyNetwork } : {}),
    };
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (!this.pop.hasCode()) this.o.log?.warn({ dir: this.stateDir }, 'no proof-of-possession code: only info and selftest will work');
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.server?.detach();
    this.server = null;
    this.improv?.detach();
    this.improv = null;
    const p = this.port;
    this.port = null;
    await p?.close();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const port = await this.o.serial.open({ path: this.o.port, baudRate: this.o.baudRate ?? 115200 });
      if (this.stopped) {
        await port.close();
        return;
      }
      this.port = port;
      this.server = new LinkServer(
        port,
        {
          open: { ...openCommands(this.deps) },
          secure: { ...secureCommands(this.deps), ...this.deps.uploads.handlers(), ...logHandlers(this.logsDir) },
        },
        this.pop,
        () => ({ serial: hardwareSerial(this.o.hardwareSerial), firmware: this.o.host.version }),
        () => this.o.host.now(),
      );
      this.improv = this.improvServer(port);
      port.onClose(() => {
        this.server?.detach();
        this.server = null;
        this.improv?.detach();
        this.improv = null;
        this.port = null;
        this.o.log?.info({ port: this.o.port }, 'provisioning port closed; waiting for it to come back');
        this.retry();
      });
      this.o.log?.info({ port: this.o.port }, 'provisioning agent listening');
    } catch {
      this.retry();
    }
  }

  private improvServer(port: SerialPort): ImprovServer {
    const wifiFile = join(connectionsDir(this.deps.netRoot), WIFI_KEYFILE);
    return new ImprovServer(port, {
      mode: this.o.improv ?? 'first-setup',
      info: () => ({
        firmware: 'callbox',
        version: this.o.host.version,
        hardware: `${process.platform}-${process.arch}`,
        name: this.deps.identity.deviceId() ?? `callbox-${hardwareSerial(this.o.hardwareSerial)}`,
      }),
      wifiConfigured: () => existsSync(wifiFile),
      applyWifi: async (ssid, psk) => {
        const before = existsSync(wifiFile) ? readFileSync(wifiFile, 'utf8') : null;
        writeNetwork(this.deps.netRoot, { wifi: { ssid, psk } });
        try {
          await this.deps.applyNetwork?.();
        } catch (err) {
          // not connected: the previous settings (or none) stay, never half of a change
          if (before === null) rmSync(wifiFile, { force: true });
          else writeAtomic(wifiFile, before);
          throw err;
        }
      },
      deviceUrl: this.o.deviceUrl ?? (() => defaultDeviceUrl()),
      busy: () => this.server?.authenticated ?? false,
      ...(this.o.log ? { log: this.o.log } : {}),
    });
  }

  private get logsDir(): string {
    return this.o.logsDir ?? join(this.o.host.dataDir, 'logs');
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.o.reopenMs ?? 1000);
  }
}
