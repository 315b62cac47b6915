/**
 * Step 15: the callback events by time, for the `callbacksPending` KPI (firmware/src/kpi/
 * callbacks-pending.ts): a partial index, so counting the callbacks open at a moment reads only
 * the callback events, not the whole log.
 */
export const STEP_KPI_CALLBACKS = `
  CREATE INDEX events_callbacks ON events(ts)
    WHERE type IN ('callback.requested', 'callback.accepted', 'callback.failed');
`;
