/** A byte stream to a serial device (modem, USB gadget); serialport-backed on the box. */
export interface SerialPortOptions {
  path: string;
  baudRate: number;
}

export interface SerialPort {
  readonly path: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Uint8Array | string): Promise<void>;
  /** Subscribe to incoming bytes; returns an unsubscribe function. */
  onData(fn: (chunk: Uint8Array) => void): () => void;
  onClose(fn: (err: Error | null) => void): () => void;
  close(): Promise<void>;
}

export interface SerialFactory {
  open(opts: SerialPortOptions): Promise<SerialPort>;
}
