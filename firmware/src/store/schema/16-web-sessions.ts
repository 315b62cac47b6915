/**
 * Step 16: browser sessions and users linked to agents (web-ui, issue 6). A token row is either a
 * bearer token of an API client or a browser session (cookie); both are stored only as SHA-256
 * hashes and revoked by deleting the row. `users.agent_id` links an agent account to its ACD agent.
 */
export const STEP_WEB_SESSIONS = `
  ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'bearer' CHECK (kind IN ('bearer', 'session'));
  CREATE INDEX tokens_username ON tokens(username);
  ALTER TABLE users ADD COLUMN agent_id TEXT;
`;
