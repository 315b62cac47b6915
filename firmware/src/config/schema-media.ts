/** The recorder's and voicemail's config sections (firmware/src/recorder, firmware/src/voicemail). */
import { Type } from '@sinclair/typebox';
import { Id, Name, PROMPT_PATTERN, Strict } from './schema-base.js';

/** Call recording (firmware/src/recorder). Absent from a config file: defaultRecordingConfig(). */
export const RecordingSchema = Type.Object(
  {
    /** Record bridged calls; a queue's `record` overrides this for that queue. */
    enabled: Type.Boolean(),
    /** WAV sample format: 16-bit PCM (16 kB/s per channel) or 8-bit G.711 µ-law / A-law (8 kB/s). */
    format: Type.Union([Type.Literal('pcm16'), Type.Literal('ulaw'), Type.Literal('alaw')]),
    /** mixed: caller + agent summed into one channel; stereo: caller left, agent right. */
    channels: Type.Union([Type.Literal('mixed'), Type.Literal('stereo')]),
    /** Recordings older than this are deleted (unless on legal hold). */
    retentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** The recordings folder is kept under this many MiB, oldest deleted first (unless on legal hold). */
    quotaMB: Type.Integer({ minimum: 10, maximum: 1_000_000 }),
    /** opus: after a call, ffmpeg turns the WAV into Ogg/Opus when ffmpeg is installed. */
    compress: Type.Union([Type.Literal('none'), Type.Literal('opus')]),
    /**
     * No new recording starts while the recordings' filesystem has less than this many MiB free
     * (alarm RECORDING_FAILED, cause ENOSPC): the room is kept for the database. Default 64; 0: off.
     */
    minFreeMB: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  Strict,
);

/** One voicemail box (firmware/src/voicemail): where an IVR `voicemail` action leaves a message. */
export const VoicemailBoxSchema = Type.Object(
  {
    id: Id,
    name: Name,
    /** The prompt played before the beep (default "voicemail-greeting"). */
    greeting: Type.Optional(Type.String({ pattern: PROMPT_PATTERN })),
    /** Longest message in seconds (default 120). */
    maxLengthS: Type.Optional(Type.Integer({ minimum: 10, maximum: 600, default: 120 })),
    /** The message ends after this many seconds of silence (default 5). */
    silenceStopS: Type.Optional(Type.Integer({ minimum: 2, maximum: 30, default: 5 })),
  },
  Strict,
);

/** Voicemail (firmware/src/voicemail). Absent: no boxes (a `voicemail` action then fails validation). */
export const VoicemailSchema = Type.Object({ boxes: Type.Array(VoicemailBoxSchema, { maxItems: 32 }) }, Strict);
