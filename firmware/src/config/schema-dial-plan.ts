/**
 * What the agents' analog (FXS) phones may dial out (calls/phone-dial.ts). Absent: no outside-line
 * prefix, 4 s between digits, the shop country's emergency numbers (CN 110/119/120/122, US 911, EU 112).
 */
import { Type } from '@sinclair/typebox';
import { Strict } from './schema-base.js';

export const DialPlanSchema = Type.Object(
  {
    /** Dialled before an outside number and stripped (外线字冠, e.g. "9" or "0"); present: a number without it is refused. */
    outsidePrefix: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })),
    /** Seconds without a key before the dialled number goes out (# sends at once). */
    interDigitS: Type.Optional(Type.Integer({ minimum: 1, maximum: 15 })),
    /** Emergency numbers, always dialled as they are, prefix or not (replaces the country's list). */
    emergency: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 10 })),
  },
  Strict,
);
