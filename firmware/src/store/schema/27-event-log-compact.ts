/**
 * Step 27: a compact event log for a year of a busy shop (issue 5's bench, docs/PERFORMANCE.md:
 * `events` was 137.5 MB of a 207 MB year).
 *
 * - The rows move to `event_log`: the event type is a small integer (`type_id`, names in
 *   `event_types`) instead of its name repeated in 1.5 million rows, and `data` is SQLite's binary
 *   JSON (JSONB: no quotes, colons or commas; `json_extract` reads it directly).
 * - `events` becomes a view with the same columns as before (seq, ts, type, call_id, data as JSON
 *   text), so every reader and tool keeps working; INSTEAD OF triggers take inserts into it and
 *   refuse updates and deletes.
 *   The event log's own appends (store/event-log.ts) and the readers that need the partial indexes
 *   go to `event_log` directly, with the fixed type ids below.
 * - The triggers (append-only, the hour directory, the roll-ups' late-event mark) and the partial
 *   indexes (callback events by time, agent.state by agent) are made again on `event_log`.
 *
 * The ids of EVENT_TYPE_SEED are fixed forever (partial indexes and readers use them as literals);
 * a type not in it gets the next free id on its first append.
 */
export const EVENT_TYPE_SEED = [
  'call.ringing',
  'call.callerId',
  'call.answered',
  'call.bridged',
  'call.transferred',
  'call.held',
  'call.unheld',
  'call.consult',
  'call.consultAnswered',
  'call.consultEnded',
  'call.parked',
  'call.unparked',
  'call.ended',
  'call.disposition',
  'ivr.menu',
  'ivr.key',
  'ivr.done',
  'ivr.collect',
  'ivr.lookup',
  'queue.enter',
  'queue.offer',
  'queue.ringNoAnswer',
  'queue.connect',
  'queue.abandon',
  'queue.exitTimeout',
  'queue.exitWithKey',
  'queue.resume',
  'queue.complete',
  'callback.requested',
  'callback.dialing',
  'callback.accepted',
  'callback.failed',
  'overflow.mobileDialing',
  'overflow.mobileUnavailable',
  'overflow.mobileRefused',
  'fax.detected',
  'survey.start',
  'survey.score',
  'survey.noAnswer',
  'voicemail.saved',
  'voicemail.discarded',
  'agent.state',
] as const;

export type SeededEventType = (typeof EVENT_TYPE_SEED)[number];

/** The fixed id of a seeded event type (1-based position in EVENT_TYPE_SEED). */
export function eventTypeId(name: SeededEventType): number {
  return EVENT_TYPE_SEED.indexOf(name) + 1;
}

const CALLBACK_IDS = [eventTypeId('callback.requested'), eventTypeId('callback.accepted'), eventTypeId('callback.failed')].join(', ');

export const STEP_EVENT_LOG_COMPACT = `
  CREATE TABLE event_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  ) STRICT;
  INSERT INTO event_types (id, name) VALUES ${EVENT_TYPE_SEED.map((n, i) => `(${i + 1}, '${n}')`).join(', ')};
  INSERT OR IGNORE INTO event_types (name) SELECT DISTINCT type FROM events ORDER BY type;

  CREATE TABLE event_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    type_id INTEGER NOT NULL,
    call_id TEXT,
    data BLOB NOT NULL
  ) STRICT;
  INSERT INTO event_log (seq, ts, type_id, call_id, data)
    SELECT seq, ts, (SELECT id FROM event_types WHERE name = type), call_id, jsonb(data) FROM events ORDER BY seq;
  DROP TABLE events;

  CREATE VIEW events AS
    SELECT seq, ts, (SELECT name FROM event_types WHERE id = type_id) AS type, call_id, json(data) AS data FROM event_log;
  CREATE TRIGGER events_insert INSTEAD OF INSERT ON events BEGIN
    INSERT OR IGNORE INTO event_types (name) VALUES (NEW.type);
    INSERT INTO event_log (seq, ts, type_id, call_id, data)
      VALUES (NEW.seq, NEW.ts, (SELECT id FROM event_types WHERE name = NEW.type), NEW.call_id, jsonb(NEW.data));
  END;
  CREATE TRIGGER events_no_update INSTEAD OF UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
  CREATE TRIGGER events_no_delete INSTEAD OF DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;

  CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log
    BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
  CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log
    BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
  CREATE TRIGGER events_hour AFTER INSERT ON event_log BEGIN
    INSERT INTO event_hours (hour, lo, hi) VALUES (NEW.ts / 3600000, NEW.seq, NEW.seq)
      ON CONFLICT (hour) DO UPDATE SET lo = MIN(lo, excluded.lo), hi = MAX(hi, excluded.hi);
  END;
  CREATE TRIGGER events_rollup_late AFTER INSERT ON event_log
    WHEN NEW.ts < (SELECT done_to FROM report_rollup_state WHERE id = 1) + 86400000
  BEGIN
    UPDATE report_rollup_state SET redo_from = MIN(COALESCE(redo_from, NEW.ts - 86400000), NEW.ts - 86400000) WHERE id = 1;
  END;
  CREATE INDEX events_callbacks ON event_log(ts) WHERE type_id IN (${CALLBACK_IDS});
  CREATE INDEX events_agent_state ON event_log(json_extract(data, '$.agent')) WHERE type_id = ${eventTypeId('agent.state')};
`;
