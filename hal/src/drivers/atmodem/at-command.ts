/**
 * Layer 2: a typed AT command: what is sent, which response lines belong to it, how long it may
 * take, whether it is safe to retry, and how its response is parsed into a value.
 */
export interface AtResponse {
  /** The information lines that belong to the command (prefix matched, or raw lines). */
  lines: string[];
  /** The final result code: OK, or for dial commands CONNECT. */
  final: string;
}

export interface AtCommand<T> {
  /** Short name for errors, e.g. "AT+CSQ". */
  readonly name: string;
  /** The command line without CR. */
  readonly text: string;
  /** Response lines start with this (e.g. "+CSQ:"); other lines are URCs. */
  readonly prefix?: string;
  /** Lines without a known URC shape are the response (ATI, AT+CGMM, AT+CGSN). */
  readonly raw?: boolean;
  /** The line after each prefixed line is data (the PDU of +CMGR / +CMGL). */
  readonly dataAfterPrefix?: boolean;
  /** Sent after the `> ` prompt, followed by Ctrl-Z (SMS PDU). */
  readonly payload?: string;
  /** Dial-type command: BUSY / NO CARRIER / NO ANSWER / NO DIALTONE end it (as errors). */
  readonly dial?: boolean;
  readonly timeoutMs: number;
  /** Times to resend after a timeout; only for commands without side effects. */
  readonly retries: number;
  parse(res: AtResponse): T;
}

export type AtErrorKind = 'timeout' | 'error' | 'cme' | 'cms' | 'callFailed' | 'aborted';

/** A command that did not end in OK. `message` always names the command. */
export class AtError extends Error {
  constructor(
    readonly kind: AtErrorKind,
    readonly command: string,
    /** The modem's text: "SIM not inserted", "BUSY", … */
    readonly detail: string,
  ) {
    super(`${command}: ${kind === 'timeout' ? `no answer (${detail})` : detail}`);
    this.name = 'AtError';
  }
}

export function command<T>(c: Omit<AtCommand<T>, 'timeoutMs' | 'retries' | 'parse' | 'name'> & Partial<AtCommand<T>>): AtCommand<T> {
  return {
    name: c.text.replace(/[=?].*$/, ''),
    timeoutMs: 2000,
    retries: 0,
    parse: () => undefined as T,
    ...c,
  };
}
