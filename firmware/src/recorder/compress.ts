/**
 * The optional post-stop compression: WAV → Ogg/Opus with ffmpeg (libopus), only where the config
 * asks for it and the binary exists. ffmpeg runs as a child process (never on the event loop), one
 * file at a time.
 */
import { execFile } from 'node:child_process';

/** Opus bit rate per channel: telephone speech at 8 kHz needs little. */
const BITRATE_PER_CHANNEL = 16_000;
/** A call of several hours still converts well within this. */
const TIMEOUT_MS = 10 * 60_000;

function run(bin: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(Object.assign(err, { message: detail ? `${err.message}: ${detail}` : err.message }));
      } else {
        resolve(String(stdout));
      }
    });
  });
}

/**
 * Why `bin` cannot make Opus files, or null when it can: not found, not runnable, or built
 * without the libopus encoder.
 */
export async function opusUnavailable(bin: string): Promise<string | null> {
  let encoders: string;
  try {
    encoders = await run(bin, ['-hide_banner', '-encoders'], 15_000);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') return `${bin} is not installed (not found on PATH)`;
    return `${bin} does not run: ${(e as Error).message}`;
  }
  return /\blibopus\b/.test(encoders) ? null : `${bin} has no libopus encoder`;
}

/** Convert `src` (WAV) to Ogg/Opus at `dst` (overwritten). */
export async function wavToOpus(bin: string, src: string, dst: string, channels: 1 | 2): Promise<void> {
  await run(
    bin,
    [
      ...['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', src],
      ...['-c:a', 'libopus', '-application', 'voip', '-b:a', String(BITRATE_PER_CHANNEL * channels), '-f', 'ogg', dst],
    ],
    TIMEOUT_MS,
  );
}
