/**
 * Talk and silence of a recorded call (for the long-silence flag): the recording's samples in
 * 20 ms frames, a frame silent when its level is below the threshold (hal/src/dsp/level.ts). A
 * stereo recording is read as the mean of both sides, so a silence is both sides quiet. Measured
 * once per call into `qa_call_audio`. Opus files (compressed after the call) are not decoded here:
 * such a call has no silence figure.
 */
import { readFile } from 'node:fs/promises';
import type { Statement } from 'better-sqlite3';
import { SAMPLE_RATE } from '../../../../hal/src/audio.js';
import { isSilent } from '../../../../hal/src/dsp/level.js';
import { parseWav } from '../../../../hal/src/dsp/wav.js';
import type { Database } from '../../store/db.js';

const FRAME = SAMPLE_RATE / 50;

export interface AudioFacts {
  longestSilenceMs: number;
  silenceMs: number;
  talkMs: number;
}

/** Longest run of silent frames, total silent and talking time, in ms. */
export function measureSilence(samples: Int16Array, thresholdDbm0 = -45): AudioFacts {
  const frameMs = (FRAME * 1000) / SAMPLE_RATE;
  let run = 0;
  let longest = 0;
  let silent = 0;
  let talk = 0;
  for (let at = 0; at + FRAME <= samples.length; at += FRAME) {
    if (isSilent(samples.subarray(at, at + FRAME), thresholdDbm0)) {
      silent++;
      run++;
      if (run > longest) longest = run;
    } else {
      talk++;
      run = 0;
    }
  }
  return { longestSilenceMs: longest * frameMs, silenceMs: silent * frameMs, talkMs: talk * frameMs };
}

interface RecordingRow {
  id: string;
  format: string;
  state: string;
}

type AudioRow = { longest_silence_ms: number; silence_ms: number; talk_ms: number };

export class CallAudio {
  private statements: { audio: Statement<[string], AudioRow>; recording: Statement<[string], RecordingRow> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly fileOf: ((recordingId: string) => string | null) | undefined,
    private readonly now: () => number,
  ) {}

  /** Prepared once, at first use (a queue read asks for every call of the range). */
  private get st() {
    this.statements ??= {
      audio: this.db.prepare('SELECT longest_silence_ms, silence_ms, talk_ms FROM qa_call_audio WHERE call_id = ?'),
      recording: this.db.prepare(
        "SELECT id, format, state FROM recordings WHERE call_id = ? AND state IN ('complete', 'repaired') ORDER BY started_at LIMIT 1",
      ),
    };
    return this.statements;
  }

  /** The stored figures of a call, or null when not measured. */
  get(callId: string): AudioFacts | null {
    const r = this.st.audio.get(callId);
    return r ? { longestSilenceMs: r.longest_silence_ms, silenceMs: r.silence_ms, talkMs: r.talk_ms } : null;
  }

  /** The call's finished WAV recording, if any (the first one). */
  recording(callId: string): RecordingRow | null {
    return this.st.recording.get(callId) ?? null;
  }

  /** Measure and store the call's recording (`rec`, as `recording` found it); null when the box cannot read it. */
  async measure(callId: string, rec: RecordingRow, thresholdDbm0: number): Promise<AudioFacts | null> {
    if (rec.format === 'opus' || !this.fileOf) return null;
    const path = this.fileOf(rec.id);
    if (!path) return null;
    let facts: AudioFacts;
    try {
      facts = measureSilence(parseWav(await readFile(path)).samples, thresholdDbm0);
    } catch {
      return null;
    }
    this.db
      .prepare(
        `INSERT INTO qa_call_audio (call_id, longest_silence_ms, silence_ms, talk_ms, measured_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (call_id) DO UPDATE SET longest_silence_ms = excluded.longest_silence_ms, silence_ms = excluded.silence_ms,
           talk_ms = excluded.talk_ms, measured_at = excluded.measured_at`,
      )
      .run(callId, Math.round(facts.longestSilenceMs), Math.round(facts.silenceMs), Math.round(facts.talkMs), this.now());
    return facts;
  }
}
