// Types of scripts/lib/tap-pool.mjs for the TypeScript tests.
export interface PoolSum {
  total: number;
  pass: number;
  fail: number;
  failedFiles: string[];
}
export function countsOf(output: string): { total: number; pass: number; fail: number } | undefined;
export function runFiles(
  files: string[],
  o: {
    jobs?: number;
    timeoutS?: number;
    graceS?: number;
    env?: Record<string, string>;
    nodeArgs?: string[];
    write: (text: string) => void;
    resultsDir?: string;
    signal?: AbortSignal;
    stderr?: 'inherit' | 'ignore';
  },
): Promise<PoolSum>;
