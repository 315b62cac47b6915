// Types of scripts/chaos/strace-replay.mjs for the TypeScript tests (test/unit/scripts).
export type Op =
  | { kind: 'write'; path: string; offset: number | null; data: Buffer; fd: number; entry: number; done: number }
  | { kind: 'trunc'; path: string; length: number; fd: number; entry: number; done: number }
  | { kind: 'sync'; path: string; fd: number; entry: number; done: number }
  | { kind: 'rename'; from: string; to: string; entry: number; done: number }
  | { kind: 'send'; data: Buffer; entry: number; done: number };
export type Mode = 'drop' | 'random' | 'keep';
export const SYSCALLS: string;
export function unhex(s: string): Buffer;
export function parseTrace(text: string, watch: Set<string>): Op[];
export function rebuildFile(ops: Op[], path: string, cut: number, mode: Mode, random?: () => number, ownSyncsOnly?: boolean): Buffer;
export function rebuildReplaced(
  ops: Op[],
  target: string,
  folder: string,
  cut: number,
  mode: Mode,
  initial: Buffer,
  random?: () => number,
): Buffer;
export function answeredAt(ops: Op[], ids: string[]): Map<string, number>;
