/**
 * The in-memory workbook behind the fake Excel: sheets of cells, tables (ListObjects) over
 * ranges, defined names. This is the "document"; src/workbench/fake-excel/api.ts is the
 * Office.js-shaped proxy layer over it.
 */

export type Value = string | number | boolean | null;

export interface Cell {
  value: Value;
  /** Formula text when the cell holds a formula ("=…"). */
  formula?: string;
  numberFormat?: string;
}

export class ExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
  }
}

/** A chart: its type, the range it was made from, its series (one per numeric column of that range), category names and title. */
export interface ChartState {
  type: string;
  source: string;
  series: { name: string; values: string }[];
  /** Set by `axes.categoryAxis.setCategoryNames`. */
  categories?: string;
  title?: string;
}

/**
 * A conditional format (ExcelApi 1.6) and the cells it applies to: a data bar, or a custom rule
 * (an A1 formula relative to the range's top-left cell, a fill and a font colour, "#RRGGBB").
 */
export interface ConditionalFormatState {
  id: string;
  type: "Custom" | "DataBar";
  top: number;
  left: number;
  rows: number;
  cols: number;
  formula?: string;
  fill?: string;
  font?: string;
}

/**
 * An A1 formula's relative references moved by `rows` and `cols` (absolute parts, text in quotes
 * and function names stay): what a conditional format's rule reads as from another range
 * (OfficeDev/office-js#5194). A reference moved off the grid becomes #REF!.
 */
export function shiftFormula(formula: string, rows: number, cols: number): string {
  if (!rows && !cols) return formula;
  return formula
    .split(/("(?:[^"]|"")*")/)
    .map((part, i) =>
      i % 2
        ? part
        : part.replace(
            /(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(])/g,
            (_, ca: string, col: string, ra: string, row: string) => {
              let c = 0;
              for (const ch of col) c = c * 26 + ch.charCodeAt(0) - 64;
              const nc = ca ? c : c + cols;
              const nr = ra ? Number(row) : Number(row) + rows;
              if (nc < 1 || nr < 1) return "#REF!";
              let letters = "";
              for (let n = nc; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
              return `${ca}${letters}${ra}${nr}`;
            },
          ),
    )
    .join("");
}

export class SheetState {
  /** Row → column → cell. */
  readonly cells = new Map<number, Map<number, Cell>>();
  /** A protected sheet refuses writes, as Excel does (AccessDenied). */
  protected = false;
  /** Data bars (conditional formats) and charts added to the sheet. */
  readonly dataBars: string[] = [];
  /** Every conditional format of the sheet, highest priority first (data bars among them). */
  readonly conditionalFormats: ConditionalFormatState[] = [];
  readonly charts: ChartState[] = [];
  constructor(public name: string) {}

  assertWritable(): void {
    if (this.protected)
      throw new ExcelError("AccessDenied", `The cell or chart you're trying to change is on a protected sheet. (worksheet "${this.name}")`);
  }

  get(row: number, col: number): Cell | undefined {
    return this.cells.get(row)?.get(col);
  }

  set(row: number, col: number, cell: Cell): void {
    let r = this.cells.get(row);
    if (!r) this.cells.set(row, (r = new Map()));
    r.set(col, cell);
  }

  /** Deletes rows [row, row+count) over columns [col, col+width) and shifts the cells below up. */
  deleteShiftUp(row: number, col: number, count: number, width: number): void {
    const rows = [...this.cells.keys()].filter((r) => r >= row).sort((a, b) => a - b);
    for (const r of rows) {
      const line = this.cells.get(r)!;
      for (let c = col; c < col + width; c++) {
        const moved = r + count;
        const src = this.cells.get(moved)?.get(c);
        if (src) line.set(c, src);
        else line.delete(c);
      }
    }
  }

  /** Moves every cell at or below `row` by `delta` rows (whole sheet rows, as Excel's row insert and delete do); the caller empties the rows a deletion removes first. */
  shiftRows(row: number, delta: number): void {
    const moved = new Map<number, Map<number, Cell>>();
    for (const [r, line] of this.cells) {
      moved.set(r < row ? r : r + delta, line);
    }
    this.cells.clear();
    for (const [r, line] of moved) this.cells.set(r, line);
  }

  usedBounds(): { rows: number; cols: number } {
    let rows = 0;
    let cols = 0;
    for (const [r, line] of this.cells) {
      for (const [c, cell] of line) {
        if (cell.value !== null && cell.value !== "") {
          rows = Math.max(rows, r + 1);
          cols = Math.max(cols, c + 1);
        }
      }
    }
    return { rows, cols };
  }
}

export interface TableState {
  name: string;
  sheet: SheetState;
  /** Header row, first column, last row, last column (0-based, inclusive). */
  top: number;
  left: number;
  bottom: number;
  right: number;
  /**
   * Calculated columns: column (0-based within the table) → its formula. A column is calculated
   * while every data row holds the same formula; rows the table grows by get it by themselves.
   */
  calculated?: Map<number, string>;
}

/** A custom XML part (Office.js `CustomXmlPart`, ExcelApi 1.5): an id, the root element's namespace and the XML. */
export interface CustomXmlState {
  id: string;
  namespaceUri: string;
  xml: string;
}

/** The namespace of an XML document's root element ("" when it has none); XML that is not a single element is refused, as Excel refuses it. */
export function rootNamespace(xml: string): string {
  const body = xml.replace(/^\s*(<\?xml[^>]*\?>)?(\s*<!--[\s\S]*?-->)*\s*/, "");
  const m = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/.exec(body);
  if (!m || !balanced(body)) throw new ExcelError("InvalidArgument", "The XML is not well formed.");
  const attr = new RegExp(`xmlns${m[1] ? `:${m[1]}` : ""}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(m[3]);
  return attr ? (attr[1] ?? attr[2] ?? "") : "";
}

/** One root element whose tags nest (enough to refuse what Excel refuses as not well formed). */
function balanced(body: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  const re = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (!stack.length && body.slice(last, m.index).trim()) return false; // text outside the root
    last = re.lastIndex;
    if (!m[2]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else {
      if (!stack.length) roots++;
      if (!m[3]) stack.push(m[2]);
    }
  }
  return !stack.length && roots === 1 && !body.slice(last).trim();
}

export type ChangeListener = (e: { worksheetName: string; address: string; source: "Local" | "Remote" }) => void;

/** What the fake's undo puts back: every sheet's cells and conditional formats, the tables, the names (not the custom XML parts). */
export interface UndoPoint {
  sheets: { sheet: SheetState; name: string; protected: boolean; cells: Map<number, Map<number, Cell>>; cfs: ConditionalFormatState[] }[];
  tables: { t: TableState; copy: TableState }[];
  names: Map<string, string>;
  fingerprint: string;
}

/**
 * A workbook's contents as plain data (structured-cloneable): what a worker that wrote a workbook
 * posts to the page that shows it (the workbench's big Register, src/workbench/setup-worker.ts).
 */
export interface WorkbookImage {
  sheets: {
    name: string;
    protected: boolean;
    dataBars: string[];
    conditionalFormats: ConditionalFormatState[];
    charts: ChartState[];
    cells: Map<number, Map<number, Cell>>;
  }[];
  /** A table's sheet as its position in `sheets`. */
  tables: (Omit<TableState, "sheet"> & { sheet: number })[];
  names: Map<string, string>;
  hiddenNames: Set<string>;
  customXml: CustomXmlState[];
  nextXmlId: number;
  nextCfId: number;
  fillFormulas: boolean;
  cfIdIsPriority: boolean;
}

export class WorkbookState {
  readonly sheets: SheetState[] = [];
  /**
   * Excel's per-person AutoCorrect option "Fill formulas in tables to create calculated columns"
   * (on by default). Off, a column of formulas is not a calculated column and new rows get no
   * formula (OfficeDev/office-js#2093, "by design"; #5909 on Mac and the web).
   */
  fillFormulas = true;
  /**
   * `ConditionalFormat.id` is "the priority of the conditional format within the current
   * ConditionalFormatCollection" (https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-id-member):
   * a position among the formats touching the range it was read from, renumbered after every
   * add and delete, not an identity. On by default; off gives every format a lasting id.
   */
  cfIdIsPriority = true;
  /** Recalculations asked for, in order: "Application:<type>" (every open workbook) or "Range:<address>". */
  readonly calculations: string[] = [];
  readonly tables: TableState[] = [];
  readonly names = new Map<string, string>();
  /** Names hidden from Name Manager (`NamedItem.visible = false`), lower-case. */
  readonly hiddenNames = new Set<string>();
  readonly listeners = new Set<ChangeListener>();
  readonly customXml: CustomXmlState[] = [];
  private nextXmlId = 1;
  private nextCfId = 1;

  /** Empties the workbook (the workbench's "load .xlsx"), keeping the listeners. */
  reset(): void {
    this.sheets.length = 0;
    this.tables.length = 0;
    this.names.clear();
    this.hiddenNames.clear();
    this.customXml.length = 0;
  }

  /** This workbook's contents as plain data (WorkbookImage); the cells are shared, not copied. */
  image(): WorkbookImage {
    return {
      sheets: this.sheets.map((s) => ({
        name: s.name,
        protected: s.protected,
        dataBars: s.dataBars,
        conditionalFormats: s.conditionalFormats,
        charts: s.charts,
        cells: s.cells,
      })),
      tables: this.tables.map((t) => ({ ...t, sheet: this.sheets.indexOf(t.sheet) })),
      names: this.names,
      hiddenNames: this.hiddenNames,
      customXml: this.customXml,
      nextXmlId: this.nextXmlId,
      nextCfId: this.nextCfId,
      fillFormulas: this.fillFormulas,
      cfIdIsPriority: this.cfIdIsPriority,
    };
  }

  /**
   * Makes `image` (a posted WorkbookImage, owned by nobody else) this workbook's contents, keeping
   * its listeners: its rows of cells are taken as they are, not copied cell by cell.
   */
  takeImage(image: WorkbookImage): void {
    this.reset();
    for (const x of image.sheets) {
      const s = new SheetState(x.name);
      s.protected = x.protected;
      s.dataBars.push(...x.dataBars);
      s.conditionalFormats.push(...x.conditionalFormats);
      s.charts.push(...x.charts);
      for (const [r, line] of x.cells) s.cells.set(r, line);
      this.sheets.push(s);
    }
    for (const t of image.tables) {
      const sheet = this.sheets[t.sheet];
      if (!sheet) throw new Error(`The table ${t.name} names sheet ${t.sheet + 1} of ${this.sheets.length}.`);
      this.tables.push({ ...t, sheet });
    }
    for (const [k, v] of image.names) this.names.set(k, v);
    for (const k of image.hiddenNames) this.hiddenNames.add(k);
    this.customXml.push(...image.customXml);
    this.nextXmlId = image.nextXmlId;
    this.nextCfId = image.nextCfId;
    this.fillFormulas = image.fillFormulas;
    this.cfIdIsPriority = image.cfIdIsPriority;
  }

  /** Makes this workbook a deep copy of `other` (sheets, cells, tables, names, custom XML parts), keeping its own listeners. */
  copyFrom(other: WorkbookState): void {
    // The same contents a worker posts (image), copied as a post copies them.
    this.takeImage(structuredClone(other.image()));
  }

  // ---- Undo ----

  captureUndo(): UndoPoint {
    return {
      sheets: this.sheets.map((s) => ({
        sheet: s,
        name: s.name,
        protected: s.protected,
        cells: new Map([...s.cells].map(([r, line]) => [r, new Map(line)])),
        cfs: s.conditionalFormats.map((c) => ({ ...c })),
      })),
      tables: this.tables.map((t) => ({ t, copy: { ...t, calculated: t.calculated && new Map(t.calculated) } })),
      names: new Map(this.names),
      fingerprint: this.fingerprint(),
    };
  }

  changedSince(p: UndoPoint): boolean {
    return this.fingerprint() !== p.fingerprint;
  }

  /** Puts the sheets, tables and names back as `p` had them; returns the names of the sheets. Custom XML parts are left as they are. */
  restoreUndo(p: UndoPoint): string[] {
    this.sheets.length = 0;
    for (const x of p.sheets) {
      x.sheet.name = x.name;
      x.sheet.protected = x.protected;
      x.sheet.cells.clear();
      for (const [r, line] of x.cells) x.sheet.cells.set(r, new Map(line));
      x.sheet.conditionalFormats.length = 0;
      x.sheet.conditionalFormats.push(...x.cfs.map((c) => ({ ...c })));
      this.sheets.push(x.sheet);
    }
    this.tables.length = 0;
    for (const x of p.tables) {
      Object.assign(x.t, { ...x.copy, calculated: x.copy.calculated && new Map(x.copy.calculated) });
      this.tables.push(x.t);
    }
    this.names.clear();
    for (const [k, v] of p.names) this.names.set(k, v);
    return p.sheets.map((x) => x.name);
  }

  private fingerprint(): string {
    return JSON.stringify([
      this.sheets.map((s) => [s.name, s.protected, [...s.cells].map(([r, line]) => [r, [...line]]), s.conditionalFormats]),
      this.tables.map((t) => [t.name, t.top, t.left, t.bottom, t.right, [...(t.calculated ?? [])]]),
      [...this.names],
    ]);
  }

  // ---- Conditional formats ----

  /** A new conditional format at the top priority (Excel's `ConditionalFormatCollection.add`). */
  addConditionalFormat(
    sheet: SheetState,
    area: { top: number; left: number; rows: number; cols: number },
    type: ConditionalFormatState["type"],
  ): ConditionalFormatState {
    const cf: ConditionalFormatState = {
      id: `{CF${String(this.nextCfId++).padStart(6, "0")}}`,
      type,
      top: area.top,
      left: area.left,
      rows: area.rows,
      cols: area.cols,
    };
    sheet.conditionalFormats.unshift(cf);
    return cf;
  }

  /**
   * Excel recalculating: every formula cell takes the value `value` gives it. The fake computes no
   * formula (a formula cell holds "#FORMULA"); tests use this for what Excel would show, such as
   * a volatile PLAN.OVERDUE whose result moves with the clock between a read and a write.
   */
  recalculate(value: (formula: string, sheet: SheetState, row: number, col: number) => Value): void {
    for (const sheet of this.sheets)
      for (const [r, line] of sheet.cells)
        for (const [c, cell] of line) if (cell.formula) line.set(c, { ...cell, value: value(cell.formula, sheet, r, c) });
  }

  // ---- Calculated columns ----

  /**
   * After cells of `sheet` in columns `cols` were written: a table column whose every data row
   * now holds the same formula becomes calculated; a calculated column that no longer does stops
   * being one. Stricter than Excel, which keeps the column calculated with its "inconsistent
   * formula" exceptions and goes on filling new rows: the fake fills only a clean column.
   */
  refreshCalculated(sheet: SheetState, cols: Iterable<number>, withFormula?: Set<number>): void {
    if (!this.fillFormulas) return; // the option is off: formulas stay per cell, no column is calculated
    const wanted = new Set(cols);
    for (const t of this.tables) {
      if (t.sheet !== sheet) continue;
      for (const c of wanted) {
        if (c < t.left || c > t.right) continue;
        const i = c - t.left;
        if (withFormula && !withFormula.has(c) && !t.calculated?.has(i)) continue; // nothing to look at
        let formula: string | undefined;
        for (let r = t.top + 1; r <= t.bottom; r++) {
          const f = sheet.get(r, c)?.formula;
          if (!f || (formula !== undefined && f !== formula)) {
            formula = undefined;
            break;
          }
          formula = f;
        }
        if (formula !== undefined) (t.calculated ??= new Map()).set(i, formula);
        else t.calculated?.delete(i);
      }
    }
  }

  /**
   * The table grows down to `bottom` (a write just below it, a resize, rows inserted inside):
   * its calculated columns fill the new rows, except the cells `written` covers (what was
   * written there stays); conditional formats over a whole column's data body grow with it.
   */
  growTable(
    t: TableState,
    bottom: number,
    written?: { left: number; right: number },
    from = t.bottom + 1,
    count = bottom - t.bottom,
  ): void {
    if (count <= 0) return;
    const oldBottom = t.bottom;
    for (const cf of t.sheet.conditionalFormats) {
      if (
        cf.top === t.top + 1 &&
        cf.top + cf.rows - 1 === oldBottom &&
        cf.left >= t.left &&
        cf.left + cf.cols - 1 <= t.right &&
        from === oldBottom + 1
      )
        cf.rows += count;
    }
    t.bottom = Math.max(t.bottom, bottom);
    for (const [i, formula] of this.fillFormulas ? (t.calculated ?? []) : []) {
      const c = t.left + i;
      if (written && c >= written.left && c <= written.right) continue;
      // The new cells take the column's formula and the number format of the row above, as Excel's table expansion does.
      const numberFormat = t.sheet.get(from - 1, c)?.numberFormat;
      for (let r = from; r < from + count; r++) {
        const cell = t.sheet.get(r, c);
        t.sheet.set(r, c, {
          ...(cell ?? {}),
          value: "#FORMULA",
          formula,
          ...(numberFormat !== undefined && cell?.numberFormat === undefined ? { numberFormat } : {}),
        });
      }
    }
  }

  addCustomXml(xml: string): CustomXmlState {
    const part = {
      id: `{${String(this.nextXmlId++).padStart(8, "0")}-0000-4000-8000-000000000000}`,
      namespaceUri: rootNamespace(xml),
      xml,
    };
    this.customXml.push(part);
    return part;
  }

  customXmlPart(id: string): CustomXmlState | undefined {
    return this.customXml.find((p) => p.id.toLowerCase() === id.toLowerCase());
  }

  // ---- Structural edits, as Excel makes them (a co-author's hand or the API) ----

  /** Inserts `count` whole sheet rows before `row`: cells below move down; a table below moves, a table the rows fall inside grows. */
  insertRows(sheet: SheetState, row: number, count: number): void {
    sheet.assertWritable();
    if (count < 1) throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    sheet.shiftRows(row, count);
    for (const cf of sheet.conditionalFormats) {
      if (cf.top >= row) cf.top += count;
      else if (row <= cf.top + cf.rows - 1) cf.rows += count;
    }
    for (const t of this.tables) {
      if (t.sheet !== sheet) continue;
      if (t.top >= row) {
        t.top += count;
        t.bottom += count;
      } else if (row <= t.bottom) {
        // Rows inserted inside a table get its calculated columns, as in Excel.
        t.bottom += count;
        const calc = t.calculated;
        if (calc?.size && this.fillFormulas)
          for (const [i, formula] of calc) for (let r = row; r < row + count; r++) sheet.set(r, t.left + i, { value: "#FORMULA", formula });
      }
    }
  }

  /**
   * Deletes whole sheet rows [row, row+count): cells below move up. A table entirely inside goes
   * with them; one the rows cut through loses those rows. Stricter than Excel: a deletion
   * that takes a table's header row but not the whole table, or every data row of a table, is
   * refused (Excel keeps or rebuilds them in ways the fake does not model).
   */
  deleteRows(sheet: SheetState, row: number, count: number): void {
    sheet.assertWritable();
    const end = row + count - 1;
    if (count < 1) throw new ExcelError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    const gone: TableState[] = [];
    for (const t of this.tables) {
      if (t.sheet !== sheet || end < t.top || row > t.bottom) continue;
      if (row <= t.top && end >= t.bottom) gone.push(t);
      else if (row <= t.top) throw new ExcelError("InvalidOperation", `This operation would delete the header row of table ${t.name}.`);
      else if (row <= t.top + 1 && end >= t.bottom)
        throw new ExcelError("InvalidOperation", `This operation would delete every data row of table ${t.name}.`);
    }
    for (const t of gone) this.tables.splice(this.tables.indexOf(t), 1);
    for (let r = row; r <= end; r++) sheet.cells.delete(r);
    sheet.shiftRows(end + 1, -count);
    for (let i = sheet.conditionalFormats.length - 1; i >= 0; i--) {
      const cf = sheet.conditionalFormats[i];
      const last = cf.top + cf.rows - 1;
      const cut = Math.max(0, Math.min(end, last) - Math.max(row, cf.top) + 1);
      if (cut === cf.rows) sheet.conditionalFormats.splice(i, 1);
      else {
        cf.rows -= cut;
        if (cf.top > end) cf.top -= count;
        else if (cf.top >= row) cf.top = row;
      }
    }
    for (const t of this.tables) {
      if (t.sheet !== sheet) continue;
      if (t.top > end) {
        t.top -= count;
        t.bottom -= count;
      } else if (row <= t.bottom) t.bottom -= Math.min(end, t.bottom) - Math.max(row, t.top + 1) + 1;
    }
  }

  /** Sorts a table's data rows by one of its columns (0-based within the table), as Excel's sort does: only the table's cells move. */
  sortTable(t: TableState, col: number, ascending = true): void {
    t.sheet.assertWritable();
    if (col < 0 || col > t.right - t.left) throw new ExcelError("InvalidArgument", `The sort key ${col} is outside the table.`);
    const rows: (Cell | undefined)[][] = [];
    for (let r = t.top + 1; r <= t.bottom; r++)
      rows.push(Array.from({ length: t.right - t.left + 1 }, (_, c) => t.sheet.get(r, t.left + c)));
    const key = (line: (Cell | undefined)[]) => line[col]?.value ?? null;
    const rank = (v: Value) => (v === null || v === "" ? 3 : typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
    const order = rows.map((line, i) => ({ line, i }));
    order.sort((a, b) => {
      const x = key(a.line);
      const y = key(b.line);
      const blank = (v: Value) => v === null || v === "";
      if (blank(x) || blank(y)) return blank(x) === blank(y) ? a.i - b.i : blank(x) ? 1 : -1; // blanks last either way
      const d = rank(x) - rank(y) || (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)));
      return (ascending ? d : -d) || a.i - b.i;
    });
    this.writeRows(
      t,
      order.map((o) => o.line),
    );
  }

  /** Exchanges two data rows of a table (cut and insert, or two pastes): only the table's cells move. */
  swapRows(t: TableState, a: number, b: number): void {
    t.sheet.assertWritable();
    const body = t.bottom - t.top;
    if (a < 0 || b < 0 || a >= body || b >= body) throw new ExcelError("InvalidArgument", "The row is outside the table.");
    const rows: (Cell | undefined)[][] = [];
    for (let r = t.top + 1; r <= t.bottom; r++)
      rows.push(Array.from({ length: t.right - t.left + 1 }, (_, c) => t.sheet.get(r, t.left + c)));
    [rows[a], rows[b]] = [rows[b], rows[a]];
    this.writeRows(t, rows);
  }

  private writeRows(t: TableState, rows: (Cell | undefined)[][]): void {
    rows.forEach((line, i) =>
      line.forEach((cell, c) => {
        if (cell) t.sheet.set(t.top + 1 + i, t.left + c, cell);
        else t.sheet.cells.get(t.top + 1 + i)?.delete(t.left + c);
      }),
    );
  }

  renameSheet(sheet: SheetState, name: string): void {
    if (!name || name.length > 31 || /[\\/?*[\]:]/.test(name))
      throw new ExcelError("InvalidArgument", `The worksheet name "${name}" is invalid.`);
    const other = this.sheet(name);
    if (other && other !== sheet) throw new ExcelError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    sheet.name = name;
  }

  sheet(name: string): SheetState | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  table(name: string): TableState | undefined {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  addSheet(name: string): SheetState {
    if (this.sheet(name)) throw new ExcelError("ItemAlreadyExists", `A worksheet named "${name}" already exists.`);
    if (!name || name.length > 31 || /[\\/?*[\]:]/.test(name))
      throw new ExcelError("InvalidArgument", `The worksheet name "${name}" is invalid.`);
    const s = new SheetState(name);
    this.sheets.push(s);
    return s;
  }

  deleteSheet(name: string): void {
    const s = this.sheet(name);
    if (!s) throw new ExcelError("ItemNotFound", `The requested resource doesn't exist.`);
    this.sheets.splice(this.sheets.indexOf(s), 1);
    for (let i = this.tables.length - 1; i >= 0; i--) if (this.tables[i].sheet === s) this.tables.splice(i, 1);
  }

  addTable(sheet: SheetState, top: number, left: number, bottom: number, right: number, name?: string): TableState {
    for (const t of this.tables) {
      if (t.sheet === sheet && !(bottom < t.top || top > t.bottom || right < t.left || left > t.right))
        throw new ExcelError("InvalidArgument", "A table can't overlap another table.");
    }
    let n = name;
    if (!n) for (let i = 1; !n || this.table(n); i++) n = `Table${i}`;
    if (this.table(n)) throw new ExcelError("ItemAlreadyExists", `A table named "${n}" already exists.`);
    const t: TableState = { name: n, sheet, top, left, bottom, right };
    this.tables.push(t);
    return t;
  }

  /**
   * Writing just below a table makes it grow over the written rows, as Excel's table
   * auto-expansion does; its calculated columns fill the new rows where the write put nothing.
   */
  expandTables(sheet: SheetState, top: number, left: number, bottom: number, right: number): void {
    for (const t of this.tables) {
      if (t.sheet !== sheet) continue;
      if (top === t.bottom + 1 && left >= t.left && right <= t.right) this.growTable(t, bottom, { left, right });
    }
  }

  /** Deletes a table column (ExcelApi 1.1 `TableColumn.delete`): the table's cells right of it move left. */
  deleteTableColumn(t: TableState, i: number): void {
    t.sheet.assertWritable();
    if (t.right === t.left) throw new ExcelError("InvalidOperation", `This operation would delete the last column of table ${t.name}.`);
    const col = t.left + i;
    for (let r = t.top; r <= t.bottom; r++) {
      const line = t.sheet.cells.get(r);
      if (!line) continue;
      for (let c = col; c <= t.right; c++) {
        const next = c < t.right ? line.get(c + 1) : undefined;
        if (next) line.set(c, next);
        else line.delete(c);
      }
    }
    for (let k = t.sheet.conditionalFormats.length - 1; k >= 0; k--) {
      const cf = t.sheet.conditionalFormats[k];
      if (cf.left === col && cf.cols === 1 && cf.top > t.top && cf.top + cf.rows - 1 <= t.bottom) t.sheet.conditionalFormats.splice(k, 1);
    }
    if (t.calculated) t.calculated = new Map([...t.calculated].filter(([c]) => c !== i).map(([c, f]) => [c > i ? c - 1 : c, f]));
    t.right--;
  }

  emit(sheet: string, address: string, source: "Local" | "Remote"): void {
    for (const l of this.listeners) l({ worksheetName: sheet, address, source });
  }
}
