/**
 * Types shared by the web server's middleware and routes: what lives in `ctx.state`, the context,
 * middleware and router types, and what every route group is handed.
 */
import type { Router } from '@koa/router';
import type { DefaultContext, Middleware, ParameterizedContext } from 'koa';
import type { BoxService, Principal } from '../../firmware/src/service/types.js';

export interface AppState {
  /** Set by bearer auth: who is calling. */
  principal?: Principal;
  /** Set by bearer auth: the bearer token of this request (logout revokes it). */
  token?: string;
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
}
