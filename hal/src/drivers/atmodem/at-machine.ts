/**
 * Layer 3: the pure command state machine for ONE command at a time. It is fed tokens and timer
 * expiries and answers with actions (write bytes, arm a timer, finish, report a URC); it never
 * touches a port or a clock, so every interleaving is unit-testable.
 *
 * Echo framing (`framed`, the driver turns it on once ATE1 is in force): a command's answer is
 * what follows its own echo. An answer that comes after its command timed out (a modem busy for
 * seconds answers every command it was sent, late, in order) then cannot be taken for the next
 * command's: without framing, `AT+CMGR=6` could get the late answer to `AT+CMGR=5` (answers carry
 * no index) and the box would delete slot 6 holding a message it never read.
 */
import { AtError, type AtCommand } from './at-command.js';
import type { AtToken } from './at-lines.js';
import { parseUrc, type Urc } from './at-urc.js';

export type AtAction =
  | { type: 'write'; data: string }
  | { type: 'timer'; ms: number }
  | { type: 'cancelTimer' }
  /** Hold the next command this long: a cancelled SMS input may still print a late OK/ERROR. */
  | { type: 'settle'; ms: number }
  | { type: 'done'; value: unknown }
  | { type: 'fail'; error: AtError }
  | { type: 'urc'; urc: Urc }
  /** A line before the running command's echo (framed): a late answer to an earlier command, dropped. */
  | { type: 'stale'; text: string };

const ESC = '\x1b';
export const SETTLE_MS = 500;
const CTRL_Z = '\x1a';
const DIAL_FAILS = new Set(['BUSY', 'NO CARRIER', 'NO ANSWER', 'NO DIALTONE']);
/** Prefixes that are always URCs unless the pending command asked for them. */
const URC_PREFIX = /^(\+CLIP|\+CMTI|\+CMT|\+CREG|\+CGREG|\+CEREG|\+CPIN|\+QTONEDET|\+DTMF|\+RXDTMF|\+CLCC|\+CRING|\+QIND|\+CUSD|\+CDS|\^)/;

interface Pending {
  cmd: AtCommand<unknown>;
  lines: string[];
  attempt: number;
  sawPrompt: boolean;
  wantData: boolean;
  /** Framed: this attempt's echo seen (its answer follows). */
  echoed: boolean;
}

export class AtMachine {
  private cur: Pending | null = null;
  /** +CMT: (a message) or +CDS: (a status report) header seen; the next line is its PDU. */
  private pduPending: 'cmt' | 'cds' | null = null;
  /** Echo framing on (ATE1 in force): lines before the running command's echo are not its answer. */
  framed = false;

  get busy(): boolean {
    return this.cur !== null;
  }

  get current(): AtCommand<unknown> | null {
    return this.cur?.cmd ?? null;
  }

  /** Begin a command (the previous one must be finished). */
  start(cmd: AtCommand<unknown>): AtAction[] {
    if (this.cur) throw new Error(`AtMachine: ${cmd.name} started while ${this.cur.cmd.name} runs`);
    this.cur = { cmd, lines: [], attempt: 0, sawPrompt: false, wantData: false, echoed: false };
    return this.send();
  }

  token(t: AtToken): AtAction[] {
    if (t.kind === 'prompt') return this.prompt();
    return this.line(t.text);
  }

  /** The timer armed by the last 'timer' action expired. */
  timeout(): AtAction[] {
    const cur = this.cur;
    if (!cur) return [];
    const out: AtAction[] = [];
    // Stuck at the `> ` prompt (or the payload never ended): ESC cancels the SMS input.
    if (cur.cmd.payload !== undefined) out.push({ type: 'write', data: ESC });
    if (cur.attempt < cur.cmd.retries) {
      cur.attempt++;
      cur.lines = [];
      cur.sawPrompt = false;
      cur.wantData = false;
      return [...out, ...this.send()];
    }
    this.cur = null;
    const fail: AtAction = {
      type: 'fail',
      error: new AtError('timeout', cur.cmd.name, `${cur.cmd.timeoutMs} ms, ${cur.attempt + 1} tries`),
    };
    return cur.cmd.payload !== undefined ? [...out, { type: 'settle', ms: SETTLE_MS }, fail] : [...out, fail];
  }

  /** Give up on the running command (port closed, driver stopping). */
  abort(reason: string): AtAction[] {
    const cur = this.cur;
    if (!cur) return [];
    this.cur = null;
    return [{ type: 'cancelTimer' }, { type: 'fail', error: new AtError('aborted', cur.cmd.name, reason) }];
  }

  private send(): AtAction[] {
    const cur = this.cur as Pending;
    cur.echoed = false;
    return [
      { type: 'write', data: `${cur.cmd.text}\r` },
      { type: 'timer', ms: cur.cmd.timeoutMs },
    ];
  }

  private prompt(): AtAction[] {
    const cur = this.cur;
    if (!cur || cur.cmd.payload === undefined || cur.sawPrompt || (this.framed && !cur.echoed)) {
      // Nobody asked for a prompt (or it is an earlier AT+CMGS's, before this command's echo):
      // leave it with ESC rather than sending anything by mistake.
      return [{ type: 'write', data: ESC }];
    }
    cur.sawPrompt = true;
    return [{ type: 'write', data: `${cur.cmd.payload}${CTRL_Z}` }];
  }

  private line(text: string): AtAction[] {
    if (this.pduPending) {
      const type = this.pduPending;
      this.pduPending = null;
      if (/^[0-9A-Fa-f]+$/.test(text)) return [{ type: 'urc', urc: { type, pdu: text } }];
    }
    const running = this.cur;
    if (running && this.framed && !running.echoed) {
      // the echo ends the line (line noise without a line end may come before it)
      if (text.toUpperCase().endsWith(running.cmd.text.toUpperCase())) {
        running.echoed = true;
        return [];
      }
      // Before its echo: a URC, or a late answer to a command that timed out (never this one's).
      if (!URC_PREFIX.test(text) && parseUrc(text).type === 'other') return [{ type: 'stale', text }];
    }
    const cur = running && (running.echoed || !this.framed) ? running : null;
    if (cur) {
      const cmd = cur.cmd;
      if (cur.wantData) {
        cur.wantData = false;
        cur.lines.push(text);
        return [];
      }
      // Echo of the command (ATE1, or before ATE0 took effect) or of the SMS payload.
      if (text.toUpperCase() === cmd.text.toUpperCase() || text.includes(CTRL_Z) || (cmd.payload && text === cmd.payload)) return [];
      const fin = this.finish(cur, text);
      if (fin) return fin;
      if (cmd.prefix && text.startsWith(cmd.prefix)) {
        cur.lines.push(text);
        if (cmd.dataAfterPrefix) cur.wantData = true;
        return [];
      }
      if (cmd.raw && !URC_PREFIX.test(text) && parseUrc(text).type === 'other') {
        cur.lines.push(text);
        return [];
      }
    }
    if (text.startsWith('+CMT:') || text.startsWith('+CDS:')) {
      this.pduPending = text.startsWith('+CMT:') ? 'cmt' : 'cds';
      return [];
    }
    return [{ type: 'urc', urc: parseUrc(text) }];
  }

  private finish(cur: Pending, text: string): AtAction[] | null {
    const cmd = cur.cmd;
    const done = (a: AtAction): AtAction[] => {
      this.cur = null;
      return [{ type: 'cancelTimer' }, a];
    };
    if (text === 'OK' || (cmd.dial && text.startsWith('CONNECT'))) {
      try {
        return done({ type: 'done', value: cmd.parse({ lines: cur.lines, final: text }) });
      } catch (e) {
        return done({ type: 'fail', error: new AtError('error', cmd.name, `unreadable answer: ${(e as Error).message}`) });
      }
    }
    if (text === 'ERROR') return done({ type: 'fail', error: new AtError('error', cmd.name, 'ERROR') });
    if (text.startsWith('+CME ERROR:')) return done({ type: 'fail', error: new AtError('cme', cmd.name, text.slice(11).trim()) });
    if (text.startsWith('+CMS ERROR:')) return done({ type: 'fail', error: new AtError('cms', cmd.name, text.slice(11).trim()) });
    if (cmd.dial && DIAL_FAILS.has(text)) return done({ type: 'fail', error: new AtError('callFailed', cmd.name, text) });
    return null;
  }
}
