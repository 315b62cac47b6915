/**
 * Scorecards (评分表): the current definition in `qa_scorecards`, every saved definition in
 * `qa_scorecard_versions` (reviews point at one). A change is a new version; old reviews keep
 * theirs. The default scorecard is written the first time the table is read empty.
 */
import { CallboxError } from '../../errors.js';
import type { BackOfficeDeps } from '../common/deps.js';
import { type Actor, SYSTEM_ACTOR } from '../common/types.js';
import { DEFAULT_SCORECARD } from './default-scorecard.js';
import { checkActive, checkCriteria, checkName, checkPassMark } from './scoring.js';
import type { Criterion, Scorecard, ScorecardInput, ScorecardPatch } from './types.js';

interface Row {
  id: string;
  name: string;
  active: number;
  version: number;
  created_at: number;
  updated_at: number;
  pass_mark: number;
  criteria: string;
}

const SELECT = `SELECT s.id, s.name, s.active, s.version, s.created_at, s.updated_at, v.pass_mark, v.criteria
  FROM qa_scorecards s JOIN qa_scorecard_versions v ON v.scorecard_id = s.id AND v.version = s.version`;

function toScorecard(r: Row): Scorecard {
  return {
    id: r.id,
    name: r.name,
    passMark: r.pass_mark,
    criteria: JSON.parse(r.criteria) as Criterion[],
    active: r.active === 1,
    version: r.version,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export class Scorecards {
  private seeded = false;

  constructor(private readonly deps: BackOfficeDeps) {}

  list(includeInactive = false): Scorecard[] {
    this.seed();
    const where = includeInactive ? '' : ' WHERE s.active = 1';
    return this.deps.db.prepare<[], Row>(`${SELECT}${where} ORDER BY s.created_at, s.id`).all().map(toScorecard);
  }

  get(id: string): Scorecard | null {
    this.seed();
    const r = this.deps.db.prepare<[string], Row>(`${SELECT} WHERE s.id = ?`).get(id);
    return r ? toScorecard(r) : null;
  }

  create(actor: Actor, input: ScorecardInput): Scorecard {
    const name = checkName(input.name);
    const passMark = checkPassMark(input.passMark);
    const criteria = checkCriteria(input.criteria);
    const active = checkActive(input.active) ?? true;
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      this.deps.db
        .prepare('INSERT INTO qa_scorecards (id, name, active, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)')
        .run(id, name, active ? 1 : 0, now, now);
      this.insertVersion(id, 1, name, passMark, criteria, now, actor.username);
      this.deps.audit.record(actor.username, 'qa.scorecard.create', 'qa_scorecard', id, { name, version: 1 });
    })();
    return this.get(id) as Scorecard;
  }

  update(actor: Actor, id: string, patch: ScorecardPatch): Scorecard {
    const cur = this.get(id);
    if (!cur) throw new CallboxError('NOT_FOUND', `no scorecard ${JSON.stringify(id)}`, { id });
    if (patch.version !== undefined && patch.version !== cur.version) {
      throw new CallboxError('CONFLICT', `scorecard ${id} is at version ${cur.version}, not ${patch.version}`, { version: cur.version });
    }
    const name = patch.name === undefined ? cur.name : checkName(patch.name);
    const passMark = patch.passMark === undefined ? cur.passMark : checkPassMark(patch.passMark);
    const criteria = patch.criteria === undefined ? cur.criteria : checkCriteria(patch.criteria);
    const active = checkActive(patch.active) ?? cur.active;
    const definitionChanged = name !== cur.name || passMark !== cur.passMark || JSON.stringify(criteria) !== JSON.stringify(cur.criteria);
    const version = definitionChanged ? cur.version + 1 : cur.version;
    const now = this.deps.clock.now();
    this.deps.db.transaction(() => {
      if (definitionChanged) this.insertVersion(id, version, name, passMark, criteria, now, actor.username);
      this.deps.db
        .prepare('UPDATE qa_scorecards SET name = ?, active = ?, version = ?, updated_at = ? WHERE id = ?')
        .run(name, active ? 1 : 0, version, now, id);
      this.deps.audit.record(actor.username, 'qa.scorecard.update', 'qa_scorecard', id, { name, version, active });
    })();
    return this.get(id) as Scorecard;
  }

  private insertVersion(id: string, version: number, name: string, passMark: number, criteria: Criterion[], now: number, by: string): void {
    this.deps.db
      .prepare(
        'INSERT INTO qa_scorecard_versions (scorecard_id, version, name, pass_mark, criteria, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, version, name, passMark, JSON.stringify(criteria), now, by);
  }

  /** The default scorecard, once, when there is none at all. */
  private seed(): void {
    if (this.seeded) return;
    this.seeded = true;
    const any = this.deps.db.prepare('SELECT 1 FROM qa_scorecards LIMIT 1').get();
    if (!any) this.create(SYSTEM_ACTOR, DEFAULT_SCORECARD);
  }
}
