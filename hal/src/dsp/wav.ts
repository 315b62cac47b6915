import { alawToLinear, ulawToLinear } from './g711.js';

/**
 * WAV (RIFF/WAVE) reading and writing for prompts and recordings.
 *
 * parseWav reads PCM 8 (unsigned) / 16 / 24 / 32-bit, IEEE float 32 / 64, µ-law and A-law,
 * including WAVE_FORMAT_EXTENSIBLE, in any chunk order, skipping unknown chunks (LIST, fact,
 * ...) and honouring the pad byte after odd-sized chunks. A data chunk whose size runs past the
 * end of the file (streaming writers leave 0xFFFFFFFF) is read up to the end. Samples come back
 * as Int16Array, downmixed to mono (the mean of all channels) or one chosen channel.
 */

export type WavFormat = 'pcm' | 'ulaw' | 'alaw' | 'float';

export interface WavData {
  sampleRate: number;
  channels: number;
  /** Bits per sample of the stored data (container size for PCM). */
  bitsPerSample: number;
  format: WavFormat;
  /** One value per sample frame: the mono downmix, or the channel asked for. */
  samples: Int16Array;
}

export interface ParseWavOptions {
  /** Which channel to return (0-based); default: the mean of all channels. */
  channel?: number;
  /**
   * Refuse a truncated file: a data chunk declaring more bytes than the file holds (other than
   * the 0xFFFFFFFF a streaming writer leaves), or ending inside a sample frame. Default false:
   * read what is there.
   */
  strict?: boolean;
}

/** What parseWav throws for input it cannot read; the message names what is wrong. */
export class WavFormatError extends Error {
  override name = 'WavFormatError';
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 shared by every KSDATAFORMAT_SUBTYPE_* GUID (after the 16-bit format code). */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const KNOWN_FORMATS: Record<number, string> = {
  2: 'Microsoft ADPCM',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MPEG Layer 3',
};

interface Chunk {
  offset: number;
  size: number;
}

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

function fail(msg: string): never {
  throw new WavFormatError(`WAV: ${msg}`);
}

export function parseWav(buf: Buffer | Uint8Array, opts: ParseWavOptions = {}): WavData {
  const bytes: Uint8Array = buf;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) fail(`${bytes.length} bytes is too short for a RIFF header`);
  const riff = fourcc(bytes, 0);
  if (riff !== 'RIFF') fail(`not a RIFF file (starts with ${JSON.stringify(riff)})`);
  if (fourcc(bytes, 8) !== 'WAVE') fail(`RIFF file is not WAVE but ${JSON.stringify(fourcc(bytes, 8))}`);

  let fmt: Chunk | undefined;
  let data: Chunk | undefined;
  let pos = 12;
  while (pos + 8 <= bytes.length && !(fmt && data)) {
    const id = fourcc(bytes, pos);
    const declared = view.getUint32(pos + 4, true);
    const offset = pos + 8;
    const available = bytes.length - offset;
    if (id === 'data') {
      if (opts.strict && declared > available && declared !== 0xffffffff) {
        fail(`file truncated: data chunk declares ${declared} bytes, only ${available} present`);
      }
      if (!data) data = { offset, size: Math.min(declared, available) };
    } else if (declared > available) {
      fail(`chunk ${JSON.stringify(id)} at byte ${pos} declares ${declared} bytes, only ${available} left`);
    } else if (id === 'fmt ' && !fmt) {
      fmt = { offset, size: declared };
    }
    pos = offset + declared + (declared & 1);
  }
  if (!fmt) fail('no fmt chunk');
  if (!data) fail('no data chunk');
  if (fmt.size < 16) fail(`fmt chunk is ${fmt.size} bytes, needs at least 16`);

  let formatCode = view.getUint16(fmt.offset, true);
  const channels = view.getUint16(fmt.offset + 2, true);
  const sampleRate = view.getUint32(fmt.offset + 4, true);
  const bitsPerSample = view.getUint16(fmt.offset + 14, true);
  if (formatCode === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.size < 40) fail(`WAVE_FORMAT_EXTENSIBLE fmt chunk is ${fmt.size} bytes, needs 40`);
    formatCode = view.getUint16(fmt.offset + 24, true);
    for (let i = 0; i < SUBTYPE_GUID_TAIL.length; i++) {
      if (bytes[fmt.offset + 26 + i] !== SUBTYPE_GUID_TAIL[i]) fail('WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID');
    }
  }
  if (channels === 0) fail('fmt chunk says 0 channels');
  if (sampleRate === 0) fail('fmt chunk says sample rate 0');

  let format: WavFormat;
  switch (formatCode) {
    case WAVE_FORMAT_PCM:
      format = 'pcm';
      if (![8, 16, 24, 32].includes(bitsPerSample)) fail(`unsupported PCM bits per sample ${bitsPerSample}`);
      break;
    case WAVE_FORMAT_IEEE_FLOAT:
      format = 'float';
      if (bitsPerSample !== 32 && bitsPerSample !== 64) fail(`unsupported float bits per sample ${bitsPerSample}`);
      break;
    case WAVE_FORMAT_MULAW:
    case WAVE_FORMAT_ALAW:
      format = formatCode === WAVE_FORMAT_MULAW ? 'ulaw' : 'alaw';
      if (bitsPerSample !== 8) fail(`unsupported ${format} bits per sample ${bitsPerSample}`);
      break;
    default: {
      const hex = `0x${formatCode.toString(16).padStart(4, '0')}`;
      const known = KNOWN_FORMATS[formatCode];
      fail(`unsupported format code ${hex}${known ? ` (${known})` : ''}`);
    }
  }

  const channel = opts.channel;
  if (channel !== undefined && !(Number.isInteger(channel) && channel >= 0 && channel < channels)) {
    fail(`channel ${channel} asked for, file has ${channels}`);
  }

  const bytesPerSample = bitsPerSample >> 3;
  const frameBytes = bytesPerSample * channels;
  const frames = Math.floor(data.size / frameBytes);
  if (opts.strict && data.size % frameBytes !== 0)
    fail(`file truncated: data ends inside a sample (${data.size} bytes, frames of ${frameBytes})`);
  const read = sampleReader(format, bytesPerSample, view);
  const samples = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    const base = data.offset + f * frameBytes;
    if (channel !== undefined) {
      samples[f] = toInt16(read(base + channel * bytesPerSample));
    } else {
      let sum = 0;
      for (let c = 0; c < channels; c++) sum += read(base + c * bytesPerSample);
      samples[f] = toInt16(sum / channels);
    }
  }
  return { sampleRate, channels, bitsPerSample, format, samples };
}

/** A function reading one sample at a byte offset, scaled to the int16 range (not yet rounded). */
function sampleReader(format: WavFormat, bytesPerSample: number, view: DataView): (at: number) => number {
  switch (format) {
    case 'ulaw':
      return (at) => ulawToLinear(view.getUint8(at));
    case 'alaw':
      return (at) => alawToLinear(view.getUint8(at));
    case 'float':
      return bytesPerSample === 4 ? (at) => view.getFloat32(at, true) * 32768 : (at) => view.getFloat64(at, true) * 32768;
    case 'pcm':
      switch (bytesPerSample) {
        case 1:
          return (at) => (view.getUint8(at) - 128) * 256;
        case 2:
          return (at) => view.getInt16(at, true);
        case 3:
          return (at) => ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) / 65536;
        default:
          return (at) => view.getInt32(at, true) / 65536;
      }
  }
}

function toInt16(v: number): number {
  if (Number.isNaN(v)) return 0; // a float file may hold NaN
  return Math.min(32767, Math.max(-32768, Math.round(v)));
}

/** Encode mono 16-bit PCM as a canonical 44-byte-header WAV file. */
export function encodeWav16(samples: Int16Array, sampleRate: number): Buffer {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new RangeError(`encodeWav16: bad sample rate ${sampleRate}`);
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(1, 22); // channels
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] as number, 44 + 2 * i);
  return out;
}
