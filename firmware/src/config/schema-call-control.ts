/** The call control config section (firmware/src/calls: park.ts): timers of parking and ring-back. */
import { Type } from '@sinclair/typebox';
import { Strict } from './schema-base.js';

/** Call control timers (optional; absent: park.ts's PARK_TIMEOUT_MS and PARK_RING_MS). */
export const CallControlSchema = Type.Object(
  {
    /** A parked call (停车) rings the parking agent's phone back after this many seconds (default 120). */
    parkTimeoutS: Type.Optional(Type.Integer({ minimum: 10, maximum: 3600 })),
    /**
     * A phone rung for a parked call (a console pickup or the park ring-back) rings this many seconds
     * (default 30); unanswered, the caller is parked again and the ring-back tried a minute later.
     */
    parkRingS: Type.Optional(Type.Integer({ minimum: 5, maximum: 300 })),
  },
  Strict,
);
