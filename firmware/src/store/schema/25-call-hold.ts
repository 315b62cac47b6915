/**
 * Step 25: time on hold on the call record: `calls.hold_ms` is the total of the call's holds
 * (hold / unhold by an agent, the park), in ms, kept by calls/hold.ts with each `call.held` /
 * `call.unheld` event in the same transaction. QA's "long hold" flag and the call history read it
 * (CallRecord.holdSeconds).
 */
export const STEP_CALL_HOLD = `
  ALTER TABLE calls ADD COLUMN hold_ms INTEGER NOT NULL DEFAULT 0;
`;
