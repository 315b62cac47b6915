/**
 * Step 26: quality assurance (质检, backoffice/qa).
 *
 * - `qa_scorecards`: the owner's scorecards (name, active); `version` is the current definition.
 * - `qa_scorecard_versions`: every definition ever saved (name, pass mark 0-100, criteria as JSON
 *   [{key, labelZh, labelEn, weight, critical}]). A review points at (scorecard_id, version), so
 *   old scores keep the criteria they were given against. Never updated or deleted.
 * - `qa_reviews`: one scorer's scores of one call (scores JSON [{key, score, comment}], 0-100 each;
 *   total and passed computed by the service; auto_failed when a critical criterion scored 0).
 *   One review per (call, scorer, scorecard): a second save by the same scorer is an update.
 *   `agent` is the call's agent at scoring time (an agent reads the rows where it is theirs).
 * - `qa_call_audio`: talk/silence of a call's recording, measured once (longest silence, total
 *   silence and talk in ms) for the long-silence flag.
 * - `qa_dismissed`: flagged calls a supervisor took out of the review queue without scoring.
 *
 * Read by the reports (scores per agent); written only by backoffice/qa.
 */
export const STEP_QA = `
  CREATE TABLE qa_scorecards (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE qa_scorecard_versions (
    scorecard_id TEXT NOT NULL REFERENCES qa_scorecards(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    pass_mark REAL NOT NULL,
    criteria TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT,
    PRIMARY KEY (scorecard_id, version)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE qa_reviews (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL,
    agent TEXT,
    scorer TEXT NOT NULL,
    scorecard_id TEXT NOT NULL,
    scorecard_version INTEGER NOT NULL,
    scores TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    total REAL NOT NULL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    auto_failed INTEGER NOT NULL CHECK (auto_failed IN (0, 1)),
    call_started_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    FOREIGN KEY (scorecard_id, scorecard_version) REFERENCES qa_scorecard_versions(scorecard_id, version),
    UNIQUE (call_id, scorer, scorecard_id)
  ) STRICT;
  CREATE INDEX qa_reviews_agent ON qa_reviews(agent, call_started_at);
  CREATE INDEX qa_reviews_started ON qa_reviews(call_started_at);

  CREATE TABLE qa_call_audio (
    call_id TEXT PRIMARY KEY,
    longest_silence_ms INTEGER NOT NULL,
    silence_ms INTEGER NOT NULL,
    talk_ms INTEGER NOT NULL,
    measured_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE qa_dismissed (
    call_id TEXT PRIMARY KEY,
    by_user TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
`;
