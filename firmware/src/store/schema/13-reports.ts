/**
 * Step 13: reports' own data (firmware/src/backoffice/reports): the advertising schedule
 * (广告监测: campaigns on a medium such as a TV station, their airings with a response window) and
 * ad spend, staff shifts (排班). Reports read calls, events, tickets and orders; they write only
 * these tables. Money is integer cents (分); `date` columns are local dates (YYYY-MM-DD) in the
 * shop's time zone; shift times are local HH:MM (an end at or before the start is the next day).
 *
 * The index on calls(caller_id, started_at) serves first-contact resolution ("no further call from
 * the same customer within 7 days") and the screen pop's recent calls.
 */
export const STEP_REPORTS = `
  CREATE TABLE ad_campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    media TEXT NOT NULL,
    line TEXT,
    phone TEXT,
    response_min INTEGER NOT NULL DEFAULT 30 CHECK (response_min BETWEEN 0 AND 1440),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;

  CREATE TABLE ad_airings (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES ad_campaigns(id) ON DELETE CASCADE,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
    response_min INTEGER CHECK (response_min BETWEEN 0 AND 1440),
    cost_cents INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX ad_airings_time ON ad_airings(starts_at);
  CREATE INDEX ad_airings_campaign ON ad_airings(campaign_id, starts_at);

  CREATE TABLE ad_spend (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES ad_campaigns(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX ad_spend_date ON ad_spend(date);

  CREATE TABLE staff_shifts (
    id TEXT PRIMARY KEY,
    agent TEXT NOT NULL,
    date TEXT NOT NULL,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  ) STRICT;
  CREATE INDEX staff_shifts_date ON staff_shifts(date, agent);

  CREATE INDEX calls_caller ON calls(caller_id, started_at);
`;
