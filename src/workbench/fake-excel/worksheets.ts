/** Worksheets: the collection and its onChanged event, a sheet, its charts and protection. Part of the in-memory Excel (see api.ts). */
import { ChartState, ExcelError, SheetState } from "./state";
import { FakeContext } from "./context";
import { Proxy, parseAddress, rangeAddress } from "./proxy";
import { FakeRange } from "./range";
import { FakeTableCollection } from "./tables";

export class FakeWorksheetCollection extends Proxy<SheetState[]> {
  private itemProxies: FakeWorksheet[] = [];
  /**
   * WorksheetCollection.onChanged: ExcelApi 1.9 (Worksheet.onChanged is 1.7). As in Office.js,
   * `add` takes effect at the sync, and the handler is removed by `remove()` on the context that
   * added it, at that context's next sync ("Remove an event handler": the same RequestContext,
   * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-events#remove-an-event-handler):
   * a `remove()` never synced on its own context leaves the handler registered.
   */
  get onChanged() {
    this.context.requires("1.9", "WorksheetCollection.onChanged");
    const context = this.context;
    return {
      add: (handler: (e: { worksheetId: string; address: string; source: string }) => Promise<void> | void) => {
        const l = (e: { worksheetName: string; address: string; source: "Local" | "Remote" }) =>
          void handler({ worksheetId: e.worksheetName, address: e.address, source: e.source });
        context.enqueue(() => void context.state.listeners.add(l));
        return { context, remove: () => context.enqueue(() => void context.state.listeners.delete(l)) };
      },
    };
  }
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

/** A chart as recorded by the fake. */
export type ChartRecord = ChartState;

class FakeChart {
  readonly title: { text: string };
  readonly legend = { visible: true };
  top = 0;
  left = 0;
  readonly series: { getItemAt: (i: number) => { setValues: (r: FakeRange) => void } };
  readonly axes: { categoryAxis: { setCategoryNames: (r: FakeRange) => void } };
  constructor(context: FakeContext, record: () => ChartRecord) {
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
        setValues: (r: FakeRange) => {
          context.requires("1.7", "ChartSeries.setValues");
          context.enqueue(() => {
            const rec = record();
            // A chart made from a range without numbers has no series: there is nothing at index 0.
            if (!rec.series[i]) throw new ExcelError("ItemNotFound", `The chart has ${rec.series.length} series; there is no series ${i}.`);
            rec.series[i].values = r.addressNow();
          });
        },
      }),
    };
    this.axes = {
      categoryAxis: {
        setCategoryNames: (r: FakeRange) => {
          context.requires("1.7", "ChartAxis.setCategoryNames");
          context.enqueue(() => void (record().categories = r.addressNow()));
        },
      },
    };
  }
}

export class FakeWorksheet extends Proxy<SheetState> {
  readonly tables: FakeTableCollection;
  readonly protection: FakeProtection;
  readonly charts: { add: (type: string, source: FakeRange, seriesBy?: string) => FakeChart };
  /** A worksheet's name can be changed (ExcelApi 1.1): tables and their ranges go with the sheet. */
  set name(value: string) {
    this.context.enqueue(() => this.context.state.renameSheet(this.resolve(), value));
  }
  private pre = new Map<string, unknown>();
  constructor(context: FakeContext, resolve: () => SheetState) {
    super(context, resolve);
    this.charts = {
      add: (type: string, source: FakeRange, seriesBy?: string) => {
        let record: ChartRecord | undefined;
        context.enqueue(() => {
          const sheet = resolve();
          if (seriesBy !== undefined && !["Auto", "Columns"].includes(seriesBy))
            throw new ExcelError(seriesBy === "Rows" ? "NotImplemented" : "InvalidArgument", `seriesBy ${seriesBy}`);
          const a = source.areaNow();
          const series: ChartRecord["series"] = [];
          for (let c = 0; c < a.cols; c++) {
            let numeric = false;
            for (let r = 1; r < a.rows; r++) if (typeof a.sheet.get(a.top + r, a.left + c)?.value === "number") numeric = true;
            if (numeric)
              series.push({
                name: String(a.sheet.get(a.top, a.left + c)?.value ?? ""),
                values: rangeAddress(a.sheet.name, a.top + 1, a.left + c, Math.max(1, a.rows - 1), 1),
              });
          }
          record = { type, source: source.addressNow(), series };
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
    this.context.requires("1.7", "Worksheet.getRangeByIndexes");
    if (rowCount < 1 || columnCount < 1)
      throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    return new FakeRange(this.context, () => ({ sheet: this.resolve(), top: row, left: col, rows: rowCount, cols: columnCount }));
  }
  getRange(address: string): FakeRange {
    const a = parseAddress(address);
    return new FakeRange(this.context, () => ({
      sheet: this.resolve(),
      top: a.top,
      left: a.left,
      rows: a.bottom - a.top + 1,
      cols: a.right - a.left + 1,
    }));
  }
  /** ExcelApi 1.1: from A1 to the last cell holding something; A1 on an empty sheet, as Excel. */
  getUsedRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const sheet = this.resolve();
      const { rows, cols } = sheet.usedBounds();
      return { sheet, top: 0, left: 0, rows: Math.max(1, rows), cols: Math.max(1, cols) };
    });
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
