/**
 * Step 19: hourly roll-ups of the call figures for the reports (firmware/src/backoffice/reports,
 * README "Hourly roll-ups"). One row per UTC hour with calls (`report_hours`) and one per agent
 * and hour with activity (`report_agent_hours`): sums and counts that add up across hours, so a
 * month is the sum of its hours instead of a read of its ~76 000 events.
 *
 * Filled by the roll-up job for closed hours only (an hour is closed a day after it ends: the KPI
 * lookahead that closes wrap-ups and overflows), in order, each batch in one transaction with the
 * watermark `report_rollup_state.done_to` (every hour before it is rolled up; a missing row is an
 * hour without calls or agents). An event appended late — with a ts before done_to + 24 h, the
 * reach of the KPI lookahead — sets `redo_from` in its own transaction (trigger below): the job
 * recomputes from there, and until it has, reports read those hours from the event log.
 */
export const STEP_REPORT_ROLLUPS = `
  CREATE TABLE report_hours (
    hour INTEGER PRIMARY KEY,
    offered INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    abandoned INTEGER NOT NULL,
    short_abandoned INTEGER NOT NULL,
    timed_out INTEGER NOT NULL,
    overflowed INTEGER NOT NULL,
    within_sl INTEGER NOT NULL,
    wait_ms INTEGER NOT NULL,
    longest_wait_ms INTEGER,
    handled INTEGER NOT NULL,
    talk_ms INTEGER NOT NULL,
    wrap_ms INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    all_busy_ms INTEGER NOT NULL,
    csat_sum INTEGER NOT NULL,
    csat_n INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE report_agent_hours (
    hour INTEGER NOT NULL,
    agent TEXT NOT NULL,
    answered INTEGER NOT NULL,
    handled INTEGER NOT NULL,
    missed INTEGER NOT NULL,
    talk_ms INTEGER NOT NULL,
    wrap_ms INTEGER NOT NULL,
    logged_in_ms INTEGER NOT NULL,
    paused_ms INTEGER NOT NULL,
    on_call_ms INTEGER NOT NULL,
    wrap_up_ms INTEGER NOT NULL,
    csat_sum INTEGER NOT NULL,
    csat_n INTEGER NOT NULL,
    presence TEXT,
    PRIMARY KEY (hour, agent)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE report_rollup_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    done_to INTEGER NOT NULL,
    redo_from INTEGER,
    lines INTEGER NOT NULL
  ) STRICT;

  CREATE TRIGGER events_rollup_late AFTER INSERT ON events
    WHEN NEW.ts < (SELECT done_to FROM report_rollup_state WHERE id = 1) + 86400000
  BEGIN
    UPDATE report_rollup_state SET redo_from = MIN(COALESCE(redo_from, NEW.ts - 86400000), NEW.ts - 86400000) WHERE id = 1;
  END;
`;
