// Types of scripts/chaos/sms-checks.mjs for the TypeScript tests (test/unit/scripts).
import type { Database } from 'better-sqlite3';

export interface SmsInAck {
  kind: 'smsIn';
  id: string;
  tag: string;
}
export interface ApiBox {
  url: string;
  token: string;
}
export function smsTexts(db: Database): Map<string, string[]>;
export function inboxTexts(db: Database): Map<string, { id: string; modemId: string }[]>;
export function inboxProblem(box: ApiBox, a: SmsInAck, rows: { id: string; modemId: string }[]): Promise<string | null>;
export function checkSmsIn<A extends SmsInAck>(
  box: ApiBox,
  db: Database,
  acked: A[],
): Promise<{ found: A[]; lost: (A & { why: string })[]; duplicates: (A & { tickets: string[] })[] }>;
