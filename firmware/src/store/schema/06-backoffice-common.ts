/**
 * Step 6: what every back-office area shares (firmware/src/backoffice/common).
 * - `audit`: append-only trail of who did what to personal and business data (PIPL/GDPR export
 *   and erasure, role-restricted reads of full phone numbers, settlements).
 * - `outbox`: business records waiting to go to the cloud (issue 7), written in the same
 *   transaction as the record itself; a row is done when the cloud acks it.
 */
const APPEND_ONLY = (table: string): string => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

export const STEP_BACKOFFICE_COMMON = `
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE INDEX audit_entity ON audit(entity, entity_id);
  CREATE INDEX audit_ts ON audit(ts);
  ${APPEND_ONLY('audit')}

  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    stream TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    body TEXT NOT NULL,
    acked_at INTEGER
  ) STRICT;
  CREATE INDEX outbox_pending ON outbox(stream, seq) WHERE acked_at IS NULL;
`;
