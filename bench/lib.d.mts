// Types of bench/lib.mjs for the TypeScript tests (test/unit/bench).
import type { ChildProcess } from 'node:child_process';

export function sleep(ms: number): Promise<void>;
export function median(xs: readonly number[]): number;
export function rssBytes(pid: number): number;
export function spawnReady(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  readyText: string,
): Promise<{ proc: ChildProcess; url: string; t0: number }>;
export function waitHealthy(url: string, t0: number): Promise<number>;
export function stopProc(proc: ChildProcess): Promise<number | null>;
export function writeResult(name: string, result: Record<string, unknown>): void;
