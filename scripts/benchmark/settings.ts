export const CASES = intEnv('BENCH_CASES', 100_000);
export const RUNS = intEnv('BENCH_RUNS', 200);
export const WARMUP = Math.max(5, Math.round(RUNS / 10));
export const SEED = intEnv('BENCH_SEED', 20261123);
export const EXPLAIN = process.env.BENCH_EXPLAIN !== '0';

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}
