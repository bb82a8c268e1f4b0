/**
 * A strict, in-memory fake of the Office.js subset Planning Desk uses (`Excel.run`,
 * workbook, worksheets, tables, ranges, names, change events).
 *
 * Like Excel, it is a proxy model: calls queue commands, `context.sync()` runs them in
 * order, and only then are loaded properties readable. Reading a property that was not
 * loaded and synced throws PropertyNotLoaded; a `values` array of the wrong shape, a
 * missing item or an overlapping table fails the sync with Excel's error codes. Strings
 * written starting with "=" become formulas, a leading apostrophe keeps text as text.
 * It counts `sync()` calls, so tests can assert round trips.
 */
import { parseDateText, parseMonthKey } from "../../core/calendar/serial";
import { columnLetter, parseRangeRef } from "../../workbook/port";
import { Cell, ExcelError, SheetState, TableState, Value, WorkbookState } from "./state";

type Op = () => void;

function sheetRef(name: string): string {
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
  const sheet = bang >= 0 ? address.slice(0, bang).replace(/^'(.*)'$/, "$1").replace(/''/g, "'") : undefined;
  const bounds = parseRangeRef(bang >= 0 ? address.slice(bang + 1) : address);
  if (!bounds) throw new ExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format: ${address}`);
  return { sheet, ...bounds };
}

export class FakeContext {
  private queue: Op[] = [];
  readonly workbook: FakeWorkbook;
  constructor(
    readonly state: WorkbookState,
    readonly counter: { syncs: number },
    readonly source: "Local" | "Remote" = "Local",
  ) {
    this.workbook = new FakeWorkbook(this);
  }

  enqueue(op: Op): void {
    this.queue.push(op);
  }

  /** Runs the queued commands. Like Excel, a failing command fails the sync; commands before it took effect. */
  async sync(): Promise<void> {
    this.counter.syncs++;
    const ops = this.queue;
    this.queue = [];
    await Promise.resolve(); // a round trip: other clients may act in between
    for (const op of ops) op();
  }
}

/** Base of every proxy: `load` and strict reads of loaded properties. */
abstract class Proxy<T> {
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
      for (const p of list) this.loaded.set(p, this.read(target, p));
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

export class FakeWorkbook {
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeTableCollection;
  readonly names: FakeNamedItemCollection;
  constructor(readonly context: FakeContext) {
    this.worksheets = new FakeWorksheetCollection(context);
    this.tables = new FakeTableCollection(context, () => context.state.tables);
    this.names = new FakeNamedItemCollection(context);
  }
}

export class FakeNamedItemCollection extends Proxy<Map<string, string>> {
  private names: { name: string; formula: string }[] = [];
  constructor(context: FakeContext) {
    super(context, () => context.state.names);
  }
  protected read(target: Map<string, string>, prop: string): unknown {
    if (prop === "items" || prop.startsWith("items/")) {
      this.names = [...target.entries()].map(([name, formula]) => ({ name, formula }));
      return true;
    }
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get items(): { name: string; formula: string }[] {
    this.loadedValue("items/name");
    return this.names;
  }
  add(name: string, reference: string, comment?: string): void {
    void comment;
    this.context.enqueue(() => {
      if (this.context.state.names.has(name.toLowerCase())) throw new ExcelError("ItemAlreadyExists", `The name "${name}" already exists.`);
      this.context.state.names.set(name.toLowerCase(), reference);
    });
  }
  getItemOrNullObject(name: string): { delete(): void } {
    return { delete: () => this.context.enqueue(() => void this.context.state.names.delete(name.toLowerCase())) };
  }
}

export class FakeWorksheetCollection extends Proxy<SheetState[]> {
  private itemProxies: FakeWorksheet[] = [];
  readonly onChanged = {
    add: (handler: (e: { worksheetId: string; address: string; source: string }) => Promise<void> | void) => {
      const l = (e: { worksheetName: string; address: string; source: "Local" | "Remote" }) =>
        void handler({ worksheetId: e.worksheetName, address: e.address, source: e.source });
      this.context.state.listeners.add(l);
      return { remove: () => this.context.state.listeners.delete(l) };
    },
  };
  constructor(context: FakeContext) {
    super(context, () => context.state.sheets);
  }
  protected read(target: SheetState[], prop: string): unknown {
    if (prop === "items") {
      this.itemProxies = target.map((sh) => {
        const p = new FakeWorksheet(this.context, () => sh);
        p.preload("name", sh);
        return p;
      });
      return true;
    }
    if (prop === "items/name") return true;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  override load(props?: string | string[] | { select?: string }): this {
    return super.load(["items", ...(typeof props === "string" ? props.split(",").map((x) => x.trim()) : [])]);
  }
  get items(): FakeWorksheet[] {
    this.loadedValue("items");
    return this.itemProxies;
  }
  getItem(name: string): FakeWorksheet {
    return new FakeWorksheet(this.context, () => {
      const s = this.context.state.sheet(name);
      if (!s) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (worksheet "${name}")`);
      return s;
    });
  }
  add(name: string): FakeWorksheet {
    let created: SheetState | undefined;
    this.context.enqueue(() => {
      created = this.context.state.addSheet(name);
    });
    return new FakeWorksheet(this.context, () => {
      if (!created) throw new ExcelError("GeneralException", "The worksheet was not created.");
      return created;
    });
  }
}

/** A chart as recorded by the fake: its type, the ranges it plots and its title. */
export interface ChartRecord {
  type: string;
  source: string;
  values?: string;
  title?: string;
}

class FakeChart {
  readonly title: { text: string };
  readonly legend = { visible: true };
  top = 0;
  left = 0;
  readonly series: { getItemAt: (i: number) => { setValues: (r: FakeRange) => void } };
  constructor(context: FakeContext, record: () => ChartRecord) {
    const chart = this;
    this.title = {
      set text(t: string) {
        context.enqueue(() => void (record().title = t));
      },
      get text(): string {
        throw new ExcelError("PropertyNotLoaded", "The property 'text' is not available.");
      },
    };
    this.series = {
      getItemAt: (i: number) => ({
        setValues: (r: FakeRange) =>
          context.enqueue(() => {
            if (i !== 0) throw new ExcelError("InvalidArgument", "The fake's charts have one series.");
            record().values = r.addressNow();
          }),
      }),
    };
    void chart;
  }
}

export class FakeWorksheet extends Proxy<SheetState> {
  readonly tables: FakeTableCollection;
  readonly protection: FakeProtection;
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  private pre = new Map<string, unknown>();
  constructor(context: FakeContext, resolve: () => SheetState) {
    super(context, resolve);
    this.charts = {
      add: (type: string, source: FakeRange, seriesBy?: string) => {
        let record: ChartRecord | undefined;
        context.enqueue(() => {
          const sheet = resolve();
          if (seriesBy !== undefined && !["Auto", "Columns", "Rows"].includes(seriesBy)) throw new ExcelError("InvalidArgument", `seriesBy ${seriesBy}`);
          record = { type, source: source.addressNow() };
          sheet.charts.push(record);
        });
        return new FakeChart(context, () => {
          if (!record) throw new ExcelError("GeneralException", "The chart was not created.");
          return record;
        });
      },
    };
    this.protection = new FakeProtection(context, resolve);
    this.tables = new FakeTableCollection(context, () => context.state.tables.filter((t) => t.sheet === resolve()), resolve);
  }
  preload(props: string, s: SheetState): void {
    for (const p of props.split(",")) this.pre.set(p, this.read(s, p));
  }
  protected read(target: SheetState, prop: string): unknown {
    if (prop === "name") return target.name;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get name(): string {
    return (this.pre.has("name") ? this.pre.get("name") : this.loadedValue("name")) as string;
  }
  getRangeByIndexes(row: number, col: number, rowCount: number, columnCount: number): FakeRange {
    if (rowCount < 1 || columnCount < 1) throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    return new FakeRange(this.context, () => ({ sheet: this.resolve(), top: row, left: col, rows: rowCount, cols: columnCount }));
  }
  getRange(address: string): FakeRange {
    const a = parseAddress(address);
    return new FakeRange(this.context, () => ({ sheet: this.resolve(), top: a.top, left: a.left, rows: a.bottom - a.top + 1, cols: a.right - a.left + 1 }));
  }
  delete(): void {
    this.context.enqueue(() => this.context.state.deleteSheet(this.resolve().name));
  }
}

export class FakeProtection extends Proxy<SheetState> {
  protected read(target: SheetState, prop: string): unknown {
    if (prop === "protected") return target.protected;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get protected(): boolean {
    return this.loadedValue("protected") as boolean;
  }
  protect(): void {
    this.context.enqueue(() => {
      const s = this.resolve();
      if (s.protected) throw new ExcelError("InvalidOperation", "The worksheet is already protected.");
      s.protected = true;
    });
  }
  unprotect(): void {
    this.context.enqueue(() => void (this.resolve().protected = false));
  }
}

export class FakeTableCollection extends Proxy<TableState[]> {
  private itemProxies: FakeTable[] = [];
  constructor(
    context: FakeContext,
    resolve: () => TableState[],
    private readonly sheet?: () => SheetState,
  ) {
    super(context, resolve);
  }
  protected read(target: TableState[], prop: string): unknown {
    if (prop === "items") {
      this.itemProxies = target.map((t) => new FakeTable(this.context, () => t, t));
      return true;
    }
    if (prop.startsWith("items/")) return true; // filled by the items snapshot
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  override load(props?: string | string[] | { select?: string }): this {
    return super.load(["items", ...(typeof props === "string" ? props.split(",").map((s) => s.trim()) : [])]);
  }
  get items(): FakeTable[] {
    this.loadedValue("items");
    return this.itemProxies;
  }
  getItem(name: string): FakeTable {
    return new FakeTable(this.context, () => {
      const t = this.context.state.table(name);
      if (!t) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (table "${name}")`);
      return t;
    });
  }
  add(address: string, hasHeaders: boolean): FakeTable {
    let created: TableState | undefined;
    this.context.enqueue(() => {
      const a = parseAddress(address);
      const sheet = a.sheet ? this.context.state.sheet(a.sheet) : this.sheet?.();
      if (!sheet) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (worksheet "${a.sheet}")`);
      if (!hasHeaders) throw new ExcelError("InvalidArgument", "Planning Desk's fake supports tables with headers only.");
      created = this.context.state.addTable(sheet, a.top, a.left, a.bottom, a.right);
    });
    return new FakeTable(this.context, () => {
      if (!created) throw new ExcelError("GeneralException", "The table was not created.");
      return created;
    });
  }
}

export class FakeTable extends Proxy<TableState> {
  readonly worksheet: FakeWorksheet;
  readonly rows: { getItemAt: (index: number) => { delete: () => void }; add: () => never };
  readonly columns: { add: (index?: number | null, values?: Value[][], name?: string) => void };
  constructor(
    context: FakeContext,
    resolve: () => TableState,
    private readonly snapshot?: TableState,
  ) {
    super(context, resolve);
    this.worksheet = new FakeWorksheet(context, () => resolve().sheet);
    if (snapshot) this.worksheet.preload("name", snapshot.sheet);
    this.rows = {
      getItemAt: (index: number) => ({
        delete: () =>
          this.context.enqueue(() => {
            const t = this.resolve();
            t.sheet.assertWritable();
            const row = t.top + 1 + index;
            if (index < 0 || row > t.bottom) throw new ExcelError("InvalidArgument", `Row ${index} is outside the table.`);
            t.sheet.deleteShiftUp(row, t.left, 1, t.right - t.left + 1);
            t.bottom--;
            for (const other of this.context.state.tables) {
              if (other !== t && other.sheet === t.sheet && other.top > row && other.left >= t.left && other.right <= t.right) {
                other.top--;
                other.bottom--;
              }
            }
            this.context.state.emit(t.sheet.name, rangeAddress(t.sheet.name, row, t.left, 1, t.right - t.left + 1), this.context.source);
          }),
      }),
      // Planning Desk appends with range writes below the table (co-authoring guidance); the fake refuses rows.add.
      add: () => {
        throw new ExcelError("NotImplemented", "TableRowCollection.add is not used by Planning Desk: append with range writes below the table.");
      },
    };
    this.columns = {
      add: (index?: number | null, values?: Value[][], name?: string) =>
        this.context.enqueue(() => {
          const t = this.resolve();
          if (index !== null && index !== undefined && index !== t.right - t.left + 1) throw new ExcelError("NotImplemented", "The fake adds columns at the end only.");
          const col = t.right + 1;
          for (const other of this.context.state.tables) {
            if (other !== t && other.sheet === t.sheet && other.left <= col && other.right >= col && !(other.bottom < t.top || other.top > t.bottom))
              throw new ExcelError("InvalidOperation", "The column would overlap another table.");
          }
          t.right = col;
          const header = name ?? (values?.[0]?.[0] as string | undefined) ?? `Column${col - t.left + 1}`;
          t.sheet.set(t.top, col, { value: header });
          if (values && values.length > 1) for (let r = 1; r < values.length; r++) t.sheet.set(t.top + r, col, { value: values[r][0] });
        }),
    };
  }
  protected read(target: TableState, prop: string): unknown {
    if (prop === "name") return target.name;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get name(): string {
    if (this.snapshot) return this.snapshot.name;
    return this.loadedValue("name") as string;
  }
  set name(value: string) {
    this.context.enqueue(() => {
      const t = this.resolve();
      if (this.context.state.tables.some((o) => o !== t && o.name.toLowerCase() === value.toLowerCase()))
        throw new ExcelError("ItemAlreadyExists", `A table named "${value}" already exists.`);
      t.name = value;
    });
  }
  getRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top, left: t.left, rows: t.bottom - t.top + 1, cols: t.right - t.left + 1 };
    });
  }
  getDataBodyRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top + 1, left: t.left, rows: Math.max(1, t.bottom - t.top), cols: t.right - t.left + 1 };
    });
  }
  resize(address: string): void {
    this.context.enqueue(() => {
      const t = this.resolve();
      const a = parseAddress(address);
      if (a.top !== t.top || a.left !== t.left) throw new ExcelError("InvalidArgument", "The header row of a table must stay where it is.");
      t.bottom = a.bottom;
      t.right = a.right;
    });
  }
}

interface Area {
  sheet: SheetState;
  top: number;
  left: number;
  rows: number;
  cols: number;
}

export class FakeRange extends Proxy<Area> {
  readonly format = { autofitColumns: () => undefined, font: {}, fill: {} };
  readonly conditionalFormats: { add: (type: string) => { dataBar: Record<string, unknown> } };
  constructor(context: FakeContext, resolve: () => Area) {
    super(context, resolve);
    this.conditionalFormats = {
      add: (type: string) => {
        this.context.enqueue(() => {
          const a = this.resolve();
          if (type !== "DataBar") throw new ExcelError("NotImplemented", `conditional format ${type}`);
          a.sheet.dataBars.push(rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols));
        });
        return { dataBar: {} };
      },
    };
  }

  /** The address while a sync runs (for commands that take a range argument). */
  addressNow(): string {
    const a = this.resolve();
    return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
  }

  protected read(a: Area, prop: string): unknown {
    const grid = <T>(f: (c: Cell | undefined) => T): T[][] =>
      Array.from({ length: a.rows }, (_, r) => Array.from({ length: a.cols }, (_, c) => f(a.sheet.get(a.top + r, a.left + c))));
    switch (prop) {
      case "values":
        return grid((c) => (c?.value === null || c?.value === undefined ? "" : c.value));
      case "formulas":
        return grid((c) => c?.formula ?? (c?.value === null || c?.value === undefined ? "" : c.value));
      case "numberFormat":
        return grid((c) => c?.numberFormat ?? "General");
      case "address":
        return rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols);
      case "rowIndex":
        return a.top;
      case "columnIndex":
        return a.left;
      case "rowCount":
        return a.rows;
      case "columnCount":
        return a.cols;
      default:
        throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
    }
  }

  get values(): Value[][] {
    return this.loadedValue("values") as Value[][];
  }
  get formulas(): Value[][] {
    return this.loadedValue("formulas") as Value[][];
  }
  get numberFormat(): string[][] {
    return this.loadedValue("numberFormat") as string[][];
  }
  get address(): string {
    return this.loadedValue("address") as string;
  }
  get rowIndex(): number {
    return this.loadedValue("rowIndex") as number;
  }
  get columnIndex(): number {
    return this.loadedValue("columnIndex") as number;
  }
  get rowCount(): number {
    return this.loadedValue("rowCount") as number;
  }
  get columnCount(): number {
    return this.loadedValue("columnCount") as number;
  }

  private writeGrid(input: unknown, what: string, apply: (cell: Cell, v: unknown) => Cell): void {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const scalar = !Array.isArray(input);
      if (!scalar) {
        const g = input as unknown[][];
        if (g.length !== a.rows || g.some((row) => !Array.isArray(row) || row.length !== a.cols)) {
          throw new ExcelError(
            "InvalidArgument",
            `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (${what}: ${g.length}×${Array.isArray(g[0]) ? g[0].length : "?"} into ${a.rows}×${a.cols})`,
          );
        }
      }
      for (let r = 0; r < a.rows; r++) {
        for (let c = 0; c < a.cols; c++) {
          const v = scalar ? input : (input as unknown[][])[r][c];
          const cell = a.sheet.get(a.top + r, a.left + c) ?? { value: null };
          a.sheet.set(a.top + r, a.left + c, apply({ ...cell }, v));
        }
      }
      this.context.state.expandTables(a.sheet, a.top, a.left, a.top + a.rows - 1, a.left + a.cols - 1);
      this.context.state.emit(a.sheet.name, rangeAddress(a.sheet.name, a.top, a.left, a.rows, a.cols), this.context.source);
    });
  }

  set values(input: Value[][]) {
    this.writeGrid(input, "values", (cell, v) => {
      if (v !== null && typeof v === "object") throw new ExcelError("InvalidArgument", "A cell value must be a string, number or boolean.");
      if (typeof v === "string" && v.startsWith("=") && v.length > 1) return { ...cell, value: "#FORMULA", formula: v };
      if (typeof v === "string" && v.startsWith("'")) return { ...cell, value: v.slice(1), formula: undefined };
      // Like Excel, text that looks like a number or a date becomes one unless the cell is formatted as text ("@").
      if (typeof v === "string" && cell.numberFormat !== "@") {
        const coerced = coerceTyped(v);
        if (coerced !== undefined) return { ...cell, value: coerced, formula: undefined };
      }
      return { ...cell, value: v === undefined ? null : (v as Value), formula: undefined };
    });
  }
  set formulas(input: Value[][]) {
    this.writeGrid(input, "formulas", (cell, v) =>
      typeof v === "string" && v.startsWith("=") ? { ...cell, value: "#FORMULA", formula: v } : { ...cell, value: v as Value, formula: undefined },
    );
  }
  set numberFormat(input: string[][]) {
    this.context.enqueue(() => {
      const a = this.resolve();
      a.sheet.assertWritable();
      const g = input;
      if (Array.isArray(g) && (g.length !== a.rows || g.some((row) => row.length !== a.cols)))
        throw new ExcelError("InvalidArgument", "The number of rows or columns in the input array doesn't match the size or dimensions of the range. (numberFormat)");
      for (let r = 0; r < a.rows; r++)
        for (let c = 0; c < a.cols; c++) {
          const cell = a.sheet.get(a.top + r, a.left + c) ?? { value: null };
          a.sheet.set(a.top + r, a.left + c, { ...cell, numberFormat: Array.isArray(g) ? g[r][c] : (g as unknown as string) });
        }
    });
  }
}

/** What Excel makes of typed text in a General cell: a number, a date ("2026-10-08 10:00", "2026-10"), or undefined (text). */
export function coerceTyped(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
  const month = /^(\d{4})-(\d{1,2})$/.exec(t);
  if (month) return parseMonthKey(t)?.start;
  return parseDateText(t);
}

/** An in-memory Excel: `run` is its `Excel.run`; `syncs` counts round trips. */
export class FakeExcel {
  readonly state = new WorkbookState();
  readonly counter = { syncs: 0 };
  /** Supported requirement sets, as `Office.context.requirements.isSetSupported` would answer. */
  apiVersion = "1.13";

  get syncs(): number {
    return this.counter.syncs;
  }

  async run<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    return batch(new FakeContext(this.state, this.counter));
  }

  /** A second client on the same workbook (a co-author): its writes arrive as remote changes. */
  async runAsCoauthor<T>(batch: (context: FakeContext) => Promise<T>): Promise<T> {
    return batch(new FakeContext(this.state, { syncs: 0 }, "Remote"));
  }

  isSetSupported(name: string, version: string): boolean {
    // Requirement-set versions compare part by part: 1.6 is older than 1.13.
    const [major, minor = 0] = version.split(".").map(Number);
    const [haveMajor, haveMinor] = String(this.apiVersion).split(".").map(Number);
    return name === "ExcelApi" && (major < haveMajor || (major === haveMajor && minor <= (haveMinor ?? 0)));
  }
}
