/**
 * The shapes the benchmarks share. Each benchmark lives in its own file and is listed in
 * main.ts under the name the table and the JSON document use.
 */
export interface BenchRow {
  /** Short label of the configuration measured, e.g. `1 event/LP`. */
  readonly case: string;
  /** Named figures; numbers only, so the JSON stays machine-readable. */
  readonly figures: Readonly<Record<string, number>>;
}

export interface BenchResult {
  readonly name: string;
  readonly description: string;
  readonly rows: readonly BenchRow[];
  /** A requirement the benchmark checks, with its verdict, when it has one. */
  readonly checks: readonly { readonly requirement: string; readonly pass: boolean }[];
}

export interface BenchOptions {
  /** Timed repetitions per configuration; the median is reported. */
  readonly repeats: number;
  /** Progress lines go here (stderr), never into the table or JSON on stdout. */
  readonly log: (line: string) => void;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(options: BenchOptions): BenchResult | Promise<BenchResult>;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
