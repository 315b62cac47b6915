/**
 * Step 14: self-service lookups of the IVR (firmware/src/backoffice/selfservice):
 * - `selfservice_codes`: the product authenticity code table the shop imports (防伪码), one row per
 *   code with its product and batch, how often it was checked and when first/last;
 * - `selfservice_checks`: every check (from the IVR or the API): time, code, verdict, caller number,
 *   call id;
 * - `selfservice_imports`: each CSV import and its counts;
 * - `selfservice_messages`: the where-to-buy message per language, as 8 or 16 kHz mono 16-bit WAV
 *   (uploaded, or rendered from text by espeak-ng).
 */
export const STEP_SELFSERVICE = `
  CREATE TABLE selfservice_codes (
    code TEXT PRIMARY KEY,
    product TEXT NOT NULL,
    batch TEXT,
    import_id TEXT NOT NULL,
    check_count INTEGER NOT NULL DEFAULT 0,
    first_checked_at INTEGER,
    last_checked_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX selfservice_codes_import ON selfservice_codes(import_id);

  CREATE TABLE selfservice_checks (
    id TEXT PRIMARY KEY,
    ts INTEGER NOT NULL,
    code TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('genuine', 'repeat', 'unknown')),
    caller TEXT,
    call_id TEXT,
    source TEXT NOT NULL CHECK (source IN ('ivr', 'api'))
  ) STRICT;
  CREATE INDEX selfservice_checks_ts ON selfservice_checks(ts);
  CREATE INDEX selfservice_checks_code ON selfservice_checks(code, ts);

  CREATE TABLE selfservice_imports (
    id TEXT PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    bad INTEGER NOT NULL,
    encoding TEXT NOT NULL
  ) STRICT;

  CREATE TABLE selfservice_messages (
    kind TEXT NOT NULL CHECK (kind IN ('whereToBuy')),
    language TEXT NOT NULL CHECK (language IN ('zh-CN', 'en')),
    source TEXT NOT NULL CHECK (source IN ('upload', 'text')),
    text TEXT,
    wav BLOB NOT NULL,
    duration_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, language)
  ) STRICT;
`;
