import { SEED } from './settings';

/** mulberry32: small, fast and seeded, so two runs seed the same mix (dated back from the day they run). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
export const random = rng(SEED);
export const rint = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
export const chance = (p: number) => random() < p;
export function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}
export function weighted<T>(items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items[items.length - 1]![0];
}
