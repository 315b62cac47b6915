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

export const nodeSerial: SerialFactory = {
  async open(opts: SerialPortOptions): Promise<SerialPort> {
    const { SerialPort: Native } = await import('serialport');
    const p = new NodePort(opts.path, new Native({ path: opts.path, baudRate: opts.baudRate, autoOpen: false, hupcl: false }));
    await p.open();
    return p;
  },
};
