// Types of bench/soak-lib.mjs for the TypeScript tests (test/unit/bench).
export function fitSlope(points: ReadonlyArray<readonly [number, number]>): number;
export function parseLagP99(text: string): number;
export function parseRssSplit(statusText: string): { rssAnonBytes: number; rssFileBytes: number };
export function classifySmaps(smapsText: string): {
  brk: number;
  threadArenas: number;
  arenaCount: number;
  stacks: number;
  otherAnon: number;
  file: number;
};
export function unitEnvironment(unitText: string): Record<string, string>;
