/**
 * The real serial port (serialport v13, prebuilt native bindings) behind the HAL's SerialPort
 * interface. A USB modem that is unplugged closes the port with an error; the driver reopens by path.
 */
import { SerialPort as NodeSerialPort } from 'serialport';
import type { SerialFactory, SerialPort, SerialPortOptions } from '../../serial.js';

class NodePort implements SerialPort {
  private readonly port: NodeSerialPort;
  constructor(
    readonly path: string,
    baudRate: number,
  ) {
    this.port = new NodeSerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    // Without a listener an 'error' event would end the process; a lost device also closes the port.
    this.port.on('error', () => {});
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => this.port.open((err) => (err ? reject(err) : resolve())));
  }

  write(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port.isOpen) {
        reject(new Error(`${this.path} is not open`));
        return;
      }
      this.port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data), (err) => (err ? reject(err) : resolve()));
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
    const p = new NodePort(opts.path, opts.baudRate);
    // 'error' events without a listener would crash the process: the close handler reports them.
    await p.open();
    return p;
  },
};
