/** Call results (通话小结 / dispositions) as the service API shows them (calls/dispositions.ts sets them). */

/** One configured call result code (config `dispositions`, or the defaults). */
export interface DispositionDef {
  /** 1-2 digits (an FXS agent dials *4 + code). */
  code: string;
  label: { 'zh-CN': string; en: string };
}

/** The call result set on a call (the latest one wins; every change is a `call.disposition` event). */
export interface CallDisposition {
  /** A configured code, or `none`: the box's own code when a required result was not set in time. */
  code: string;
  note: string | null;
  /** The agent who handled the call (the call's agent), or null. */
  agent: string | null;
  /** Who set it: a username (console, API), `phone:<agent>` (FXS feature code) or `system`. */
  by: string;
  /** ISO time it was set. */
  at: string;
}

/** POST /api/v1/calls/:id/disposition */
export interface DispositionRequest {
  code: unknown;
  note?: unknown;
}
