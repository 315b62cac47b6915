/**
 * Step 18: a smaller event log for a year of a busy shop (issue 5's bench, docs/PERFORMANCE.md).
 *
 * - `events_ts` (an index entry per event: 21 MB of a 225 MB year) gives way to `event_hours`, a
 *   directory of the log by UTC hour: for each hour (ts div 3 600 000) the lowest and the highest
 *   seq of its events, kept by a trigger in the transaction of each append (a year is 8 760 rows).
 *   A time range is read as the seq window of its hours, then filtered by ts
 *   (firmware/src/store/event-window.ts). Exact also when an event is appended late with an
 *   earlier ts: its hour's window widens to include it.
 * - `call_legs` becomes a WITHOUT ROWID table: its key (call_id, idx) is the only way it is read,
 *   so the separate key index (6.6 MB) goes; every row and column is copied.
 */
export const STEP_EVENT_HOURS = `
  CREATE TABLE event_hours (
    hour INTEGER PRIMARY KEY,
    lo INTEGER NOT NULL,
    hi INTEGER NOT NULL
  ) STRICT;
  INSERT INTO event_hours (hour, lo, hi) SELECT ts / 3600000, MIN(seq), MAX(seq) FROM events GROUP BY ts / 3600000;
  CREATE TRIGGER events_hour AFTER INSERT ON events BEGIN
    INSERT INTO event_hours (hour, lo, hi) VALUES (NEW.ts / 3600000, NEW.seq, NEW.seq)
      ON CONFLICT (hour) DO UPDATE SET lo = MIN(lo, excluded.lo), hi = MAX(hi, excluded.hi);
  END;
  DROP INDEX IF EXISTS events_ts;

  CREATE TABLE call_legs_v18 (
    call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    PRIMARY KEY (call_id, idx)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO call_legs_v18 SELECT call_id, idx, channel, kind, role, started_at, answered_at, ended_at FROM call_legs;
  DROP TABLE call_legs;
  ALTER TABLE call_legs_v18 RENAME TO call_legs;
`;
