/** The quality-assurance (质检) config section (firmware/src/backoffice/qa). */
import { type Static, Type } from '@sinclair/typebox';
import { Strict } from './schema-base.js';

/** Thresholds of the automatic review flags; 0 turns a flag off. */
export const QaFlagsSchema = Type.Object(
  {
    /** A silence in the recording (both sides quiet) at least this long, seconds. */
    longSilenceS: Type.Integer({ minimum: 0, maximum: 3600 }),
    /** Time on hold in the call at least this long, seconds. */
    longHoldS: Type.Integer({ minimum: 0, maximum: 36_000 }),
    /** Transfers in the call at least this many. */
    transfersAtLeast: Type.Integer({ minimum: 0, maximum: 20 }),
    /** A CSAT survey score (1-5) at most this. */
    csatAtMost: Type.Integer({ minimum: 0, maximum: 5 }),
    /** An answered call whose talk time is shorter than this, seconds. */
    shortCallS: Type.Integer({ minimum: 0, maximum: 3600 }),
  },
  Strict,
);

/** Quality assurance. Absent from a config file: defaultQaConfig(). */
export const QaSchema = Type.Object(
  {
    flags: QaFlagsSchema,
    /** Silence means a 20 ms frame below this level, dBm0 (default -45). */
    silenceDbm0: Type.Optional(Type.Integer({ minimum: -90, maximum: -10 })),
  },
  Strict,
);

export type QaConfig = Static<typeof QaSchema>;

/** The thresholds a config without a `qa` section runs with. */
export function defaultQaConfig(): QaConfig {
  return { flags: { longSilenceS: 30, longHoldS: 120, transfersAtLeast: 2, csatAtMost: 2, shortCallS: 10 }, silenceDbm0: -45 };
}
