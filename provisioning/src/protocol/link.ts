/**
 * Frames over a byte stream (the HAL's SerialPort shape): encode on send, decode on receive. The
 * decoder drops garbage and broken frames; `onFrame` sees whole, intact frames only.
 */
import { type Frame, FrameDecoder, encodeFrame } from './frame.js';

/** The byte stream both ends use: hal/src/serial.ts SerialPort, or anything with the same shape. */
export interface ByteStream {
  write(data: Uint8Array): Promise<void>;
  onData(fn: (chunk: Uint8Array) => void): () => void;
  onClose?(fn: (err: Error | null) => void): () => void;
}

export class FrameLink {
  readonly decoder = new FrameDecoder();
  private readonly offs: (() => void)[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly stream: ByteStream,
    onFrame: (f: Frame) => void,
  ) {
    this.offs.push(
      stream.onData((chunk) => {
        for (const f of this.decoder.push(chunk)) onFrame(f);
      }),
    );
  }

  /** Send one frame; writes never interleave. */
  send(f: Frame): Promise<void> {
    const bytes = encodeFrame(f);
    const run = this.writing.then(() => this.stream.write(bytes));
    this.writing = run.catch(() => undefined);
    return run;
  }

  detach(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
