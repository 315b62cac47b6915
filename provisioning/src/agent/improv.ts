/**
 * Improv Wi-Fi serial on the provisioning port, beside the framed protocol (docs/provisioning.md):
 * tools like ESP Web Tools can read the device's identity and state and give it Wi-Fi settings.
 * Both protocols read the same bytes; each skips what is not its own (COBS frames never hold the
 * "IMPROV" header unsealed, an Improv packet never passes the frame CRC).
 *
 * Improv has no authentication, so Wi-Fi settings are taken only while the box has none yet
 * (mode "first-setup", the default: a box fresh from the factory or after a factory reset); once
 * Wi-Fi is set, a new one needs the PoP code through `callbox provision` (network.set), and Improv
 * answers "not authorized". Mode "always" takes them at any time, "off" ignores Improv. Packets
 * are ignored while a framed session is authenticated (a technician is working on the box).
 */
import type { ByteStream } from '../protocol/link.js';
import {
  IMPROV_COMMAND,
  IMPROV_ERROR,
  IMPROV_STATE,
  IMPROV_TYPE,
  ImprovDecoder,
  type ImprovPacket,
  decodeStrings,
  encodeImprov,
  parseRpc,
  rpcResult,
} from '../protocol/improv.js';
import { checkWifi } from './network.js';

export type ImprovMode = 'first-setup' | 'always' | 'off';

export interface ImprovDeps {
  mode: ImprovMode;
  /** Firmware name, version, hardware variant, device name (the device-info RPC result). */
  info(): { firmware: string; version: string; hardware: string; name: string };
  /** A Wi-Fi connection is configured already (then the state is "provisioned"). */
  wifiConfigured(): boolean;
  /** Write and apply the settings; throws when the box could not connect (nothing kept then). */
  applyWifi(ssid: string, psk: string): Promise<void>;
  /** The dashboard's URL, sent in the RPC results; null when the box has no address yet. */
  deviceUrl(): string | null;
  /** True while a framed session is authenticated: Improv waits. */
  busy(): boolean;
  log?: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export class ImprovServer {
  private readonly decoder = new ImprovDecoder();
  private readonly off: () => void;
  private queue: Promise<void> = Promise.resolve();
  private provisioning = false;

  constructor(
    private readonly stream: ByteStream,
    private readonly d: ImprovDeps,
  ) {
    this.off = stream.onData((chunk) => {
      if (d.mode === 'off') return;
      for (const p of this.decoder.push(chunk)) {
        this.queue = this.queue
          .then(() => this.handle(p))
          .catch((err: Error) => d.log?.warn({ err: err.message }, 'improv: answer failed'));
      }
    });
  }

  detach(): void {
    this.off();
  }

  private send(type: number, data: number[]): Promise<void> {
    return this.stream.write(encodeImprov(type, Buffer.from(data)));
  }

  private result(command: number, strings: string[]): Promise<void> {
    return this.stream.write(rpcResult(command, strings));
  }

  private error(code: number): Promise<void> {
    return this.send(IMPROV_TYPE.errorState, [code]);
  }

  private state(): number {
    if (this.provisioning) return IMPROV_STATE.provisioning;
    return this.d.wifiConfigured() ? IMPROV_STATE.provisioned : IMPROV_STATE.authorized;
  }

  private async handle(p: ImprovPacket | string): Promise<void> {
    if (this.d.busy()) return;
    if (typeof p === 'string') return this.error(IMPROV_ERROR.invalidRpc);
    if (p.type !== IMPROV_TYPE.rpc) return; // states and results go the other way
    const rpc = parseRpc(p.data);
    if (!rpc) return this.error(IMPROV_ERROR.invalidRpc);
    switch (rpc.command) {
      case IMPROV_COMMAND.currentState: {
        const s = this.state();
        await this.send(IMPROV_TYPE.currentState, [s]);
        const u = this.d.deviceUrl();
        if (s === IMPROV_STATE.provisioned && u) await this.result(rpc.command, [u]);
        return;
      }
      case IMPROV_COMMAND.deviceInfo: {
        const i = this.d.info();
        return this.result(rpc.command, [i.firmware, i.version, i.hardware, i.name]);
      }
      case IMPROV_COMMAND.wifiSettings:
        return this.wifi(rpc.data);
      default:
        return this.error(IMPROV_ERROR.unknownCommand);
    }
  }

  private async wifi(data: Buffer): Promise<void> {
    const strings = decodeStrings(data);
    if (strings?.length !== 2) return this.error(IMPROV_ERROR.invalidRpc);
    const [ssid, psk] = strings as [string, string];
    try {
      checkWifi({ ssid, psk });
    } catch (err) {
      this.d.log?.warn({ reason: (err as Error).message }, 'improv: Wi-Fi settings refused');
      return this.error(IMPROV_ERROR.invalidRpc);
    }
    if (this.d.mode === 'first-setup' && this.d.wifiConfigured()) {
      this.d.log?.warn({}, 'improv: Wi-Fi is set already; changing it needs the PoP code (callbox provision network)');
      return this.error(IMPROV_ERROR.notAuthorized);
    }
    this.provisioning = true;
    await this.error(IMPROV_ERROR.none);
    await this.send(IMPROV_TYPE.currentState, [IMPROV_STATE.provisioning]);
    try {
      await this.d.applyWifi(ssid, psk);
    } catch (err) {
      this.provisioning = false;
      this.d.log?.warn({ ssid, reason: (err as Error).message }, 'improv: could not connect to Wi-Fi');
      await this.error(IMPROV_ERROR.unableToConnect);
      return this.send(IMPROV_TYPE.currentState, [this.state()]);
    }
    this.provisioning = false;
    this.d.log?.info({ ssid }, 'improv: Wi-Fi settings applied');
    await this.send(IMPROV_TYPE.currentState, [IMPROV_STATE.provisioned]);
    const u = this.d.deviceUrl();
    await this.result(IMPROV_COMMAND.wifiSettings, u ? [u] : []);
  }
}
