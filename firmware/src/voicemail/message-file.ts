/**
 * The WAV files of messages (8 kHz 16-bit mono PCM, written by the recorder's FileRecording): the
 * trim at the end of a message, and finishing a file a crash left open.
 */
import { open } from 'node:fs/promises';
import { FRAME_SAMPLES } from '../../../hal/src/audio.js';
import { durationMsOf, finalizeWavFile, headerBytes, type WavLayout } from '../recorder/wav-header.js';
import { marksOf } from './speech.js';
import { type Decision, decide } from './voicemail-session.js';

export const LAYOUT: WavLayout = { format: 'pcm16', channels: 1 };
export const FRAME_BYTES = FRAME_SAMPLES * 2;

/** Cut a finalized WAV to `dataBytes` of audio and rewrite its header. */
export async function trimWav(file: string, dataBytes: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(headerBytes(LAYOUT.format) + dataBytes);
    await finalizeWavFile(fh, LAYOUT);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/**
 * Finish a message file left by a crash: rewrite the header from the file's length (a torn
 * partial sample or frame is dropped), judge its frames by the live rules, and when it is kept cut
 * its trailing silence. Throws what opening the file throws (ENOENT: no file).
 */
export async function finishCrashedFile(
  file: string,
  rules: { silenceDbm0: number; minSpeechFrames: number },
): Promise<{ decision: Decision; durationMs: number }> {
  const fh = await open(file, 'r+');
  try {
    const { dataBytes } = await finalizeWavFile(fh, LAYOUT);
    const bytes = Buffer.alloc(dataBytes);
    if (dataBytes > 0) await fh.read(bytes, 0, dataBytes, headerBytes(LAYOUT.format));
    const samples = new Int16Array(dataBytes / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
    const kept = marksOf(samples, rules.silenceDbm0).kept();
    const decision = decide(kept, rules.minSpeechFrames);
    if (decision !== 'saved') return { decision, durationMs: 0 };
    const keepBytes = Math.min(kept.frames * FRAME_BYTES, dataBytes);
    if (keepBytes < dataBytes) {
      await fh.truncate(headerBytes(LAYOUT.format) + keepBytes);
      await finalizeWavFile(fh, LAYOUT);
    }
    await fh.datasync();
    return { decision, durationMs: durationMsOf(LAYOUT, keepBytes) };
  } finally {
    await fh.close().catch(() => {});
  }
}
