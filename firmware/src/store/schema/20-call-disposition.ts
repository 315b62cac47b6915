/**
 * Step 20: the call result (通话小结) on the call record: `calls.disposition` holds the latest
 * result as JSON ({code, note, agent, by, at}, service/disposition-types.ts) or NULL. Every change
 * is also a `call.disposition` event in the same transaction (calls/dispositions.ts); KPIs count
 * the events, the column serves the call history.
 */
export const STEP_CALL_DISPOSITION = `
  ALTER TABLE calls ADD COLUMN disposition TEXT;
`;
