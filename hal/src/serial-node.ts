/**
 * The real serial port (serialport v13, prebuilt native bindings) behind the HAL's SerialPort
 * interface: the GSM modem (hal/src/drivers/atmodem) and USB provisioning (the box's gadget port,
 * the technician's /dev/ttyACM0). serialport is loaded on the first open, so a box without a
 * serial device never pays for its native addon. A device that is unplugged closes the port with
 * an error; the owner reopens by path.
 */
import type { SerialPort as NodeSerialPort } from 'serialport';
import type { SerialFactory, SerialPort, SerialPortOptions } from './serial.js';

class NodePort implements SerialPort {
  constructor(
    readonly path: string,
    private readonly port: NodeSerialPort,
  ) {
    // Without a listener an 'error' event would end the process; a lost device also closes the port.
    this.port.on('error', () => {});
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => this.port.open((err) => (err ? reject(err) : resolve())));
  }

  /** Resolves once the bytes are handed to the OS (drained). Strings are sent as latin1 (AT commands). */
  write(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port.isOpen) {
        reject(new Error(`${this.path} is not open`));
        return;
      }
      const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
      this.port.write(bytes, (err) => (err ? reject(err) : this.port.drain((e) => (e ? reject(e) : resolve()))));
    });
  }

  onData(fn: (chunk: Uint8Array) => void): () => void {
    this.port.on('data', fn);
    return () => this.port.off('data', fn);
  }

  onClose(fn: (err: Error | null) => void): () => void {
    const h = (err: Error | null | undefined) => fn(err ?? null);
    this.port.on('close', h);
    return () => this.port.off('close', h);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.port.isOpen) {
        resolve();
        return;
      }
      this.port.close(() => resolve());
    });
  }
}

/** The part of @serialport/bindings-cpp's unix Poller (an EventEmitter over one uv_poll handle) used here. */
interface UnixPoller {
  poll(flag?: number): void;
  listenerCount(event: string): number;
}
const UV_READABLE = 1;
const UV_WRITABLE = 2;

/**
 * @serialport/bindings-cpp 13's poller restarts its uv_poll handle with only the event just asked
 * for (poller.cpp: `uv_poll_start(handle, events, …)`, not the events still waited on). A write
 * larger than the tty's buffer waits for 'writable' after EAGAIN; when the read loop then waits for
 * 'readable' again (a read that found nothing), WRITABLE is no longer polled and the write hangs
 * until the other end sends something: an answer never sent (the provisioning agent's 8 KB
 * file.read chunks, found as a test timing out under load). Every poll here asks for all the
 * events someone is still waiting on.
 */
export function pollAllWaited(poller: UnixPoller): void {
  const poll = poller.poll.bind(poller);
  poller.poll = (flag = 0) =>
    poll(flag | (poller.listenerCount('readable') > 0 ? UV_READABLE : 0) | (poller.listenerCount('writable') > 0 ? UV_WRITABLE : 0));
}

export const nodeSerial: SerialFactory = {
  async open(opts: SerialPortOptions): Promise<SerialPort> {
    const { SerialPort: Native } = await import('serialport');
    const native = new Native({ path: opts.path, baudRate: opts.baudRate, autoOpen: false, hupcl: false });
    const p = new NodePort(opts.path, native);
    await p.open();
    // the open binding (linux/darwin: LinuxPortBinding / DarwinPortBinding) holds the poller; windows has none
    const poller = (native.port as { poller?: UnixPoller } | undefined)?.poller;
    if (poller) pollAllWaited(poller);
    return p;
  },
};
