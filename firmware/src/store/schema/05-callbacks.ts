/**
 * Step 5: callback requests (firmware/src/store/callback-store.ts). Before this step the store
 * created its table itself, so boxes already in the field have it: IF NOT EXISTS keeps them valid.
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
`;
