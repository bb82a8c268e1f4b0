/**
 * The workbench's Excel calculating: the fake computes no formula (a formula cell holds
 * "#FORMULA"), so the Register's deadline columns (`=PLAN.DUE([@需求接收],0.5)`, `=OVERDUE(...)`,
 * `=PLAN.MILESTONE(...)`, the hours' `=IF([@X]="","",[@X]+n/24)`) are computed here through the
 * real custom functions (src/functions, configured with the workbook's calendar, Settings and
 * time zone), through the fake's `state.recalculate` hook. Structured references `[@Header]`
 * are resolved in the table that holds the cell; a referenced formula cell is computed first.
 * Any other formula keeps "#FORMULA". Also the conditional formats the deadline columns carry
 * (`=AND(ISNUMBER(L2),L2>0)` red, `=AND(ISNUMBER($K2),INT($K2)=TODAY(),$F2="")` amber), for
 * the sheet view's colours.
 */
import "./custom-functions-shim";
import { BusinessCalendar, wallClockSerial } from "../core/calendar";
import { FunctionError } from "../functions/args";
import { configureFunctions } from "../functions/config";
import { due, isworkday, milestone, overdue, workdays } from "../functions/functions";
import type { ConditionalFormatState, SheetState, WorkbookState } from "./fake-excel/state";

type Value = string | number | boolean | null;

// The shim's work is done (functions.ts has run its associate calls): no Excel here.
{
  const g = globalThis as unknown as { CustomFunctions?: { __workbenchShim?: boolean } };
  if (g.CustomFunctions?.__workbenchShim) delete g.CustomFunctions;
}

export interface RecalcConfig {
  calendar: BusinessCalendar;
  timeZone: string;
  lang: "zh" | "en";
  nowMs: () => number;
}

const FUNCTIONS: Record<string, (...a: unknown[][][]) => unknown> = {
  DUE: due as never,
  MILESTONE: milestone as never,
  OVERDUE: overdue as never,
  WORKDAYS: workdays as never,
  ISWORKDAY: isworkday as never,
};

/** Splits a function's arguments at its top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let cur = "";
  for (const ch of s) {
    if (ch === '"') quote = !quote;
    if (!quote && (ch === "(" || ch === "[")) depth++;
    if (!quote && (ch === ")" || ch === "]")) depth--;
    if (!quote && depth === 0 && ch === ",") {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim());
}

/** `[@需求接收]`, `[@[D1 应完成]]` → the header. */
function refHeader(arg: string): string | undefined {
  const m = /^\[@(?:\[(.+)\]|([^\]]+))\]$/.exec(arg.trim());
  return m ? (m[1] ?? m[2]).replace(/'([[\]#'])/g, "$1") : undefined;
}

export class Recalculation {
  private config: RecalcConfig | undefined;

  constructor(readonly state: WorkbookState) {}

  configure(config: RecalcConfig): void {
    this.config = config;
    configureFunctions({ calendar: config.calendar, timeZone: config.timeZone, lang: config.lang, nowMs: config.nowMs });
  }

  /** The office's wall clock, as a serial. */
  nowSerial(): number {
    const c = this.config;
    return wallClockSerial(c?.timeZone, (c?.nowMs ?? Date.now)());
  }

  /** Computes every formula cell it knows; returns whether any value changed. */
  run(): boolean {
    if (!this.config) return false;
    let changed = false;
    const memo = new Map<string, Value>();
    const cellValue = (sheet: SheetState, r: number, c: number, depth: number): Value => {
      const cell = sheet.get(r, c);
      if (!cell) return null;
      if (!cell.formula) return (cell.value ?? null) as Value;
      const key = `${sheet.name}!${r},${c}`;
      if (memo.has(key)) return memo.get(key)!;
      const v = depth > 8 ? "#FORMULA" : this.evaluate(cell.formula, sheet, r, c, (rr, cc) => cellValue(sheet, rr, cc, depth + 1));
      memo.set(key, v);
      return v;
    };
    this.state.recalculate((_formula, sheet, r, c) => {
      const v = cellValue(sheet, r, c, 0);
      const old = sheet.get(r, c)?.value;
      if (old !== v) changed = true;
      return v ?? "#FORMULA";
    });
    return changed;
  }

  private evaluate(formula: string, sheet: SheetState, r: number, c: number, at: (r: number, c: number) => Value): Value {
    const table = this.state.tables.find((t) => t.sheet === sheet && r > t.top && r <= t.bottom && c >= t.left && c <= t.right);
    if (!table) return "#FORMULA";
    const headers = new Map<string, number>();
    for (let x = table.left; x <= table.right; x++)
      headers.set(
        String(sheet.get(table.top, x)?.value ?? "")
          .trim()
          .toLowerCase(),
        x,
      );
    const ref = (arg: string): Value | undefined => {
      const h = refHeader(arg);
      if (h === undefined) return undefined;
      const col = headers.get(h.trim().toLowerCase());
      return col === undefined ? undefined : at(r, col);
    };
    const arg = (a: string): unknown => {
      const v = ref(a);
      if (v !== undefined) return v ?? "";
      if (/^-?\d+(\.\d+)?$/.test(a)) return Number(a);
      return undefined;
    };
    const body = formula.replace(/^=/, "").trim();
    const hours = /^IF\((\[@.+?\]\]?)="","",(\[@.+?\]\]?)\+(-?[\d.]+)\/24\)$/i.exec(body);
    if (hours) {
      const s = ref(hours[1]);
      return s === null || s === undefined || s === "" ? "" : typeof s === "number" ? s + Number(hours[3]) / 24 : "#VALUE!";
    }
    const m = /^(?:_xldudf_)?(?:PLAN[._])?(DUE|MILESTONE|OVERDUE|WORKDAYS|ISWORKDAY)\((.*)\)$/i.exec(body);
    if (!m) return "#FORMULA";
    const args = splitArgs(m[2]).map(arg);
    if (args.some((a) => a === undefined)) return "#FORMULA";
    try {
      const out = FUNCTIONS[m[1].toUpperCase()](...args.map((a) => [[a]])) as unknown;
      if (out instanceof Promise) return "#FORMULA"; // not configured: cannot happen once configure() ran
      const v = (out as unknown[][])[0][0];
      if (v instanceof FunctionError) return v.code;
      if (typeof v === "object" && v !== null) return "#VALUE!";
      return v as Value;
    } catch {
      return "#VALUE!";
    }
  }
}

/** A cell reference of a conditional format's formula, relative to the format's top-left cell. */
function refAt(ref: string, cf: ConditionalFormatState, r: number, c: number): { r: number; c: number } | undefined {
  const m = /^(\$?)([A-Z]+)(\$?)(\d+)$/.exec(ref);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[2]) col = col * 26 + ch.charCodeAt(0) - 64;
  col -= 1;
  const row = Number(m[4]) - 1;
  return { r: m[3] ? row : row + (r - cf.top), c: m[1] ? col : col + (c - cf.left) };
}

/**
 * The fill a cell shows from the sheet's conditional formats (highest priority first), for the
 * two rules the deadline columns carry; undefined when none applies (or a rule it cannot read).
 */
export function conditionalFill(sheet: SheetState, r: number, c: number, today: number): string | undefined {
  for (const cf of sheet.conditionalFormats) {
    if (cf.type !== "Custom" || !cf.formula || !cf.fill) continue;
    if (r < cf.top || r >= cf.top + cf.rows || c < cf.left || c >= cf.left + cf.cols) continue;
    const value = (ref: string) => {
      const p = refAt(ref, cf, r, c);
      return p ? sheet.get(p.r, p.c)?.value : undefined;
    };
    const f = cf.formula.replace(/\s+/g, "");
    const late = /^=AND\(ISNUMBER\((\$?[A-Z]+\$?\d+)\),\1>0\)$/.exec(f);
    if (late) {
      const v = value(late[1]);
      if (typeof v === "number" && v > 0) return cf.fill;
      continue;
    }
    const todayRule = /^=AND\(ISNUMBER\((\$?[A-Z]+\$?\d+)\),INT\(\1\)=TODAY\(\),(\$?[A-Z]+\$?\d+)=""\)$/.exec(f);
    if (todayRule) {
      const d = value(todayRule[1]);
      const e = value(todayRule[2]);
      if (typeof d === "number" && Math.floor(d) === Math.floor(today) && (e === null || e === undefined || e === "")) return cf.fill;
    }
  }
  return undefined;
}
