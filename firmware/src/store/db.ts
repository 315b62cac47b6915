/**
 * The records database: one SQLite file through better-sqlite3. Schema changes are an ordered list
 * of SQL steps; PRAGMA user_version counts the steps already applied, each step runs in its own
 * transaction together with the user_version bump, so a crash leaves either the old or the new
 * schema. Modules that need tables append a step to SCHEMA_STEPS; never edit a released step.
 */
import BetterSqlite3 from 'better-sqlite3';
import { CallboxError } from '../errors.js';
import { STEP_CALLBACKS } from './schema/05-callbacks.js';
import { STEP_BACKOFFICE_COMMON } from './schema/06-backoffice-common.js';
import { STEP_CUSTOMERS } from './schema/07-customers.js';
import { STEP_TICKETS } from './schema/08-tickets.js';
import { STEP_KB } from './schema/09-kb.js';
import { STEP_SALES } from './schema/10-sales.js';
import { STEP_FINANCE } from './schema/11-finance.js';
import { STEP_FOLLOWUPS } from './schema/12-followups.js';
import { STEP_REPORTS } from './schema/13-reports.js';
import { STEP_SELFSERVICE } from './schema/14-selfservice.js';
import { STEP_KPI_CALLBACKS } from './schema/15-kpi-callbacks.js';
import { STEP_WEB_SESSIONS } from './schema/16-web-sessions.js';
import { STEP_EVENT_LOG_INDEXES } from './schema/17-event-log-indexes.js';
import { STEP_EVENT_HOURS } from './schema/18-event-hours.js';
import { STEP_REPORT_ROLLUPS } from './schema/19-report-rollups.js';
import { STEP_CALL_DISPOSITION } from './schema/20-call-disposition.js';
import { STEP_SMS } from './schema/21-sms.js';
import { STEP_CUSTOMER_SEARCH } from './schema/22-customer-search.js';
import { STEP_CALLS_NEWEST } from './schema/23-calls-newest.js';
import { STEP_NEWEST_FIRST } from './schema/24-newest-first.js';
import { STEP_CALL_HOLD } from './schema/25-call-hold.js';
import { STEP_QA } from './schema/26-qa.js';
import { STEP_EVENT_LOG_COMPACT } from './schema/27-event-log-compact.js';
import { STEP_SMS_DELIVERY } from './schema/28-sms-delivery.js';
import { STEP_SMS_INBOX } from './schema/29-sms-inbox.js';
import { STEP_SMS_TICKET_LINKS } from './schema/30-sms-ticket-links.js';

export type Database = BetterSqlite3.Database;

const APPEND_ONLY = (table: string): string => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

/** Step i brings the schema from user_version i to i + 1. */
export const SCHEMA_STEPS: readonly string[] = [
  // 1: event log, calls and legs, users, tokens, settings.
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    type TEXT NOT NULL,
    call_id TEXT,
    data TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_call_id ON events(call_id) WHERE call_id IS NOT NULL;
  ${APPEND_ONLY('events')}

  CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    direction TEXT NOT NULL,
    state TEXT NOT NULL,
    caller_id TEXT,
    caller_name TEXT,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    outcome TEXT,
    ivr_path TEXT NOT NULL DEFAULT '',
    queue TEXT,
    agent TEXT
  ) STRICT;
  CREATE INDEX calls_started_at ON calls(started_at);

  CREATE TABLE call_legs (
    call_id TEXT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    PRIMARY KEY (call_id, idx)
  ) STRICT;

  CREATE TABLE users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('owner', 'supervisor', 'agent', 'technician')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
  ) STRICT;

  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX tokens_expires_at ON tokens(expires_at);

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // 2: the recordings index (firmware/src/recorder). Files live in the recordings folder; `path` is
  // relative to it. state 'recording' at start, 'complete' at stop, 'repaired' after a crash,
  // 'missing' when the file was gone at repair time. No foreign key to calls: recordings outlive
  // call rows by their own retention.
  `
  CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    queue TEXT,
    path TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('pcm16', 'ulaw', 'alaw', 'opus')),
    channels INTEGER NOT NULL CHECK (channels IN (1, 2)),
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('recording', 'complete', 'repaired', 'missing')),
    legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1))
  ) STRICT;
  CREATE INDEX recordings_call_id ON recordings(call_id);
  CREATE INDEX recordings_started_at ON recordings(started_at);
  CREATE INDEX recordings_open ON recordings(state) WHERE state = 'recording';
  `,
  // 3: the event log by time, for KPI ranges (firmware/src/kpi/source.ts).
  `
  CREATE INDEX events_ts ON events(ts);
  `,
  // 4: voicemail (firmware/src/voicemail). Files live in the voicemail folder; `path` is relative
  // to it. state 'recording' while the caller speaks (or left by a crash, repaired at start), then
  // the owner's task: 'new' → 'heard' → 'handled' (handled_by/handled_at set with 'handled').
  `
  CREATE TABLE voicemails (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    box TEXT NOT NULL,
    caller_id TEXT,
    created_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    path TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('recording', 'new', 'heard', 'handled')),
    handled_by TEXT,
    handled_at INTEGER,
    note TEXT
  ) STRICT;
  CREATE INDEX voicemails_created_at ON voicemails(created_at);
  CREATE INDEX voicemails_state ON voicemails(state, created_at);
  `,
  // 5..15: one file each under schema/ (callbacks, then the back office of the shop).
  STEP_CALLBACKS,
  STEP_BACKOFFICE_COMMON,
  STEP_CUSTOMERS,
  STEP_TICKETS,
  STEP_KB,
  STEP_SALES,
  STEP_FINANCE,
  STEP_FOLLOWUPS,
  STEP_REPORTS,
  STEP_SELFSERVICE,
  STEP_KPI_CALLBACKS,
  // 16: browser sessions (tokens.kind), users linked to ACD agents.
  STEP_WEB_SESSIONS,
  // 17: the event log's indexes at a year's scale (events_call_id out, agent.state by agent in).
  STEP_EVENT_LOG_INDEXES,
  // 18: the event log by hour (event_hours directory instead of events_ts), call_legs WITHOUT ROWID.
  STEP_EVENT_HOURS,
  // 19: hourly roll-ups of the call figures for the reports.
  STEP_REPORT_ROLLUPS,
  // 20: the call result (通话小结) on the call record.
  STEP_CALL_DISPOSITION,
  // 21: text messages the box sends (firmware/src/sms), linked to customer and ticket.
  STEP_SMS,
  // 22: the customers list at scale: live-customers index, FTS5 trigram search documents.
  STEP_CUSTOMER_SEARCH,
  // 23: the call history newest first (calls_newest replaces calls_started_at).
  STEP_CALLS_NEWEST,
  // 24: the tickets and orders lists newest first (replacing their created_at indexes).
  STEP_NEWEST_FIRST,
  // 25: time on hold on the call record (calls.hold_ms).
  STEP_CALL_HOLD,
  // 26: quality assurance (质检): scorecards and their versions, reviews, call audio, dismissed flags.
  STEP_QA,
  // 27: the event log compact: type ids and binary JSON in `event_log`, `events` a view over it.
  STEP_EVENT_LOG_COMPACT,
  // 28: delivery reports on sent text messages (status 'delivered', reports per part, delivered_at).
  STEP_SMS_DELIVERY,
  // 29: the SMS inbox: every received text message, once by the modem's id, with its ticket and read mark.
  STEP_SMS_INBOX,
  // 30: a ticket's link to a received SMS names its inbox id, not the modem's id.
  STEP_SMS_TICKET_LINKS,
];

/**
 * SQLite's page cache per connection, in KiB. better-sqlite3 builds SQLite with 16 MB (-16000);
 * on a box that stays up for months that cache fills with the growing database and shows as RSS
 * that climbs for weeks (docs/RELIABILITY.md, Soak). 2 MB is SQLite's own default: the file's
 * pages stay in the kernel's page cache, so a miss costs a pread, not a disk read
 * (bench/results/backoffice.json compares the two sizes in one run).
 */
export const PAGE_CACHE_KIB = 2000;

/**
 * Open (creating if needed) and migrate the database at `path` (":memory:" for throwaway tests).
 *
 * journal_mode=WAL with synchronous=NORMAL: a commit is durable against a crash of the process
 * (the WAL is in the OS page cache), and the database can never be corrupted, but a power loss
 * may lose the last transactions before the next checkpoint. synchronous=FULL would fsync every
 * commit on the event loop, which costs SD-card wear and stalls every call event. Instead, what
 * the box acknowledges is synced before the answer, off the event loop (wal-sync.ts).
 */
export function openDatabase(path: string, steps: readonly string[] = SCHEMA_STEPS): Database {
  const db = new BetterSqlite3(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    migrateSchema(db, steps);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Apply the steps past the database's user_version, each in one transaction. Returns the version. */
export function migrateSchema(db: Database, steps: readonly string[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > steps.length) {
    throw new CallboxError(
      'UNAVAILABLE',
      `database ${db.name} has schema version ${current}, newer than this firmware knows (${steps.length})`,
    );
  }
  for (let v = current; v < steps.length; v++) {
    const sql = steps[v] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return steps.length;
}
