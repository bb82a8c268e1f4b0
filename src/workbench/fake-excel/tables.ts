/** Tables, their columns and rows. Part of the in-memory Excel (see api.ts). */
import { ExcelError, SheetState, TableState, Value } from "./state";
import { FakeContext, payloadBytes } from "./context";
import { Proxy, parseAddress, rangeAddress } from "./proxy";
import { FakeRange } from "./range";
import { FakeWorksheet } from "./worksheets";

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
  readonly columns: {
    add: (index?: number | null, values?: Value[][], name?: string) => FakeTableColumn;
    getItem: (key: string) => FakeTableColumn;
    getItemOrNullObject: (key: string) => FakeTableColumn;
  };
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
        throw new ExcelError(
          "NotImplemented",
          "TableRowCollection.add is not used by Planning Desk: append with range writes below the table.",
        );
      },
    };
    this.columns = {
      add: (index?: number | null, values?: Value[][], name?: string) => {
        // 1.4 allows the index to be omitted (append) and the name at creation.
        if (index === null || index === undefined || name !== undefined)
          this.context.requires("1.4", "TableColumnCollection.add without an index or with a name");
        let added: { t: TableState; i: number } | undefined;
        this.context.enqueue(
          () => {
            const t = this.resolve();
            t.sheet.assertWritable();
            if (index !== null && index !== undefined && index !== t.right - t.left + 1)
              throw new ExcelError("NotImplemented", "The fake adds columns at the end only.");
            // The values are the whole column, header first: one row per table row.
            if (
              values &&
              (!Array.isArray(values) || values.length !== t.bottom - t.top + 1 || values.some((r) => !Array.isArray(r) || r.length !== 1))
            )
              throw new ExcelError(
                "InvalidArgument",
                `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (a column of table ${t.name} has ${t.bottom - t.top + 1} rows)`,
              );
            const col = t.right + 1;
            for (const other of this.context.state.tables) {
              if (
                other !== t &&
                other.sheet === t.sheet &&
                other.left <= col &&
                other.right >= col &&
                !(other.bottom < t.top || other.top > t.bottom)
              )
                throw new ExcelError("InvalidOperation", "The column would overlap another table.");
            }
            t.right = col;
            const header = name ?? (values?.[0]?.[0] as string | undefined) ?? `Column${col - t.left + 1}`;
            t.sheet.set(t.top, col, { value: header });
            for (let r = t.top + 1; r <= t.bottom; r++) t.sheet.cells.get(r)?.delete(col);
            if (values && values.length > 1)
              for (let r = 1; r < values.length; r++) {
                const v = values[r][0];
                t.sheet.set(
                  t.top + r,
                  col,
                  typeof v === "string" && v.startsWith("=") && v.length > 1 ? { value: "#FORMULA", formula: v } : { value: v ?? null },
                );
              }
            this.context.state.refreshCalculated(t.sheet, [col]);
            added = { t, i: col - t.left };
          },
          payloadBytes(values) + payloadBytes(name),
        );
        return new FakeTableColumn(this.context, () => {
          if (!added) throw new ExcelError("GeneralException", "The column was not added.");
          return added;
        });
      },
      getItem: (key: string) => new FakeTableColumn(this.context, () => columnOf(this.resolve(), key)),
      getItemOrNullObject: (key: string) => {
        this.context.requires("1.4", "TableColumnCollection.getItemOrNullObject");
        return new FakeTableColumn(this.context, () => columnOf(this.resolve(), key), true);
      },
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
  /** ExcelApi 1.1. */
  getHeaderRowRange(): FakeRange {
    return new FakeRange(this.context, () => {
      const t = this.resolve();
      return { sheet: t.sheet, top: t.top, left: t.left, rows: 1, cols: t.right - t.left + 1 };
    });
  }
  /** TableSort (ExcelApi 1.2): sorts the data rows by one key. */
  get sort(): { apply: (fields: { key: number; ascending?: boolean }[]) => void } {
    this.context.requires("1.2", "Table.sort");
    return {
      apply: (fields) =>
        this.context.enqueue(() => {
          if (fields.length !== 1) throw new ExcelError("NotImplemented", "The fake sorts by one key.");
          const t = this.resolve();
          this.context.state.sortTable(t, fields[0].key, fields[0].ascending ?? true);
          this.context.state.emit(
            t.sheet.name,
            rangeAddress(t.sheet.name, t.top + 1, t.left, Math.max(1, t.bottom - t.top), t.right - t.left + 1),
            this.context.source,
          );
        }),
    };
  }
  /** ExcelApi 1.13. Takes an address or a range (resolved when the batch runs). */
  resize(address: string | FakeRange): void {
    this.context.requires("1.13", "Table.resize");
    this.context.enqueue(() => {
      const t = this.resolve();
      const a =
        typeof address === "string"
          ? parseAddress(address)
          : (() => {
              const r = address.areaNow();
              if (r.sheet !== t.sheet) throw new ExcelError("InvalidArgument", "The new range must be on the table's sheet.");
              return { top: r.top, left: r.left, bottom: r.top + r.rows - 1, right: r.left + r.cols - 1 };
            })();
      if (a.top !== t.top || a.left !== t.left) throw new ExcelError("InvalidArgument", "The header row of a table must stay where it is.");
      if (a.bottom > t.bottom) this.context.state.growTable(t, a.bottom);
      t.bottom = a.bottom;
      t.right = a.right;
      if (t.calculated) for (const i of [...t.calculated.keys()]) if (i > t.right - t.left) t.calculated.delete(i);
    });
  }
}

/** A table column by name (case-insensitive, as Excel matches them) or id; ItemNotFound when there is none. */
function columnOf(t: TableState, key: string): { t: TableState; i: number } {
  const want = String(key).trim().toLowerCase();
  for (let c = t.left; c <= t.right; c++) {
    if (
      String(t.sheet.get(t.top, c)?.value ?? "")
        .trim()
        .toLowerCase() === want
    )
      return { t, i: c - t.left };
  }
  throw new ExcelError("ItemNotFound", `The requested resource doesn't exist. (column "${key}" of table ${t.name})`);
}

/** Excel.TableColumn (ExcelApi 1.1): its ranges, name and index, delete. */
export class FakeTableColumn extends Proxy<{ t: TableState; i: number }> {
  constructor(
    context: FakeContext,
    resolve: () => { t: TableState; i: number },
    private readonly orNull = false,
  ) {
    super(
      context,
      orNull
        ? () => {
            try {
              return resolve();
            } catch {
              return undefined as never;
            }
          }
        : resolve,
    );
    if (orNull) this.load("isNullObject");
  }
  protected read(target: { t: TableState; i: number } | undefined, prop: string): unknown {
    if (prop === "isNullObject") return target === undefined;
    if (!target) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
    if (prop === "name") return String(target.t.sheet.get(target.t.top, target.t.left + target.i)?.value ?? "");
    if (prop === "index") return target.i;
    throw new ExcelError("InvalidArgument", `Unknown property ${prop}`);
  }
  get isNullObject(): boolean {
    return this.orNull ? (this.loadedValue("isNullObject") as boolean) : false;
  }
  get name(): string {
    return this.loadedValue("name") as string;
  }
  get index(): number {
    return this.loadedValue("index") as number;
  }
  private area(rows: "body" | "header" | "all"): FakeRange {
    return new FakeRange(this.context, () => {
      const c = this.resolve();
      if (!c) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
      const { t, i } = c;
      const top = rows === "body" ? t.top + 1 : t.top;
      const count = rows === "header" ? 1 : rows === "body" ? Math.max(1, t.bottom - t.top) : t.bottom - t.top + 1;
      return { sheet: t.sheet, top, left: t.left + i, rows: count, cols: 1 };
    });
  }
  getDataBodyRange(): FakeRange {
    return this.area("body");
  }
  getHeaderRowRange(): FakeRange {
    return this.area("header");
  }
  getRange(): FakeRange {
    return this.area("all");
  }
  delete(): void {
    this.context.enqueue(() => {
      const c = this.resolve();
      if (!c) throw new ExcelError("InvalidOperation", "The method cannot be called on a null object (isNullObject is true).");
      this.context.state.deleteTableColumn(c.t, c.i);
    });
  }
}
