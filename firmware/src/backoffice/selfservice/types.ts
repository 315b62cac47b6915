/** IVR self-service data: authenticity codes (防伪码) and the where-to-buy message. The service contract. */
import type { Actor, Page, PageQuery } from '../common/types.js';

/** One code of the table the shop imported. */
export interface AuthCode {
  code: string;
  product: string;
  batch: string | null;
  /** How often callers (or the API with `count`) checked it. */
  checkCount: number;
  firstCheckedAt: string | null;
  lastCheckedAt: string | null;
  importId: string;
  createdAt: string;
}

export interface CodeImportLineError {
  /** 1-based line of the CSV file. */
  line: number;
  message: string;
}

export interface CodeImportReport {
  id: string;
  /** utf-8 (with or without BOM) or gbk. */
  encoding: 'utf-8' | 'gbk';
  created: number;
  /** Codes already in the table (or twice in the file): kept as they were. */
  duplicates: number;
  bad: number;
  /** The first 100 bad lines and why. */
  errors: CodeImportLineError[];
}

export type CodeVerdictKind = 'genuine' | 'repeat' | 'unknown';

/**
 * A check: genuine (first check), genuine but checked `previousChecks` times before (possible
 * counterfeit: someone copied the code), or unknown.
 */
export type CodeCheckResult =
  | { verdict: 'genuine'; code: string; product: string; batch: string | null; checkedAt: string }
  | {
      verdict: 'repeat';
      code: string;
      product: string;
      batch: string | null;
      checkedAt: string;
      previousChecks: number;
      firstCheckedAt: string;
    }
  | { verdict: 'unknown'; code: string; checkedAt: string };

export interface CodeCheck {
  id: string;
  at: string;
  code: string;
  verdict: CodeVerdictKind;
  caller: string | null;
  callId: string | null;
  source: 'ivr' | 'api';
}

export interface CodeStats {
  codes: number;
  checkedCodes: number;
  checks: number;
  genuine: number;
  repeat: number;
  unknown: number;
  /** Codes checked more than once, most checked first (possible counterfeits), at most 20. */
  suspicious: Array<{ code: string; product: string; checkCount: number; firstCheckedAt: string | null }>;
}

export interface WhereToBuyMessage {
  language: 'zh-CN' | 'en';
  source: 'upload' | 'text';
  text: string | null;
  durationMs: number;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

/** What the IVR says about an order the caller keyed in. */
export interface IvrOrderStatus {
  number: string;
  status: 'new' | 'paid' | 'shipped' | 'delivered' | 'returned' | 'cancelled';
  carrier: string | null;
}

export interface SelfServiceService {
  /** For the IVR (no actor): the order's status from the sales area, null when there is no such order. */
  orderStatus(number: string): IvrOrderStatus | null;
  /** How many codes the table holds. */
  codeCount(actor: Actor): number;
  /** Imports a CSV (code, product, batch; header optional; UTF-8 with/without BOM or GBK). */
  importCodes(actor: Actor, csv: Uint8Array): CodeImportReport;
  /** A code as it is, without counting a check (404 → null). */
  getCode(actor: Actor, code: string): AuthCode | null;
  /** Checks a code and logs the check (IVR: caller number and call id). */
  checkCode(code: string, from: { source: 'ivr' | 'api'; caller?: string | null; callId?: string | null }): CodeCheckResult;
  /** The check log, newest first; `code` keeps one code's. */
  checks(actor: Actor, q: { code?: string; from?: number; to?: number } & PageQuery): Page<CodeCheck>;
  stats(actor: Actor, q: { from?: number; to?: number }): CodeStats;
  /** Sets the message from a WAV (PCM 16-bit, 8 or 16 kHz, mono, 0.5..120 s). */
  setWhereToBuyAudio(actor: Actor, language: 'zh-CN' | 'en', wav: Uint8Array): WhereToBuyMessage;
  /** Sets the message from text, spoken by espeak-ng (UNAVAILABLE when espeak-ng is not installed). */
  setWhereToBuyText(actor: Actor, language: 'zh-CN' | 'en', text: string): Promise<WhereToBuyMessage>;
  whereToBuy(actor: Actor, language: 'zh-CN' | 'en'): WhereToBuyMessage | null;
  /** The WAV file of the message in `language`, null when none is set. */
  whereToBuyWav(language: 'zh-CN' | 'en'): Uint8Array | null;
  clearWhereToBuy(actor: Actor, language: 'zh-CN' | 'en'): boolean;
}
