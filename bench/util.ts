/** Small timing helpers for `npm run bench` (figures are printed, never asserted in unit tests). */
import { performance } from "perf_hooks";

export interface Figure {
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

export const figures: Figure[] = [];

export function record(name: string, value: string, target?: string, ok?: boolean): void {
  figures.push({ name, value, target, ok });
  const mark = ok === undefined ? "" : ok ? "  ✓" : "  ✗ MISSED";
  console.log(`${name.padEnd(58)} ${value.padStart(14)}${target ? `   target ${target}` : ""}${mark}`);
}

/** Best of `rounds` runs of `fn`, in ms. */
export function bestOf(rounds: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export const ns = (ms: number, calls: number): string => `${((ms * 1e6) / calls).toFixed(1)} ns/call`;

/** A deterministic pseudo-random generator, so every run measures the same inputs (the demo's). */
export { rng } from "../src/workbook/demo";

/** Plain reads and writes of an .xlsx (the command line writes only through cli/safe-file). */
export { openXlsx, saveXlsx } from "../test/helpers/xlsx-file";

export { ownMemoryChild } from "../test/helpers/own-memory-child";
