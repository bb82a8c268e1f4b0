/** Cell helpers of the Office.js adapter (office.ts): values compared and written as text, and what a write loads and compares. */
import type { CellValue, Conflict } from "./port";

/** Cell values as read back: numbers compared to the millisecond (dates), empty and null alike. */
export function sameValue(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-8;
  return (a ?? "") === (b ?? "");
}

/** Text written as text: Excel would run "=…" (and may parse "+…", "-…", "@…") as a formula. */
export function asCellValue(v: CellValue): CellValue {
  if (typeof v === "string" && /^[=+\-@']/.test(v)) return `'${v}`;
  return v;
}

/**
 * What to write back into a cell so it holds again what `values`/`formulas`/`numberFormat`
 * read: a real formula (its formula text differs from its value) through `formulas`;
 * anything else as a value, text into a cell formatted as text first so Excel neither runs
 * nor converts it.
 */
export function restorePlan(value: unknown, formula: unknown, format: string): { formula?: string; value: CellValue; textFirst: boolean } {
  if (typeof formula === "string" && formula.startsWith("=") && formula !== value) return { formula, value: formula, textFirst: false };
  const v = (value === "" || value === undefined ? null : value) as CellValue;
  if (typeof v === "string") return { value: asCellValue(v), textFirst: format !== "@" };
  return { value: v, textFirst: false };
}

/** The formula of a name holding `text` as a constant: `="…"`, a quote inside doubled. */
export const textFormula = (text: string) => `="${text.replace(/"/g, '""')}"`;

export function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

export const loaded = (v: unknown): CellValue => (v === "" || v === undefined ? null : (v as CellValue));

export type XmlPart = { id: string; xml: string };

/**
 * A formula whose text is the same in every row: no A1 reference outside text and brackets (a
 * structured reference such as `[@需求接收]` names the row it is in). Only such a formula is
 * written into new rows as it is (see the appends in write).
 */
export function sameInEveryRow(formula: string): boolean {
  if (!/^=./.test(formula)) return false;
  let rest = formula.replace(/"(?:[^"]|"")*"/g, '""');
  for (let prev = ""; prev !== rest;) {
    prev = rest;
    rest = rest.replace(/\[[^[\]]*\]/g, "");
  }
  return (
    !/(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}\$?\d+(?![A-Za-z0-9_(])/.test(rest) &&
    !/(?<![A-Za-z0-9_.])\$?[A-Z]{1,3}:\$?[A-Z]{1,3}(?![A-Za-z0-9_(])/.test(rest) &&
    !/R\[?-?\d*\]?C/.test(rest)
  );
}

/** The rows of a loaded range's values. */
export const values0 = (r: Excel.Range): unknown[][] => r.values;

/**
 * The size of values as Office.js sends them (JSON, UTF-8): exactly
 * `new TextEncoder().encode(JSON.stringify(v) ?? "").length`, counted without building the JSON
 * or its bytes (a read sizes its slices by the rows it got, and the in-memory Excel counts every
 * load against Excel on the web's 5 MB: building a megabyte of text to measure it cost more than
 * the read).
 */
export function jsonBytes(v: unknown): number {
  return Math.max(0, written(v));
}

/** Bytes of UTF-8 of the JSON of a string: its quotes, its escapes (`\"`, `\n`, `\u001f`, a lone surrogate as `\udc00`) and its characters. */
function stringBytes(s: string): number {
  let n = s.length + 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x22 || c === 0x5c) n += 1;
      else if (c < 0x20) n += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 1 : 5;
    } else if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2; // a pair: two code units, four bytes
        i++;
      } else n += 5;
    } else if (c >= 0xdc00 && c <= 0xdfff) n += 5;
    else n += 2;
  }
  return n;
}

/** Bytes of the JSON of `v` as JSON.stringify writes it; -1 where it writes nothing (undefined, a function, a symbol). */
function written(v: unknown): number {
  if (typeof v === "string") return stringBytes(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === "boolean") return v ? 4 : 5;
  if (typeof v === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
  if (v === null) return 4;
  if (typeof v !== "object") return -1; // undefined, a function, a symbol
  if (Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype && !("toJSON" in v)) {
    let n = 1 + Math.max(v.length, 1); // the brackets and the commas
    for (let i = 0; i < v.length; i++) {
      const b = written(v[i]);
      n += b < 0 ? 4 : b; // JSON writes null for what it cannot write in an array
    }
    return n;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if ((proto === Object.prototype || proto === null) && !("toJSON" in v)) {
    let n = 2;
    let first = true;
    for (const [key, value] of Object.entries(v)) {
      const b = written(value);
      if (b < 0) continue;
      n += (first ? 0 : 1) + stringBytes(key) + 1 + b;
      first = false;
    }
    return n;
  }
  // Anything else (a Date, a class's instance): as JSON writes it.
  const json: unknown = JSON.stringify(v);
  return typeof json === "string" ? new TextEncoder().encode(json).length : -1;
}

/** A range the write changed: where (relative to its table's header cell), what it held, what we put there. */
export interface Written {
  table: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  before: Excel.Range;
  wrote: CellValue[][];
  /** What was written are formulas (a calculated column): compared as formulas when put back. */
  formulas?: boolean;
}

/** Something the write relies on, loaded in its batch before any write. */
export interface Check {
  table: string;
  /** Body row index (-1: the header row). */
  row: number;
  /** First column (within the table) of the range; 0 when not given. */
  col?: number;
  expected: CellValue[][];
  range: Excel.Range;
  /** Empty cells expected (an append's target): values and formulas both empty. */
  blank?: boolean;
  /** Columns not compared: formula columns, whose values Excel recalculates (PLAN.OVERDUE is volatile). */
  skip?: ReadonlySet<number>;
}

export interface WriteResult {
  conflicts: Conflict[];
  /** After a conflict: cells the roll-back could not confirm it put back (a co-author moved them meanwhile), to check by hand. */
  unrestored?: string[];
}
