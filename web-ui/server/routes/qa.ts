/**
 * Quality assurance (质检) under /api/v1/qa (bearer). qa.admin (owner) defines scorecards;
 * qa.score (owner, supervisor) scores recorded calls, reads every review, the review queue of
 * flagged calls and the calibration view; qa.own (every role that works calls) reads the
 * scorecards and the reviews of one's own calls only (the agent linked to one's account).
 * docs/api/qa.md.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import { can } from '../../../firmware/src/service/permissions.js';
import type { CriterionScore, Principal, ReviewQuery, ScorecardPatch } from '../../../firmware/src/service/types.js';
import { bearerAuth, principalOf } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { permit } from '../middleware/permit.js';
import type { AppContext, AppRouter, RouteDeps } from '../state.js';
import { queryId, queryTime } from './calls.js';
import { invalid, type JsonObject, objectBody, optionalString, pageQuery, queryInt, requiredString } from '../validate.js';

const ID = { max: 64, pattern: /^[A-Za-z0-9_.-]+$/, hint: 'of letters, digits, _ . -' };

function range(ctx: AppContext): { from?: number; to?: number } {
  const from = queryTime(ctx.query.from, 'from');
  const to = queryTime(ctx.query.to, 'to');
  if (from !== undefined && to !== undefined && to <= from) throw invalid('to', 'must be after from');
  if (from !== undefined && to !== undefined && to - from > 400 * 86_400_000) throw invalid('to', 'must be at most 400 days after from');
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function flag(ctx: AppContext, field: string): boolean {
  const v = ctx.query[field];
  if (v === undefined) return false;
  if (v !== '1' && v !== 'true' && v !== '0' && v !== 'false') throw invalid(field, 'must be 1, true, 0 or false');
  return v === '1' || v === 'true';
}

function scorecardBody(b: JsonObject): ScorecardPatch {
  const p: ScorecardPatch = {};
  if (b.name !== undefined) p.name = b.name as string;
  if (b.passMark !== undefined) p.passMark = b.passMark as number;
  if (b.criteria !== undefined) p.criteria = b.criteria as ScorecardPatch['criteria'];
  if (b.active !== undefined) p.active = b.active as boolean;
  return p;
}

export function qaRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const admin = permit('qa.admin');
  const scorer = permit('qa.score');
  const own = permit('qa.own');
  const qa = () => service.qa;

  /** The agent whose reviews the caller may read: null = any (qa.score); else their own, or 403. */
  const ownAgent = (who: Principal): string | null => {
    if (can(who.role, 'qa.score')) return null;
    const agentId = service.auth.getUser(who.username)?.agentId ?? null;
    if (agentId === null) {
      throw new CallboxError('FORBIDDEN', 'reviews are shown to the agent linked to your account; none is linked', {
        permission: 'qa.score',
      });
    }
    return agentId;
  };

  router.get('/api/v1/qa/scorecards', auth, own, (ctx) => {
    const all = flag(ctx, 'all');
    if (all && !can(principalOf(ctx).role, 'qa.admin')) {
      throw new CallboxError('FORBIDDEN', 'scorecards no longer in use are shown to the owner (needs qa.admin)', {
        permission: 'qa.admin',
      });
    }
    ctx.body = { items: qa().scorecards({ includeInactive: all }) };
  });

  router.get('/api/v1/qa/scorecards/:id', auth, own, (ctx) => {
    const found = qa().scorecard(ctx.params.id ?? '');
    if (!found) throw new CallboxError('NOT_FOUND', `no scorecard ${JSON.stringify(ctx.params.id)}`);
    ctx.body = found;
  });

  router.post('/api/v1/qa/scorecards', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['name', 'passMark', 'criteria', 'active']);
    const p = scorecardBody(b);
    ctx.status = 201;
    ctx.body = qa().createScorecard(principalOf(ctx), {
      name: p.name as string,
      passMark: p.passMark as number,
      criteria: p.criteria as NonNullable<ScorecardPatch['criteria']>,
      ...(p.active !== undefined ? { active: p.active } : {}),
    });
  });

  router.patch('/api/v1/qa/scorecards/:id', auth, admin, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['name', 'passMark', 'criteria', 'active', 'version']);
    const patch = scorecardBody(b);
    if (b.version !== undefined) {
      if (typeof b.version !== 'number' || !Number.isInteger(b.version) || b.version < 1)
        throw invalid('version', 'must be a positive integer');
      patch.version = b.version;
    }
    ctx.body = qa().updateScorecard(principalOf(ctx), ctx.params.id ?? '', patch);
  });

  router.post('/api/v1/qa/reviews', auth, scorer, body, (ctx) => {
    const b = objectBody(ctx.state.body, ['callId', 'scorecardId', 'scores', 'comment']);
    const callId = requiredString(b, 'callId', ID);
    const scorecardId = requiredString(b, 'scorecardId', ID);
    const comment = optionalString(b, 'comment', { min: 0, max: 2000 });
    const { review, created } = qa().score(principalOf(ctx), {
      callId,
      scorecardId,
      scores: b.scores as CriterionScore[],
      ...(comment != null ? { comment } : {}),
    });
    ctx.status = created ? 201 : 200;
    ctx.body = review;
  });

  router.get('/api/v1/qa/reviews', auth, own, (ctx) => {
    const mine = ownAgent(principalOf(ctx));
    const agent = queryId(ctx.query.agent, 'agent');
    if (mine !== null && agent !== undefined && agent !== mine) {
      throw new CallboxError('FORBIDDEN', 'an agent sees the reviews of their own calls only (needs qa.score)', { permission: 'qa.score' });
    }
    const q: ReviewQuery = pageQuery(ctx.query);
    const who = mine ?? agent;
    if (who !== undefined) q.agent = who;
    const call = queryId(ctx.query.call, 'call');
    if (call !== undefined) q.callId = call;
    const by = queryId(ctx.query.scorer, 'scorer');
    if (by !== undefined) q.scorer = by;
    ctx.body = qa().reviews(q);
  });

  router.get('/api/v1/qa/reviews/:id', auth, own, (ctx) => {
    const mine = ownAgent(principalOf(ctx));
    const found = qa().review(ctx.params.id ?? '');
    // an agent asking for someone else's review learns nothing: the same 404 as an unknown id
    if (!found || (mine !== null && found.agent !== mine))
      throw new CallboxError('NOT_FOUND', `no review ${JSON.stringify(ctx.params.id)}`);
    ctx.body = found;
  });

  router.get('/api/v1/qa/calibration', auth, scorer, (ctx) => {
    const call = queryId(ctx.query.call, 'call');
    if (call === undefined) throw invalid('call', 'is required (the call id)');
    ctx.body = qa().calibration(call, queryId(ctx.query.scorecard, 'scorecard'));
  });

  router.get('/api/v1/qa/flags', auth, scorer, async (ctx) => {
    const agent = queryId(ctx.query.agent, 'agent');
    const items = await qa().flags({
      ...range(ctx),
      ...(agent !== undefined ? { agent } : {}),
      all: flag(ctx, 'all'),
      limit: queryInt(ctx.query.limit, 'limit', 1, 500, 100),
    });
    ctx.body = { items, total: items.length };
  });

  router.post('/api/v1/qa/flags/:callId/dismiss', auth, scorer, body, (ctx) => {
    const b = objectBody(ctx.state.body ?? {}, ['note']);
    const note = optionalString(b, 'note', { min: 0, max: 500 });
    qa().dismiss(principalOf(ctx), ctx.params.callId ?? '', note ?? '');
    ctx.status = 204;
  });

  router.get('/api/v1/qa/agents', auth, scorer, (ctx) => {
    const { from, to } = range(ctx);
    if (from === undefined) throw invalid('from', 'is required');
    if (to === undefined) throw invalid('to', 'is required');
    ctx.body = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), items: qa().agentRows(from, to) };
  });
}
