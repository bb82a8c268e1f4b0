/**
 * The Office.js adapter: one `context.sync()` to read every table, one to write a change
 * set, whatever the number of rows.
 *
 * Reading asks for the contract's tables by name in one batch. When one of them is missing
 * (a workbook not set up, or a table deleted), the batch fails with ItemNotFound; the
 * adapter then lists the workbook's tables once and reads again with the ones that exist.
 * Appends are range writes below the table, which Excel grows over them (Microsoft's
 * co-authoring guidance: no `TableRowCollection.add`); `table.resize` confirms the new
 * size where ExcelApi 1.13 is supported. Text is written so that it never runs as a
 * formula: a leading =, +, -, @ or ' is kept as typed with Excel's text prefix.
 */
import { CellValue, ChangeSet, Conflict, RawTable, Snapshot, WorkbookPort, cellAddress, columnLetter, findTable, formatOf } from "./port";

/** Cell values as read back: numbers compared to the millisecond (dates), text trimmed of Excel's text prefix. */
function sameValue(a: CellValue, b: CellValue): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-8;
  return (a ?? "") === (b ?? "");
}
import { TABLES } from "./schema";

export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

export { DATE_FORMAT } from "./port";
import { DATE_FORMAT } from "./port";

/** Text written as text: Excel would run "=…" (and may parse "+…", "-…", "@…") as a formula. */
export function asCellValue(v: CellValue): CellValue {
  if (typeof v === "string" && /^[=+\-@']/.test(v)) return `'${v}`;
  return v;
}

function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | null)?.code;
}

const isBlankRow = (row: CellValue[]) => row.every((v) => v === null || v === "");

export class OfficeWorkbook implements WorkbookPort {
  private known: string[] = TABLES.map((t) => t.name);
  private last: Snapshot | undefined;

  constructor(
    private readonly run: ExcelRun,
    private readonly isSetSupported: (name: string, version: string) => boolean = (n, v) => Office.context.requirements.isSetSupported(n, v),
  ) {}

  async read(): Promise<Snapshot> {
    let snapshot: Snapshot | undefined;
    try {
      snapshot = await this.readKnown();
    } catch (e) {
      if (errorCode(e) !== "ItemNotFound") throw e;
    }
    if (!snapshot) {
      await this.discover();
      snapshot = await this.readKnown();
    }
    this.last = snapshot;
    return snapshot;
  }

  /** Lists the workbook's tables, keeping the contract's tables that exist. */
  private async discover(): Promise<void> {
    await this.run(async (context) => {
      const tables = context.workbook.tables.load("items/name");
      await context.sync();
      const present = new Set(tables.items.map((t) => t.name.toLowerCase()));
      this.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
    });
  }

  private async readKnown(): Promise<Snapshot> {
    const first = await this.readOnce();
    if (first) return first;
    const second = await this.readOnce();
    if (!second) throw new Error("the workbook's tables keep changing: try again");
    return second;
  }

  /** One batch: the known tables' ranges; undefined when a contract table appeared meanwhile. */
  private async readOnce(): Promise<Snapshot | undefined> {
    return this.run(async (context) => {
      const sheets = context.workbook.worksheets.load("items/name");
      const all = context.workbook.tables.load("items/name");
      const parts = this.known.map((name) => {
        const table = context.workbook.tables.getItem(name);
        return {
          name,
          range: table.getRange().load("values,rowIndex,columnIndex"),
          sheet: table.worksheet.load("name"),
        };
      });
      await context.sync();
      const present = new Set(all.items.map((t) => t.name.toLowerCase()));
      const appeared = TABLES.some((t) => present.has(t.name.toLowerCase()) && !this.known.includes(t.name));
      if (appeared) {
        this.known = TABLES.map((t) => t.name).filter((n) => present.has(n.toLowerCase()));
        return undefined; // a contract table was added meanwhile: read again with it
      }
      const tables = new Map<string, RawTable>();
      for (const p of parts) {
        const values = p.range.values as CellValue[][];
        tables.set(p.name, {
          name: p.name,
          sheet: p.sheet.name,
          headers: values[0].map((h) => String(h ?? "")),
          rows: values.slice(1).map((row) => row.map((v) => (v === "" ? null : v))),
          top: p.range.rowIndex,
          left: p.range.columnIndex,
        });
      }
      return { tables, sheetNames: sheets.items.map((s) => s.name) };
    });
  }

  async write(changes: ChangeSet): Promise<{ conflicts: Conflict[] }> {
    const base = this.last;
    if (!base) throw new Error("read the workbook before writing to it");
    const canResize = this.isSetSupported("ExcelApi", "1.13");
    const canDataBar = this.isSetSupported("ExcelApi", "1.6");
    const canChart = this.isSetSupported("ExcelApi", "1.7");
    /**
     * Every range written by a cell change or an append first loads what it holds, in the
     * same batch, so that after the sync we know whether someone else wrote there after
     * our read. When they did, a second batch puts back what was there and nothing is
     * changed (optimistic concurrency; the usual path stays one round trip).
     */
    const guarded: { table: string; sheet: string; top: number; left: number; range: Excel.Range; expected: CellValue[][]; before: Excel.Range }[] = [];
    const tableRanges: { name: string; address: Excel.Range }[] = [];
    const checks: { table: string; sheet: string; top: number; left: number; expected: CellValue[][]; before: Excel.Range }[] = [];
    await this.run(async (context) => {
      const guard = (table: string, sheet: string, top: number, left: number, range: Excel.Range, expected: CellValue[][]) => {
        guarded.push({ table, sheet, top, left, range, expected, before: range.load("values,formulas") });
      };
      const tables = context.workbook.tables;
      const width = new Map<string, number>();
      // Rows that must be as we read them: loaded before any write of this batch.
      for (const g of changes.guards ?? []) {
        const raw = findTable(base, g.table);
        if (!raw || !raw.rows[g.row]) continue;
        const range = context.workbook.worksheets.getItem(raw.sheet).getRangeByIndexes(raw.top + 1 + g.row, raw.left, 1, raw.headers.length);
        checks.push({ table: raw.name, sheet: raw.sheet, top: raw.top + 1 + g.row, left: raw.left, expected: [raw.rows[g.row]], before: range.load("values") });
      }
      for (const add of changes.addColumns) {
        const raw = findTable(base, add.table);
        if (!raw) continue;
        const t = tables.getItem(raw.name);
        for (const header of add.headers) t.columns.add(null as unknown as number, undefined, header);
        width.set(raw.name, raw.headers.length + add.headers.length);
      }
      for (const cell of changes.cells) {
        const raw = findTable(base, cell.table);
        if (!raw) throw new Error(`no table ${cell.table}`);
        const ws = context.workbook.worksheets.getItem(raw.sheet);
        const range = ws.getRangeByIndexes(raw.top + 1 + cell.row, raw.left + cell.col, 1, 1);
        guard(raw.name, raw.sheet, raw.top + 1 + cell.row, raw.left + cell.col, range, [[raw.rows[cell.row]?.[cell.col] ?? null]]);
        if (cell.date) range.numberFormat = [[DATE_FORMAT]];
        else if (cell.text) range.numberFormat = [["@"]];
        range.values = [[asCellValue(cell.value)]] as (string | number | boolean)[][];
      }
      const deleted = new Map<string, number>();
      for (const del of changes.deleteRows) {
        const raw = findTable(base, del.table);
        if (!raw) continue;
        const t = tables.getItem(raw.name);
        for (const row of [...new Set(del.rows)].sort((a, b) => b - a)) t.rows.getItemAt(row).delete();
        deleted.set(raw.name, new Set(del.rows).size);
      }
      for (const app of changes.appends) {
        if (!app.rows.length) continue;
        const raw = findTable(base, app.table);
        if (!raw) throw new Error(`no table ${app.table}`);
        const cols = width.get(raw.name) ?? raw.headers.length;
        const ws = context.workbook.worksheets.getItem(raw.sheet);
        const gone = new Set(changes.deleteRows.filter((d) => findTable(base, d.table) === raw).flatMap((d) => d.rows));
        const remaining = raw.rows.filter((_, i) => !gone.has(i));
        let body = remaining.length;
        let filled = body; // trailing blank rows of the table are filled first
        while (filled > 0 && isBlankRow(remaining[filled - 1] ?? [])) filled--;
        const rows = app.rows.map((r) => Array.from({ length: cols }, (_, i) => asCellValue(r[i] ?? null) ?? ""));
        const formats = app.rows.map(() => Array.from({ length: cols }, (_, i) => formatOf(app, i)));
        const inside = Math.min(rows.length, body - filled);
        const pieces: [number, number][] = inside > 0 ? [[0, inside]] : [];
        if (rows.length > inside) pieces.push([inside, rows.length]);
        if (!changes.deleteRows.length) tableRanges.push({ name: raw.name, address: tables.getItem(raw.name).getRange().load("address") });
        for (const [from, to] of pieces) {
          const range = ws.getRangeByIndexes(raw.top + 1 + filled + from, raw.left, to - from, cols);
          if (!changes.deleteRows.length) guard(raw.name, raw.sheet, raw.top + 1 + filled + from, raw.left, range, rows.slice(from, to).map((r) => r.map(() => null)));
          range.numberFormat = formats.slice(from, to);
          range.values = rows.slice(from, to) as (string | number | boolean)[][];
        }
        body = Math.max(body, filled + rows.length);
        if (canResize) {
          const t = tables.getItem(raw.name);
          t.resize(`${cellAddress(raw.sheet, raw.top, raw.left)}:${columnLetter(raw.left + cols - 1)}${raw.top + body + 1}`);
        }
      }
      for (const nt of changes.newTables) {
        if (nt.replaceSheet && base.sheetNames.some((n) => n.toLowerCase() === nt.sheet.toLowerCase())) {
          context.workbook.worksheets.getItem(nt.sheet).delete();
        }
        const exists = !nt.replaceSheet && base.sheetNames.some((n) => n.toLowerCase() === nt.sheet.toLowerCase());
        const ws = exists ? context.workbook.worksheets.getItem(nt.sheet) : context.workbook.worksheets.add(nt.sheet);
        const cols = nt.headers.length;
        const rows = Math.max(1, nt.rows.length);
        const header = ws.getRangeByIndexes(0, 0, 1, cols);
        header.values = [nt.headers];
        if (nt.rows.length) {
          const body = ws.getRangeByIndexes(1, 0, nt.rows.length, cols);
          body.numberFormat = nt.rows.map(() => Array.from({ length: cols }, (_, i) => formatOf(nt, i)));
          body.values = nt.rows.map((r) => r.map((v) => asCellValue(v) ?? "")) as (string | number | boolean)[][];
        }
        const table = ws.tables.add(`A1:${columnLetter(cols - 1)}${rows + 1}`, true);
        table.name = nt.name;
        if (nt.dataBarCol !== undefined && canDataBar && nt.rows.length) {
          ws.getRangeByIndexes(1, nt.dataBarCol, nt.rows.length, 1).conditionalFormats.add("DataBar");
        }
        if (nt.chart && nt.rows.length && canChart && nt.rows.some((r) => typeof r[nt.chart!.valueCol] === "number")) {
          // Made from the numeric score column (header and values): Excel makes one series of it,
          // named by the header. Nothing here assumes a series exists; the people's names are set
          // on the category axis (ChartAxis.setCategoryNames, ExcelApi 1.7). A chart made from a
          // text-only range has no series to set values on.
          const values = ws.getRangeByIndexes(0, nt.chart.valueCol, nt.rows.length + 1, 1);
          const names = ws.getRangeByIndexes(1, 0, nt.rows.length, 1);
          const chart = ws.charts.add("BarClustered", values, "Columns");
          chart.axes.categoryAxis.setCategoryNames(names);
          chart.title.text = nt.chart.title;
          chart.legend.visible = false;
          chart.top = 20;
          chart.left = 20 + 80 * cols;
        }
      }
      await context.sync();
    });
    const conflicts: Conflict[] = [];
    for (const g of [...checks, ...guarded]) {
      const found = g.before.values as CellValue[][];
      g.expected.forEach((row, r) =>
        row.forEach((want, c) => {
          const have = found[r][c] === "" ? null : found[r][c];
          if (!sameValue(want, have) && !conflicts.some((x) => x.address === cellAddress(g.sheet, g.top + r, g.left + c))) conflicts.push({ table: g.table, address: cellAddress(g.sheet, g.top + r, g.left + c), expected: want, found: have });
        }),
      );
    }
    if (conflicts.length) await this.rollBack(guarded, tableRanges, canResize);
    return { conflicts };
  }

  /** Adds workbook-level names (the short formula names); existing names are left alone. One read, one write. */
  async addNames(defs: { name: string; formula: string; comment: string }[]): Promise<{ added: string[]; kept: string[] }> {
    const present = await this.run(async (context) => {
      const names = context.workbook.names.load("items/name");
      await context.sync();
      return new Set(names.items.map((n) => n.name.toLowerCase()));
    });
    const added = defs.filter((d) => !present.has(d.name.toLowerCase()));
    if (added.length)
      await this.run(async (context) => {
        for (const d of added) context.workbook.names.add(d.name, d.formula, d.comment);
        await context.sync();
      });
    return { added: added.map((d) => d.name), kept: defs.filter((d) => present.has(d.name.toLowerCase())).map((d) => d.name) };
  }

  /** Puts back what the guarded ranges held before our write, and the tables' sizes. */
  private async rollBack(guarded: { sheet: string; top: number; left: number; before: Excel.Range }[], tableRanges: { name: string; address: Excel.Range }[], canResize: boolean): Promise<void> {
    await this.run(async (context) => {
      for (const g of [...guarded].reverse()) {
        const formulas = g.before.formulas as (string | number | boolean)[][];
        context.workbook.worksheets.getItem(g.sheet).getRangeByIndexes(g.top, g.left, formulas.length, formulas[0].length).formulas = formulas;
      }
      if (canResize) for (const t of tableRanges) context.workbook.tables.getItem(t.name).resize(t.address.address);
      await context.sync();
    });
  }
}
