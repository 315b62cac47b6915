/**
 * Step 17: the event log's indexes for a year of a busy shop (issue 5's bench, docs/PERFORMANCE.md).
 *
 * - `events_call_id` goes: it was the largest index (56 MB of a 300 MB year) and its only reader,
 *   the KPI module's "calls in progress at `from`", now reads the day before `from` through
 *   `events_ts` instead (firmware/src/kpi/source.ts). One call's events, when needed, are the
 *   rows of its ts window (calls.started_at .. ended_at) with its call_id.
 * - `events_agent_state` keys agent.state rows by agent (and, as every index, by seq): an agent's
 *   last state before a time is one seek instead of a scan of every earlier event (KPI reports,
 *   GET /api/v1/kpis). Partial: only agent.state rows (a quarter of the log), a few MB.
 */
export const STEP_EVENT_LOG_INDEXES = `
  DROP INDEX IF EXISTS events_call_id;
  CREATE INDEX events_agent_state ON events(json_extract(data, '$.agent')) WHERE type = 'agent.state';
`;
