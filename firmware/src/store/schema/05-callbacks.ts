/**
 * Step 5: callback requests (firmware/src/store/callback-store.ts). Before this step the store
 * created its table itself, so boxes already in the field have it: IF NOT EXISTS keeps them valid.
 * callback_attempts: one row per outbound attempt, linking the attempt's own call record (calls.id)
 * to its callback request and to the call in which the caller asked for it.
 */
export const STEP_CALLBACKS = `
  CREATE TABLE IF NOT EXISTS callbacks (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    number TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'dialing', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    result_call_id TEXT,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS callbacks_state ON callbacks(state, requested_at);
  CREATE TABLE IF NOT EXISTS callback_attempts (
    call_id TEXT PRIMARY KEY,
    callback_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    original_call_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    outcome TEXT
  ) STRICT;
  CREATE INDEX IF NOT EXISTS callback_attempts_callback ON callback_attempts(callback_id, attempt);
`;
