/** The proxy model every fake object shares: queued `load`s, strict reads of loaded properties, ClientResult, and A1 addresses. Part of the in-memory Excel (see api.ts). */
import { columnLetter, parseRangeRef } from "../../workbook/port";
import { ExcelError } from "./state";
import type { FakeContext } from "./context";

export type Op = () => void;

export function sheetRef(name: string): string {
  return /^[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function rangeAddress(sheet: string, top: number, left: number, rows: number, cols: number): string {
  const a = `${columnLetter(left)}${top + 1}`;
  const b = `${columnLetter(left + cols - 1)}${top + rows}`;
  return `${sheetRef(sheet)}!${a === b ? a : `${a}:${b}`}`;
}

/** Parses "A1", "A1:C3", "Sheet1!A1:C3" into 0-based bounds. */
export function parseAddress(address: string): { sheet?: string; top: number; left: number; bottom: number; right: number } {
  const bang = address.lastIndexOf("!");
  const sheet =
    bang >= 0
      ? address
          .slice(0, bang)
          .replace(/^'(.*)'$/, "$1")
          .replace(/''/g, "'")
      : undefined;
  const bounds = parseRangeRef(bang >= 0 ? address.slice(bang + 1) : address);
  if (!bounds) throw new ExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: ${address}`);
  return { sheet, ...bounds };
}

/** OfficeExtension.ClientResult: a method's result, readable after the sync. */
export class FakeClientResult<T> {
  private done = false;
  private v: T | undefined;
  set(v: T): void {
    this.v = v;
    this.done = true;
  }
  get value(): T {
    if (!this.done)
      throw new ExcelError(
        "PropertyNotLoaded",
        'The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.',
      );
    return this.v as T;
  }
}

/** Base of every proxy: `load` and strict reads of loaded properties. */
export abstract class Proxy<T> {
  private readonly loaded = new Map<string, unknown>();
  private pending = new Set<string>();
  constructor(
    readonly context: FakeContext,
    protected readonly resolve: () => T,
  ) {}

  protected abstract read(target: T, prop: string): unknown;

  load(props?: string | string[] | { select?: string }): this {
    const list = (typeof props === "string" ? props.split(",") : Array.isArray(props) ? props : (props?.select?.split(",") ?? []))
      .map((p) => p.trim())
      .filter(Boolean);
    for (const p of list) this.pending.add(p);
    this.context.enqueue(() => {
      const target = this.resolve();
      for (const p of list) {
        const v = this.read(target, p);
        this.context.responded(v);
        this.loaded.set(p, v);
      }
    });
    return this;
  }

  protected loadedValue(prop: string): unknown {
    if (!this.loaded.has(prop)) {
      throw new ExcelError(
        "PropertyNotLoaded",
        `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loaded.get(prop);
  }
}
