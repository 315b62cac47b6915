/**
 * Types shared by the web server's middleware and routes: what lives in `ctx.state`, the context,
 * middleware and router types, and what every route group is handed.
 */
import type { Router } from '@koa/router';
import type { DefaultContext, Middleware, ParameterizedContext } from 'koa';
import type { BoxService, Principal } from '../../firmware/src/service/types.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { HttpsInfo } from './https.js';
import type { LiveHub } from './live/hub.js';

export interface AppState {
  /** Set by bearer auth: who is calling. */
  principal?: Principal;
  /** Set by auth: the bearer or session token of this request (logout revokes it). */
  token?: string;
  /** Set by auth: how the caller proved who they are. */
  via?: 'bearer' | 'session';
  /** Set by the JSON body reader: the parsed body, or undefined when the request had none. */
  body?: unknown;
}

export type AppContext = ParameterizedContext<AppState, DefaultContext>;
export type AppMiddleware = Middleware<AppState, DefaultContext>;
export type AppRouter = Router<AppState, DefaultContext>;

/** What a route group needs: the service and the JSON body limit. */
export interface RouteDeps {
  service: BoxService;
  /** Largest JSON request body accepted, in bytes. */
  jsonLimit: number;
  /** Failed-login counting and lockout (shared by token and session logins). */
  limiter: LoginLimiter;
  /** The live event stream's fan-out (SSE). */
  live: LiveHub;
  /** HTTPS beside HTTP (port, certificate fingerprint, redirect), or null when off. */
  https: () => HttpsInfo | null;
}
