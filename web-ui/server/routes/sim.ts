/**
 * The simulator's controls (bearer): POST /api/v1/sim/calls places a simulated inbound call;
 * GET/PATCH /api/v1/sim/agents read and change the simulated agents' timing. 404 NOT_FOUND when
 * the box does not run the sim driver.
 */
import { CallboxError } from '../../../firmware/src/errors.js';
import type { SimAgentSettings, SimCallRequest, SimControl } from '../../../firmware/src/service/types.js';
import { bearerAuth } from '../middleware/bearer-auth.js';
import { jsonBody } from '../middleware/json-body.js';
import type { AppRouter, RouteDeps } from '../state.js';
import { invalid, objectBody, optionalNumber, optionalString, requiredString } from '../validate.js';

const CALL_FIELDS = ['channel', 'callerId', 'callerName', 'digits', 'hangupAfterS', 'fax'] as const;
const AGENT_FIELDS = ['answerAfterS', 'talkS'] as const;

const CHANNEL = { max: 32, pattern: /^[a-z]+[0-9]+$/, hint: 'like "fxo1"' };
const CALLER_ID = { max: 32, pattern: /^\+?[0-9]+$/, hint: 'of digits with an optional leading +', nullable: true };
// Printable text only: no control characters in a caller name.
const CALLER_NAME = { max: 64, pattern: /^[^\p{Cc}]*$/u, hint: 'without control characters', nullable: true };
const DIGITS = { min: 0, max: 32, pattern: /^[0-9*#]*$/, hint: 'of 0-9, * and #' };

export function parseSimCall(body: unknown): SimCallRequest {
  const b = objectBody(body, CALL_FIELDS);
  const req: SimCallRequest = { channel: requiredString(b, 'channel', CHANNEL) };
  const callerId = optionalString(b, 'callerId', CALLER_ID);
  if (callerId !== undefined) req.callerId = callerId;
  const callerName = optionalString(b, 'callerName', CALLER_NAME);
  if (callerName !== undefined) req.callerName = callerName;
  const digits = optionalString(b, 'digits', DIGITS);
  if (typeof digits === 'string') req.digits = digits;
  const hangupAfterS = optionalNumber(b, 'hangupAfterS', 1, 86_400);
  if (hangupAfterS !== undefined) req.hangupAfterS = hangupAfterS;
  if (b.fax !== undefined) {
    if (typeof b.fax !== 'boolean') throw invalid('fax', 'must be true or false');
    req.fax = b.fax;
  }
  return req;
}

export function parseAgentSettings(body: unknown): Partial<SimAgentSettings> {
  const b = objectBody(body, AGENT_FIELDS);
  const patch: Partial<SimAgentSettings> = {};
  const answerAfterS = optionalNumber(b, 'answerAfterS', 0, 3_600);
  if (answerAfterS !== undefined) patch.answerAfterS = answerAfterS;
  const talkS = optionalNumber(b, 'talkS', 1, 86_400);
  if (talkS !== undefined) patch.talkS = talkS;
  return patch;
}

export function simRoutes(router: AppRouter, { service, jsonLimit }: RouteDeps): void {
  const auth = bearerAuth(service);
  const body = jsonBody({ limit: jsonLimit });
  const sim = (): SimControl => {
    if (service.sim === null) {
      throw new CallboxError('NOT_FOUND', 'the simulator is not available: this box does not run the sim driver');
    }
    return service.sim;
  };

  router.post('/api/v1/sim/calls', auth, body, async (ctx) => {
    const control = sim();
    const { callId } = await control.placeCall(parseSimCall(ctx.state.body));
    ctx.body = { callId };
    ctx.status = 201;
    ctx.set('Location', `/api/v1/calls/${encodeURIComponent(callId)}`);
  });

  router.get('/api/v1/sim/agents', auth, (ctx) => {
    ctx.body = sim().agentSettings();
  });

  router.patch('/api/v1/sim/agents', auth, body, (ctx) => {
    const control = sim();
    ctx.body = control.setAgentSettings(parseAgentSettings(ctx.state.body));
  });
}
