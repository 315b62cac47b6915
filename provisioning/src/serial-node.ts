/**
 * The real serial port (serialport v13, prebuilt bindings) in the HAL's SerialPort shape, for the
 * agent (the USB gadget /dev/ttyGS0) and the technician's CLI (/dev/ttyACM0 on the laptop).
 */
import { SerialPort as NodeSerialPort } from 'serialport';
import type { SerialFactory, SerialPort, SerialPortOptions } from '../../hal/src/serial.js';

class NodePort implements SerialPort {
  private readonly port: NodeSerialPort;
  constructor(
    readonly path: string,
    baudRate: number,
  ) {
    this.port = new NodeSerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    this.port.on('error', () => {}); // a lost device closes the port; 'close' reports it
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => this.port.open((err) => (err ? reject(err) : resolve())));
  }

  write(data: Uint8Array | string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.port.isOpen) return reject(new Error(`${this.path} is not open`));
      this.port.write(Buffer.from(data), (err) => (err ? reject(err) : this.port.drain((e) => (e ? reject(e) : resolve()))));
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
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}

export const nodeSerial: SerialFactory = {
  async open(opts: SerialPortOptions): Promise<SerialPort> {
    const p = new NodePort(opts.path, opts.baudRate);
    await p.open();
    return p;
  },
};
