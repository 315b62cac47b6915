/**
 * WAV headers of recordings: 8 kHz, 1 or 2 channels, 16-bit PCM or 8-bit G.711.
 *
 * PCM: the canonical 44-byte header (RIFF, fmt 16, data). G.711: RIFF, fmt 18 (cbSize 0), fact
 * (sample frames), data = 58 bytes, as the WAVE spec asks for non-PCM formats. The header length
 * depends only on the format, so a file left by a crash is repaired by rewriting the header from
 * the index row and the file's length, whatever the crash left of the old header.
 *
 * While recording, the sizes are placeholders (0xFFFFFFFF, as streaming writers leave them):
 * tolerant readers (ffmpeg, sox, hal parseWav) already play an unrepaired file to its end.
 */
import type { FileHandle } from 'node:fs/promises';
import { SAMPLE_RATE } from '../../../hal/src/audio.js';
import type { RecordingFormat } from './types.js';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const PLACEHOLDER = 0xffffffff;

export interface WavLayout {
  format: RecordingFormat;
  channels: 1 | 2;
}

export function bytesPerSample(format: RecordingFormat): 1 | 2 {
  return format === 'pcm16' ? 2 : 1;
}

/** Bytes of one sample frame (all channels). */
export function blockAlign(l: WavLayout): number {
  return bytesPerSample(l.format) * l.channels;
}

export function headerBytes(format: RecordingFormat): number {
  return format === 'pcm16' ? 44 : 58;
}

/**
 * The header for `dataBytes` of audio, or for an open-ended stream when dataBytes is null.
 * dataBytes must be a whole number of sample frames and even (no pad byte needed).
 */
export function wavHeader(l: WavLayout, dataBytes: number | null): Buffer {
  const pcm = l.format === 'pcm16';
  const size = headerBytes(l.format);
  const h = Buffer.alloc(size);
  const align = blockAlign(l);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(dataBytes === null ? PLACEHOLDER : size - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(pcm ? 16 : 18, 16);
  h.writeUInt16LE(pcm ? WAVE_FORMAT_PCM : l.format === 'ulaw' ? WAVE_FORMAT_MULAW : WAVE_FORMAT_ALAW, 20);
  h.writeUInt16LE(l.channels, 22);
  h.writeUInt32LE(SAMPLE_RATE, 24);
  h.writeUInt32LE(SAMPLE_RATE * align, 28); // byte rate
  h.writeUInt16LE(align, 32);
  h.writeUInt16LE(bytesPerSample(l.format) * 8, 34);
  let at = 36;
  if (!pcm) {
    h.writeUInt16LE(0, 36); // cbSize
    h.write('fact', 38, 'ascii');
    h.writeUInt32LE(4, 42);
    h.writeUInt32LE(dataBytes === null ? PLACEHOLDER : dataBytes / align, 46);
    at = 50;
  }
  h.write('data', at, 'ascii');
  h.writeUInt32LE(dataBytes === null ? PLACEHOLDER : dataBytes, at + 4);
  return h;
}

/**
 * The audio bytes a file of `fileBytes` holds: whole sample frames, rounded down to an even count
 * (a RIFF chunk of odd size needs a pad byte; dropping one 8-bit sample is simpler).
 */
export function usableDataBytes(l: WavLayout, fileBytes: number): number {
  const raw = Math.max(0, fileBytes - headerBytes(l.format));
  const whole = raw - (raw % blockAlign(l));
  return whole - (whole % 2);
}

/** Duration in ms of `dataBytes` of audio (8 samples per ms). */
export function durationMsOf(l: WavLayout, dataBytes: number): number {
  return Math.round((dataBytes / blockAlign(l) / SAMPLE_RATE) * 1000);
}

/**
 * Make the open file a valid WAV: keep only whole sample frames of audio past the header
 * (truncating a torn last write), then rewrite the header with the real sizes. Used at stop and by
 * the repair after a crash. Returns the audio and file sizes.
 */
export async function finalizeWavFile(fh: FileHandle, l: WavLayout): Promise<{ dataBytes: number; fileBytes: number }> {
  const size = (await fh.stat()).size;
  const dataBytes = usableDataBytes(l, size);
  const fileBytes = headerBytes(l.format) + dataBytes;
  if (fileBytes !== size) await fh.truncate(fileBytes);
  const header = wavHeader(l, dataBytes);
  await fh.write(header, 0, header.length, 0);
  return { dataBytes, fileBytes };
}
