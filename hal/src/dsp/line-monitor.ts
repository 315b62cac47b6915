import type { CallerIdMessage } from './cid-message.js';
import { CallerIdReceiver } from './cid-receive.js';
import { DtmfDetector, digitEndMs, digitStartMs } from './dtmf-detect.js';
import type { FskStandard } from './fsk.js';
import type { ProgressEvent } from './progress-detect.js';
import { CallProgressDetector } from './progress-detect.js';
import type { ToneRegion } from './tone-presets.js';

/**
 * Everything the box listens for on one analog line, on every received frame: DTMF digits,
 * call-progress tones (and silence / voice, fax tones), and caller ID (FSK for the region, and
 * DTMF caller ID from the same DTMF detector). This is the "full per-line chain" the benchmark
 * measures. No allocation per frame.
 */
export interface LineMonitorOptions {
  region: ToneRegion;
  onDigit?: (digit: string, startMs: number) => void;
  onDigitEnd?: (digit: string, startMs: number, endMs: number) => void;
  onTone?: (e: ProgressEvent) => void;
  onToneEnd?: (e: ProgressEvent) => void;
  onCallerId?: (m: CallerIdMessage) => void;
  /** FSK caller ID to watch for (default: V.23 for etsi, Bell 202 otherwise). */
  fsk?: readonly FskStandard[];
}

export class LineMonitor {
  readonly dtmf: DtmfDetector;
  readonly tones: CallProgressDetector;
  readonly callerId: CallerIdReceiver;

  constructor(opts: LineMonitorOptions) {
    const fsk = opts.fsk ?? (opts.region === 'etsi' ? ['v23'] : ['bell202']);
    this.callerId = new CallerIdReceiver({
      standards: [...fsk, 'dtmf'],
      ownDtmfDetector: false,
      onMessage: (m) => opts.onCallerId?.(m),
    });
    this.dtmf = new DtmfDetector({
      onDigit: (digit, ms) => {
        const at = digitStartMs(this.dtmf, ms);
        this.callerId.dtmfDigit(digit, at);
        opts.onDigit?.(digit, at);
      },
      onDigitEnd: (digit, ms) => {
        const end = digitEndMs(this.dtmf);
        opts.onDigitEnd?.(digit, end - ms, end);
      },
    });
    this.tones = new CallProgressDetector({
      profile: opts.region,
      onEvent: (e) => opts.onTone?.(e),
      ...(opts.onToneEnd ? { onEventEnd: opts.onToneEnd } : {}),
    });
  }

  process(frame: Int16Array): void {
    this.dtmf.process(frame);
    this.tones.process(frame);
    this.callerId.process(frame);
  }

  reset(): void {
    this.dtmf.reset();
    this.tones.reset();
    this.callerId.reset();
  }
}
