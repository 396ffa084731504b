/** What one benchmark returns; `bench/run.ts` runs them all and writes BENCHMARKS.md from these. */
export interface BenchTable {
  /** Section heading, e.g. "FC handler bundles and cold start". */
  title: string;
  /** What was measured and how, one or two sentences. */
  method: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** The target from the issue, in words, e.g. "every handler ≤ 80 KB". */
  target: string;
  /** Whether the figures in `rows` meet the target. */
  met: boolean;
  notes?: string[];
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchTable[]>;
}

/** Median of a non-empty list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
