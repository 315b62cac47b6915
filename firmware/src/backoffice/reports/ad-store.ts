/**
 * The advertising schedule (广告排期) and spend in SQLite (schema step 13): campaigns, their
 * airings, lump spend. Every write is one transaction with its audit row; `version` +1 per change.
 */
import type { Actor } from '../common/types.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { checkVersion, instant, int, invalid, iso, notFound, text, textOrNull } from './input.js';
import { type LocalCalendar, dateOf, parseDate } from './period.js';
import type { AdAiring, AdAiringInput, AdCampaign, AdCampaignInput, AdSpend, AdSpendInput } from './types.js';

interface CampaignRow {
  id: string;
  name: string;
  media: string;
  line: string | null;
  phone: string | null;
  response_min: number;
  note: string;
  created_at: number;
  updated_at: number;
  version: number;
}

interface AiringRow {
  id: string;
  campaign_id: string;
  starts_at: number;
  ends_at: number;
  response_min: number | null;
  cost_cents: number;
  created_at: number;
  updated_at: number;
  version: number;
}

interface SpendRow {
  id: string;
  campaign_id: string;
  date: string;
  amount_cents: number;
  note: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const MAX_AIRING_MS = 24 * 3_600_000;
const MAX_CENTS = 1_000_000_000_00;

const campaignOf = (r: CampaignRow): AdCampaign => ({
  id: r.id,
  name: r.name,
  media: r.media,
  line: r.line,
  phone: r.phone,
  responseMin: r.response_min,
  note: r.note,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: r.version,
});

const airingOf = (r: AiringRow): AdAiring => ({
  id: r.id,
  campaignId: r.campaign_id,
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  responseMin: r.response_min,
  costCents: r.cost_cents,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: r.version,
});

const spendOf = (r: SpendRow): AdSpend => ({
  id: r.id,
  campaignId: r.campaign_id,
  date: r.date,
  amountCents: r.amount_cents,
  note: r.note,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  version: r.version,
});

export class AdStore {
  constructor(
    private readonly d: BackOfficeDeps,
    private readonly cal: () => LocalCalendar,
  ) {}

  // ---- campaigns ----

  listCampaigns(): AdCampaign[] {
    return this.d.db.prepare<[], CampaignRow>('SELECT * FROM ad_campaigns ORDER BY media, name, id').all().map(campaignOf);
  }

  getCampaign(id: string): AdCampaign {
    return campaignOf(this.campaignRow(id));
  }

  createCampaign(actor: Actor, input: AdCampaignInput): AdCampaign {
    const now = this.d.clock.now();
    const row: CampaignRow = {
      id: this.d.newId(),
      ...this.campaignFields(input, null),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    this.d.db.transaction(() => {
      this.d.db
        .prepare(
          `INSERT INTO ad_campaigns (id, name, media, line, phone, response_min, note, created_at, updated_at, version)
           VALUES (@id, @name, @media, @line, @phone, @response_min, @note, @created_at, @updated_at, @version)`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'adCampaign.create', 'adCampaign', row.id, { name: row.name, media: row.media });
    })();
    return campaignOf(row);
  }

  updateCampaign(actor: Actor, id: string, patch: Partial<AdCampaignInput> & { version?: number }): AdCampaign {
    return this.d.db.transaction(() => {
      const old = this.campaignRow(id);
      checkVersion(`campaign ${id}`, old.version, patch.version);
      const merged = { ...campaignOf(old), ...stripUndefined(patch) };
      const row: CampaignRow = {
        ...old,
        ...this.campaignFields(merged, old),
        updated_at: this.d.clock.now(),
        version: old.version + 1,
      };
      this.d.db
        .prepare(
          `UPDATE ad_campaigns SET name = @name, media = @media, line = @line, phone = @phone, response_min = @response_min,
             note = @note, updated_at = @updated_at, version = @version WHERE id = @id`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'adCampaign.update', 'adCampaign', id, { version: row.version });
      return campaignOf(row);
    })();
  }

  deleteCampaign(actor: Actor, id: string): void {
    this.d.db.transaction(() => {
      this.campaignRow(id);
      this.d.db.prepare('DELETE FROM ad_campaigns WHERE id = ?').run(id);
      this.d.audit.record(actor.username, 'adCampaign.delete', 'adCampaign', id);
    })();
  }

  // ---- airings ----

  listAirings(q: { from?: string; to?: string; campaignId?: string }): AdAiring[] {
    const { from, to } = this.dateWindow(q);
    return this.d.db
      .prepare<[number, number, string | null, string | null], AiringRow>(
        `SELECT * FROM ad_airings WHERE starts_at >= ? AND starts_at < ? AND (? IS NULL OR campaign_id = ?)
         ORDER BY starts_at, id LIMIT 5000`,
      )
      .all(from, to, q.campaignId ?? null, q.campaignId ?? null)
      .map(airingOf);
  }

  getAiring(id: string): AdAiring {
    return airingOf(this.airingRow(id));
  }

  createAiring(actor: Actor, input: AdAiringInput): AdAiring {
    const now = this.d.clock.now();
    const campaignId = text(input.campaignId, 'campaignId', 64);
    this.campaignRow(campaignId, 'campaignId');
    const row: AiringRow = {
      id: this.d.newId(),
      campaign_id: campaignId,
      ...this.airingFields(input),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    this.d.db.transaction(() => {
      this.d.db
        .prepare(
          `INSERT INTO ad_airings (id, campaign_id, starts_at, ends_at, response_min, cost_cents, created_at, updated_at, version)
           VALUES (@id, @campaign_id, @starts_at, @ends_at, @response_min, @cost_cents, @created_at, @updated_at, @version)`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'adAiring.create', 'adAiring', row.id, { campaignId, costCents: row.cost_cents });
    })();
    return airingOf(row);
  }

  updateAiring(actor: Actor, id: string, patch: Partial<Omit<AdAiringInput, 'campaignId'>> & { version?: number }): AdAiring {
    return this.d.db.transaction(() => {
      const old = this.airingRow(id);
      checkVersion(`airing ${id}`, old.version, patch.version);
      const merged = { ...airingOf(old), ...stripUndefined(patch) };
      const row: AiringRow = { ...old, ...this.airingFields(merged), updated_at: this.d.clock.now(), version: old.version + 1 };
      this.d.db
        .prepare(
          `UPDATE ad_airings SET starts_at = @starts_at, ends_at = @ends_at, response_min = @response_min,
             cost_cents = @cost_cents, updated_at = @updated_at, version = @version WHERE id = @id`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'adAiring.update', 'adAiring', id, { version: row.version });
      return airingOf(row);
    })();
  }

  deleteAiring(actor: Actor, id: string): void {
    this.d.db.transaction(() => {
      this.airingRow(id);
      this.d.db.prepare('DELETE FROM ad_airings WHERE id = ?').run(id);
      this.d.audit.record(actor.username, 'adAiring.delete', 'adAiring', id);
    })();
  }

  // ---- spend ----

  listSpend(q: { from?: string; to?: string; campaignId?: string }): AdSpend[] {
    const from = q.from === undefined ? '0000-00-00' : dateOf(parseDate(q.from, 'from'));
    const to = q.to === undefined ? '9999-99-99' : dateOf(parseDate(q.to, 'to'));
    return this.d.db
      .prepare<[string, string, string | null, string | null], SpendRow>(
        `SELECT * FROM ad_spend WHERE date >= ? AND date <= ? AND (? IS NULL OR campaign_id = ?) ORDER BY date, id LIMIT 5000`,
      )
      .all(from, to, q.campaignId ?? null, q.campaignId ?? null)
      .map(spendOf);
  }

  getSpend(id: string): AdSpend {
    return spendOf(this.spendRow(id));
  }

  createSpend(actor: Actor, input: AdSpendInput): AdSpend {
    const now = this.d.clock.now();
    const campaignId = text(input.campaignId, 'campaignId', 64);
    this.campaignRow(campaignId, 'campaignId');
    const row: SpendRow = {
      id: this.d.newId(),
      campaign_id: campaignId,
      ...spendFields(input),
      created_at: now,
      updated_at: now,
      version: 1,
    };
    this.d.db.transaction(() => {
      this.d.db
        .prepare(
          `INSERT INTO ad_spend (id, campaign_id, date, amount_cents, note, created_at, updated_at, version)
           VALUES (@id, @campaign_id, @date, @amount_cents, @note, @created_at, @updated_at, @version)`,
        )
        .run(row);
      this.d.audit.record(actor.username, 'adSpend.create', 'adSpend', row.id, { campaignId, amountCents: row.amount_cents });
    })();
    return spendOf(row);
  }

  updateSpend(actor: Actor, id: string, patch: Partial<Omit<AdSpendInput, 'campaignId'>> & { version?: number }): AdSpend {
    return this.d.db.transaction(() => {
      const old = this.spendRow(id);
      checkVersion(`spend ${id}`, old.version, patch.version);
      const merged = { ...spendOf(old), ...stripUndefined(patch) };
      const row: SpendRow = { ...old, ...spendFields(merged), updated_at: this.d.clock.now(), version: old.version + 1 };
      this.d.db
        .prepare(
          'UPDATE ad_spend SET date = @date, amount_cents = @amount_cents, note = @note, updated_at = @updated_at, version = @version WHERE id = @id',
        )
        .run(row);
      this.d.audit.record(actor.username, 'adSpend.update', 'adSpend', id, { version: row.version, amountCents: row.amount_cents });
      return spendOf(row);
    })();
  }

  deleteSpend(actor: Actor, id: string): void {
    this.d.db.transaction(() => {
      this.spendRow(id);
      this.d.db.prepare('DELETE FROM ad_spend WHERE id = ?').run(id);
      this.d.audit.record(actor.username, 'adSpend.delete', 'adSpend', id);
    })();
  }

  // ---- helpers ----

  private campaignFields(
    input: Partial<AdCampaignInput>,
    old: CampaignRow | null,
  ): Omit<CampaignRow, 'id' | 'created_at' | 'updated_at' | 'version'> {
    const line = input.line === undefined || input.line === null ? null : text(input.line, 'line', 32);
    if (line !== null && line !== old?.line && !this.d.config().lines.some((l) => l.channel === line)) {
      throw invalid(
        'line',
        `must be the channel of one of the shop's lines (${this.d
          .config()
          .lines.map((l) => l.channel)
          .join(', ')}) or null`,
      );
    }
    return {
      name: text(input.name, 'name', 80),
      media: text(input.media, 'media', 80),
      line,
      phone: textOrNull(input.phone, 'phone', 32),
      response_min: input.responseMin === undefined ? 30 : int(input.responseMin, 'responseMin', 0, 1440),
      note: input.note === undefined ? '' : text(input.note, 'note', 2000, 0),
    };
  }

  private airingFields(input: Partial<AdAiringInput>): Pick<AiringRow, 'starts_at' | 'ends_at' | 'response_min' | 'cost_cents'> {
    const startsAt = instant(input.startsAt, 'startsAt', this.cal());
    const endsAt = instant(input.endsAt, 'endsAt', this.cal());
    if (endsAt <= startsAt || endsAt - startsAt > MAX_AIRING_MS) throw invalid('endsAt', 'must be after startsAt, at most 24 hours later');
    return {
      starts_at: startsAt,
      ends_at: endsAt,
      response_min: input.responseMin === undefined || input.responseMin === null ? null : int(input.responseMin, 'responseMin', 0, 1440),
      cost_cents: input.costCents === undefined ? 0 : int(input.costCents, 'costCents', 0, MAX_CENTS),
    };
  }

  private dateWindow(q: { from?: string; to?: string }): { from: number; to: number } {
    const cal = this.cal();
    const from = q.from === undefined ? 0 : cal.instant(parseDate(q.from, 'from'));
    const to = q.to === undefined ? Number.MAX_SAFE_INTEGER : cal.instant(parseDate(q.to, 'to') + 1);
    return { from, to };
  }

  private campaignRow(id: string, field?: string): CampaignRow {
    const r = this.d.db.prepare<[string], CampaignRow>('SELECT * FROM ad_campaigns WHERE id = ?').get(id);
    if (!r) throw field ? invalid(field, `names no campaign (${JSON.stringify(id)})`) : notFound('campaign', id);
    return r;
  }

  private airingRow(id: string): AiringRow {
    const r = this.d.db.prepare<[string], AiringRow>('SELECT * FROM ad_airings WHERE id = ?').get(id);
    if (!r) throw notFound('airing', id);
    return r;
  }

  private spendRow(id: string): SpendRow {
    const r = this.d.db.prepare<[string], SpendRow>('SELECT * FROM ad_spend WHERE id = ?').get(id);
    if (!r) throw notFound('spend', id);
    return r;
  }
}

function spendFields(input: Partial<AdSpendInput>): Pick<SpendRow, 'date' | 'amount_cents' | 'note'> {
  return {
    date: dateOf(parseDate(input.date, 'date')),
    amount_cents: int(input.amountCents, 'amountCents', 0, MAX_CENTS),
    note: input.note === undefined ? '' : text(input.note, 'note', 2000, 0),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'version')) as Partial<T>;
}
